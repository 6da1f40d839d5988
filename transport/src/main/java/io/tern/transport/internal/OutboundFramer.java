package io.tern.transport.internal;

import io.tern.codec.ClosingHandshake;
import io.tern.codec.FrameEncoder;
import io.tern.codec.MessageWriter;
import io.tern.codec.Opcode;
import io.tern.codec.Role;
import io.tern.codec.Rsv;
import io.tern.codec.deflate.DeflateParameters;
import io.tern.codec.deflate.PerMessageDeflater;
import io.tern.transport.ConnectionSettings;
import java.nio.ByteBuffer;

/**
 * Turns what a connection sends into frames in its {@link Outbound}: data messages and fragments
 * (compressed when permessage-deflate was agreed), text straight from characters, control frames,
 * the close frame, prepared messages, and raw HTTP bytes during the handshake. Frame rules
 * (opcodes, fragmentation order, nothing after our close frame, masking) are the codec's
 * {@link MessageWriter}'s; this class only places bytes.
 *
 * <p>Threading contract: loop thread only. Admission (may this be queued at all?) is decided by
 * {@link SendAdmission} before anything reaches here.
 */
final class OutboundFramer {

    /** Largest frame header: what a frame needs beyond its payload in the outbound. */
    static final int FRAME_OVERHEAD = FrameEncoder.MAX_HEADER_SIZE;
    /** Compressed frames from this size on are queued in the deflater's own buffer, not copied. */
    static final int ADOPT_MIN_BYTES = 2048;

    private final EventLoop loop;
    private final Role role;
    private final Outbound out;
    private MessageWriter writer;
    private PerMessageDeflater deflater;
    /** Variant key of the shared compressed frames this connection can use, 0 if none. */
    private int sharedCompressionKey;
    private boolean compressingMessage;

    OutboundFramer(EventLoop loop, Role role) {
        this.loop = loop;
        this.role = role;
        this.out = new Outbound(loop.buffers());
    }

    /** Starts framing WebSocket messages once the connection is open. */
    void open(ClosingHandshake closing, DeflateParameters deflate, ConnectionSettings settings) {
        writer = new MessageWriter(new FrameEncoder(role, role == Role.CLIENT ? loop.maskKeys() : null), closing);
        if (deflate != null) {
            deflater = new PerMessageDeflater(deflate, role, settings.deflate(), loop.zstreams());
            if (role == Role.SERVER && deflate.sendNoContextTakeover(role)) {
                sharedCompressionKey = 1 << 16 | deflater.windowBits() << 8 | (settings.deflate().compressionLevel() + 1);
            }
        }
    }

    Outbound outbound() {
        return out;
    }

    MessageWriter writer() {
        return writer;
    }

    boolean isCompressed() {
        return deflater != null;
    }

    /**
     * Frames a data message or fragment. Compressed output of at least {@link #ADOPT_MIN_BYTES}
     * is not copied: the deflater leaves room for the header in front of it and its buffer joins
     * the outbound as a chunk. Smaller output is copied behind the previous frame, which packs
     * many small frames into one chunk and keeps a long queue of them compact.
     */
    void data(int opcode, ByteBuffer payload, boolean last) {
        boolean first = !writer.isInsideMessage();
        if (deflater != null && first) {
            compressingMessage = deflater.shouldCompress(payload.remaining());
        }
        if (deflater == null || !compressingMessage) {
            frame(opcode, Rsv.NONE, payload, last);
            return;
        }
        int rsv = first ? Rsv.RSV1 : Rsv.NONE;
        int start = payload.position();
        ByteBuffer compressed = deflater.compress(payload, last, loop.buffers(), FRAME_OVERHEAD);
        payload.position(start); // the caller's buffer is left as it was
        int n = compressed.remaining();
        if (n < ADOPT_MIN_BYTES) {
            try {
                frame(opcode, rsv, compressed, last);
            } finally {
                loop.buffers().release(compressed);
            }
            return;
        }
        int headerStart = FRAME_OVERHEAD - FrameEncoder.headerSize(n, role == Role.CLIENT);
        compressed.position(headerStart);
        boolean written;
        try {
            written = writer.writeDataHeader(opcode, rsv, compressed, n, last) == MessageWriter.WRITTEN;
        } catch (RuntimeException e) {
            loop.buffers().release(compressed);
            throw e;
        }
        if (!written) {
            loop.buffers().release(compressed);
            return;
        }
        assert compressed.position() == FRAME_OVERHEAD : "the header ends where the payload starts";
        writer.maskPayload(compressed, FRAME_OVERHEAD, FRAME_OVERHEAD + n);
        out.appendChunk(compressed.position(headerStart));
        loop.counters().add(LoopCounters.FRAMES_OUT, 1);
    }

    /** Frames {@code body} as is: header and a copy of the payload behind the previous frame. */
    private void frame(int opcode, int rsv, ByteBuffer body, boolean last) {
        int n = body.remaining();
        ByteBuffer frame = out.beginFrame(FRAME_OVERHEAD + n);
        try {
            if (writer.writeDataHeader(opcode, rsv, frame, n, last) == MessageWriter.WRITTEN) {
                placePayload(frame, body, n);
            }
        } finally {
            out.endFrame();
        }
    }

    /** Frames text from characters, encoding straight into the outbound when not compressing. */
    void text(CharSequence text, int utf8Length) {
        if (deflater != null && deflater.shouldCompress(utf8Length)) {
            ByteBuffer bytes = loop.buffers().acquire(Math.max(1, utf8Length));
            try {
                Utf8.encode(text, bytes);
                data(Opcode.TEXT, bytes.flip(), true);
            } finally {
                loop.buffers().release(bytes);
            }
            return;
        }
        ByteBuffer frame = out.beginFrame(FRAME_OVERHEAD + utf8Length);
        try {
            if (writer.writeDataHeader(Opcode.TEXT, Rsv.NONE, frame, utf8Length, true) == MessageWriter.WRITTEN) {
                int start = frame.position();
                Utf8.encode(text, frame);
                finishPayload(frame, start, utf8Length);
            }
        } finally {
            out.endFrame();
        }
    }

    /** Frames a ping or pong. */
    void control(int opcode, ByteBuffer payload) {
        int n = payload.remaining();
        ByteBuffer frame = out.beginFrame(FRAME_OVERHEAD + n);
        try {
            if (writer.writeControlHeader(opcode, frame, n) == MessageWriter.WRITTEN) {
                placePayload(frame, payload, n);
            }
        } finally {
            out.endFrame();
        }
    }

    /** Frames a ping or pong from bytes in an array. */
    void control(int opcode, byte[] payload, int length) {
        ByteBuffer frame = out.beginFrame(FRAME_OVERHEAD + length);
        try {
            if (writer.writeControlHeader(opcode, frame, length) == MessageWriter.WRITTEN) {
                int start = frame.position();
                frame.put(payload, 0, length);
                finishPayload(frame, start, length);
            }
        } finally {
            out.endFrame();
        }
    }

    /** Frames our close frame (the writer refuses everything after it). */
    void close(int code, String reason) {
        ByteBuffer frame = out.beginFrame(MessageWriter.MAX_CLOSE_FRAME_SIZE);
        try {
            writer.writeClose(frame, code, reason);
            loop.counters().add(LoopCounters.FRAMES_OUT, 1);
        } finally {
            out.endFrame();
        }
    }

    /**
     * Queues a prepared message: by reference to the loop's view of the shared frame, or of its
     * shared compressed frame; framed here only where this connection must (client role masks,
     * compression with context takeover).
     *
     * @throws IllegalStateException if a fragmented message is unfinished
     */
    void prepared(Prepared message) {
        int opcode = message.opcode();
        if (writer.claimWholeMessage(opcode) != MessageWriter.WRITTEN) {
            return;
        }
        boolean compress = deflater != null && deflater.shouldCompress(message.payloadLength());
        if (role == Role.SERVER && !compress) {
            out.appendShared(message.plainView(loop));
        } else if (compress && sharedCompressionKey != 0) {
            out.appendShared(message.compressedView(loop, sharedCompressionKey, deflater, loop.buffers()));
        } else {
            data(opcode, message.plainView(loop).payload, true);
            return;
        }
        loop.counters().add(LoopCounters.FRAMES_OUT, 1);
    }

    /** Appends raw bytes (an HTTP request or response) to the outbound. */
    void raw(byte[] bytes) {
        ByteBuffer b = out.beginFrame(bytes.length);
        b.put(bytes);
        out.endFrame();
    }

    /** Copies {@code n} bytes of {@code body} right behind the header just written. */
    private void placePayload(ByteBuffer frame, ByteBuffer body, int n) {
        int start = frame.position();
        frame.put(start, body, body.position(), n).position(start + n);
        finishPayload(frame, start, n);
    }

    /** Masks a client frame's payload copy (never the caller's bytes) and counts the frame. */
    private void finishPayload(ByteBuffer frame, int start, int n) {
        writer.maskPayload(frame, start, start + n);
        loop.counters().add(LoopCounters.FRAMES_OUT, 1);
    }

    /** Returns every buffer and compression stream. */
    void release() {
        if (deflater != null) {
            deflater.release();
        }
        out.release();
    }
}
