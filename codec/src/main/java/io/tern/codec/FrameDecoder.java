package io.tern.codec;

import java.nio.ByteBuffer;

/**
 * Reads WebSocket frames (RFC 6455 §5) out of {@link ByteBuffer}s, one byte stream per decoder,
 * and enforces every framing rule.
 *
 * <p>The decoder is a resumable state machine: each call to {@link #decode} consumes all the input
 * it is given (unless a listener stops it), and a frame cut anywhere — inside the header, the
 * extended length, the mask key or the payload — continues on the next call exactly where it
 * stopped. Header bytes are consumed one field at a time, so a violation is reported at the byte
 * that carries it, however the input was split. Payloads are unmasked in place and handed to the
 * {@link FrameListener} as a window on the input buffer: no copy, no allocation.
 *
 * <p>Rules checked here, each ending the stream with its close code:
 * <ul>
 *   <li>reserved bits that no negotiated extension claims → 1002 ({@link #allowReservedBits});</li>
 *   <li>reserved opcodes 0x3–0x7, 0xB–0xF → 1002;</li>
 *   <li>a control frame with FIN clear, or with a payload over 125 bytes → 1002;</li>
 *   <li>an unmasked frame sent to a server, or a masked frame sent to a client → 1002;</li>
 *   <li>a 64-bit length with its most significant bit set → 1002;</li>
 *   <li>a length not in its minimal encoding (a 16-bit length below 126, a 64-bit length below
 *       65536; §5.2 says the minimal number of bytes MUST be used) → 1002;</li>
 *   <li>a payload longer than the configured maximum → 1009.</li>
 * </ul>
 * Rules that span frames (fragmentation, UTF-8, close payloads) belong to {@link MessageReader}.
 *
 * <p>Not thread-safe: a decoder belongs to one connection and is used by one thread at a time.
 *
 * <pre>{@code
 * FrameDecoder decoder = new FrameDecoder(Role.SERVER, 1 << 20);
 * int status = decoder.decode(readBuffer, listener);
 * if (status == FrameDecoder.FAILED) {
 *     sendClose(decoder.failureCode(), decoder.failureReason());
 * }
 * }</pre>
 */
public final class FrameDecoder {

    /** {@link #decode} result: all input was consumed; feed more when it arrives. */
    public static final int NEED_MORE = 0;
    /** {@link #decode} result: a listener returned {@code false}; the rest of the input is left. */
    public static final int STOPPED = 1;
    /** {@link #decode} result: the input broke a framing rule; see {@link #failureCode()}. */
    public static final int FAILED = 2;

    /** The largest payload a control frame may carry (RFC 6455 §5.5). */
    public static final int MAX_CONTROL_PAYLOAD = 125;

    // Named states of the frame being read.
    private static final int FIRST_BYTE = 0;        // FIN, RSV1-3, opcode
    private static final int SECOND_BYTE = 1;       // MASK, 7-bit length
    private static final int EXTENDED_LENGTH = 2;   // 2 or 8 more length bytes
    private static final int MASK_KEY = 3;          // 4 key bytes
    private static final int PAYLOAD = 4;           // payload bytes, then the end of the frame
    private static final int BROKEN = 5;            // a rule was broken; sticky

    private final boolean expectMasked;
    private long maxFramePayload;
    private int allowedRsv = Rsv.NONE;

    private int state = FIRST_BYTE;
    private boolean fin;
    private int rsv;
    private int opcode;
    private int lengthBytesLeft;    // extended length bytes still to read
    private int lengthBytesTotal;   // 2 or 8
    private long payloadLength;
    private int maskBytesLeft;
    private int maskKey;
    private long payloadRead;       // payload bytes delivered so far in this frame
    private boolean headerDelivered;

    private int failureCode;
    private String failureReason;

    /**
     * Creates a decoder for the frames that an endpoint of the given role receives.
     *
     * @param role            the role of the endpoint that owns this decoder: a {@link Role#SERVER}
     *                        requires masked frames, a {@link Role#CLIENT} refuses them
     * @param maxFramePayload the largest payload accepted in one frame, at least 125; larger
     *                        frames fail with 1009 as soon as their length is read
     * @throws IllegalArgumentException if {@code maxFramePayload} is below 125
     */
    public FrameDecoder(Role role, long maxFramePayload) {
        if (maxFramePayload < MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("maxFramePayload must be at least 125: " + maxFramePayload);
        }
        this.expectMasked = role.expectsMaskedFrames();
        this.maxFramePayload = maxFramePayload;
    }

    /**
     * Changes the largest payload accepted in one frame, for example to allow for compression.
     *
     * @param bytes at least 125
     * @throws IllegalArgumentException if {@code bytes} is below 125
     */
    public void setMaxFramePayload(long bytes) {
        if (bytes < MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("maxFramePayload must be at least 125: " + bytes);
        }
        this.maxFramePayload = bytes;
    }

    /**
     * The largest payload accepted in one frame.
     *
     * @return bytes
     */
    public long maxFramePayload() {
        return maxFramePayload;
    }

    /**
     * Lets frames carry the given reserved bits, because a negotiated extension defines them
     * (permessage-deflate claims {@link Rsv#RSV1}). Bits not allowed here fail with 1002.
     *
     * @param rsvBits a combination of {@link Rsv} constants
     */
    public void allowReservedBits(int rsvBits) {
        this.allowedRsv = rsvBits & Rsv.ALL;
    }

    /**
     * Consumes bytes from {@code in} (position to limit) and reports frames to {@code listener}.
     *
     * <p>On return the buffer's position is past every consumed byte: at the limit for
     * {@link #NEED_MORE}; at the first byte not yet looked at for {@link #STOPPED}; just past the
     * offending byte for {@link #FAILED}. Payload bytes are unmasked in place, so the buffer must
     * be writable when frames are masked.
     *
     * @param in       the received bytes
     * @param listener receives headers, payload chunks and frame ends
     * @return {@link #NEED_MORE}, {@link #STOPPED} or {@link #FAILED}
     */
    public int decode(ByteBuffer in, FrameListener listener) {
        while (true) {
            switch (state) {
                case FIRST_BYTE: {
                    if (!in.hasRemaining()) {
                        return NEED_MORE;
                    }
                    int b = in.get() & 0xFF;
                    fin = (b & 0x80) != 0;
                    rsv = b & Rsv.ALL;
                    opcode = b & 0x0F;
                    if ((rsv & ~allowedRsv) != 0) {
                        return fail(CloseCodes.PROTOCOL_ERROR, "reserved bits set that no extension negotiated");
                    }
                    if (!Opcode.isDefined(opcode)) {
                        return fail(CloseCodes.PROTOCOL_ERROR, "reserved opcode");
                    }
                    if (!fin && Opcode.isControl(opcode)) {
                        return fail(CloseCodes.PROTOCOL_ERROR, "fragmented control frame");
                    }
                    state = SECOND_BYTE;
                    break;
                }
                case SECOND_BYTE: {
                    if (!in.hasRemaining()) {
                        return NEED_MORE;
                    }
                    int b = in.get() & 0xFF;
                    if (((b & 0x80) != 0) != expectMasked) {
                        return fail(CloseCodes.PROTOCOL_ERROR,
                                expectMasked ? "client frame is not masked" : "server frame is masked");
                    }
                    int length7 = b & 0x7F;
                    if (length7 > MAX_CONTROL_PAYLOAD && Opcode.isControl(opcode)) {
                        return fail(CloseCodes.PROTOCOL_ERROR, "control frame payload longer than 125 bytes");
                    }
                    if (length7 < 126) {
                        payloadLength = length7; // never over the limit, which is at least 125
                        startMaskOrPayload();
                    } else {
                        lengthBytesTotal = length7 == 126 ? 2 : 8;
                        lengthBytesLeft = lengthBytesTotal;
                        payloadLength = 0;
                        state = EXTENDED_LENGTH;
                    }
                    break;
                }
                case EXTENDED_LENGTH: {
                    while (lengthBytesLeft > 0) {
                        if (!in.hasRemaining()) {
                            return NEED_MORE;
                        }
                        int b = in.get() & 0xFF;
                        if (lengthBytesLeft == 8 && b >= 0x80) {
                            return fail(CloseCodes.PROTOCOL_ERROR, "64-bit payload length with the most significant bit set");
                        }
                        payloadLength = (payloadLength << 8) | b;
                        lengthBytesLeft--;
                    }
                    if (lengthBytesTotal == 2 ? payloadLength < 126 : payloadLength < 65536) {
                        return fail(CloseCodes.PROTOCOL_ERROR, "payload length not in its minimal encoding");
                    }
                    if (payloadLength > maxFramePayload) {
                        return fail(CloseCodes.MESSAGE_TOO_BIG, "frame larger than the configured maximum");
                    }
                    startMaskOrPayload();
                    break;
                }
                case MASK_KEY: {
                    while (maskBytesLeft > 0) {
                        if (!in.hasRemaining()) {
                            return NEED_MORE;
                        }
                        maskKey = (maskKey << 8) | (in.get() & 0xFF);
                        maskBytesLeft--;
                    }
                    state = PAYLOAD;
                    break;
                }
                case PAYLOAD: {
                    if (!headerDelivered) {
                        headerDelivered = true;
                        if (!listener.onFrameHeader(fin, rsv, opcode, payloadLength)) {
                            return STOPPED;
                        }
                    }
                    long left = payloadLength - payloadRead;
                    if (left == 0) {
                        state = FIRST_BYTE;
                        if (!listener.onFrameEnd()) {
                            return STOPPED;
                        }
                        break;
                    }
                    int start = in.position();
                    int available = in.limit() - start;
                    if (available == 0) {
                        return NEED_MORE;
                    }
                    int n = (int) Math.min(left, available);
                    int end = start + n;
                    if (expectMasked) { // past SECOND_BYTE, the mask bit equals what the role expects
                        Masking.apply(in, start, end, maskKey, payloadRead);
                    }
                    payloadRead += n;
                    int limit = in.limit();
                    in.limit(end);
                    boolean goOn = listener.onFramePayload(in);
                    in.limit(limit).position(end);
                    if (!goOn) {
                        return STOPPED;
                    }
                    break;
                }
                default:
                    return FAILED;
            }
        }
    }

    private void startMaskOrPayload() {
        payloadRead = 0;
        headerDelivered = false;
        maskKey = 0;
        if (expectMasked) {
            maskBytesLeft = 4;
            state = MASK_KEY;
        } else {
            state = PAYLOAD;
        }
    }

    private int fail(int code, String reason) {
        state = BROKEN;
        failureCode = code;
        failureReason = reason;
        return FAILED;
    }

    /**
     * Whether a framing rule has been broken; once broken, the decoder stays broken.
     *
     * @return {@code true} after {@link #decode} returned {@link #FAILED}
     */
    public boolean hasFailed() {
        return state == BROKEN;
    }

    /**
     * The close code for the broken rule: 1002 (protocol error) or 1009 (frame too big).
     *
     * @return the code, or 0 when nothing failed
     */
    public int failureCode() {
        return failureCode;
    }

    /**
     * A short description of the broken rule, fit for a close frame's reason and for logs; always
     * ASCII and at most 123 bytes.
     *
     * @return the reason, or {@code null} when nothing failed
     */
    public String failureReason() {
        return failureReason;
    }

    /**
     * Whether the decoder is between frames, with no partial frame held.
     *
     * @return {@code true} at a frame boundary
     */
    public boolean isAtFrameBoundary() {
        return state == FIRST_BYTE;
    }
}
