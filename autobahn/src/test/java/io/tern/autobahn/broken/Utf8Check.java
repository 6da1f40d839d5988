package io.tern.autobahn.broken;

/**
 * An incremental UTF-8 validator (RFC 3629 §4: shortest forms only, no surrogates, nothing above
 * U+10FFFF) for the broken testees, fed byte by byte across frames, so a caller can fail at the
 * first byte that can no longer be part of valid UTF-8.
 *
 * <p>Confined to one connection's thread.
 */
final class Utf8Check {

    private int needed;
    private int lower = 0x80;
    private int upper = 0xbf;

    /**
     * Feeds bytes.
     *
     * @param bytes the bytes
     * @param from  first index
     * @param to    end index (exclusive)
     * @return {@code false} as soon as a byte cannot continue valid UTF-8
     */
    boolean feed(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xff;
            if (needed == 0) {
                if (b < 0x80) {
                    continue;
                }
                if (b >= 0xc2 && b <= 0xdf) {
                    needed = 1;
                } else if (b >= 0xe0 && b <= 0xef) {
                    needed = 2;
                    lower = b == 0xe0 ? 0xa0 : 0x80;
                    upper = b == 0xed ? 0x9f : 0xbf;
                } else if (b >= 0xf0 && b <= 0xf4) {
                    needed = 3;
                    lower = b == 0xf0 ? 0x90 : 0x80;
                    upper = b == 0xf4 ? 0x8f : 0xbf;
                } else {
                    return false;
                }
                continue;
            }
            if (b < lower || b > upper) {
                return false;
            }
            lower = 0x80;
            upper = 0xbf;
            needed--;
        }
        return true;
    }

    /** @return whether the bytes fed so far end on a whole code point */
    boolean complete() {
        return needed == 0;
    }

    /** Starts over for the next message. */
    void reset() {
        needed = 0;
        lower = 0x80;
        upper = 0xbf;
    }
}
