package io.tern.transport.internal;

import io.tern.codec.CloseCodes;
import io.tern.codec.ClosingHandshake;
import io.tern.codec.FrameDecoder;
import io.tern.codec.FrameEncoder;
import io.tern.codec.Masking;
import io.tern.codec.MessageListener;
import io.tern.codec.MessageReader;
import io.tern.codec.MessageWriter;
import io.tern.codec.Opcode;
import io.tern.codec.Role;
import io.tern.codec.Rsv;
import io.tern.codec.deflate.DeflateParameters;
import io.tern.codec.deflate.PerMessageDeflater;
import io.tern.codec.deflate.PerMessageInflater;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.SendStatus;
import io.tern.transport.SlowConsumerPolicy;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketProtocolException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One TCP connection on one event loop, from accept (or connect) to close: the opening handshake
 * (delegated to a {@link Handshake}), then the WebSocket protocol through the codec's
 * {@link MessageReader} and {@link MessageWriter}, outbound queuing and backpressure, timers, and
 * the closing handshake.
 *
 * <p>Everything but the public {@link WebSocket} methods runs on the loop's thread. Those methods
 * act directly when called on the loop and otherwise copy the payload and post a task. The only
 * state other threads touch is {@link #inFlight} (bytes accepted off the loop and not yet framed),
 * updated atomically, and a few volatile flags.
 */
public final class Connection implements WebSocket<Object>, MessageListener, SelectHandler {

    private static final System.Logger LOG = System.getLogger("io.tern.transport");
    private static final VarHandle IN_FLIGHT;

    static {
        try {
            IN_FLIGHT = MethodHandles.lookup().findVarHandle(Connection.class, "inFlight", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int HANDSHAKING = 0;
    private static final int OPEN = 1;
    private static final int CLOSED = 2;

    /** Largest frame header plus slack: what a frame needs beyond its payload in the outbound. */
    private static final int FRAME_OVERHEAD = FrameEncoder.MAX_HEADER_SIZE;

    final EventLoop loop;
    final SocketChannel channel;
    final Role role;
    private final SocketAddress remote;
    private SelectionKey key;
    private int interest;
    int loopIndex = -1;

    private int state = HANDSHAKING;
    private Handshake handshake;
    private ConnectionSettings settings;

    private MessageReader reader;
    private MessageWriter writer;
    private final ClosingHandshake closing = new ClosingHandshake();
    private PerMessageDeflater deflater;
    private boolean compressingMessage;
    private WebSocketHandler<Object> handler;
    private Object attachment;
    private String subprotocol;
    private String path;
    private boolean opened;

    private final Outbound out;
    private ByteBuffer pendingInput;
    private boolean readPaused;
    private boolean inReader;
    private boolean flushScheduled;
    private boolean closeAfterFlush;
    private volatile long inFlight;
    private volatile boolean drainWanted;
    private volatile boolean sendable;

    private final ConnectionTimer timer = new ConnectionTimer();
    private long handshakeStartedAt;
    private long handshakeDeadline;
    private long closeDeadline;
    private long nextPingAt;
    private long pongDeadline;
    private boolean awaitingPong;
    private long lastReadAt;

    private int reportCode = CloseCodes.ABNORMAL_CLOSURE;
    private String reportReason = "";
    private boolean reportSet;

    Connection(EventLoop loop, SocketChannel channel, Role role, SocketAddress remote, Handshake handshake,
               ConnectionSettings settings) {
        this.loop = loop;
        this.channel = channel;
        this.role = role;
        this.remote = remote;
        this.handshake = handshake;
        this.settings = settings;
        this.out = new Outbound(loop.buffers());
    }

    // ------------------------------------------------------------------ registration and setup

    /** Registers the channel with the loop for the given operations and starts the handshake clock. */
    void register(int ops) throws IOException {
        interest = ops;
        key = channel.register(loop.selector(), ops, this);
        loop.add(this); // only once registered: a failed register leaves nothing behind
        lastReadAt = loop.now();
        handshakeStartedAt = System.nanoTime();
        handshakeDeadline = handshakeStartedAt + settings.handshakeTimeoutNanos();
        rescheduleTimer();
    }

    /**
     * Sets the opening handshake's time limit anew, counted from when the connection was
     * registered (a server learns the route's own limit only once the request head is parsed).
     *
     * @param timeoutNanos the limit in nanoseconds, from registration
     */
    void handshakeTimeout(long timeoutNanos) {
        if (state == HANDSHAKING) {
            handshakeDeadline = handshakeStartedAt + timeoutNanos;
            rescheduleTimer();
        }
    }

    /** Changes the interest set to the given operations (connect → read after connecting). */
    void setInterest(int ops) {
        if (ops != interest && key != null && key.isValid()) {
            interest = ops;
            key.interestOps(ops);
        }
    }

    /**
     * Switches from the handshake to the WebSocket protocol; called by the {@link Handshake} once
     * the 101 response was written (server) or accepted (client).
     */
    void open(WebSocketHandler<Object> handler, Object attachment, String subprotocol, String path,
              ConnectionSettings settings, DeflateParameters deflate) {
        this.handler = handler;
        this.attachment = attachment;
        this.subprotocol = subprotocol;
        this.path = path;
        this.settings = settings;
        this.reader = new MessageReader(role, settings.reader(), this, loop.buffers());
        this.writer = new MessageWriter(new FrameEncoder(role, role == Role.CLIENT ? loop.maskKeys() : null), closing);
        if (deflate != null) {
            reader.enableCompression(new PerMessageInflater(deflate, role, loop.zstreams()));
            deflater = new PerMessageDeflater(deflate, role, settings.deflate(), loop.zstreams());
        }
        this.handshake = null;
        this.state = OPEN;
        this.opened = true;
        this.sendable = true;
        long now = System.nanoTime();
        lastReadAt = now;
        if (settings.heartbeatIntervalNanos() > 0) {
            nextPingAt = now + settings.heartbeatIntervalNanos();
        }
        rescheduleTimer();
        loop.counters().add(LoopCounters.OPENED, 1);
        try {
            handler.onOpen(this);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    // ------------------------------------------------------------------ readiness

    @Override
    public void onSelect(SelectionKey selected) {
        int ready = selected.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            handshake.onConnectable(this);
        }
        if ((ready & SelectionKey.OP_WRITE) != 0 && state != CLOSED) {
            flushNow();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && state != CLOSED && !readPaused) {
            readNow();
        }
    }

    @Override
    public void onLoopError(Throwable error) {
        LOG.log(System.Logger.Level.ERROR, "unexpected error on a connection of " + loop.name(), error);
        if (state == OPEN) {
            failConnection(CloseCodes.INTERNAL_ERROR, "internal error", error);
        } else {
            finishClose();
        }
    }

    private void readNow() {
        ByteBuffer buffer = loop.readBuffer();
        buffer.clear();
        int n;
        try {
            n = channel.read(buffer);
        } catch (IOException e) {
            lostConnection(e);
            return;
        }
        if (n < 0) {
            endOfStream();
            return;
        }
        if (n == 0) {
            return;
        }
        loop.counters().add(LoopCounters.BYTES_IN, n);
        lastReadAt = loop.now();
        buffer.flip();
        if (state == HANDSHAKING) {
            handshake.onInput(this, buffer);
        }
        if (state == OPEN && buffer.hasRemaining()) {
            feed(buffer);
        }
    }

    /** Feeds protocol bytes to the reader and acts on its status. */
    private void feed(ByteBuffer input) {
        long framesBefore = reader.framesRead();
        int status;
        do {
            inReader = true;
            try {
                status = reader.read(input);
            } finally {
                inReader = false;
            }
            // A handler may pause and resume within one callback: the reader still stopped, so
            // go on unless the connection is paused now.
        } while (status == MessageReader.PAUSED && !readPaused && input.hasRemaining() && state == OPEN);
        loop.counters().add(LoopCounters.FRAMES_IN, reader.framesRead() - framesBefore);
        switch (status) {
            case MessageReader.PAUSED:
                if (readPaused) {
                    keepPendingInput(input);
                }
                break;
            case MessageReader.FAILED:
                if (state == OPEN) {
                    failConnection(reader.failureCode(), reader.failureReason(), null);
                }
                break;
            default:
                // NEED_MORE; CLOSE_RECEIVED was handled in onClose (bytes after it are ignored)
                break;
        }
    }

    private void keepPendingInput(ByteBuffer input) {
        if (!input.hasRemaining()) {
            return;
        }
        if (pendingInput == input) {
            pendingInput.compact().flip();
            return;
        }
        ByteBuffer keep = loop.buffers().acquire(input.remaining());
        keep.put(input).flip();
        pendingInput = keep;
    }

    private void endOfStream() {
        if (state == HANDSHAKING) {
            closeEarly("connection closed during the opening handshake");
            return;
        }
        if (!closing.isClosed()) {
            closing.abort();
        }
        finishClose();
    }

    private void lostConnection(IOException e) {
        if (state == HANDSHAKING) {
            closeEarly("connection failed during the opening handshake: " + e.getMessage());
            return;
        }
        closing.abort();
        notifyError(e);
        finishClose();
    }

    // ------------------------------------------------------------------ codec callbacks (loop thread)

    @Override
    public void onText(ByteBuffer utf8, boolean last) {
        try {
            handler.onText(this, utf8, last);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    @Override
    public void onBinary(ByteBuffer data, boolean last) {
        try {
            handler.onBinary(this, data, last);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    @Override
    public void onPing(ByteBuffer payload) {
        if (settings.autoPong()) {
            sendControl(Opcode.PONG, payload);
        }
        try {
            handler.onPing(this, payload);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    @Override
    public void onPong(ByteBuffer payload) {
        awaitingPong = false;
        try {
            handler.onPong(this, payload);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    @Override
    public void onClose(int code, String reason) {
        closing.closeReceived(code, reason);
        setReport(code, reason);
        if (!closing.isCloseSent()) {
            writeCloseFrame(closing.replyCode(), "");
        }
        sendable = false;
        // RFC 6455 §7.1.1: the server closes TCP once its reply is out; the client waits for it.
        // Either way the closing timeout bounds the wait (a peer that stops reading never drains).
        closeAfterFlush = ClosingHandshake.closesTcpFirst(role);
        closeDeadline = System.nanoTime() + settings.closingTimeoutNanos();
        rescheduleTimer();
        scheduleFlush();
    }

    // ------------------------------------------------------------------ failing and closing

    private void handlerFailed(Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "handler threw; closing the connection with 1011", t);
        if (state == OPEN) {
            failConnection(CloseCodes.INTERNAL_ERROR, "internal error", t);
        }
    }

    /**
     * Fails the connection (RFC 6455 §7.1.7): sends a close frame with the code unless one was
     * sent, and closes TCP as soon as it is written (or at the closing timeout).
     */
    void failConnection(int code, String reason, Throwable cause) {
        if (state == CLOSED) {
            return;
        }
        setReport(code, reason);
        if (cause != null || code != CloseCodes.GOING_AWAY) {
            notifyError(cause != null ? cause : new WebSocketProtocolException(code, reason));
        }
        if (state == OPEN && !closing.isCloseSent()) {
            writeCloseFrame(code, reason);
        }
        sendable = false;
        closeAfterFlush = true;
        closeDeadline = System.nanoTime() + settings.closingTimeoutNanos();
        rescheduleTimer();
        scheduleFlush();
    }

    private void notifyError(Throwable error) {
        if (!opened || handler == null) {
            return;
        }
        try {
            handler.onError(this, error);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "onError threw", t);
        }
    }

    private void setReport(int code, String reason) {
        if (!reportSet) {
            reportSet = true;
            reportCode = code;
            reportReason = reason;
        }
    }

    private void writeCloseFrame(int code, String reason) {
        ByteBuffer frame = out.beginFrame(MessageWriter.MAX_CLOSE_FRAME_SIZE);
        writer.writeClose(frame, code, reason);
        out.endFrame();
        loop.counters().add(LoopCounters.FRAMES_OUT, 1);
        scheduleFlush();
    }

    /** Ends a connection that never opened, telling the handshake why (once). */
    void closeEarly(String why) {
        if (handshake != null) {
            Handshake h = handshake;
            handshake = null;
            h.onClosedEarly(this, why);
        }
        finishClose();
    }

    /** Closes the TCP connection and releases everything; reports to the handler once. */
    void finishClose() {
        if (state == CLOSED) {
            return;
        }
        boolean wasOpen = state == OPEN;
        state = CLOSED;
        sendable = false;
        loop.timers().cancel(timer);
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (reader != null) {
            reader.releaseBuffers();
        }
        if (deflater != null) {
            deflater.release();
        }
        out.release();
        if (pendingInput != null) {
            loop.buffers().release(pendingInput);
            pendingInput = null;
        }
        loop.remove(this);
        if (handshake != null) {
            Handshake h = handshake;
            handshake = null;
            h.onClosedEarly(this, "connection closed before the opening handshake completed");
        }
        if (!wasOpen) {
            return;
        }
        loop.counters().add(LoopCounters.CLOSED, 1);
        closing.abort();
        loop.counters().countClose(reportCode);
        try {
            handler.onClose(this, reportCode, reportReason, closing.isClean());
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "onClose threw", t);
        }
        afterClose();
    }

    /** Hook for the server's connection count; set by the handshake that opened it. */
    private Runnable onClosed;

    void onClosed(Runnable action) {
        this.onClosed = action;
    }

    private void afterClose() {
        if (onClosed != null) {
            onClosed.run();
        }
    }

    /** The loop is stopping: close at once, reporting 1006 where no handshake completed. */
    void abortOnLoopStop() {
        finishClose();
    }

    /** Starts a graceful shutdown of this connection: 1001, or a plain close mid-handshake. */
    void shutdown() {
        if (state == OPEN) {
            closeOnLoop(CloseCodes.GOING_AWAY, role == Role.SERVER ? "server shutting down" : "client closing");
        } else {
            finishClose();
        }
    }

    // ------------------------------------------------------------------ writing

    void scheduleFlush() {
        if (!flushScheduled && state != CLOSED) {
            flushScheduled = true;
            loop.scheduleFlush(this);
        }
    }

    /** Called by the loop for a connection that asked for a flush. */
    void flushFromLoop() {
        flushScheduled = false;
        flushNow();
    }

    private void flushNow() {
        if (state == CLOSED) {
            return;
        }
        if (!out.isEmpty()) {
            try {
                long written = out.writeTo(channel);
                loop.counters().add(LoopCounters.BYTES_OUT, written);
            } catch (IOException e) {
                lostConnection(e);
                return;
            }
        }
        if (interest == SelectionKey.OP_CONNECT) {
            return; // still connecting: the request is written once connected
        }
        int wanted = readPaused ? 0 : SelectionKey.OP_READ;
        if (!out.isEmpty()) {
            setInterest(wanted | SelectionKey.OP_WRITE);
            return;
        }
        setInterest(wanted);
        if (closeAfterFlush) {
            finishClose();
            return;
        }
        if (drainWanted && queuedBytes() <= settings.lowWatermark() && state == OPEN) {
            drainWanted = false;
            try {
                handler.onDrain(this);
            } catch (Throwable t) {
                handlerFailed(t);
            }
        }
    }

    /** Appends raw bytes (an HTTP response) to the outbound queue. */
    void writeRaw(byte[] bytes) {
        ByteBuffer b = out.beginFrame(bytes.length);
        b.put(bytes);
        out.endFrame();
        scheduleFlush();
    }

    /** After the handshake's response is queued: close once it is written. */
    void closeAfterWrite() {
        closeAfterFlush = true;
        scheduleFlush();
    }

    /** Decides whether {@code bytes} more may join {@code queued}; null means over the hard limit. */
    private SendStatus admit(long queued, long bytes) {
        if (queued > 0 && queued + bytes > settings.hardLimit()) {
            return null;
        }
        if (queued + bytes > settings.highWatermark()) {
            drainWanted = true;
            return SendStatus.QUEUED_ABOVE_HIGH_WATERMARK;
        }
        return SendStatus.QUEUED;
    }

    private SendStatus refuseSlowConsumer() {
        if (inLoop()) {
            loop.counters().add(LoopCounters.DROPS, 1);
        } else {
            loop.execute(() -> loop.counters().add(LoopCounters.DROPS, 1));
        }
        if (settings.slowConsumerPolicy() == SlowConsumerPolicy.CLOSE) {
            runOnLoop(() -> failConnection(CloseCodes.POLICY_VIOLATION,
                    "slow consumer: outbound queue over its hard limit", null));
        }
        return SendStatus.DROPPED;
    }

    private boolean inLoop() {
        return loop.inLoop();
    }

    private void runOnLoop(Runnable action) {
        if (inLoop()) {
            action.run();
        } else {
            loop.submit(action);
        }
    }

    /** Frames a data message or fragment into the outbound; loop thread only. */
    private void frameData(int opcode, ByteBuffer payload, boolean last) {
        int rsv = Rsv.NONE;
        ByteBuffer body = payload;
        ByteBuffer compressed = null;
        if (deflater != null) {
            boolean first = !writer.isInsideMessage();
            if (first) {
                compressingMessage = deflater.shouldCompress(payload.remaining());
            }
            if (compressingMessage) {
                compressed = deflater.compress(payload.duplicate(), last, loop.buffers());
                body = compressed;
                rsv = first ? Rsv.RSV1 : Rsv.NONE;
            }
        }
        int n = body.remaining();
        ByteBuffer frame = out.beginFrame(FRAME_OVERHEAD + n);
        if (writer.writeDataHeader(opcode, rsv, frame, n, last) == MessageWriter.WRITTEN) {
            placePayload(frame, body, n);
        }
        endFrame();
        if (compressed != null) {
            loop.buffers().release(compressed);
        }
    }

    /** Copies {@code n} bytes of {@code body} right behind the header just written. */
    private void placePayload(ByteBuffer frame, ByteBuffer body, int n) {
        int start = frame.position();
        frame.put(start, body, body.position(), n).position(start + n);
        maskAndCount(frame, start, n);
    }

    /** Masks a client frame's payload copy (never the caller's bytes) and counts the frame. */
    private void maskAndCount(ByteBuffer frame, int start, int n) {
        if (role == Role.CLIENT) {
            Masking.apply(frame, start, start + n, writer.lastMaskKey(), 0);
        }
        loop.counters().add(LoopCounters.FRAMES_OUT, 1);
    }

    private void endFrame() {
        out.endFrame();
        scheduleFlush();
    }

    /** Frames text from characters, encoding straight into the outbound when not compressing. */
    private void frameText(CharSequence text, int utf8Length) {
        if (deflater != null && deflater.shouldCompress(utf8Length)) {
            ByteBuffer bytes = loop.buffers().acquire(Math.max(1, utf8Length));
            Utf8.encode(text, bytes);
            frameData(Opcode.TEXT, bytes.flip(), true);
            loop.buffers().release(bytes);
            return;
        }
        ByteBuffer frame = out.beginFrame(FRAME_OVERHEAD + utf8Length);
        if (writer.writeDataHeader(Opcode.TEXT, Rsv.NONE, frame, utf8Length, true) == MessageWriter.WRITTEN) {
            int start = frame.position();
            Utf8.encode(text, frame);
            maskAndCount(frame, start, utf8Length);
        }
        endFrame();
    }

    private void frameControl(int opcode, ByteBuffer payload) {
        int n = payload.remaining();
        ByteBuffer frame = out.beginFrame(FRAME_OVERHEAD + n);
        if (writer.writeControlHeader(opcode, frame, n) == MessageWriter.WRITTEN) {
            placePayload(frame, payload, n);
        }
        endFrame();
    }

    // ------------------------------------------------------------------ WebSocket API (any thread)

    @Override
    public SendStatus sendText(CharSequence text) {
        if (!sendable) {
            return SendStatus.CLOSED;
        }
        int length = Utf8.encodedLength(text);
        if (inLoop()) {
            if (state != OPEN || closing.isCloseSent()) {
                return SendStatus.CLOSED;
            }
            SendStatus status = admit(queuedBytes(), length + FRAME_OVERHEAD);
            if (status == null) {
                return refuseSlowConsumer();
            }
            frameText(text, length);
            return status;
        }
        ByteBuffer copy = ByteBuffer.allocate(length);
        Utf8.encode(text, copy);
        return sendFromOtherThread(Opcode.TEXT, copy.flip(), true);
    }

    @Override
    public SendStatus sendText(ByteBuffer utf8) {
        return sendData(Opcode.TEXT, utf8, true);
    }

    @Override
    public SendStatus sendBinary(ByteBuffer data) {
        return sendData(Opcode.BINARY, data, true);
    }

    @Override
    public SendStatus sendTextFragment(ByteBuffer utf8, boolean last) {
        return sendData(Opcode.TEXT, utf8, last);
    }

    @Override
    public SendStatus sendBinaryFragment(ByteBuffer data, boolean last) {
        return sendData(Opcode.BINARY, data, last);
    }

    private SendStatus sendData(int opcode, ByteBuffer payload, boolean last) {
        if (!sendable) {
            return SendStatus.CLOSED;
        }
        if (inLoop()) {
            if (state != OPEN || closing.isCloseSent()) {
                return SendStatus.CLOSED;
            }
            SendStatus status = admit(queuedBytes(), payload.remaining() + FRAME_OVERHEAD);
            if (status == null) {
                return refuseSlowConsumer();
            }
            frameData(opcode, payload, last);
            return status;
        }
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
        copy.put(0, payload, payload.position(), payload.remaining());
        return sendFromOtherThread(opcode, copy, last);
    }

    /** The off-loop path: admit now (so the caller gets a status), frame on the loop. */
    private SendStatus sendFromOtherThread(int opcode, ByteBuffer copy, boolean last) {
        long bytes = copy.remaining() + FRAME_OVERHEAD;
        // Reserve first, then judge: concurrent senders then see each other's bytes, so they
        // cannot all slip under the hard limit together.
        long inFlightBefore = (long) IN_FLIGHT.getAndAdd(this, bytes);
        SendStatus status = admit(out.bytes() + inFlightBefore, bytes);
        if (status == null) {
            IN_FLIGHT.getAndAdd(this, -bytes);
            return refuseSlowConsumer();
        }
        loop.submit(() -> {
            IN_FLIGHT.getAndAdd(this, -bytes);
            if (state != OPEN || closing.isCloseSent()) {
                return;
            }
            if (writer.isInsideMessage() && writer.openMessageOpcode() != opcode) {
                // Fragments of two messages interleaved from another thread: a programming error
                // that can no longer be thrown back to the caller.
                failConnection(CloseCodes.INTERNAL_ERROR, "fragments of two messages interleaved",
                        new IllegalStateException("cannot send " + Opcode.name(opcode) + " while a "
                                + Opcode.name(writer.openMessageOpcode()) + " message is unfinished"));
                return;
            }
            frameData(opcode, copy, last);
        });
        return status;
    }

    @Override
    public SendStatus sendPing(ByteBuffer payload) {
        return sendControlChecked(Opcode.PING, payload);
    }

    @Override
    public SendStatus sendPong(ByteBuffer payload) {
        return sendControlChecked(Opcode.PONG, payload);
    }

    private SendStatus sendControlChecked(int opcode, ByteBuffer payload) {
        if (payload.remaining() > FrameDecoder.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("control frame payload over 125 bytes: " + payload.remaining());
        }
        if (!sendable) {
            return SendStatus.CLOSED;
        }
        if (inLoop()) {
            return sendControl(opcode, payload);
        }
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
        copy.put(0, payload, payload.position(), payload.remaining());
        loop.submit(() -> sendControl(opcode, copy));
        return SendStatus.QUEUED;
    }

    /** Control frames bypass the hard limit: they are tiny and keep the connection alive. */
    private SendStatus sendControl(int opcode, ByteBuffer payload) {
        if (state != OPEN || closing.isCloseSent()) {
            return SendStatus.CLOSED;
        }
        frameControl(opcode, payload);
        return SendStatus.QUEUED;
    }

    @Override
    public void close() {
        close(CloseCodes.NORMAL_CLOSURE, "");
    }

    @Override
    public void close(int code, String reason) {
        if (!CloseCodes.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " must not be sent");
        }
        String r = reason == null ? "" : reason;
        if (r.getBytes(StandardCharsets.UTF_8).length > MessageWriter.MAX_CLOSE_REASON_BYTES) {
            throw new IllegalArgumentException("close reason longer than 123 UTF-8 bytes");
        }
        runOnLoop(() -> closeOnLoop(code, r));
    }

    private void closeOnLoop(int code, String reason) {
        if (state != OPEN || closing.isCloseSent()) {
            return;
        }
        sendable = false;
        writeCloseFrame(code, reason);
        closeDeadline = System.nanoTime() + settings.closingTimeoutNanos();
        rescheduleTimer();
    }

    @Override
    public void abort() {
        runOnLoop(() -> {
            if (state != CLOSED) {
                closing.abort();
                finishClose();
            }
        });
    }

    @Override
    public void pauseReading() {
        runOnLoop(() -> {
            if (state == CLOSED || readPaused) {
                return;
            }
            readPaused = true;
            if (inReader) {
                reader.pause();
            }
            setInterest(interest & ~SelectionKey.OP_READ);
        });
    }

    @Override
    public void resumeReading() {
        runOnLoop(() -> {
            if (state == CLOSED || !readPaused) {
                return;
            }
            readPaused = false;
            if (pendingInput != null) {
                ByteBuffer pending = pendingInput;
                feed(pending);
                if (pendingInput == pending && !pending.hasRemaining()) {
                    loop.buffers().release(pending);
                    pendingInput = null;
                }
                if (readPaused || state == CLOSED) {
                    return;
                }
            }
            setInterest(interest | SelectionKey.OP_READ);
        });
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public boolean isCompressed() {
        return deflater != null;
    }

    @Override
    public boolean isOpen() {
        return sendable;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public long queuedBytes() {
        return out.bytes() + inFlight;
    }

    @Override
    public String toString() {
        return "WebSocket[" + remote + (path != null ? " " + path : "") + "]";
    }

    // ------------------------------------------------------------------ timers

    /** One timer per connection, set to the earliest of its deadlines. */
    private final class ConnectionTimer extends Timer {
        @Override
        protected void onExpire(long nowNanos) {
            try {
                onTimer(nowNanos);
            } catch (Throwable t) {
                onLoopError(t);
            }
        }
    }

    private void onTimer(long now) {
        if (state == CLOSED) {
            return;
        }
        if (state == HANDSHAKING) {
            if (now - handshakeDeadline >= 0) {
                closeEarly("opening handshake timed out");
                return;
            }
        } else if (closeDeadline != 0) {
            if (now - closeDeadline >= 0) {
                finishClose();
                return;
            }
        } else {
            long idle = settings.idleTimeoutNanos();
            if (idle > 0 && now - lastReadAt >= idle) {
                closeOnLoop(CloseCodes.GOING_AWAY, "idle timeout");
                return;
            }
            if (awaitingPong && now - pongDeadline >= 0) {
                setReport(CloseCodes.ABNORMAL_CLOSURE, "no pong within the heartbeat timeout");
                closing.abort();
                notifyError(new WebSocketProtocolException(CloseCodes.ABNORMAL_CLOSURE,
                        "heartbeat: no pong within the timeout, peer taken for gone"));
                finishClose();
                return;
            }
            if (settings.heartbeatIntervalNanos() > 0 && now - nextPingAt >= 0) {
                nextPingAt = now + settings.heartbeatIntervalNanos();
                if (!awaitingPong) {
                    awaitingPong = true;
                    pongDeadline = now + settings.heartbeatTimeoutNanos();
                    ByteBuffer stamp = ByteBuffer.allocate(Long.BYTES).putLong(0, now); // rare: once per interval
                    sendControl(Opcode.PING, stamp);
                }
            }
        }
        rescheduleTimer();
    }

    private void rescheduleTimer() {
        if (state == CLOSED) {
            return;
        }
        long next;
        if (state == HANDSHAKING) {
            next = handshakeDeadline;
        } else if (closeDeadline != 0) {
            next = closeDeadline;
        } else {
            next = Long.MAX_VALUE;
            boolean any = false;
            long idle = settings.idleTimeoutNanos();
            if (idle > 0) {
                next = lastReadAt + idle;
                any = true;
            }
            if (settings.heartbeatIntervalNanos() > 0) {
                long hb = awaitingPong ? Math.min(nextPingAt, pongDeadline) : nextPingAt;
                next = any ? (hb - next < 0 ? hb : next) : hb;
                any = true;
            }
            if (!any) {
                loop.timers().cancel(timer);
                return;
            }
        }
        loop.timers().schedule(timer, next);
    }

    // ------------------------------------------------------------------ for handshakes

    /** Whether the handshake has opened the connection, so following bytes are WebSocket frames. */
    boolean isOpenForInput() {
        return state == OPEN;
    }
}
