package io.tern.transport.internal;

import io.tern.codec.Role;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS between a connection's socket and its protocol code, with the JDK's {@link SSLEngine},
 * never blocking the loop.
 *
 * <p><b>Inbound.</b> Ciphertext read into the loop's shared read buffer is unwrapped into the
 * loop's shared plaintext buffer ({@link EventLoop#tlsPlainBuffer()}), and the connection decodes
 * from there, as it does from the read buffer over plain TCP. Only the tail of an incomplete
 * record, or ciphertext left while reading is paused or a delegated task runs, is copied into a
 * pooled buffer of the connection's own ({@code netIn}), given back as soon as it is used up.
 *
 * <p><b>Outbound.</b> Each flush wraps the whole {@link Outbound} queue (its chunks and shared
 * frames gathered, as for a plain write) into a pooled buffer ({@code netOut}) — as many full
 * records as fit — and writes it; the buffer goes back to the pool once written. So the frames a
 * loop pass produced leave as a few large records, and an idle connection holds no buffer.
 * Records wrapped and not yet written (at most {@link #NET_OUT_SIZE} bytes) count as queued bytes
 * of the connection ({@link Outbound#addPending}): toward its watermarks, its hard limit and the
 * server's outbound cap, like every byte queued for the peer.
 *
 * <p><b>Handshake.</b> Driven by the engine's handshake status: wraps on {@code NEED_WRAP},
 * unwraps as input arrives, and runs {@code NEED_TASK}'s delegated tasks on the configured
 * executor; meanwhile the connection reads nothing and its loop serves the others. The
 * connection's handshake timeout, started at accept or connect, covers the TLS handshake. After
 * a TLS 1.2 handshake, any new handshake (a renegotiation, from either side) fails the connection.
 *
 * <p><b>Closing.</b> Once our last bytes (the WebSocket close frame or an HTTP refusal) are
 * wrapped, a {@code close_notify} follows them before the TCP half-close. A received
 * {@code close_notify} is answered and then treated as the end of the stream: clean only if the
 * WebSocket closing handshake completed before it. A TCP end without {@code close_notify} is an
 * end of stream like any other (1006 unless the closing handshake was done).
 *
 * <p><b>Refusals.</b> A server connection whose first byte is an ASCII letter (a plain HTTP
 * request on the TLS port) is answered in clear text with a 400 and closed; any other bytes the
 * engine cannot take, fatal alerts, and renegotiations close the connection with a logged reason
 * (and the alert the engine has for it, when it has one).
 *
 * <p>Why some 500 lines: inbound, outbound, the handshake driver and the closing rules act on
 * one engine whose status each of them changes, so they are kept side by side; the certificate
 * and failure wording ({@link TlsFailures}) and the engine set-up ({@link TlsEngines}) are
 * classes of their own.
 *
 * <p>Threading contract: loop thread only, except the body of the delegated-task job, which runs
 * on the task executor, touches nothing but {@link SSLEngine#getDelegatedTask()}, and hands
 * control back to the loop through {@link EventLoop#submit}.
 */
final class TlsLayer {

    /** Capacity of the pooled buffer one flush wraps into: several full records. */
    static final int NET_OUT_SIZE = 64 * 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final byte HANDSHAKE_RECORD = 0x16;
    private static final byte[] PLAIN_REFUSAL = ("HTTP/1.1 400 Bad Request\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: 58\r\n"
            + "Connection: close\r\n\r\n"
            + "this port speaks TLS: connect with wss:// (or https://)\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final Connection c;
    private final ChannelIO io;
    private final EventLoop loop;
    private final SocketChannel channel;
    private final Outbound out;
    private final SSLEngine engine;
    private final Executor taskExecutor;
    private final int packetSize;
    private SSLException startFailure;

    private ByteBuffer netIn;
    private ByteBuffer netOut;
    /** The bytes of {@code netOut} counted in the outbound queue's total. */
    private long counted;
    private Runnable afterTasks;
    private Runnable resumer;
    private boolean firstInput = true;
    private boolean handshakeDone;
    private boolean taskRunning;
    private boolean closeNotifyQueued;
    private boolean inboundClosed;
    private boolean outboundClosed;
    private boolean bypass;
    private boolean released;

    TlsLayer(Connection c, ChannelIO io, EventLoop loop, SocketChannel channel, Outbound out, SSLEngine engine,
             Executor taskExecutor) {
        this.c = c;
        this.io = io;
        this.loop = loop;
        this.channel = channel;
        this.out = out;
        this.engine = engine;
        this.taskExecutor = taskExecutor;
        this.packetSize = engine.getSession().getPacketBufferSize();
        SSLException refused = null;
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            refused = e; // no protocol or suite enabled: reported on the first flush or input
        }
        this.startFailure = refused;
    }

    /** Whether this connection stopped using TLS (a clear-text refusal is on its way). */
    boolean bypassed() {
        return bypass;
    }

    /** Whether a delegated task runs: no reading until it is done. */
    boolean taskRunning() {
        return taskRunning;
    }

    /** Whether the handshake completed. */
    boolean handshakeDone() {
        return handshakeDone;
    }

    // ------------------------------------------------------------------ inbound

    /**
     * Ciphertext read from the socket (the loop's read buffer, consumed here).
     *
     * @param net the bytes read, in read mode
     */
    void onInput(ByteBuffer net) {
        if (bypass) {
            net.position(net.limit());
            return;
        }
        if (firstInput) {
            firstInput = false;
            if (c.role == Role.SERVER && isHttpStart(net.get(net.position()))) {
                refusePlainHttp();
                net.position(net.limit());
                return;
            }
        }
        if (startFailure != null) {
            net.position(net.limit());
            failed(startFailure);
            return;
        }
        ByteBuffer src = net;
        if (netIn != null) {
            netIn = append(netIn, net);
            src = netIn;
        }
        unwrapFrom(src);
        keepRest(src);
    }

    /** Reading resumed: continue with ciphertext held back while paused (as a loop task). */
    void scheduleResume() {
        if (netIn != null && netIn.hasRemaining()) {
            if (resumer == null) {
                resumer = this::resumeInput;
            }
            loop.submit(resumer);
        }
    }

    private void resumeInput() {
        if (released || c.isClosed() || taskRunning || io.isReadPaused() || netIn == null) {
            return;
        }
        ByteBuffer src = netIn;
        unwrapFrom(src);
        keepRest(src);
    }

    private void unwrapFrom(ByteBuffer src) {
        ByteBuffer plain = loop.tlsPlainBuffer();
        plain.clear();
        while (src.hasRemaining() && !taskRunning && !inboundClosed && !c.isClosed() && !io.isReadPaused()) {
            SSLEngineResult r;
            try {
                r = engine.unwrap(src, plain);
            } catch (SSLException e) {
                deliver(plain);
                failed(e);
                return;
            }
            switch (r.getStatus()) {
                case BUFFER_UNDERFLOW:
                    deliver(plain);
                    return; // an incomplete record: the rest is kept until more arrives
                case BUFFER_OVERFLOW:
                    if (plain.position() == 0) {
                        failed(new SSLException("a record larger than the plaintext buffer"));
                        return;
                    }
                    deliver(plain);
                    continue;
                case CLOSED:
                    deliver(plain);
                    closeNotifyReceived();
                    return;
                default:
                    break;
            }
            if (!afterStep(r.getHandshakeStatus())) {
                break;
            }
        }
        deliver(plain);
    }

    /** Hands decrypted bytes to the connection, leaving the shared buffer empty again. */
    private void deliver(ByteBuffer plain) {
        if (plain.position() == 0 || c.isClosed()) {
            plain.clear();
            return;
        }
        plain.flip();
        c.input(plain);
        plain.clear();
    }

    private void keepRest(ByteBuffer src) {
        if (released) {
            return;
        }
        if (!src.hasRemaining() || inboundClosed || c.isClosed()) {
            if (netIn != null) {
                loop.buffers().release(netIn);
                netIn = null;
            }
            return;
        }
        if (src == netIn) {
            netIn.compact().flip();
            return;
        }
        ByteBuffer keep = loop.buffers().acquire(Math.max(src.remaining(), packetSize));
        keep.put(src).flip();
        netIn = keep;
    }

    private ByteBuffer append(ByteBuffer held, ByteBuffer more) {
        if (held.capacity() - held.limit() >= more.remaining()) {
            int start = held.position();
            held.position(held.limit()).limit(held.capacity());
            held.put(more);
            held.limit(held.position()).position(start);
            return held;
        }
        ByteBuffer bigger = loop.buffers().acquire(held.remaining() + more.remaining());
        bigger.put(held).put(more).flip();
        loop.buffers().release(held);
        return bigger;
    }

    private static boolean isHttpStart(byte b) {
        return b >= 'A' && b <= 'Z';
    }

    private void refusePlainHttp() {
        Log.log(System.Logger.Level.INFO, "plain HTTP request on a TLS port from " + c.remote + ": answered 400", null);
        loop.counters().add(LoopCounters.REJECTED, 1);
        bypass = true;
        c.writeRaw(PLAIN_REFUSAL);
        c.closeAfterWrite();
    }

    private void closeNotifyReceived() {
        inboundClosed = true;
        if (!c.isOpenForInput()) {
            c.closeEarly("the peer closed TLS (close_notify) during the opening handshake");
            return;
        }
        closeNotifyQueued = true; // answer it (RFC 8446 §6.1, RFC 5246 §7.2.1), best effort
        io.flushForTls();
        if (!c.isClosed()) {
            c.endOfStream();
        }
    }

    /**
     * Acts on the handshake status after a wrap or unwrap; returns whether processing may go on.
     */
    private boolean afterStep(HandshakeStatus status) {
        switch (status) {
            case FINISHED:
                handshakeDone = true;
                io.scheduleFlush(); // application data waiting for the handshake
                return true;
            case NEED_TASK:
                if (renegotiating()) {
                    return false;
                }
                runTasks();
                return false;
            case NEED_WRAP:
                if (renegotiating()) {
                    return false;
                }
                io.flushForTls();
                return !c.isClosed();
            case NEED_UNWRAP:
            case NEED_UNWRAP_AGAIN:
                return !renegotiating();
            default: // NOT_HANDSHAKING
                if (!handshakeDone && engine.getSession().isValid()) {
                    handshakeDone = true;
                    io.scheduleFlush();
                }
                return true;
        }
    }

    /** After a TLS 1.2 handshake, a new one is a renegotiation: refused (closes the connection). */
    private boolean renegotiating() {
        if (!handshakeDone || closeNotifyQueued || inboundClosed || engine.isInboundDone() || engine.isOutboundDone()
                || "TLSv1.3".equals(engine.getSession().getProtocol())) {
            return false; // closing (close_notify answers are handshake-status driven too), or TLS 1.3
        }
        failed(new SSLException("TLS renegotiation attempted by the peer; refused"));
        return true;
    }

    // ------------------------------------------------------------------ delegated tasks

    private void runTasks() {
        if (taskRunning) {
            return;
        }
        taskRunning = true;
        io.refreshInterest();
        if (afterTasks == null) {
            afterTasks = this::tasksDone;
        }
        Runnable done = afterTasks;
        try {
            taskExecutor.execute(() -> {
                try {
                    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                        task.run();
                    }
                } finally {
                    loop.submit(done);
                }
            });
        } catch (RuntimeException e) {
            taskRunning = false;
            failed(new SSLException("the TLS task executor refused the handshake's task: " + e, e));
        }
    }

    private void tasksDone() {
        taskRunning = false;
        if (released || c.isClosed()) {
            return;
        }
        io.refreshInterest();
        io.flushForTls(); // the engine may have a flight to send now
        if (c.isClosed() || taskRunning) {
            return;
        }
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
            runTasks();
            return;
        }
        if (netIn != null && !io.isReadPaused()) {
            ByteBuffer src = netIn;
            unwrapFrom(src);
            keepRest(src);
        }
    }

    // ------------------------------------------------------------------ outbound

    /**
     * Wraps what may be sent and writes it, until everything is out or the socket is full.
     *
     * @return {@code false} when the connection failed (already reported and closed)
     */
    boolean flush() {
        if (released || !channel.isConnected()) {
            return true;
        }
        if (startFailure != null) {
            failed(startFailure);
            return false;
        }
        try {
            while (true) {
                if (netOut != null && netOut.hasRemaining()) {
                    long n = channel.write(netOut);
                    loop.counters().add(LoopCounters.BYTES_OUT, n);
                    if (netOut.hasRemaining()) {
                        countPending();
                        return true; // the socket is full: OP_WRITE
                    }
                }
                if (taskRunning || outboundClosed || !produce()) {
                    break;
                }
            }
        } catch (SSLException e) {
            failed(e);
            return false;
        } catch (IOException e) {
            c.lost(e);
            return false;
        }
        if (netOut != null && !netOut.hasRemaining()) {
            loop.buffers().release(netOut);
            netOut = null;
        }
        countPending();
        return true;
    }

    /** Brings the count of wrapped, unwritten bytes in the outbound total up to date. */
    private void countPending() {
        long now = netOut == null ? 0 : netOut.remaining();
        if (now != counted) {
            out.addPending(now - counted);
            counted = now;
        }
    }

    /** Wraps into {@code netOut} (empty on entry) as many records as fit; whether any were made. */
    private boolean produce() throws SSLException {
        if (released) {
            return false;
        }
        if (netOut == null) {
            netOut = loop.buffers().acquire(NET_OUT_SIZE);
        }
        ByteBuffer dst = netOut;
        dst.clear();
        boolean produced = false;
        while (dst.remaining() >= packetSize) {
            SSLEngineResult r;
            if (handshakeDone && !out.isEmpty()) {
                r = out.wrapInto(engine, dst);
            } else if (closeNotifyQueued && !engine.isOutboundDone()) {
                engine.closeOutbound();
                r = engine.wrap(EMPTY, dst);
            } else if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                if (renegotiating()) {
                    break;
                }
                r = engine.wrap(EMPTY, dst);
            } else {
                break;
            }
            if (r.bytesProduced() > 0) {
                produced = true;
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                outboundClosed = true;
                break;
            }
            HandshakeStatus hs = r.getHandshakeStatus();
            if (hs == HandshakeStatus.FINISHED) {
                handshakeDone = true;
            } else if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
                break;
            }
            if (r.bytesProduced() == 0 && r.bytesConsumed() == 0) {
                break;
            }
        }
        dst.flip();
        return produced;
    }

    /** Whether wrapped bytes wait for the socket (the connection wants {@code OP_WRITE}). */
    boolean socketBlocked() {
        return netOut != null && netOut.hasRemaining();
    }

    /** Whether everything queued, the {@code close_notify} included once asked for, is written. */
    boolean allWritten() {
        return !socketBlocked() && (out.isEmpty() || outboundClosed)
                && (!closeNotifyQueued || engine.isOutboundDone() || outboundClosed);
    }

    /** Whether a {@code close_notify} was asked for. */
    boolean closeNotifyQueued() {
        return closeNotifyQueued;
    }

    /** Asks for a {@code close_notify} after what is queued (sent by the next flush). */
    void queueCloseNotify() {
        closeNotifyQueued = true;
    }

    // ------------------------------------------------------------------ failure and the end

    /** The engine refused input or output: log, send its alert if possible, close. */
    private void failed(SSLException e) {
        if (released || c.isClosed()) {
            return;
        }
        String why = TlsFailures.describe(handshakeDone, c, e);
        Log.log(System.Logger.Level.INFO, "closing TLS connection with " + c.remote + ": " + why, null);
        sendAlert();
        if (c.isOpenForInput()) {
            c.lost(new SSLException(why, e));
        } else {
            c.closeEarly(why, e);
        }
    }

    /** Best effort: one write of what the engine has to say after a failure (its fatal alert). */
    private void sendAlert() {
        try {
            engine.closeOutbound();
            if (netOut != null && netOut.hasRemaining()) {
                return; // unsent records first: an alert now would be out of order
            }
            if (netOut == null) {
                netOut = loop.buffers().acquire(NET_OUT_SIZE);
            }
            netOut.clear();
            engine.wrap(EMPTY, netOut);
            netOut.flip();
            if (netOut.hasRemaining() && channel.isConnected()) {
                channel.write(netOut);
            }
        } catch (IOException | RuntimeException ignored) {
            // the connection is being closed anyway
        }
        outboundClosed = true; // the connection closes next; release() brings the count to zero
    }

    /** Gives back the pooled buffers; the connection is closed. */
    void release() {
        if (released) {
            return;
        }
        released = true;
        if (netIn != null) {
            loop.buffers().release(netIn);
            netIn = null;
        }
        if (netOut != null) {
            loop.buffers().release(netOut);
            netOut = null;
        }
        countPending();
    }
}
