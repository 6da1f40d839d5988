package io.tern.autobahn.testee;

import io.tern.autobahn.broken.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A blocking test client over a raw socket (with {@link Wire}, not Tern's codec): sends an upgrade
 * request with a chosen {@code Sec-WebSocket-Extensions} offer and reads the response head, then
 * writes and reads single frames. Every read is bounded by a socket timeout.
 *
 * <p>Confined to the test thread.
 */
public final class RawWsClient implements AutoCloseable {

    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    public final Map<String, String> response;

    public RawWsClient(int port, String path, String extensions) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + (extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n")
                + "\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        response = Wire.readHead(in);
    }

    /** Sends one masked frame. */
    public void send(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
        Wire.writeFrame(out, fin, rsv, opcode, MASK, payload);
    }

    /** Reads one frame, within the socket timeout. */
    public Wire.Frame read() throws IOException {
        return Wire.readFrame(in);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
