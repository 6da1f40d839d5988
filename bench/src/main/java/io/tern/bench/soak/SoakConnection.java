package io.tern.bench.soak;

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
import java.util.Locale;

/**
 * One client connection of the soak: the HTTP upgrade (RFC 6455 §4.1), masked data frames out
 * (whole or in two fragments, §5.4), a close frame out (§5.5.1), whole messages in, read by
 * Tern's codec. What a message means is the {@link SoakClient}'s business.
 *
 * <p>Not thread-safe: owned by the soak client's selector thread.
 */
final class SoakConnection implements MessageListener {

    /** What a connection is for. */
    enum Kind { ECHO, SUBSCRIBER, PUBLISHER }

    /** Where a connection is in its life. */
    enum State { CONNECTING, HANDSHAKE, OPEN, CLOSING, DONE }

    /** Receives the connection's messages and close frame. */
    interface Receiver {
        void onMessage(SoakConnection c, boolean text, ByteBuffer payload);

        void onCloseFrame(SoakConnection c, int code);
    }

    private static final int MAX_RESPONSE_HEAD = 4096;

    final int slot;
    final Kind kind;
    final SocketChannel channel;
    SelectionKey key;
    State state = State.CONNECTING;
    /** When the current state began, or the next send is due ({@link System#nanoTime()}). */
    long deadline;
    /** Echo: the message in flight (a copy), or null; subscriber: the last sequence seen, or -1. */
    ByteBuffer inFlight;
    long lastSequence = -1;
    boolean inFlightText;
    /** The code of a close frame the server sent first, or 0. */
    int serverCloseCode;

    private final Receiver receiver;
    private final FrameEncoder encoder;
    private final MessageReader reader;
    private final String request;
    private final String expectedAccept;
    private ByteBuffer handshake;
    private final ByteBuffer out;
    private String failure;

    SoakConnection(int slot, Kind kind, SocketChannel channel, String host, String path, String secKey,
            Receiver receiver, MaskKeySource keys, int outCapacity) {
        this.slot = slot;
        this.kind = kind;
        this.channel = channel;
        this.receiver = receiver;
        this.encoder = new FrameEncoder(Role.CLIENT, keys);
        this.reader = new MessageReader(Role.CLIENT,
                ReaderSettings.defaults().withMaxFrameSize(1 << 20).withMaxMessageSize(1 << 20), this,
                BufferPool.unpooled());
        this.expectedAccept = WebSocketAccept.forKey(secKey);
        this.request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + secKey + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        this.out = ByteBuffer.allocate(outCapacity);
    }

    String failure() {
        return failure;
    }

    /** Queues the upgrade request; call once connected. */
    void startHandshake() throws IOException {
        out.put(request.getBytes(StandardCharsets.US_ASCII));
        handshake = ByteBuffer.allocate(MAX_RESPONSE_HEAD);
        state = State.HANDSHAKE;
        flush();
    }

    /**
     * Reads what the socket has into {@code shared} and processes it.
     *
     * @return false at end of stream, on a protocol failure or once the server's close frame was read
     */
    boolean read(ByteBuffer shared) throws IOException {
        shared.clear();
        int n = channel.read(shared);
        if (n < 0) {
            failure = failure == null ? "end of stream" : failure;
            return false;
        }
        shared.flip();
        if (state == State.HANDSHAKE && !readResponseHead(shared)) {
            return failure == null;
        }
        if (shared.hasRemaining()) {
            int result = reader.read(shared);
            if (result == MessageReader.FAILED) {
                failure = "protocol error " + reader.failureCode() + ": " + reader.failureReason();
                return false;
            }
            if (result == MessageReader.CLOSE_RECEIVED) {
                return false;
            }
        }
        return true;
    }

    private boolean readResponseHead(ByteBuffer in) {
        while (in.hasRemaining()) {
            if (!handshake.hasRemaining()) {
                failure = "response head over " + MAX_RESPONSE_HEAD + " bytes";
                return false;
            }
            handshake.put(in.get());
            int p = handshake.position();
            if (p >= 4 && handshake.get(p - 4) == '\r' && handshake.get(p - 3) == '\n'
                    && handshake.get(p - 2) == '\r' && handshake.get(p - 1) == '\n') {
                String head = new String(handshake.array(), 0, p, StandardCharsets.ISO_8859_1);
                handshake = null;
                if (!head.startsWith("HTTP/1.1 101")) {
                    failure = "upgrade refused: " + head.lines().findFirst().orElse("");
                    return false;
                }
                if (!head.toLowerCase(Locale.ROOT).contains("sec-websocket-accept: " + expectedAccept.toLowerCase(Locale.ROOT))) {
                    failure = "wrong Sec-WebSocket-Accept";
                    return false;
                }
                state = State.OPEN;
                return true;
            }
        }
        return false;
    }

    /**
     * Queues one data message, as one frame or as two fragments split at {@code split} (0: one
     * frame), and writes what the socket takes.
     *
     * @return false when the write buffer had no room (nothing was queued)
     */
    boolean sendMessage(boolean text, ByteBuffer payload, int split) throws IOException {
        int n = payload.remaining();
        if (out.remaining() < 2 * FrameEncoder.MAX_HEADER_SIZE + n) {
            return false;
        }
        int opcode = text ? Opcode.TEXT : Opcode.BINARY;
        if (split <= 0 || split >= n) {
            frame(true, opcode, payload, payload.position(), n);
        } else {
            frame(false, opcode, payload, payload.position(), split);
            frame(true, Opcode.CONTINUATION, payload, payload.position() + split, n - split);
        }
        return flush();
    }

    /** Queues a close frame with {@code code} (RFC 6455 §5.5.1) and writes it. */
    boolean sendClose(int code) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(2).putShort(0, (short) code);
        if (out.remaining() < FrameEncoder.MAX_HEADER_SIZE + 2) {
            return false;
        }
        frame(true, Opcode.CLOSE, body, 0, 2);
        state = State.CLOSING;
        return flush();
    }

    /**
     * Writes the first part of a data frame's header and payload only: the server is left holding a
     * frame that never completes (used just before an abrupt close).
     */
    void sendTruncatedFrame(int length) throws IOException {
        if (out.remaining() < FrameEncoder.MAX_HEADER_SIZE + length) {
            return;
        }
        encoder.writeHeader(out, true, 0, Opcode.BINARY, length * 4L);
        for (int i = 0; i < length; i++) {
            out.put((byte) i);
        }
        flush();
    }

    private void frame(boolean fin, int opcode, ByteBuffer src, int from, int length) {
        int maskKey = encoder.writeHeader(out, fin, 0, opcode, length);
        int start = out.position();
        out.put(src.duplicate().limit(from + length).position(from));
        Masking.apply(out, start, out.position(), maskKey, 0);
    }

    /** Writes pending bytes; asks for OP_WRITE while some remain. Always true. */
    boolean flush() throws IOException {
        if (out.position() == 0) {
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

    @Override
    public void onText(ByteBuffer utf8, boolean last) {
        receiver.onMessage(this, true, utf8);
    }

    @Override
    public void onBinary(ByteBuffer data, boolean last) {
        receiver.onMessage(this, false, data);
    }

    @Override
    public void onPing(ByteBuffer payload) {
        if (out.remaining() < FrameEncoder.MAX_HEADER_SIZE + payload.remaining()) {
            failure = "no room to answer a ping";
            return;
        }
        frame(true, Opcode.PONG, payload, payload.position(), payload.remaining());
        try {
            flush();
        } catch (IOException e) {
            failure = "cannot answer a ping: " + e.getMessage();
        }
    }

    @Override
    public void onPong(ByteBuffer payload) {
    }

    @Override
    public void onClose(int code, String reason) {
        receiver.onCloseFrame(this, code);
    }
}
