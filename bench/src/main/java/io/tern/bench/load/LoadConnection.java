package io.tern.bench.load;

import io.tern.codec.BufferPool;
import io.tern.codec.FrameEncoder;
import io.tern.codec.MaskKeySource;
import io.tern.codec.Masking;
import io.tern.codec.MessageListener;
import io.tern.codec.MessageReader;
import io.tern.codec.Opcode;
import io.tern.codec.ReaderSettings;
import io.tern.codec.Role;
import io.tern.codec.handshake.WebSocketAccept;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One client connection of the load generator: the HTTP upgrade (RFC 6455 §4.1), then masked
 * binary frames out and whole messages in, framed and read by Tern's codec.
 *
 * <p>The read buffer is the generator's (one thread, shared by every connection); the write
 * buffer is allocated on the first send, so idle connections hold only the reader's state.
 *
 * <p>Not thread-safe: owned by the generator's single selector thread.
 */
final class LoadConnection implements MessageListener {

    /** What the generator does with a received message. */
    interface Receiver {
        void onMessage(LoadConnection connection, ByteBuffer payload);
    }

    private static final int MAX_RESPONSE_HEAD = 8192;

    final int index;
    final SocketChannel channel;
    SelectionKey key;
    private final String path;
    private final String host;
    private final Receiver receiver;
    private final FrameEncoder encoder;
    private final MessageReader reader;
    private String expectedAccept;
    private ByteBuffer handshake;      // the request while it is written, then the response head
    private boolean open;
    private ByteBuffer out;            // frames not yet written, flipped for writing when pending
    private final int outCapacity;
    private String failure;

    LoadConnection(int index, SocketChannel channel, String host, String path, Receiver receiver, int outCapacity,
            MaskKeySource keys) {
        this.index = index;
        this.channel = channel;
        this.host = host;
        this.path = path;
        this.receiver = receiver;
        this.outCapacity = outCapacity;
        this.encoder = new FrameEncoder(Role.CLIENT, keys);
        this.reader = new MessageReader(Role.CLIENT,
                ReaderSettings.defaults().withMaxFrameSize(64 << 20).withMaxMessageSize(64 << 20), this,
                BufferPool.unpooled());
    }

    /** The upgrade request, ready to be written once connected. */
    void prepareHandshake(String secKey) {
        expectedAccept = WebSocketAccept.forKey(secKey);
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + secKey + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        handshake = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
    }

    boolean isOpen() {
        return open;
    }

    String failure() {
        return failure;
    }

    /** Writes the request; true when it is all written. */
    boolean writeHandshake() throws IOException {
        channel.write(handshake);
        if (handshake.hasRemaining()) {
            return false;
        }
        handshake = ByteBuffer.allocate(MAX_RESPONSE_HEAD);
        return true;
    }

    /**
     * Reads from the socket into the shared buffer and processes it: the response head until the
     * upgrade is done, frames after it.
     *
     * @return -1 at end of stream or on a failure, else the bytes read
     */
    int read(ByteBuffer shared) throws IOException {
        shared.clear();
        int n = channel.read(shared);
        if (n < 0) {
            failure = failure == null ? "closed by the server" : failure;
            return -1;
        }
        shared.flip();
        if (!open && !readResponseHead(shared)) {
            return failure == null ? n : -1;
        }
        if (shared.hasRemaining()) {
            int result = reader.read(shared);
            if (result == MessageReader.FAILED) {
                failure = "protocol error " + reader.failureCode() + ": " + reader.failureReason();
                return -1;
            }
            if (result == MessageReader.CLOSE_RECEIVED) {
                failure = failure == null ? "close frame received" : failure;
                return -1;
            }
        }
        return n;
    }

    /** Consumes response head bytes; true once the upgrade succeeded (rest of {@code in} is frames). */
    private boolean readResponseHead(ByteBuffer in) {
        while (in.hasRemaining()) {
            if (!handshake.hasRemaining()) {
                failure = "response head over " + MAX_RESPONSE_HEAD + " bytes";
                return false;
            }
            handshake.put(in.get());
            int p = handshake.position();
            if (p >= 4 && handshake.get(p - 4) == '\r' && handshake.get(p - 3) == '\n' && handshake.get(p - 2) == '\r'
                    && handshake.get(p - 1) == '\n') {
                String head = new String(handshake.array(), 0, p, StandardCharsets.ISO_8859_1);
                handshake = null;
                if (!head.startsWith("HTTP/1.1 101")) {
                    failure = "upgrade refused: " + head.lines().findFirst().orElse("");
                    return false;
                }
                if (!head.toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-accept: " + expectedAccept.toLowerCase(java.util.Locale.ROOT))) {
                    failure = "wrong Sec-WebSocket-Accept in: " + head;
                    return false;
                }
                open = true;
                return true;
            }
        }
        return false;
    }

    /**
     * Queues one masked binary frame whose payload is {@code payload} (position to limit) and
     * writes what the socket takes.
     *
     * @return false when the frame did not fit in the write buffer (the send was skipped)
     */
    boolean send(ByteBuffer payload) throws IOException {
        return queue(payload) && flush();
    }

    /**
     * Queues one masked binary frame without writing it: the generator writes everything a read
     * caused with one {@link #flush()}, as a server's event loop would.
     *
     * @return false when the frame did not fit in the write buffer (the send was skipped)
     */
    boolean queue(ByteBuffer payload) {
        if (out == null) {
            out = ByteBuffer.allocateDirect(outCapacity);
        }
        int n = payload.remaining();
        if (out.remaining() < FrameEncoder.headerSize(n, true) + n) {
            return false;
        }
        int key = encoder.writeHeader(out, true, 0, Opcode.BINARY, n);
        int start = out.position();
        out.put(payload);
        Masking.apply(out, start, out.position(), key, 0);
        return true;
    }

    /** Writes pending bytes; asks for OP_WRITE when the socket is full. Always true. */
    boolean flush() throws IOException {
        if (out == null || out.position() == 0) {
            return true;
        }
        out.flip();
        channel.write(out);
        out.compact();
        if (key != null && key.isValid()) {
            int ops = out.position() > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
            if (key.interestOps() != ops) {
                key.interestOps(ops);
            }
        }
        return true;
    }

    /** Bytes queued and not yet written. */
    int pending() {
        return out == null ? 0 : out.position();
    }

    @Override
    public void onText(ByteBuffer utf8, boolean last) {
        receiver.onMessage(this, utf8);
    }

    @Override
    public void onBinary(ByteBuffer data, boolean last) {
        receiver.onMessage(this, data);
    }

    @Override
    public void onPing(ByteBuffer payload) {
        // idle connections may be pinged by a server's heartbeat; the answer is not measured
        if (out == null) {
            out = ByteBuffer.allocateDirect(Math.max(256, Math.min(outCapacity, 4096)));
        }
        try {
            int n = payload.remaining();
            int key = encoder.writeHeader(out, true, 0, Opcode.PONG, n);
            int start = out.position();
            out.put(payload);
            Masking.apply(out, start, out.position(), key, 0);
            flush();
        } catch (IOException | java.nio.BufferOverflowException e) {
            failure = "cannot answer a ping: " + e;
        }
    }

    @Override
    public void onPong(ByteBuffer payload) {
    }

    @Override
    public void onClose(int code, String reason) {
        failure = "server closed with " + code + " " + reason;
    }
}
