package io.tern.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A one-connection WebSocket server on plain blocking sockets, to see exactly what Tern's client
 * sends and to feed it exactly chosen bytes.
 */
final class RawServer implements AutoCloseable {

    private final ServerSocket listener;
    private Socket peer;
    private InputStream in;
    private OutputStream out;

    private RawServer(ServerSocket listener) {
        this.listener = listener;
    }

    static RawServer open() throws IOException {
        ServerSocket l = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"));
        l.setSoTimeout(5000);
        return new RawServer(l);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Accepts the one connection and reads its request head. */
    RawPeer.HttpHead acceptRequest() throws IOException {
        peer = listener.accept();
        peer.setSoTimeout(5000);
        peer.setTcpNoDelay(true);
        in = new BufferedInputStream(peer.getInputStream());
        out = peer.getOutputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("client closed inside its request");
            }
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                return RawPeer.HttpHead.parse(head.toString(StandardCharsets.ISO_8859_1));
            }
        }
    }

    static String acceptFor(String key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 101 for {@code request} with the right accept value and the given extra header lines. */
    static String switching(RawPeer.HttpHead request, String... extraLines) {
        StringBuilder b = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + acceptFor(request.single("Sec-WebSocket-Key")) + "\r\n");
        for (String l : extraLines) {
            b.append(l).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void writeAscii(String s) throws IOException {
        write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawPeer.Frame readFrame() throws IOException {
        int b0 = read();
        int b1 = read();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = (read() << 8) | read();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | read();
            }
        }
        boolean masked = (b1 & 0x80) != 0;
        byte[] key = masked ? in.readNBytes(4) : new byte[4];
        byte[] payload = in.readNBytes((int) len);
        if (payload.length != len) {
            throw new EOFException("stream ended inside a frame");
        }
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= key[i & 3];
        }
        return new RawPeer.Frame((b0 & 0x80) != 0, (b0 >>> 4) & 7, b0 & 0x0f, masked, payload);
    }

    private int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("stream ended inside a frame");
        }
        return b;
    }

    /** Asserts the client closed its side (end of stream) within the socket timeout. */
    void expectEof() throws IOException {
        try {
            assertEquals(-1, in.read(), "expected the client to close the connection");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the client did not close the TCP connection", e);
        }
    }

    /** Closes the accepted connection only. */
    void hangUp() throws IOException {
        if (peer != null) {
            peer.close();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            hangUp();
        } finally {
            listener.close();
        }
    }
}
