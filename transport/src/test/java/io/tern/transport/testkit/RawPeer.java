package io.tern.transport.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The client side of a connection on a plain blocking socket to 127.0.0.1: it writes exactly the
 * bytes a test gives it (a whole request, half a frame, one byte at a time) and parses exactly what
 * comes back (HTTP heads and bodies, frames, the end of the stream), with no library in between.
 * It can also stop reading, or vanish with a reset.
 *
 * <p>Frames it reads come from a server and must be unmasked (RFC 6455 §5.1); every read waits at
 * most the socket timeout, 10 s unless {@link #timeoutMillis} changes it. Not thread-safe, except
 * that one thread may write while another reads.
 */
public final class RawPeer implements AutoCloseable {

    /** The key of the example in RFC 6455 §1.3. */
    public static final String RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    /** The accept value for {@link #RFC_KEY} (RFC 6455 §1.3). */
    public static final String RFC_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private static final int DEFAULT_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String hostHeader;

    private RawPeer(Socket socket, int port) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.hostHeader = "127.0.0.1:" + port;
    }

    /** Connects to 127.0.0.1 with the system's buffer sizes. */
    public static RawPeer connect(int port) throws IOException {
        return connect(port, 0, 0);
    }

    /**
     * Connects to 127.0.0.1 with the given buffer sizes, set before connecting so the TCP window is
     * right from the start. A large send buffer lets a test hand a big payload to the kernel in one
     * write from its own thread; a small receive buffer makes a peer that does not read fill up fast.
     *
     * @param port          the server's port
     * @param sendBuffer    SO_SNDBUF in bytes, or 0 for the system's
     * @param receiveBuffer SO_RCVBUF in bytes, or 0 for the system's
     * @return the connected peer
     * @throws IOException when the connection fails
     */
    public static RawPeer connect(int port, int sendBuffer, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        try {
            if (sendBuffer > 0) {
                s.setSendBufferSize(sendBuffer);
            }
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer);
            }
            s.setTcpNoDelay(true);
            s.setSoTimeout(DEFAULT_TIMEOUT_MILLIS);
            s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5000);
            return new RawPeer(s, port);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Connects and completes the opening handshake for {@code path} (see {@link #upgrade}).
     *
     * @param port the server's port
     * @param path the request target
     * @return the peer, ready for frames
     * @throws IOException when the connection fails
     */
    public static RawPeer upgraded(int port, String path) throws IOException {
        RawPeer peer = connect(port);
        try {
            peer.upgrade(path);
            return peer;
        } catch (IOException | RuntimeException | Error e) {
            peer.close();
            throw e;
        }
    }

    /** The Host header value that names the server: "127.0.0.1:port". */
    public String host() {
        return hostHeader;
    }

    /** This side's port: what the server sees as the remote port. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** Sets how long each read waits, in milliseconds (SO_TIMEOUT). */
    public void timeoutMillis(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    // ------------------------------------------------------------------ writing

    /** Writes and flushes. */
    public void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    /** Writes part of an array and flushes: half a frame, say. */
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        out.flush();
    }

    /**
     * Writes in pieces of at most {@code pieceSize} bytes, each flushed on its own (with TCP_NODELAY,
     * so the server reads them apart): 1 for one byte at a time.
     *
     * @param bytes     the bytes
     * @param pieceSize the longest piece, at least 1
     * @throws IOException when the connection is gone, maybe after some pieces
     */
    public void writeInPieces(byte[] bytes, int pieceSize) throws IOException {
        for (int off = 0; off < bytes.length; off += pieceSize) {
            write(bytes, off, Math.min(pieceSize, bytes.length - off));
        }
    }

    /** Writes text as ISO-8859-1, one byte per character. */
    public void writeAscii(String text) throws IOException {
        write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    // ------------------------------------------------------------------ HTTP

    /**
     * A complete upgrade request (RFC 6455 §4.1) with the {@link #RFC_KEY}.
     *
     * @param path       the request target
     * @param extraLines header lines to add after the required ones, without CRLF
     * @return the request, ending with the empty line
     */
    public String upgradeRequest(String path, String... extraLines) {
        StringBuilder b = new StringBuilder();
        b.append("GET ").append(path).append(" HTTP/1.1\r\n");
        b.append("Host: ").append(hostHeader).append("\r\n");
        b.append("Upgrade: websocket\r\n");
        b.append("Connection: Upgrade\r\n");
        b.append("Sec-WebSocket-Key: ").append(RFC_KEY).append("\r\n");
        b.append("Sec-WebSocket-Version: 13\r\n");
        for (String line : extraLines) {
            b.append(line).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    /**
     * Sends {@link #upgradeRequest} and checks the answer is a 101 with exactly "websocket",
     * "Upgrade" and the {@link #RFC_ACCEPT} value (RFC 6455 §4.2.2).
     *
     * @param path       the request target
     * @param extraLines header lines to add
     * @return the 101 head
     * @throws IOException when the connection fails
     */
    public HttpHead upgrade(String path, String... extraLines) throws IOException {
        writeAscii(upgradeRequest(path, extraLines));
        HttpHead head = readHead();
        assertEquals("HTTP/1.1 101 Switching Protocols", head.startLine(), () -> "whole head: " + head.raw());
        assertEquals("websocket", head.single("Upgrade"));
        assertEquals("Upgrade", head.single("Connection"));
        assertEquals(RFC_ACCEPT, head.single("Sec-WebSocket-Accept"));
        return head;
    }

    /** Reads one response head, and nothing after it. */
    public HttpHead readHead() throws IOException {
        return HttpHead.read(in);
    }

    /** Reads a head and the body its Content-Length announces. */
    public Response readResponse() throws IOException {
        HttpHead head = readHead();
        String length = head.single("Content-Length");
        assertTrue(length != null, () -> "no Content-Length in " + head.raw());
        byte[] body = readBytes(Integer.parseInt(length));
        return new Response(head, new String(body, StandardCharsets.UTF_8));
    }

    /** Reads exactly {@code n} bytes: a body whose length the test knows. */
    public byte[] readBytes(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        assertEquals(n, bytes.length, "stream ended early");
        return bytes;
    }

    /** A response head with its body, decoded as UTF-8. */
    public record Response(HttpHead head, String body) {
    }

    // ------------------------------------------------------------------ frames

    /** Sends a masked, final frame without reserved bits. */
    public void sendFrame(int opcode, byte[] payload) throws IOException {
        write(Frame.clientFrame(opcode, payload));
    }

    /** Sends a masked, final text frame. */
    public void sendText(String text) throws IOException {
        sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a masked close frame with a code and no reason. */
    public void sendClose(int code) throws IOException {
        sendFrame(0x8, Frame.closePayload(code, ""));
    }

    /**
     * Reads a frame that must come.
     *
     * @return the frame
     * @throws EOFException when the stream ends instead
     * @throws IOException  when reading fails or times out
     */
    public Frame readFrame() throws IOException {
        Frame f = readFrameOrEnd();
        if (f == null) {
            throw new EOFException("connection closed where a frame was expected");
        }
        return f;
    }

    /**
     * Reads a frame, or the end of the stream.
     *
     * @return the frame, or {@code null} on end of stream at a frame boundary
     * @throws EOFException when the stream ends inside a frame
     * @throws IOException  when reading fails or times out
     */
    public Frame readFrameOrEnd() throws IOException {
        Frame f = Frame.read(in);
        if (f != null) {
            assertFalse(f.masked(), "a server frame must not be masked (RFC 6455 §5.1)");
        }
        return f;
    }

    /**
     * Reads up to the end of the stream and splits it into frames; a truncated tail is left out.
     *
     * @return the complete frames
     * @throws IOException for a reset, or a {@link SocketTimeoutException} when the end does not come
     */
    public List<Frame> readFramesToEnd() throws IOException {
        List<Frame> frames = Frame.parseAll(readToEnd());
        for (Frame f : frames) {
            assertFalse(f.masked(), "a server frame must not be masked (RFC 6455 §5.1)");
        }
        return frames;
    }

    /** Reads everything up to the end of the stream; a reset or a timeout throws. */
    public byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    /**
     * Reads everything until the server hangs up, counting a reset as hanging up too.
     *
     * @return the bytes read before the end or the reset
     * @throws SocketTimeoutException when the server neither closes nor resets in time
     */
    public byte[] readToEndOrReset() throws SocketTimeoutException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                all.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException reset) {
            // connection reset by the server: it hung up all the same
        }
        return all.toByteArray();
    }

    // ------------------------------------------------------------------ the end

    /**
     * Asserts the server closed its side: the next read reports end of stream (no byte, no reset,
     * no timeout).
     *
     * @throws IOException for a reset
     */
    public void expectEof() throws IOException {
        int b;
        try {
            b = in.read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the TCP connection within the socket timeout", e);
        }
        assertEquals(-1, b, "expected end of stream, got another byte");
    }

    /** Asserts nothing arrives for {@code millis} milliseconds. */
    public void expectSilence(int millis) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            int b = in.read();
            fail("expected silence, got " + (b < 0 ? "end of stream" : "byte " + b));
        } catch (SocketTimeoutException expected) {
            // nothing arrived: fine
        } finally {
            socket.setSoTimeout(old);
        }
    }

    /** Vanishes: SO_LINGER 0, then close, which sends a TCP reset instead of a FIN. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
