package io.tern.transport.internal;

import io.tern.codec.CloseCodes;
import io.tern.codec.ClosingHandshake;
import io.tern.codec.MessageReader;
import io.tern.codec.Role;
import io.tern.codec.deflate.DeflateParameters;
import io.tern.codec.deflate.PerMessageInflater;
import io.tern.transport.ConnectionListener;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketProtocolException;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;

/**
 * One TCP connection on one event loop, from accept (or connect) to close: its state and
 * lifecycle. The application holds its {@link Socket}, which offers the {@code WebSocket} methods
 * and nothing else. The work is done by parts with one
 * job each: {@link ChannelIO} (the socket), {@link OutboundFramer} (frames into the queue),
 * {@link SendAdmission} (may this be queued?), {@link Liveness} (the clocks) and
 * {@link InboundDispatch} (calls into the application); the opening handshake is a
 * {@link Handshake}, the protocol rules the codec's.
 *
 * <p>Life: HANDSHAKING → OPEN → CLOSED. While OPEN the closing handshake runs (RFC 6455 §7): the
 * first close frame either side sends ends sending; after the last frame is written the socket
 * half-closes and lingers; {@link #finishClose()} releases everything and reports once.
 *
 * <p>It is the hub the parts report to, which is why it runs to some 450 lines: each method is one
 * short transition of the state machine above, and spreading them over more classes would hide
 * the machine rather than simplify it.
 *
 * <p>Threading contract: loop thread only (the {@link Socket}'s methods hop onto the loop);
 * lifecycle methods assert it. Other threads read only {@link #sendable} (volatile) and the
 * {@link SendAdmission}'s atomics.
 */
final class Connection {

    private static final int HANDSHAKING = 0;
    private static final int OPEN = 1;
    private static final int CLOSED = 2;
    private static final Runnable[] NO_HOOKS = new Runnable[0];

    final EventLoop loop;
    final SocketChannel channel;
    final Role role;
    int loopIndex = -1;
    final SocketAddress remote;
    /** What the application holds: the {@link WebSocket} methods and nothing else. */
    final Socket socket = new Socket(this);
    final ChannelIO io;
    final OutboundFramer framer;
    final SendAdmission sends;
    private final Liveness liveness = new Liveness();
    private final ConnectionClock clock;
    final ClosingHandshake closing = new ClosingHandshake();

    private int state = HANDSHAKING;
    private volatile boolean sendable;
    private Handshake handshake;
    private ConnectionSettings settings;
    MessageReader reader;
    private InboundDispatch dispatch;
    Object attachment;
    String subprotocol;
    String path;
    private Runnable[] closeHooks = NO_HOOKS;
    int reportCode = CloseCodes.ABNORMAL_CLOSURE;
    String reportReason = "";
    private boolean reportSet;
    /** What made the connection end before it opened, when it was an exception (a TLS failure). */
    Throwable earlyCause;

    Connection(EventLoop loop, SocketChannel channel, Role role, SocketAddress remote, Handshake handshake,
               ConnectionSettings settings) {
        this(loop, channel, role, remote, handshake, settings, null, null);
    }

    /**
     * Creates a connection; with an engine, TLS runs between the socket and the protocol.
     *
     * @param engine   a configured engine (client or server mode), or {@code null} for plain TCP
     * @param tlsTasks where the engine's delegated tasks run (with an engine)
     */
    Connection(EventLoop loop, SocketChannel channel, Role role, SocketAddress remote, Handshake handshake,
               ConnectionSettings settings, SSLEngine engine, Executor tlsTasks) {
        this.loop = loop;
        this.channel = channel;
        this.role = role;
        this.remote = remote;
        this.handshake = handshake;
        this.settings = settings;
        this.framer = new OutboundFramer(loop, role);
        this.io = new ChannelIO(this, loop, channel, framer.outbound(), engine, tlsTasks);
        this.sends = new SendAdmission(this, loop, framer);
        this.clock = new ConnectionClock(this, loop, liveness);
    }

    // ------------------------------------------------------------------ lifecycle (loop thread)

    /** Registers the channel with the loop for the given operations and starts the handshake clock. */
    void register(int ops) throws IOException {
        assert loop.inLoop();
        io.register(ops);
        loop.add(this); // only once registered: a failed register leaves nothing behind
        liveness.handshakeStarted(loop.now(), settings.handshakeTimeoutNanos());
        rescheduleTimer();
    }

    void setInterest(int ops) {
        io.setInterest(ops);
    }

    /**
     * Sets the opening handshake's time limit anew, counted from when the connection was
     * registered (a server learns the route's own limit only once the request head is parsed).
     *
     * @param timeoutNanos the limit in nanoseconds, from registration
     */
    void handshakeTimeout(long timeoutNanos) {
        if (state == HANDSHAKING) {
            liveness.handshakeTimeout(timeoutNanos);
            rescheduleTimer();
        }
    }

    /**
     * Switches from the handshake to the WebSocket protocol; called by the {@link Handshake} once
     * the 101 response was queued (server) or accepted (client).
     */
    void open(WebSocketHandler<Object> handler, Object attachment, String subprotocol, String path,
              ConnectionSettings settings, DeflateParameters deflate) {
        assert loop.inLoop();
        this.attachment = attachment;
        this.subprotocol = subprotocol;
        this.path = path;
        this.settings = settings;
        this.dispatch = new InboundDispatch(this, handler, settings.messageInterceptors(), settings.connectionListeners());
        this.reader = new MessageReader(role, settings.reader(), dispatch, loop.buffers());
        framer.open(closing, deflate, settings);
        if (deflate != null) {
            reader.enableCompression(new PerMessageInflater(deflate, role, loop.zstreams()));
        }
        handshake = null;
        state = OPEN;
        sendable = true;
        liveness.opened(loop.now(), settings.idleTimeoutNanos(), settings.heartbeatIntervalNanos(),
                settings.heartbeatTimeoutNanos());
        rescheduleTimer();
        loop.counters().add(LoopCounters.OPENED, 1);
        dispatch.call(InboundDispatch.OPEN, null, true);
    }

    void connectable() {
        if (handshake != null) {
            handshake.onConnectable(this);
        }
    }

    /** Bytes read from the socket: the handshake's, then the WebSocket reader's. */
    void input(ByteBuffer buffer) {
        assert loop.inLoop();
        liveness.read(loop.now());
        if (state == HANDSHAKING) {
            handshake.onInput(this, buffer);
        }
        if (state == OPEN && buffer.hasRemaining()) {
            feed(buffer);
        }
    }

    /** Input held while reading was paused, fed again on resume. */
    void resumeInput(ByteBuffer pending) {
        if (state == OPEN) {
            feed(pending);
        }
    }

    private void feed(ByteBuffer input) {
        long framesBefore = reader.framesRead();
        int status = io.feed(reader, input);
        loop.counters().add(LoopCounters.FRAMES_IN, reader.framesRead() - framesBefore);
        if (status == MessageReader.FAILED && state == OPEN) {
            failConnection(reader.failureCode(), reader.failureReason(), null);
        }
        // NEED_MORE, PAUSED; CLOSE_RECEIVED was handled in closeReceived (bytes after it are ignored)
    }

    void pingReceived(ByteBuffer payload) {
        if (settings.autoPong()) {
            sends.autoPong(payload);
        }
    }

    void pongReceived() {
        liveness.pongReceived();
    }

    /** The peer's close frame arrived (RFC 6455 §5.5.1): answer it unless ours went out already. */
    void closeReceived(int code, String reason) {
        assert loop.inLoop();
        closing.closeReceived(code, reason);
        setReport(code, reason);
        if (!closing.isCloseSent()) {
            framer.close(closing.replyCode(), "");
        }
        sendable = false;
        // RFC 6455 §7.1.1: the server closes TCP once its reply is out; the client waits for it.
        // Either way the closing timeout bounds the wait (a peer that stops reading never drains).
        if (ClosingHandshake.closesTcpFirst(role)) {
            io.closeAfterFlush();
        }
        startClosingClock();
        scheduleFlush();
    }

    void endOfStream() {
        if (state == HANDSHAKING) {
            closeEarly("connection closed during the opening handshake");
            return;
        }
        if (!closing.isClosed()) {
            closing.abort();
        }
        finishClose();
    }

    void lost(IOException e) {
        if (state == HANDSHAKING) {
            closeEarly("connection failed during the opening handshake: " + e.getMessage());
            return;
        }
        closing.abort();
        notifyError(e);
        finishClose();
    }

    void loopError(Throwable error) {
        Log.log(System.Logger.Level.ERROR, "unexpected error on a connection of " + loop.name(), error);
        if (state == OPEN) {
            failConnection(CloseCodes.INTERNAL_ERROR, "internal error", error);
        } else {
            finishClose();
        }
    }

    void handlerFailed(Throwable t) {
        Log.log(System.Logger.Level.WARNING, "handler threw; closing the connection with 1011", t);
        if (state == OPEN) {
            failConnection(CloseCodes.INTERNAL_ERROR, "internal error", t);
        }
    }

    /**
     * Fails the connection (RFC 6455 §7.1.7): sends a close frame with the code unless one was
     * sent, and closes TCP once it is written (lingering), or at the closing timeout.
     */
    void failConnection(int code, String reason, Throwable cause) {
        assert loop.inLoop();
        if (state == CLOSED) {
            return;
        }
        setReport(code, reason);
        if (cause != null || code != CloseCodes.GOING_AWAY) {
            notifyError(cause != null ? cause : new WebSocketProtocolException(code, reason));
        }
        if (state == OPEN && !closing.isCloseSent()) {
            framer.close(code, reason);
        }
        sendable = false;
        io.closeAfterFlush();
        startClosingClock();
    }

    /**
     * The server's outbound cap picked this connection (see {@link OutboundBudget}): drop what is
     * queued but the entry being written, then fail with {@code code}. Loop thread.
     */
    void shedOutbound(int code, String reason) {
        assert loop.inLoop();
        if (state != OPEN) {
            return;
        }
        if (!closing.isCloseSent()) {
            framer.outbound().dropAllButFirst(); // else our close frame is among them: keep it
        }
        failConnection(code, reason, null);
        scheduleFlush();
    }

    /** Starts the closing handshake from this side (RFC 6455 §7.1.2); nothing once our close frame is out. */
    void closeOnLoop(int code, String reason) {
        assert loop.inLoop();
        if (!canSend()) {
            return;
        }
        sendable = false;
        framer.close(code, reason);
        scheduleFlush();
        startClosingClock();
    }

    private void startClosingClock() {
        liveness.closing(loop.now(), settings.closingTimeoutNanos());
        rescheduleTimer();
    }

    /** The socket half-closed after our last bytes: bound the linger by the closing limit. */
    void lingering(long maxNanos) {
        liveness.closing(loop.now(), Math.min(maxNanos, settings.closingTimeoutNanos()));
        rescheduleTimer();
    }

    private void notifyError(Throwable error) {
        if (dispatch != null) {
            dispatch.error(error);
        }
    }

    private void setReport(int code, String reason) {
        if (!reportSet) {
            reportSet = true;
            reportCode = code;
            reportReason = reason;
        }
    }

    void abortNow() {
        if (state != CLOSED) {
            closing.abort();
            finishClose();
        }
    }

    void pauseNow() {
        if (state != CLOSED) {
            io.pause(reader);
        }
    }

    void resumeNow() {
        if (state != CLOSED) {
            io.resume();
        }
    }

    /** Ends a connection that never opened because of an exception, telling the handshake why. */
    void closeEarly(String why, Throwable cause) {
        if (earlyCause == null) {
            earlyCause = cause;
        }
        closeEarly(why);
    }

    /** Ends a connection that never opened, telling the handshake why (once). */
    void closeEarly(String why) {
        assert loop.inLoop();
        if (handshake != null) {
            Handshake h = handshake;
            handshake = null;
            h.onClosedEarly(this, why);
        }
        finishClose();
    }

    /** Closes the TCP connection and releases everything; reports to the handler and listeners once. */
    void finishClose() {
        assert loop.inLoop();
        if (state == CLOSED) {
            return;
        }
        boolean wasOpen = state == OPEN;
        state = CLOSED;
        sendable = false;
        loop.timers().cancel(clock);
        io.close();
        if (reader != null) {
            reader.releaseBuffers();
        }
        framer.release();
        loop.remove(this);
        if (handshake != null) {
            closeEarly("connection closed before the opening handshake completed");
        }
        if (wasOpen) {
            loop.counters().add(LoopCounters.CLOSED, 1);
            closing.abort();
            loop.counters().countClose(reportCode);
            dispatch.closed(reportCode, reportReason, closing.isClean());
        }
        for (Runnable hook : closeHooks) {
            try {
                hook.run();
            } catch (Throwable t) {
                Log.log(System.Logger.Level.WARNING, "a close hook threw", t);
            }
        }
    }

    /** Adds a listener told of the close, after the handler; one that comes too late hears at once. */
    void addCloseListener(ConnectionListener listener) {
        assert loop.inLoop();
        if (state != CLOSED && dispatch != null) {
            dispatch.addCloseListener(listener);
            return;
        }
        try {
            listener.onClose(socket, reportCode, reportReason, closing.isClean());
        } catch (Throwable t) {
            Log.log(System.Logger.Level.WARNING, "a close listener threw", t);
        }
    }

    /** Adds an internal action run once when the connection closes (e.g. the server's count). */
    void onClosed(Runnable action) {
        closeHooks = Arrays.copyOf(closeHooks, closeHooks.length + 1);
        closeHooks[closeHooks.length - 1] = action;
    }

    /** The loop is stopping: close at once, reporting 1006 where no close frame crossed. */
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

    // ------------------------------------------------------------------ writing (loop thread)

    void scheduleFlush() {
        io.scheduleFlush();
    }

    void flushFromLoop() {
        io.flushFromLoop();
    }

    /** After each write: coalesced pongs, drop counts, and {@code onDrain} when the queue is low. */
    void afterWrite() {
        sends.afterWrite();
        if (state == OPEN && sends.takeDrain()) {
            dispatch.call(InboundDispatch.DRAIN, null, true);
        }
    }

    /** Appends raw bytes (an HTTP request or response) to the outbound queue. */
    void writeRaw(byte[] bytes) {
        framer.raw(bytes);
        scheduleFlush();
    }

    /** After the handshake's response is queued: close once it is written (lingering first). */
    void closeAfterWrite() {
        io.closeAfterFlush();
    }

    // ------------------------------------------------------------------ state, for the parts

    /** The one rule of "may this side still send": open, and our close frame not yet sent. */
    boolean canSend() {
        return state == OPEN && !closing.isCloseSent();
    }

    /** Whether received bytes are still WebSocket input. */
    boolean canReceive() {
        return state == OPEN && !io.isLingering();
    }

    boolean sendable() {
        return sendable;
    }

    boolean isClosed() {
        return state == CLOSED;
    }

    /** Whether the handshake has opened the connection, so following bytes are WebSocket frames. */
    boolean isOpenForInput() {
        return state == OPEN;
    }

    SocketAddress remoteAddress() {
        return remote;
    }

    ConnectionSettings settings() {
        return settings;
    }

    void runOnLoop(Runnable action) {
        if (loop.inLoop()) {
            action.run();
        } else {
            loop.submit(action);
        }
    }

    // ------------------------------------------------------------------ timers

    /** The heartbeat found no pong in time: the peer is taken for gone (1006, no close frame). */
    void pongTimedOut() {
        setReport(CloseCodes.ABNORMAL_CLOSURE, "no pong within the heartbeat timeout");
        closing.abort();
        notifyError(new WebSocketProtocolException(CloseCodes.ABNORMAL_CLOSURE,
                "heartbeat: no pong within the timeout, peer taken for gone"));
        finishClose();
    }

    private void rescheduleTimer() {
        if (state != CLOSED) {
            clock.reschedule();
        }
    }
}
