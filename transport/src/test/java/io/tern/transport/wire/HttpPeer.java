package io.tern.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A plain HTTP/1.1 client on a blocking socket for the server's non-upgrade answers: writes a
 * request exactly as given and reads the answer's head, then exactly as many body bytes as asked,
 * so a test can tell a body from no body (the answer to HEAD). Also knows its own port, to check
 * the remote address the server reports.
 */
final class HttpPeer implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final String host;

    private HttpPeer(Socket socket, int port) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.host = "127.0.0.1:" + port;
    }

    static HttpPeer connect(int port) throws IOException {
        Socket s = new Socket();
        try {
            s.setSoTimeout(5000);
            s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5000);
            return new HttpPeer(s, port);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** The Host header value that names the server. */
    String host() {
        return host;
    }

    /** This side's port: what the server sees as the remote port. */
    int localPort() {
        return socket.getLocalPort();
    }

    void send(String latin1) throws IOException {
        socket.getOutputStream().write(latin1.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Reads one response head, up to and including the empty line. */
    RawPeer.HttpHead readHead() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside the response head: " + raw.toString(StandardCharsets.ISO_8859_1));
            }
            raw.write(b);
            String text = raw.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) {
                return RawPeer.HttpHead.parse(text);
            }
        }
    }

    byte[] readBytes(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        assertEquals(n, bytes.length, "stream ended early");
        return bytes;
    }

    /** Asserts the server closed the connection with nothing more to read. */
    void expectEof() throws IOException {
        try {
            assertEquals(-1, in.read(), "expected end of stream, got another byte");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within the socket timeout", e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
