package io.tern.transport.internal;

import java.nio.ByteBuffer;

/**
 * Encodes a {@link CharSequence} as UTF-8 straight into a buffer, so sending a {@code String}
 * needs no intermediate {@code byte[]}. Unpaired surrogates become U+FFFD, so the output is always
 * valid UTF-8.
 */
final class Utf8 {

    private Utf8() {
    }

    /** The number of bytes {@link #encode} will write. */
    static int encodedLength(CharSequence s) {
        int n = s.length();
        long bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2; // 4 bytes for two chars
                i++;
            } else {
                bytes += 2; // 3 bytes: BMP character, or U+FFFD for a lone surrogate
            }
        }
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("text too long to encode: " + bytes + " UTF-8 bytes");
        }
        return (int) bytes;
    }

    /** Writes the UTF-8 of {@code s} at {@code out}'s position, advancing it. */
    static void encode(CharSequence s, ByteBuffer out) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.put((byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xC0 | (c >> 6)));
                out.put((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    out.put((byte) (0xF0 | (cp >> 18)));
                    out.put((byte) (0x80 | ((cp >> 12) & 0x3F)));
                    out.put((byte) (0x80 | ((cp >> 6) & 0x3F)));
                    out.put((byte) (0x80 | (cp & 0x3F)));
                } else {
                    out.put((byte) 0xEF).put((byte) 0xBF).put((byte) 0xBD); // U+FFFD
                }
            } else {
                out.put((byte) (0xE0 | (c >> 12)));
                out.put((byte) (0x80 | ((c >> 6) & 0x3F)));
                out.put((byte) (0x80 | (c & 0x3F)));
            }
        }
    }
}
