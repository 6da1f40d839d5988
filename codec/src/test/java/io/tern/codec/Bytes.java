package io.tern.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Small byte helpers for tests. */
public final class Bytes {
    private Bytes() {
    }

    /** Parses hex with optional spaces, e.g. {@code "81 05 48 65"}. */
    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", "").replace("\n", ""));
    }

    /** Lower-case hex of the bytes, no separators. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** The remaining bytes of a buffer, without moving its position. */
    public static byte[] remaining(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** UTF-8 bytes of a string. */
    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Concatenation. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A byte array of {@code n} bytes with a deterministic pattern. */
    public static byte[] pattern(int n, int seed) {
        byte[] out = new byte[n];
        java.util.Random r = new java.util.Random(seed);
        r.nextBytes(out);
        return out;
    }
}
