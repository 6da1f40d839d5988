package io.tern.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.bench.Payloads;
import io.tern.codec.MaskKeySource;
import io.tern.codec.handshake.WebSocketAccept;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The load generator's framing over a real loopback socket pair, with a scripted server end. */
@Timeout(20)
class LoadConnectionTest {

    private ServerSocketChannel listener;
    private SocketChannel client;
    private SocketChannel server;
    private final List<byte[]> received = new ArrayList<>();

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        client = SocketChannel.open(listener.getLocalAddress());
        server = listener.accept();
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        server.close();
        listener.close();
    }

    private LoadConnection connection() {
        return new LoadConnection(0, client, "127.0.0.1:1", "/echo", (c, payload) -> {
            byte[] b = new byte[payload.remaining()];
            payload.get(b);
            received.add(b);
        }, 4096, () -> 0x11223344);
    }

    private String readRequest() throws IOException {
        ByteBuffer in = ByteBuffer.allocate(4096);
        while (!new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            server.read(in);
        }
        return new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
    }

    private static String keyOf(String request) {
        for (String line : request.split("\r\n")) {
            if (line.startsWith("Sec-WebSocket-Key: ")) {
                return line.substring(19);
            }
        }
        throw new AssertionError("no key in " + request);
    }

    private void readAll(LoadConnection c, ByteBuffer shared) throws IOException {
        client.configureBlocking(false);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (received.isEmpty() && c.failure() == null && System.nanoTime() < deadline) {
            c.read(shared);
        }
    }

    @Test
    void upgradesThenReadsAFrameThatArrivesWithTheResponseAndSendsMaskedFrames() throws IOException {
        LoadConnection c = connection();
        c.prepareHandshake(WebSocketAccept.generateKey());
        assertTrue(c.writeHandshake());
        String request = readRequest();
        assertTrue(request.startsWith("GET /echo HTTP/1.1\r\n"), request);
        assertTrue(request.contains("Sec-WebSocket-Version: 13\r\n"));
        String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + WebSocketAccept.forKey(keyOf(request)) + "\r\n\r\n";
        byte[] frame = Payloads.frame(2, false, new byte[] {1, 2, 3}, null);
        ByteBuffer out = ByteBuffer.allocate(response.length() + frame.length);
        out.put(response.getBytes(StandardCharsets.US_ASCII)).put(frame).flip();
        server.write(out);
        readAll(c, ByteBuffer.allocateDirect(1024));
        assertNull(c.failure());
        assertTrue(c.isOpen());
        assertEquals(1, received.size());
        assertArrayEquals(new byte[] {1, 2, 3}, received.get(0));

        assertTrue(c.send(ByteBuffer.wrap(new byte[] {10, 20, 30, 40, 50})));
        ByteBuffer sent = ByteBuffer.allocate(11);
        while (sent.hasRemaining()) {
            server.read(sent);
        }
        // FIN + binary, MASK + length 5, the key from the key source, then the payload XOR the key
        assertArrayEquals(new byte[] {(byte) 0x82, (byte) 0x85, 0x11, 0x22, 0x33, 0x44,
            10 ^ 0x11, 20 ^ 0x22, 30 ^ 0x33, 40 ^ 0x44, 50 ^ 0x11}, sent.array());
        assertEquals(0, c.pending());
    }

    @Test
    void aWrongAcceptFails() throws IOException {
        LoadConnection c = connection();
        c.prepareHandshake(WebSocketAccept.generateKey());
        c.writeHandshake();
        readRequest();
        server.write(ByteBuffer.wrap(("HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: bm90IGl0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
        readAll(c, ByteBuffer.allocateDirect(1024));
        assertFalse(c.isOpen());
        assertTrue(c.failure().startsWith("wrong Sec-WebSocket-Accept"), c.failure());
    }

    @Test
    void aRefusalFailsWithItsStatusLine() throws IOException {
        LoadConnection c = connection();
        c.prepareHandshake(WebSocketAccept.generateKey());
        c.writeHandshake();
        readRequest();
        server.write(ByteBuffer.wrap("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        readAll(c, ByteBuffer.allocateDirect(1024));
        assertEquals("upgrade refused: HTTP/1.1 404 Not Found", c.failure());
    }

    @Test
    void queuedFramesLeaveTogetherOnFlush() throws IOException {
        LoadConnection c = connection();
        assertTrue(c.queue(ByteBuffer.wrap(new byte[] {1})));
        assertTrue(c.queue(ByteBuffer.wrap(new byte[] {2, 3})));
        assertEquals(7 + 8, c.pending(), "two headers with keys, three payload bytes, nothing written yet");
        c.flush();
        assertEquals(0, c.pending());
        ByteBuffer sent = ByteBuffer.allocate(15);
        while (sent.hasRemaining()) {
            server.read(sent);
        }
        assertArrayEquals(new byte[] {(byte) 0x82, (byte) 0x81, 0x11, 0x22, 0x33, 0x44, 1 ^ 0x11,
            (byte) 0x82, (byte) 0x82, 0x11, 0x22, 0x33, 0x44, 2 ^ 0x11, 3 ^ 0x22}, sent.array());
    }

    @Test
    void aFullWriteBufferSkipsTheSend() throws IOException {
        LoadConnection c = new LoadConnection(0, client, "h", "/echo", (x, p) -> { }, 64, MaskKeySource.secure());
        assertFalse(c.send(ByteBuffer.allocate(100)), "a frame larger than the buffer is refused, not split");
        assertEquals(0, c.pending());
    }

    @Test
    void sourceAddressesCoverTheConnections() {
        assertEquals(1, LoadGenerator.sourceAddresses(1));
        assertEquals(1, LoadGenerator.sourceAddresses(25_000));
        assertEquals(2, LoadGenerator.sourceAddresses(25_001));
        assertEquals(4, LoadGenerator.sourceAddresses(100_000));
    }
}
