package io.tern.transport.peers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The messages of every interoperability run, the same kinds and sizes as the peer scripts
 * ({@code client.js}, {@code client.py}) send: text of mixed 1- to 4-byte UTF-8 characters and
 * incompressible binary at 0, 1, 125, 126 (the first 16-bit length), 65536 (the first 64-bit
 * length) and 1 MiB (Tern's default message limit) bytes, plus compressible binary at 64 KiB and
 * 1 MiB; in the order text, compressible binary, incompressible binary, so that the 1 MiB
 * incompressible message (the one deflate expands) comes last.
 */
final class EchoMessages {

    static final int[] SIZES = {0, 1, 125, 126, 65536, 1 << 20};
    static final String PATTERN = "Tern \u2713 h\u00e9llo w\u00f6rld \u2014 \u65e5\u672c\u8a9e\u30c6\u30ad\u30b9\u30c8 "
            + "\ud834\udd1e\ud83c\udf89 \u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac ";

    /** One message: its name, whether it is text, and its exact bytes (UTF-8 for text). */
    record Message(String name, boolean text, byte[] bytes) {

        String string() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private EchoMessages() {
    }

    static List<Message> all() {
        List<Message> out = new ArrayList<>();
        for (int n : SIZES) {
            out.add(new Message("text-" + n, true, text(n).getBytes(StandardCharsets.UTF_8)));
        }
        for (int n : new int[] {65536, 1 << 20}) {
            out.add(new Message("pattern-" + n, false, pattern(n)));
        }
        for (int n : SIZES) {
            out.add(new Message("binary-" + n, false, noise(n)));
        }
        return out;
    }

    static long totalBytes() {
        return all().stream().mapToLong(m -> m.bytes().length).sum();
    }

    /** Exactly {@code n} UTF-8 bytes of mixed 1- to 4-byte characters (ASCII padding at the end). */
    static String text(int n) {
        StringBuilder sb = new StringBuilder();
        int bytes = 0;
        outer:
        for (int k = 0; bytes < n; k++) {
            String chunk = "[" + k + "] " + PATTERN;
            for (int i = 0; i < chunk.length(); ) {
                int cp = chunk.codePointAt(i);
                int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
                if (bytes + len > n) {
                    break outer;
                }
                sb.appendCodePoint(cp);
                bytes += len;
                i += Character.charCount(cp);
            }
        }
        while (bytes < n) {
            sb.append('x');
            bytes++;
        }
        return sb.toString();
    }

    static byte[] noise(int n) {
        byte[] out = new byte[n];
        new SplittableRandom(n).nextBytes(out);
        return out;
    }

    static byte[] pattern(int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (i * 7 + (i >>> 10));
        }
        return out;
    }
}
