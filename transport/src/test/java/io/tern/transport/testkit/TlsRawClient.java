package io.tern.transport.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * A TLS client for tests that need to misbehave at the record level: a blocking socket with the
 * JDK's {@link SSLEngine} driven by hand, so a test can send half a record, a forged alert, a
 * {@code close_notify} without a WebSocket close frame, or start a renegotiation. Reads time out
 * after 5 s.
 *
 * <p>Not thread-safe: one test thread.
 */
public final class TlsRawClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final SSLEngine engine;
    private ByteBuffer netIn = ByteBuffer.allocate(1 << 17);
    private final ByteBuffer plainIn = ByteBuffer.allocate(1 << 20);
    private final byte[] readChunk = new byte[1 << 16];
    private int dataRecords;

    private TlsRawClient(Socket socket, SSLEngine engine) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.engine = engine;
        netIn.flip();
        plainIn.flip();
    }

    /**
     * Connects to 127.0.0.1 and runs the TLS handshake.
     *
     * @param port     the server's port
     * @param context  a context trusting the server
     * @param protocol e.g. {@code TLSv1.2}
     * @return the client, handshake done
     * @throws IOException when connecting or the handshake fails
     */
    public static TlsRawClient connect(int port, SSLContext context, String protocol) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        s.setTcpNoDelay(true);
        SSLEngine e = context.createSSLEngine("localhost", port);
        e.setUseClientMode(true);
        e.setEnabledProtocols(new String[] {protocol});
        TlsRawClient c = new TlsRawClient(s, e);
        e.beginHandshake();
        c.handshake();
        return c;
    }

    /** Drives the engine until the handshake is done. */
    public void handshake() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> out.write(wrap(new byte[0]));
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrapOnce()) {
                        readMore();
                    }
                }
                case NEED_TASK -> {
                    for (Runnable t; (t = engine.getDelegatedTask()) != null; ) {
                        t.run();
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** How many records carrying application data were received so far. */
    public int dataRecords() {
        return dataRecords;
    }

    /** The protocol negotiated. */
    public String protocol() {
        return engine.getSession().getProtocol();
    }

    /**
     * Wraps plaintext into records without sending them.
     *
     * @param plain the bytes
     * @return the records
     */
    public byte[] wrap(byte[] plain) throws SSLException {
        ByteBuffer src = ByteBuffer.wrap(plain);
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        ByteBuffer dst = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        do {
            dst.clear();
            SSLEngineResult r = engine.wrap(src, dst);
            records.write(dst.array(), 0, dst.position());
            if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                for (Runnable t; (t = engine.getDelegatedTask()) != null; ) {
                    t.run();
                }
            }
            if (r.bytesProduced() == 0 && r.bytesConsumed() == 0) {
                break;
            }
        } while (src.hasRemaining() || engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP);
        return records.toByteArray();
    }

    /** Sends plaintext as records. */
    public void send(byte[] plain) throws IOException {
        out.write(wrap(plain));
        out.flush();
    }

    /** Sends raw bytes, bypassing TLS. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a close_notify alert (and nothing else). */
    public void sendCloseNotify() throws IOException {
        engine.closeOutbound();
        out.write(wrap(new byte[0]));
        out.flush();
    }

    /** Starts a new handshake on this connection (a renegotiation in TLS 1.2) and sends its first flight. */
    public void startRenegotiation() throws IOException {
        engine.beginHandshake();
        out.write(wrap(new byte[0]));
        out.flush();
    }

    /** Half-closes TCP without any TLS alert. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Sends an HTTP upgrade request for {@code path} and reads the response head. */
    public String upgrade(String path) throws IOException {
        send(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) (readPlain(1)[0] & 0xff));
        }
        return head.toString();
    }

    /**
     * Reads exactly {@code n} bytes of plaintext.
     *
     * @throws IOException on end of stream, a TLS failure or after 5 s without data
     */
    public byte[] readPlain(int n) throws IOException {
        byte[] result = new byte[n];
        int got = 0;
        while (got < n) {
            if (plainIn.hasRemaining()) {
                int k = Math.min(n - got, plainIn.remaining());
                plainIn.get(result, got, k);
                got += k;
                continue;
            }
            if (!unwrapOnce()) {
                readMore();
            }
        }
        return result;
    }

    /** Reads one WebSocket frame sent by the server. */
    public Frame readFrame() throws IOException {
        return Frame.read(new InputStream() {
            @Override
            public int read() throws IOException {
                return readPlain(1)[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (!plainIn.hasRemaining()) {
                    b[off] = readPlain(1)[0];
                    return 1;
                }
                int k = Math.min(len, plainIn.remaining());
                plainIn.get(b, off, k);
                return k;
            }
        });
    }

    /**
     * Waits for the server to end the connection, reading and discarding what comes first.
     *
     * @return {@code true} when the stream ended (or was reset) within 5 s
     */
    public boolean awaitEnd() throws IOException {
        try {
            while (in.read(readChunk) >= 0) {
                // discard
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Unwraps one record from what was read; false when more bytes are needed. */
    private boolean unwrapOnce() throws IOException {
        if (!netIn.hasRemaining()) {
            return false;
        }
        plainIn.compact();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, plainIn);
        } finally {
            plainIn.flip();
        }
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new IOException("the server sent close_notify");
        }
        if (r.bytesProduced() > 0) {
            dataRecords++;
        }
        if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            for (Runnable t; (t = engine.getDelegatedTask()) != null; ) {
                t.run();
            }
        }
        return r.getStatus() == SSLEngineResult.Status.OK;
    }

    private void readMore() throws IOException {
        int n = in.read(readChunk);
        if (n < 0) {
            throw new IOException("end of stream");
        }
        netIn.compact();
        if (netIn.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(netIn.capacity() * 2 + n);
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        netIn.put(readChunk, 0, n);
        netIn.flip();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
