package io.tern.bench.load;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * The TLS layer of one load-generator connection: the JDK's {@link SSLEngine} in client mode
 * between {@link LoadConnection}'s plaintext and its non-blocking socket. Delegated tasks run
 * inline (the generator is a client; its one thread has nothing better to do meanwhile).
 *
 * <p>Buffers: {@code netIn} holds at most one incomplete record between reads and has room for
 * a whole record more, so every read unwraps every complete record it brought into the caller's
 * (large, shared) buffer; {@code netOut} holds wrapped records the socket has not taken yet.
 *
 * <p>Not thread-safe: owned by the generator's selector thread.
 */
final class ClientTls {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final SocketChannel channel;
    private final ByteBuffer netIn;   // write mode: ciphertext read and not yet unwrapped
    private final ByteBuffer netOut;  // write mode: ciphertext wrapped and not yet written
    private final int packetSize;
    private boolean inboundClosed;

    /**
     * @param engine  a client-mode engine, not yet handshaking
     * @param channel the connected socket
     */
    ClientTls(SSLEngine engine, SocketChannel channel) {
        this.engine = engine;
        this.channel = channel;
        this.packetSize = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocateDirect(2 * packetSize);
        this.netOut = ByteBuffer.allocateDirect(4 * packetSize);
    }

    /** Starts the TLS handshake (the ClientHello is wrapped by the first {@link #handshake}). */
    void begin() throws SSLException {
        engine.beginHandshake();
    }

    /**
     * Moves the TLS handshake on as far as the socket allows.
     *
     * @param scratch a buffer of at least one record's plaintext, for unwrap's output (none is
     *                expected during the handshake)
     * @return true when the handshake is done
     * @throws IOException if the server closed, sent an alert or the certificate was refused
     */
    boolean handshake(ByteBuffer scratch) throws IOException {
        while (true) {
            if (!flushNet()) {
                return false;
            }
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    SSLEngineResult r = engine.wrap(EMPTY, netOut);
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        flushNet();
                        throw new SSLException("TLS handshake ended by the engine: " + r);
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    netIn.flip();
                    SSLEngineResult r;
                    try {
                        r = engine.unwrap(netIn, scratch);
                    } finally {
                        netIn.compact();
                    }
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("the server closed during the TLS handshake");
                    }
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        int n = channel.read(netIn);
                        if (n < 0) {
                            throw new EOFException("the server closed the connection during the TLS handshake");
                        }
                        if (n == 0) {
                            return false;
                        }
                    }
                }
                default -> {
                    return true;
                }
            }
        }
    }

    /** Whether wrapped bytes wait for the socket (the caller then asks for OP_WRITE). */
    boolean pendingOutput() {
        return netOut.position() > 0;
    }

    /**
     * The negotiated protocol and cipher suite, such as {@code TLSv1.3 TLS_AES_128_GCM_SHA256}.
     *
     * @return the session's description
     */
    String negotiated() {
        return engine.getSession().getProtocol() + " " + engine.getSession().getCipherSuite();
    }

    /**
     * Reads what the socket has and unwraps every complete record into {@code dst}.
     *
     * @param dst in write mode, with room for {@code 2 * packetSize} bytes of plaintext
     * @return the plaintext bytes added, or -1 at end of stream or after the server's
     *         close_notify when nothing was added
     * @throws IOException on a socket error or a bad record
     */
    int read(ByteBuffer dst) throws IOException {
        int n = inboundClosed ? -1 : channel.read(netIn);
        int start = dst.position();
        netIn.flip();
        try {
            while (netIn.hasRemaining() && !inboundClosed) {
                SSLEngineResult r = engine.unwrap(netIn, dst);
                if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
                if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                    engine.wrap(EMPTY, netOut);
                }
                switch (r.getStatus()) {
                    case BUFFER_UNDERFLOW -> {
                        return finish(n, start, dst);
                    }
                    case BUFFER_OVERFLOW -> throw new IOException("TLS record larger than the read buffer's room ("
                            + dst.remaining() + " bytes)");
                    case CLOSED -> inboundClosed = true;
                    default -> {
                    }
                }
            }
        } finally {
            netIn.compact();
        }
        return finish(n, start, dst);
    }

    private int finish(int n, int start, ByteBuffer dst) throws IOException {
        flushNet();
        int added = dst.position() - start;
        return added == 0 && (n < 0 || inboundClosed) ? -1 : added;
    }

    /**
     * Wraps as much of {@code src} as fits and writes what the socket takes.
     *
     * @param src plaintext, read mode; its position advances by what was wrapped
     * @throws IOException on a socket error or when the engine is closed
     */
    void write(ByteBuffer src) throws IOException {
        flushNet();
        while (src.hasRemaining() && netOut.remaining() >= packetSize) {
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("cannot send: TLS is closed");
            }
            if (r.getStatus() != SSLEngineResult.Status.OK) {
                break;
            }
        }
        flushNet();
    }

    /** Sends close_notify as far as the socket takes it (best effort, before the socket closes). */
    void closeOutbound() {
        engine.closeOutbound();
        try {
            for (int i = 0; i < 2 && !engine.isOutboundDone() && netOut.remaining() >= packetSize; i++) {
                engine.wrap(EMPTY, netOut);
            }
            flushNet();
        } catch (IOException e) {
            // the socket is closed right after; close_notify is a courtesy here
        }
    }

    /** Writes pending ciphertext; true when none is left. */
    private boolean flushNet() throws IOException {
        if (netOut.position() == 0) {
            return true;
        }
        netOut.flip();
        try {
            channel.write(netOut);
        } finally {
            netOut.compact();
        }
        return netOut.position() == 0;
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
