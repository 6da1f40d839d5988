package io.tern.transport.internal;

import io.tern.codec.MessageReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;

/**
 * The socket side of one connection: selector interest, reads into the loop's shared buffer,
 * feeding the reader (and holding back input while reading is paused), flushing the outbound
 * queue, and the end of the socket — after our last frame or HTTP refusal, it half-closes and
 * lingers, reading and discarding what the peer still sends, so that the peer reads our last
 * bytes instead of a reset (RFC 6455 §7.1.1, RFC 9112 §9.6).
 *
 * <p>The linger ends when the peer closes its side, after {@link #LINGER_MAX_BYTES} discarded
 * bytes, or at the connection's closing deadline (at most {@link #LINGER_MAX_NANOS}); then the
 * socket is closed.
 *
 * <p>With TLS, a {@link TlsLayer} stands between the socket and the rest: reads go through it
 * to be decrypted before they reach the connection, flushes wrap the outbound queue through it,
 * and the linger starts only after its {@code close_notify} is written.
 *
 * <p>Threading contract: loop thread only.
 */
final class ChannelIO implements SelectHandler {

    /** Most bytes discarded while lingering before the socket is closed anyway. */
    static final int LINGER_MAX_BYTES = 8 << 20;
    /** Longest linger. */
    static final long LINGER_MAX_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Connection c;
    private final EventLoop loop;
    final SocketChannel channel;
    private final Outbound out;
    /** TLS between the socket and the connection, or {@code null} over plain TCP. */
    private final TlsLayer tls;
    private SelectionKey key;
    private int interest;
    private ByteBuffer pendingInput;
    private boolean readPaused;
    private boolean inReader;
    private boolean flushScheduled;
    private boolean closeAfterFlush;
    private boolean lingering;
    private int lingerBudget;

    ChannelIO(Connection c, EventLoop loop, SocketChannel channel, Outbound out, SSLEngine engine,
              Executor tlsTasks) {
        this.c = c;
        this.loop = loop;
        this.channel = channel;
        this.out = out;
        this.tls = engine == null ? null : new TlsLayer(c, this, loop, channel, out, engine, tlsTasks);
    }

    /** Whether the connection reads nothing now: paused, or waiting for a TLS task. */
    private boolean readBlocked() {
        return readPaused || (tls != null && tls.taskRunning());
    }

    boolean isReadPaused() {
        return readPaused;
    }

    /** Recomputes the interest after a TLS task started or ended. */
    void refreshInterest() {
        if (interest == SelectionKey.OP_CONNECT || lingering) {
            return;
        }
        setInterest((interest & SelectionKey.OP_WRITE) | (readBlocked() ? 0 : SelectionKey.OP_READ));
    }

    void register(int ops) throws IOException {
        interest = ops;
        key = channel.register(loop.selector(), ops, this);
    }

    void setInterest(int ops) {
        if (ops != interest && key != null && key.isValid()) {
            interest = ops;
            key.interestOps(ops);
        }
    }

    // ------------------------------------------------------------------ reading

    @Override
    public void onSelect(SelectionKey selected) {
        int ready = selected.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            c.connectable();
        }
        if ((ready & SelectionKey.OP_WRITE) != 0 && !c.isClosed()) {
            flushNow();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && !c.isClosed() && (!readBlocked() || lingering)) {
            readNow();
        }
    }

    @Override
    public void onLoopError(Throwable error) {
        c.loopError(error);
    }

    @Override
    public void abandon(SelectionKey selected) {
        SelectHandler.super.abandon(selected);
        try {
            c.finishClose(); // releases buffers and the server's slot; its own calls out are guarded
        } catch (Throwable ignored) {
            // the channel is closed; nothing more can be done here
        }
    }

    private void readNow() {
        ByteBuffer buffer = loop.readBuffer();
        buffer.clear();
        int n;
        try {
            n = channel.read(buffer);
        } catch (IOException e) {
            c.lost(e);
            return;
        }
        if (n < 0) {
            c.endOfStream();
            return;
        }
        if (n == 0) {
            return;
        }
        loop.counters().add(LoopCounters.BYTES_IN, n);
        if (lingering) {
            lingerBudget -= n;
            if (lingerBudget <= 0) {
                c.finishClose();
            }
            return;
        }
        buffer.flip();
        if (tls == null) {
            c.input(buffer);
        } else {
            tls.onInput(buffer);
        }
    }

    /** Feeds protocol bytes to the reader and returns its status; keeps the rest when paused. */
    int feed(MessageReader reader, ByteBuffer input) {
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
        } while (status == MessageReader.PAUSED && !readPaused && input.hasRemaining() && c.canReceive());
        if (status == MessageReader.PAUSED && readPaused) {
            keepPendingInput(input);
        }
        return status;
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

    void pause(MessageReader reader) {
        if (readPaused) {
            return;
        }
        readPaused = true;
        if (inReader) {
            reader.pause();
        }
        setInterest(interest & ~SelectionKey.OP_READ);
    }

    void resume() {
        if (!readPaused) {
            return;
        }
        readPaused = false;
        if (pendingInput != null) {
            ByteBuffer pending = pendingInput;
            c.resumeInput(pending);
            if (pendingInput == pending && !pending.hasRemaining()) {
                loop.buffers().release(pending);
                pendingInput = null;
            }
            if (readPaused || c.isClosed()) {
                return;
            }
        }
        if (tls != null) {
            tls.scheduleResume(); // ciphertext held back while paused, after the plaintext above
        }
        if (!lingering && !readBlocked()) {
            setInterest(interest | SelectionKey.OP_READ);
        }
    }

    // ------------------------------------------------------------------ writing

    void scheduleFlush() {
        if (!flushScheduled && !c.isClosed()) {
            flushScheduled = true;
            loop.scheduleFlush(c);
        }
    }

    /** Called by the loop for a connection that asked for a flush. */
    void flushFromLoop() {
        flushScheduled = false;
        flushNow();
    }

    /** Flushes at once: the TLS layer's handshake flights and close_notify answers. */
    void flushForTls() {
        flushNow();
    }

    private void flushNow() {
        if (c.isClosed()) {
            return;
        }
        boolean viaTls = tls != null && !tls.bypassed();
        boolean blocked;
        boolean drained;
        if (viaTls) {
            if (!tls.flush() || c.isClosed()) {
                return;
            }
            blocked = tls.socketBlocked();
            drained = tls.allWritten();
        } else {
            if (!out.isEmpty()) {
                try {
                    long written = out.writeTo(channel);
                    loop.counters().add(LoopCounters.BYTES_OUT, written);
                } catch (IOException e) {
                    c.lost(e);
                    return;
                }
            }
            blocked = !out.isEmpty();
            drained = !blocked;
        }
        if (interest == SelectionKey.OP_CONNECT) {
            return; // still connecting: the request is written once connected
        }
        int wanted = readBlocked() && !lingering ? 0 : SelectionKey.OP_READ;
        if (blocked) {
            setInterest(wanted | SelectionKey.OP_WRITE);
            c.afterWrite();
            return;
        }
        setInterest(wanted);
        if (closeAfterFlush && viaTls && !tls.closeNotifyQueued() && out.isEmpty()) {
            tls.queueCloseNotify(); // our last bytes are wrapped: close_notify, then the FIN
            flushNow();
            return;
        }
        if (closeAfterFlush && drained) {
            closeAfterFlush = false;
            linger();
            return;
        }
        c.afterWrite();
    }

    /** Closes the socket once everything queued is written, lingering first. */
    void closeAfterFlush() {
        closeAfterFlush = true;
        scheduleFlush();
    }

    /** Our last bytes are written: send FIN and read (discarding) until the peer's FIN. */
    private void linger() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            c.finishClose();
            return;
        }
        lingering = true;
        lingerBudget = LINGER_MAX_BYTES;
        releasePending();
        setInterest(SelectionKey.OP_READ);
        c.lingering(LINGER_MAX_NANOS);
    }

    boolean isLingering() {
        return lingering;
    }

    // ------------------------------------------------------------------ the end

    /** Closes the socket and returns held input; the outbound is the framer's to release. */
    void close() {
        if (tls != null) {
            tls.release();
        }
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        releasePending();
    }

    private void releasePending() {
        if (pendingInput != null) {
            loop.buffers().release(pendingInput);
            pendingInput = null;
        }
    }
}
