package io.tern.transport.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tern.codec.FrameEncoder;
import io.tern.codec.MaskKeySource;
import io.tern.codec.Opcode;
import io.tern.codec.Role;
import io.tern.codec.Rsv;
import io.tern.codec.handshake.ClientHandshake;
import io.tern.codec.handshake.ClientHandshakeResult;
import io.tern.codec.handshake.HttpHeadParser;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-driven WebSocket client on a blocking {@link Socket}: it does exactly what a test tells
 * it (send half a frame, stop reading, reset the connection, never answer a ping) and nothing else.
 * Frames it sends are built with the codec's {@link FrameEncoder} in the client role (masked);
 * frames it reads are parsed here, independently of the transport, and must be unmasked.
 */
final class RawPeer implements AutoCloseable {

    /** One frame read from the server. */
    record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        int closeCode() {
            assertEquals(Opcode.CLOSE, opcode, "not a close frame");
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    final Socket socket;
    final DataInputStream in;
    final OutputStream out;
    private final int port;
    private final FrameEncoder encoder = new FrameEncoder(Role.CLIENT, MaskKeySource.secure());

    private RawPeer(Socket socket, int port) throws IOException {
        this.socket = socket;
        this.port = port;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Connects to 127.0.0.1.
     *
     * @param port          the server's port
     * @param receiveBuffer SO_RCVBUF set before connecting (so the window is small from the
     *                      start), or 0 to keep the default
     */
    static RawPeer connect(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        try {
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer);
            }
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return new RawPeer(s, port);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    static RawPeer connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** Runs the opening handshake and checks the 101 response as RFC 6455 §4.1 requires. */
    RawPeer handshake(String path) throws IOException {
        ClientHandshake request = ClientHandshake.builder(URI.create("ws://127.0.0.1:" + port + path)).build();
        out.write(request.toBytes());
        out.flush();
        byte[] head = readHead();
        HttpHeadParser parser = HttpHeadParser.forResponse();
        assertEquals(HttpHeadParser.FeedResult.COMPLETE, parser.feed(ByteBuffer.wrap(head)),
                () -> "unparsable response: " + new String(head, StandardCharsets.ISO_8859_1));
        ClientHandshakeResult result = request.validate(parser.responseHead());
        assertTrue(result.isSuccess(), () -> "handshake refused: " + result.failureReason()
                + "\n" + new String(head, StandardCharsets.ISO_8859_1));
        return this;
    }

    /** Reads the response head byte by byte so that no frame byte after it is consumed. */
    private byte[] readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                fail("connection closed during the handshake after: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > 16 * 1024) {
                fail("response head too long");
            }
        }
        return head.toByteArray();
    }

    /** The bytes of one masked client frame. */
    byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_SIZE);
        ByteBuffer body = ByteBuffer.wrap(payload.clone());
        encoder.encode(header, body, fin, Rsv.NONE, opcode);
        header.flip();
        byte[] all = new byte[header.remaining() + payload.length];
        header.get(all, 0, header.remaining());
        body.get(all, all.length - payload.length, payload.length);
        return all;
    }

    void send(boolean fin, int opcode, byte[] payload) throws IOException {
        write(frame(fin, opcode, payload));
    }

    void sendText(String text) throws IOException {
        send(true, Opcode.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendClose(int code) throws IOException {
        send(true, Opcode.CLOSE, new byte[] {(byte) (code >>> 8), (byte) code});
    }

    void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        out.flush();
    }

    /**
     * Reads one server frame.
     *
     * @return the frame, or {@code null} on end of stream at a frame boundary
     * @throws EOFException when the stream ends inside a frame
     */
    Frame readFrame() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = in.readUnsignedByte();
        boolean masked = (b1 & 0x80) != 0;
        long len = b1 & 0x7F;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        assertFalse(masked, "a server frame must not be masked (RFC 6455 §5.1)");
        assertTrue(len >= 0 && len < (64 << 20), "implausible frame length " + len);
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame((b0 & 0x80) != 0, b0 & 0x70, b0 & 0x0F, payload);
    }

    /** Reads a frame that must be there. */
    Frame expectFrame() throws IOException {
        Frame f = readFrame();
        if (f == null) {
            fail("end of stream where a frame was expected");
        }
        return f;
    }

    /**
     * Reads everything up to end of stream.
     *
     * @return the bytes read
     * @throws IOException for a reset, or a {@link java.net.SocketTimeoutException} when the end does
     *     not come within the socket's read timeout
     */
    byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        for (int n; (n = in.read(chunk)) >= 0; ) {
            all.write(chunk, 0, n);
        }
        return all.toByteArray();
    }

    /** Splits received bytes into complete server frames; a truncated tail is left out. */
    static List<Frame> parseFrames(byte[] bytes) throws IOException {
        List<Frame> frames = new ArrayList<>();
        DataInputStream data = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
        while (true) {
            data.mark(Integer.MAX_VALUE);
            try {
                int b0 = data.read();
                if (b0 < 0) {
                    return frames;
                }
                int b1 = data.readUnsignedByte();
                assertEquals(0, b1 & 0x80, "a server frame must not be masked");
                long len = b1 & 0x7F;
                if (len == 126) {
                    len = data.readUnsignedShort();
                } else if (len == 127) {
                    len = data.readLong();
                }
                byte[] payload = new byte[(int) len];
                data.readFully(payload);
                frames.add(new Frame((b0 & 0x80) != 0, b0 & 0x70, b0 & 0x0F, payload));
            } catch (EOFException truncated) {
                return frames;
            }
        }
    }

    /** Resets the connection: SO_LINGER 0 and close sends RST instead of FIN. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
