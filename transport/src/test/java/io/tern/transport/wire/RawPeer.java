package io.tern.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A WebSocket peer on a plain blocking socket: it writes exactly the bytes a test gives it and
 * parses exactly what comes back, so the tests can see the wire without any library in between.
 */
final class RawPeer implements AutoCloseable {

    /** The key of RFC 6455 §1.3 and its accept value. */
    static final String RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static final String RFC_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    /** A fixed mask key so that every masked frame of a test is reproducible. */
    static final int MASK = 0x5a3c96e1;

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

    static RawPeer connect(int port) throws IOException {
        return connect(port, 0);
    }

    /**
     * Connects with a send buffer of at least {@code sendBuffer} bytes (0: the system's), so that a
     * test can hand a large payload to the kernel in one write from its own thread.
     */
    static RawPeer connect(int port, int sendBuffer) throws IOException {
        return connect(port, sendBuffer, 0);
    }

    /**
     * Connects with the given send and receive buffer sizes (0: the system's); a small receive
     * buffer makes a peer that does not read fill up fast.
     */
    static RawPeer connect(int port, int sendBuffer, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        try {
            if (sendBuffer > 0) {
                s.setSendBufferSize(sendBuffer);
            }
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer);
            }
            s.setTcpNoDelay(true);
            s.setSoTimeout(5000);
            s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5000);
            return new RawPeer(s, port);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    String host() {
        return hostHeader;
    }

    void timeoutMillis(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    // ------------------------------------------------------------------ requests

    /** A complete upgrade request for {@code path} with the RFC key and the given extra lines. */
    String upgradeRequest(String path, String... extraLines) {
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

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void writeAscii(String text) throws IOException {
        write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends the upgrade request and checks that the answer is a 101 with the RFC accept value. */
    HttpHead upgrade(String path, String... extraLines) throws IOException {
        writeAscii(upgradeRequest(path, extraLines));
        HttpHead head = readHead();
        assertEquals("HTTP/1.1 101 Switching Protocols", head.statusLine(), () -> "whole head: " + head.raw());
        assertEquals("websocket", head.single("Upgrade"));
        assertEquals("Upgrade", head.single("Connection"));
        assertEquals(RFC_ACCEPT, head.single("Sec-WebSocket-Accept"));
        return head;
    }

    // ------------------------------------------------------------------ reading HTTP

    /** Reads one response head, up to and including the empty line. */
    HttpHead readHead() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        int state = 0; // how much of CR LF CR LF has been seen
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside the response head after "
                        + raw.size() + " bytes: " + raw.toString(StandardCharsets.ISO_8859_1));
            }
            raw.write(b);
            if (raw.size() > 65536) {
                fail("response head longer than 64 KiB");
            }
            boolean cr = b == '\r';
            boolean lf = b == '\n';
            if ((state == 0 || state == 2) && cr) {
                state++;
            } else if ((state == 1 || state == 3) && lf) {
                state++;
            } else {
                state = cr ? 1 : 0;
            }
        }
        return HttpHead.parse(raw.toString(StandardCharsets.ISO_8859_1));
    }

    /** Reads a head and the body its Content-Length announces. */
    HttpResponse readResponse() throws IOException {
        HttpHead head = readHead();
        String length = head.single("Content-Length");
        assertTrue(length != null, () -> "no Content-Length in " + head.raw());
        byte[] body = in.readNBytes(Integer.parseInt(length));
        assertEquals(Integer.parseInt(length), body.length, "body shorter than its Content-Length");
        return new HttpResponse(head, new String(body, StandardCharsets.UTF_8));
    }

    /** Asserts the server closed its side: the next read reports end of stream (no reset, no timeout). */
    void expectEof() throws IOException {
        int b;
        try {
            b = in.read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the TCP connection within the socket timeout", e);
        }
        assertEquals(-1, b, "expected end of stream, got another byte");
    }

    /** Asserts nothing arrives for {@code millis} milliseconds. */
    void expectSilence(int millis) throws IOException {
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

    // ------------------------------------------------------------------ frames

    /** Builds a frame; masked with {@link #MASK} when {@code masked}. */
    static byte[] frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(payload.length + 14);
        b.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            b.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            b.write(maskBit | 126);
            b.write(payload.length >>> 8);
            b.write(payload.length);
        } else {
            b.write(maskBit | 127);
            long n = payload.length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                b.write((int) (n >>> shift));
            }
        }
        if (masked) {
            byte[] key = {(byte) (MASK >>> 24), (byte) (MASK >>> 16), (byte) (MASK >>> 8), (byte) MASK};
            b.write(key, 0, 4);
            for (int i = 0; i < payload.length; i++) {
                b.write(payload[i] ^ key[i & 3]);
            }
        } else {
            b.write(payload, 0, payload.length);
        }
        return b.toByteArray();
    }

    /** A masked, final client frame. */
    static byte[] clientFrame(int opcode, byte[] payload) {
        return frame(true, 0, opcode, true, payload);
    }

    /** The payload of a close frame: the code, big-endian, then the reason in UTF-8. */
    static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }

    void sendFrame(int opcode, byte[] payload) throws IOException {
        write(clientFrame(opcode, payload));
    }

    Frame readFrame() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = (readByte() << 8) | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
        }
        boolean masked = (b1 & 0x80) != 0;
        byte[] key = masked ? in.readNBytes(4) : null;
        if (length > Integer.MAX_VALUE - 8) {
            fail("frame too long for a test: " + length);
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length != length) {
            throw new EOFException("connection closed inside a frame payload");
        }
        if (masked) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= key[i & 3];
            }
        }
        return new Frame((b0 & 0x80) != 0, (b0 >>> 4) & 7, b0 & 0x0f, masked, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed where a frame was expected");
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // ------------------------------------------------------------------ value types

    /** One received frame, unmasked. */
    record Frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {

        int closeCode() {
            assertEquals(0x8, opcode, "not a close frame");
            assertTrue(payload.length >= 2, "close frame without a code");
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        String closeReason() {
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Frame[fin=" + fin + ", rsv=" + rsv + ", opcode=" + opcode + ", masked=" + masked
                    + ", length=" + payload.length + "]";
        }
    }

    /** A parsed response head: status line and header fields in order. */
    record HttpHead(String raw, String statusLine, List<String[]> fields) {

        static HttpHead parse(String raw) {
            String[] lines = raw.split("\r\n");
            List<String[]> fields = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isEmpty()) {
                    continue;
                }
                int colon = lines[i].indexOf(':');
                assertTrue(colon > 0, () -> "malformed header line: " + raw);
                fields.add(new String[] {lines[i].substring(0, colon), lines[i].substring(colon + 1).trim()});
            }
            return new HttpHead(raw, lines[0], fields);
        }

        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        List<String> all(String name) {
            List<String> values = new ArrayList<>();
            for (String[] f : fields) {
                if (f[0].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    values.add(f[1]);
                }
            }
            return values;
        }

        /** The header's only value, null when absent; fails when repeated. */
        String single(String name) {
            List<String> values = all(name);
            assertTrue(values.size() <= 1, () -> name + " repeated in " + raw);
            return values.isEmpty() ? null : values.get(0);
        }
    }

    /** A response head with its body. */
    record HttpResponse(HttpHead head, String body) {
    }
}
