package io.tern.codec;

import java.nio.ByteBuffer;

/**
 * Incremental, fail-fast UTF-8 validation (RFC 3629) for text messages and close reasons.
 *
 * <p>A validator keeps the state of one byte stream across calls, so a message may be checked
 * fragment by fragment and read by read; a code point split between two calls is checked as one.
 * Validation stops at the first byte that can no longer be part of a valid sequence — the byte
 * that makes the input invalid is the byte that is reported — which lets a connection fail with
 * 1007 as soon as that byte arrives (RFC 6455 §8.1) instead of at the end of the message.
 *
 * <p>Rejected: bytes 0xC0, 0xC1 and 0xF5–0xFF anywhere; continuation bytes without a lead byte;
 * overlong forms (E0 followed by 80–9F, F0 followed by 80–8F); UTF-16 surrogates U+D800–U+DFFF
 * (ED followed by A0–BF); code points above U+10FFFF (F4 followed by 90–BF); a lead byte cut short
 * by a byte that is not a continuation byte.
 *
 * <p>Runs of ASCII are checked eight bytes at a time. A validator is not thread-safe; it holds no
 * buffers and allocates nothing.
 *
 * <pre>{@code
 * Utf8Validator v = new Utf8Validator();
 * int bad = v.validate(chunk, chunk.position(), chunk.limit());
 * if (bad >= 0) { ... close with 1007 ... }
 * // at the end of the message:
 * if (!v.isComplete()) { ... close with 1007: the message ends inside a code point ... }
 * }</pre>
 */
public final class Utf8Validator {

    // Byte classes: each byte value maps to one of twelve classes that the states distinguish.
    private static final int ASCII = 0;        // 00..7F
    private static final int CONT_LOW = 1;     // 80..8F
    private static final int CONT_MID = 2;     // 90..9F
    private static final int CONT_HIGH = 3;    // A0..BF
    private static final int INVALID = 4;      // C0, C1, F5..FF
    private static final int LEAD2 = 5;        // C2..DF
    private static final int LEAD3_E0 = 6;     // E0: next must be A0..BF (no overlongs)
    private static final int LEAD3 = 7;        // E1..EC, EE, EF
    private static final int LEAD3_ED = 8;     // ED: next must be 80..9F (no surrogates)
    private static final int LEAD4_F0 = 9;     // F0: next must be 90..BF (no overlongs)
    private static final int LEAD4 = 10;       // F1..F3
    private static final int LEAD4_F4 = 11;    // F4: next must be 80..8F (nothing above U+10FFFF)
    private static final int CLASSES = 12;

    // States: what the next byte must be.
    private static final int ACCEPT = 0;       // between code points
    private static final int REJECT = 1;       // invalid; sticky
    private static final int NEED_1 = 2;       // one more continuation byte (80..BF)
    private static final int NEED_2 = 3;       // two more continuation bytes
    private static final int NEED_3 = 4;       // three more continuation bytes
    private static final int AFTER_E0 = 5;     // A0..BF, then one more
    private static final int AFTER_ED = 6;     // 80..9F, then one more
    private static final int AFTER_F0 = 7;     // 90..BF, then two more
    private static final int AFTER_F4 = 8;     // 80..8F, then two more
    private static final int STATES = 9;

    private static final byte[] CLASS_OF = new byte[256];
    private static final byte[] NEXT = new byte[STATES * CLASSES];

    static {
        for (int b = 0; b < 256; b++) {
            int c;
            if (b < 0x80) c = ASCII;
            else if (b < 0x90) c = CONT_LOW;
            else if (b < 0xA0) c = CONT_MID;
            else if (b < 0xC0) c = CONT_HIGH;
            else if (b < 0xC2) c = INVALID;
            else if (b < 0xE0) c = LEAD2;
            else if (b == 0xE0) c = LEAD3_E0;
            else if (b == 0xED) c = LEAD3_ED;
            else if (b < 0xF0) c = LEAD3;
            else if (b == 0xF0) c = LEAD4_F0;
            else if (b < 0xF4) c = LEAD4;
            else if (b == 0xF4) c = LEAD4_F4;
            else c = INVALID;
            CLASS_OF[b] = (byte) c;
        }
        java.util.Arrays.fill(NEXT, (byte) REJECT);
        // Between code points: any valid start.
        at(ACCEPT, ASCII, ACCEPT);
        at(ACCEPT, LEAD2, NEED_1);
        at(ACCEPT, LEAD3_E0, AFTER_E0);
        at(ACCEPT, LEAD3, NEED_2);
        at(ACCEPT, LEAD3_ED, AFTER_ED);
        at(ACCEPT, LEAD4_F0, AFTER_F0);
        at(ACCEPT, LEAD4, NEED_3);
        at(ACCEPT, LEAD4_F4, AFTER_F4);
        // Plain continuations: 80..BF.
        for (int c = CONT_LOW; c <= CONT_HIGH; c++) {
            at(NEED_1, c, ACCEPT);
            at(NEED_2, c, NEED_1);
            at(NEED_3, c, NEED_2);
        }
        // Restricted second bytes.
        at(AFTER_E0, CONT_HIGH, NEED_1);
        at(AFTER_ED, CONT_LOW, NEED_1);
        at(AFTER_ED, CONT_MID, NEED_1);
        at(AFTER_F0, CONT_MID, NEED_2);
        at(AFTER_F0, CONT_HIGH, NEED_2);
        at(AFTER_F4, CONT_LOW, NEED_2);
    }

    private static void at(int state, int byteClass, int next) {
        NEXT[state * CLASSES + byteClass] = (byte) next;
    }

    private static final long HIGH_BITS = 0x8080808080808080L;

    private int state = ACCEPT;

    /** Creates a validator at the start of a stream (between code points). */
    public Utf8Validator() {
    }

    /**
     * Feeds bytes {@code from} (inclusive) to {@code to} (exclusive) of {@code buf}, by absolute
     * index; the buffer's position and limit are not used or changed.
     *
     * @param buf  the bytes, heap or direct
     * @param from absolute index of the first byte to check
     * @param to   absolute index one past the last byte to check
     * @return {@code -1} when no invalid byte was found (the stream may still end inside a code
     *     point: see {@link #isComplete()}), otherwise the absolute index of the first byte that
     *     made the stream invalid; after a failure every later call fails at its first byte
     */
    public int validate(ByteBuffer buf, int from, int to) {
        int s = state;
        if (s == REJECT) {
            return from < to ? from : -1;
        }
        int i = from;
        while (i < to) {
            if (s == ACCEPT) {
                // ASCII fast path: eight bytes at a time while no byte has its high bit set.
                // The test does not depend on the buffer's byte order.
                while (i + 8 <= to && (buf.getLong(i) & HIGH_BITS) == 0) {
                    i += 8;
                }
                if (i == to) {
                    break;
                }
            }
            s = NEXT[s * CLASSES + CLASS_OF[buf.get(i) & 0xFF]];
            if (s == REJECT) {
                state = REJECT;
                return i;
            }
            i++;
        }
        state = s;
        return -1;
    }

    /**
     * Feeds the remaining bytes of {@code buf} (position to limit) without moving its position.
     *
     * @param buf the bytes to check
     * @return as {@link #validate(ByteBuffer, int, int)}
     */
    public int validate(ByteBuffer buf) {
        return validate(buf, buf.position(), buf.limit());
    }

    /**
     * Whether the bytes fed so far form a sequence of whole, valid code points: true at the start,
     * false while a code point is incomplete, and false forever after an invalid byte.
     *
     * @return {@code true} when the stream could end here
     */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /**
     * Whether an invalid byte has been seen since the last {@link #reset()}.
     *
     * @return {@code true} after a failure
     */
    public boolean hasFailed() {
        return state == REJECT;
    }

    /** Returns the validator to the start of a new stream. */
    public void reset() {
        state = ACCEPT;
    }

    /**
     * Checks a complete byte sequence in one call, for example a close reason.
     *
     * @param buf  the bytes
     * @param from absolute index of the first byte
     * @param to   absolute index one past the last byte
     * @return {@code true} when the bytes are well-formed UTF-8 ending on a code point boundary
     */
    public static boolean isValid(ByteBuffer buf, int from, int to) {
        Utf8Validator v = new Utf8Validator();
        return v.validate(buf, from, to) < 0 && v.isComplete();
    }
}
