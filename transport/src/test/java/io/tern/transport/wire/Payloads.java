package io.tern.transport.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** Reproducible test payloads, digests and a bounded wait. */
final class Payloads {

    static final int MIB = 1 << 20;

    /** Sizes on both sides of every length encoding boundary, and one large message. */
    static final int[] SIZES = {0, 1, 125, 126, 65535, 65536, 16 * MIB};

    /** Characters of 1, 2, 3 and 4 UTF-8 bytes (the last two as surrogate pairs). */
    private static final String[] CHARS = {"a", "Z", " ", "~", "é", "ß", "Ж", "€", "中", "ह", "😀", "𝄞"};

    private static final Map<Integer, String> TEXTS = new ConcurrentHashMap<>();
    private static final Map<Integer, byte[]> BINARIES = new ConcurrentHashMap<>();

    private Payloads() {
    }

    /** A string whose UTF-8 encoding is exactly {@code utf8Bytes} long, mostly multi-byte characters. */
    static String text(int utf8Bytes) {
        return TEXTS.computeIfAbsent(utf8Bytes, n -> {
            SplittableRandom rnd = new SplittableRandom(0x7e57 + n);
            StringBuilder b = new StringBuilder(n);
            int left = n;
            while (left > 0) {
                String c = CHARS[rnd.nextInt(CHARS.length)];
                int len = c.getBytes(StandardCharsets.UTF_8).length;
                if (len > left) {
                    c = "x";
                    len = 1;
                }
                b.append(c);
                left -= len;
            }
            String s = b.toString();
            if (s.getBytes(StandardCharsets.UTF_8).length != n) {
                throw new IllegalStateException("text generator is off");
            }
            return s;
        });
    }

    /** Bytes of every value, partly repetitive so that compression has something to do. */
    static byte[] binary(int size) {
        return BINARIES.computeIfAbsent(size, n -> {
            SplittableRandom rnd = new SplittableRandom(0xb1a + n);
            byte[] b = new byte[n];
            int i = 0;
            while (i < n) {
                int run = Math.min(n - i, 1 + rnd.nextInt(64));
                if (i >= 256 && rnd.nextBoolean()) {
                    int from = rnd.nextInt(i - run + 1 > 0 ? i - run + 1 : 1);
                    System.arraycopy(b, from, b, i, Math.min(run, i - from));
                    i += Math.min(run, i - from);
                } else {
                    for (int k = 0; k < run; k++) {
                        b[i++] = (byte) rnd.nextInt(256);
                    }
                }
            }
            return b;
        });
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code condition} holds, at most {@code millis}; false when it never did. */
    static boolean waitUntil(long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
