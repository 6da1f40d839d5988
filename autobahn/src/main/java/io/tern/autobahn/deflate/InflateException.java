package io.tern.autobahn.deflate;

/**
 * A compressed message that {@link CheckingInflater} refused: what was wrong, and where.
 *
 * <p>{@link #inputBitOffset()} counts bits of the message's compressed payload (as received, before
 * the {@code 00 00 ff ff} tail is appended, RFC 7692 §7.2.2) up to the bit at which the decoder
 * stopped; {@link #outputOffset()} counts the bytes of the message inflated before the fault. For
 * a back-reference fault {@link #distance()} is the offending distance in bytes, otherwise 0.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class InflateException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the compressed data was refused. */
    public enum Kind {
        /** Not valid DEFLATE data (RFC 1951 §3.2): bad block type, bad code, truncated, etc. */
        MALFORMED,
        /** A back-reference farther than the negotiated LZ77 window, 2^max_window_bits (RFC 7692 §7.1.2). */
        WINDOW_EXCEEDED,
        /**
         * A back-reference into an earlier message although the sender agreed to no context
         * takeover (RFC 7692 §7.1.1).
         */
        CONTEXT_TAKEOVER,
        /** A back-reference before the first byte the stream ever produced (RFC 1951 §3.2.5). */
        BEFORE_STREAM_START,
        /** The inflated message would exceed the output limit. */
        TOO_LARGE
    }

    private final Kind kind;
    private final long inputBitOffset;
    private final long outputOffset;
    private final int distance;

    InflateException(Kind kind, String detail, long inputBitOffset, long outputOffset, int distance) {
        super(kind + ": " + detail + " (at compressed bit " + inputBitOffset + ", inflated byte "
                + outputOffset + ")");
        this.kind = kind;
        this.inputBitOffset = inputBitOffset;
        this.outputOffset = outputOffset;
        this.distance = distance;
    }

    /** @return the category of the fault */
    public Kind kind() {
        return kind;
    }

    /** @return bits of the compressed message consumed when the fault was found */
    public long inputBitOffset() {
        return inputBitOffset;
    }

    /** @return bytes of this message inflated before the fault */
    public long outputOffset() {
        return outputOffset;
    }

    /** @return the offending back-reference distance in bytes, or 0 if the fault is not one */
    public int distance() {
        return distance;
    }
}
