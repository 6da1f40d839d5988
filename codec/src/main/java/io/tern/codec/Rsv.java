package io.tern.codec;

/**
 * The three reserved header bits of RFC 6455 §5.2, as they sit in the first byte of a frame.
 *
 * <p>They are kept in place (not shifted down) so a decoder can test them with one mask. Without
 * a negotiated extension all three must be zero; permessage-deflate (RFC 7692) claims
 * {@link #RSV1}.
 */
public final class Rsv {
    /** The first reserved bit (0x40 of the first header byte); "compressed" under RFC 7692. */
    public static final int RSV1 = 0x40;
    /** The second reserved bit (0x20 of the first header byte). */
    public static final int RSV2 = 0x20;
    /** The third reserved bit (0x10 of the first header byte). */
    public static final int RSV3 = 0x10;
    /** All three reserved bits. */
    public static final int ALL = RSV1 | RSV2 | RSV3;
    /** No reserved bit. */
    public static final int NONE = 0;

    private Rsv() {
    }
}
