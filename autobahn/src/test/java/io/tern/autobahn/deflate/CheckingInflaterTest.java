package io.tern.autobahn.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.autobahn.deflate.InflateException.Kind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class CheckingInflaterTest {

    private static final int BIG = 64 << 20;

    /** Compresses one message per array with one Deflater (context kept unless reset), tail stripped. */
    static byte[][] zlibMessages(int level, int strategy, boolean reset, byte[]... messages) {
        Deflater d = new Deflater(level, true);
        d.setStrategy(strategy);
        byte[][] out = new byte[messages.length][];
        try {
            for (int i = 0; i < messages.length; i++) {
                if (reset) {
                    d.reset();
                }
                d.setInput(messages[i]);
                ByteArrayOutputStream bos = new ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                int n;
                byte[] c;
                // the JDK applies a pending setStrategy in a call of its own, which may return
                // without flushing: go on until the sync flush's tail is out
                do {
                    n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                    bos.write(buf, 0, n);
                    c = bos.toByteArray();
                } while (n == buf.length || !d.needsInput() || c.length < 4 || c[c.length - 1] != (byte) 0xff
                        || c[c.length - 2] != (byte) 0xff || c[c.length - 3] != 0 || c[c.length - 4] != 0);
                assertArrayEquals(new byte[] {0, 0, (byte) 0xff, (byte) 0xff}, Arrays.copyOfRange(c, c.length - 4, c.length));
                out[i] = Arrays.copyOf(c, c.length - 4);
            }
        } finally {
            d.end();
        }
        return out;
    }

    static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Bytes with a skewed distribution, so dynamic codes get lengths up to 15 bits. */
    static byte[] skewed(long seed, int n) {
        Random r = new Random(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            int v = 0;
            while (v < 255 && r.nextInt(3) != 0) {
                v++;
            }
            b[i] = (byte) v;
        }
        return b;
    }

    static byte[][] samples() {
        byte[] text = "Da steh ich nun, ich armer Tor! Und bin so klug als wie zuvor; ".repeat(300).getBytes(StandardCharsets.UTF_8);
        return new byte[][] {new byte[0], new byte[] {42}, random(1, 100), random(2, 70000), new byte[100000], text,
            skewed(3, 50000), Corpus.JSON.slicer().next(20000), Corpus.BITMAP.slicer().next(131072)};
    }

    @Test
    void inflatesWhatZlibDeflatesAtEveryLevelAndStrategy() throws Exception {
        for (int level = 0; level <= 9; level++) {
            for (int strategy : new int[] {Deflater.DEFAULT_STRATEGY, Deflater.FILTERED, Deflater.HUFFMAN_ONLY}) {
                byte[][] msgs = samples();
                byte[][] context = zlibMessages(level, strategy, false, msgs);
                byte[][] alone = zlibMessages(level, strategy, true, msgs);
                CheckingInflater withContext = new CheckingInflater(15, false, BIG);
                CheckingInflater without = new CheckingInflater(15, true, BIG);
                for (int i = 0; i < msgs.length; i++) {
                    String where = "level " + level + " strategy " + strategy + " message " + i;
                    assertArrayEquals(msgs[i], withContext.inflate(context[i], 0, context[i].length), where);
                    assertArrayEquals(msgs[i], without.inflate(alone[i], 0, alone[i].length), where);
                }
            }
        }
    }

    @Test
    void inflatesAFinishedStreamWithBfinalAndIgnoresTheAppendedTail() throws Exception {
        byte[] msg = random(7, 5000);
        Deflater d = new Deflater(6, true);
        d.setInput(msg);
        d.finish();
        byte[] buf = new byte[10000];
        int n = d.deflate(buf);
        d.end();
        CheckingInflater inf = new CheckingInflater(15, false, BIG);
        assertArrayEquals(msg, inf.inflate(buf, 0, n));
        byte[][] next = zlibMessages(6, Deflater.DEFAULT_STRATEGY, true, msg);
        assertArrayEquals(msg, inf.inflate(next[0], 0, next[0].length));
    }

    @Test
    void theExamplesOfRfc7692Section7_2_3() throws Exception {
        byte[] hello = "Hello".getBytes(StandardCharsets.US_ASCII);
        java.util.HexFormat hex = java.util.HexFormat.ofDelimiter(" ");
        String[] alone = {"f2 48 cd c9 c9 07 00", "00 05 00 fa ff 48 65 6c 6c 6f 00", "f3 48 cd c9 c9 07 00 00",
            "f2 48 05 00 00 00 ff ff ca c9 c9 07 00"};
        for (String example : alone) {
            byte[] z = hex.parseHex(example);
            assertArrayEquals(hello, new CheckingInflater(15, true, 100).inflate(z, 0, z.length), example);
        }
        // §7.2.3.2: the second message refers into the first
        CheckingInflater shared = new CheckingInflater(15, false, 100);
        byte[] first = hex.parseHex("f2 48 cd c9 c9 07 00");
        byte[] second = hex.parseHex("f2 00 11 00 00");
        assertArrayEquals(hello, shared.inflate(first, 0, first.length));
        assertArrayEquals(hello, shared.inflate(second, 0, second.length));
        CheckingInflater alone2 = new CheckingInflater(15, true, 100);
        alone2.inflate(first, 0, first.length);
        InflateException e = assertThrows(InflateException.class, () -> alone2.inflate(second, 0, second.length));
        assertEquals(Kind.CONTEXT_TAKEOVER, e.kind());
        assertEquals(5, e.distance());
    }

    @Test
    void emptyAndStoredBlocks() throws Exception {
        CheckingInflater inf = new CheckingInflater(15, false, BIG);
        assertEquals(0, inf.inflate(new byte[] {0}, 0, 1).length, "empty stored block");
        assertEquals(0, inf.inflate(new byte[] {0x02, 0x00}, 0, 2).length, "empty fixed block then the tail's stored block");
        assertEquals(0, inf.inflate(new byte[] {0x02, 0x08, 0x00}, 0, 3).length, "two empty fixed blocks, then the tail's");
        // a stored block "abc", then the tail
        byte[] stored = {0x00, 0x03, 0x00, (byte) 0xfc, (byte) 0xff, 'a', 'b', 'c', 0x00};
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), inf.inflate(stored, 0, stored.length));
        byte[] big = random(9, 200000);
        byte[][] c = zlibMessages(0, Deflater.DEFAULT_STRATEGY, false, big);
        assertArrayEquals(big, inf.inflate(c[0], 0, c[0].length), "several stored blocks of up to 65535 bytes");
    }

    @Test
    void everyTruncationAndEveryFlippedByteFailsCleanlyOrInflates() {
        byte[] msg = Corpus.JSON.slicer().next(3000);
        byte[] c = zlibMessages(6, Deflater.DEFAULT_STRATEGY, true, msg)[0];
        int failures = 0;
        for (int cut = 0; cut < c.length; cut++) {
            try {
                byte[] got = new CheckingInflater(15, true, 1 << 20).inflate(c, 0, cut);
                assertTrue(got.length <= msg.length);
            } catch (InflateException e) {
                failures++;
            }
        }
        assertTrue(failures > c.length / 2, "most truncations are detected: " + failures + " of " + c.length);
        for (int i = 0; i < c.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = c.clone();
                bad[i] ^= (byte) (1 << bit);
                try {
                    new CheckingInflater(15, true, 1 << 20).inflate(bad, 0, bad.length);
                } catch (InflateException e) {
                    assertTrue(e.inputBitOffset() <= (long) bad.length * 8);
                }
            }
        }
    }

    @Test
    void zlibOutputWithAFarRepeatBreaksASmallWindowAtTheExactDistance() throws Exception {
        byte[] block = random(11, 1000);
        byte[] msg = new byte[2000];
        System.arraycopy(block, 0, msg, 0, 1000);
        System.arraycopy(block, 0, msg, 1000, 1000);
        byte[] c = zlibMessages(6, Deflater.DEFAULT_STRATEGY, true, msg)[0];
        assertArrayEquals(msg, new CheckingInflater(10, true, BIG).inflate(c, 0, c.length), "1000 fits 1024");
        InflateException e = assertThrows(InflateException.class, () -> new CheckingInflater(9, true, BIG).inflate(c, 0, c.length));
        assertEquals(Kind.WINDOW_EXCEEDED, e.kind());
        assertEquals(1000, e.distance());
        assertTrue(e.outputOffset() >= 1000 && e.outputOffset() <= 1002, "zlib may emit a literal or two first: " + e.outputOffset());
        assertTrue(e.getMessage().contains("distance 1000 exceeds the negotiated window of 512 bytes (max_window_bits=9)"), e.getMessage());
    }

    @Test
    void aSenderThatKeepsContextDespiteNoContextTakeoverIsCaught() throws Exception {
        byte[] msg = random(12, 100);
        byte[][] c = zlibMessages(6, Deflater.DEFAULT_STRATEGY, false, msg, msg);
        CheckingInflater inf = new CheckingInflater(15, true, BIG);
        assertArrayEquals(msg, inf.inflate(c[0], 0, c[0].length));
        InflateException e = assertThrows(InflateException.class, () -> inf.inflate(c[1], 0, c[1].length));
        assertEquals(Kind.CONTEXT_TAKEOVER, e.kind());
        assertEquals(Kind.CONTEXT_TAKEOVER, e.kind());
        assertTrue(e.outputOffset() <= 2, "the repeat starts at once (a literal or two first at most): " + e.outputOffset());
        assertEquals(100, e.distance(), "the repeat period");
        assertThrows(IllegalStateException.class, () -> inf.inflate(c[0], 0, c[0].length), "broken for good");
        // with context takeover agreed, the same stream is fine
        CheckingInflater ok = new CheckingInflater(15, false, BIG);
        assertArrayEquals(msg, ok.inflate(c[0], 0, c[0].length));
        assertArrayEquals(msg, ok.inflate(c[1], 0, c[1].length));
    }

    /** A crafted stream: stored block of n bytes, then a fixed block with one match (length 3, distance d). */
    static byte[] craftedMatch(int storedLen, int distance) {
        BitWriter w = new BitWriter();
        w.bits(0, 1);
        w.bits(0, 2);
        w.align();
        w.bits(storedLen, 16);
        w.bits(~storedLen & 0xffff, 16);
        for (int i = 0; i < storedLen; i++) {
            w.bits('x' + i % 7, 8);
        }
        w.bits(0, 1);
        w.bits(1, 2);
        w.huffman(1, 7); // symbol 257: length 3, fixed code 0000001
        int code = 0;
        while (code + 1 < 30 && DIST_BASE[code + 1] <= distance) {
            code++;
        }
        w.huffman(code, 5);
        w.bits(distance - DIST_BASE[code], DIST_EXTRA[code]);
        w.huffman(0, 7); // end of block
        w.bits(0, 3); // the sync flush's stored block header; the tail is appended by the inflater
        return w.toBytes();
    }

    private static final int[] DIST_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
        257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DIST_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8,
        9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

    @Test
    void craftedDistancesAreCheckedAtTheirBoundaries() throws Exception {
        for (int b = 8; b <= 15; b++) {
            final int bits = b;
            int w = 1 << bits;
            byte[] ok = craftedMatch(w + 10, w);
            byte[] got = new CheckingInflater(bits, true, BIG).inflate(ok, 0, ok.length);
            assertEquals(w + 13, got.length);
            assertEquals(got[10], got[w + 10], "copied from exactly 2^bits back");
            if (bits == 15) {
                continue; // 32769 cannot be coded: RFC 1951's largest distance is 32768
            }
            byte[] far = craftedMatch(w + 10, w + 1);
            InflateException e = assertThrows(InflateException.class, () -> new CheckingInflater(bits, true, BIG).inflate(far, 0, far.length));
            assertEquals(Kind.WINDOW_EXCEEDED, e.kind());
            assertEquals(w + 1, e.distance());
            assertEquals(w + 10, e.outputOffset());
            // stored header 3 bits + 5 padding + 32 length bits + data, fixed header 3, length code 7, distance 5 + extra
            int code = 0;
            while (code + 1 < 30 && DIST_BASE[code + 1] <= w + 1) {
                code++;
            }
            assertEquals(8 + 32 + 8L * (w + 10) + 3 + 7 + 5 + DIST_EXTRA[code], e.inputBitOffset());
        }
        byte[] before = craftedMatch(5, 6);
        InflateException e = assertThrows(InflateException.class, () -> new CheckingInflater(15, false, BIG).inflate(before, 0, before.length));
        assertEquals(Kind.BEFORE_STREAM_START, e.kind());
        assertEquals(6, e.distance());
    }

    @Test
    void outputIsBoundedByTheLimit() throws Exception {
        byte[] zeros = new byte[100000];
        byte[] c = zlibMessages(9, Deflater.DEFAULT_STRATEGY, true, zeros)[0];
        assertTrue(c.length < 1000);
        assertEquals(100000, new CheckingInflater(15, true, 100000).inflate(c, 0, c.length).length);
        InflateException e = assertThrows(InflateException.class, () -> new CheckingInflater(15, true, 99999).inflate(c, 0, c.length));
        assertEquals(Kind.TOO_LARGE, e.kind());
        assertTrue(e.outputOffset() <= 99999 + 258);
        byte[] stored = zlibMessages(0, Deflater.DEFAULT_STRATEGY, true, new byte[5000])[0];
        assertEquals(Kind.TOO_LARGE, assertThrows(InflateException.class,
                () -> new CheckingInflater(15, true, 4999).inflate(stored, 0, stored.length)).kind());
    }

    @Test
    void malformedBlocksAreNamed() {
        assertMalformed(new byte[] {0x06}, "reserved block type 3");
        assertMalformed(new byte[] {0x00, 0x01, 0x00, 0x00, 0x00}, "does not match NLEN");
        // dynamic block header with HLIT = 287 (30 + 257)
        assertMalformed(new byte[] {(byte) (0x04 | (30 << 3)), 0x00, 0x00}, "more than 286");
        // fixed block with literal/length symbol 286 (code 11000110, 8 bits)
        BitWriter w = new BitWriter();
        w.bits(0, 1);
        w.bits(1, 2);
        w.huffman(0xc6, 8);
        assertMalformed(w.toBytes(), "invalid literal/length code 286");
        // fixed block with distance code 30
        w = new BitWriter();
        w.bits(0, 1);
        w.bits(1, 2);
        w.huffman(0x30 + 'a', 8);
        w.huffman(1, 7);
        w.huffman(30, 5);
        assertMalformed(w.toBytes(), "invalid distance code 30");
    }

    private static void assertMalformed(byte[] data, String detail) {
        InflateException e = assertThrows(InflateException.class, () -> new CheckingInflater(15, true, BIG).inflate(data, 0, data.length));
        assertEquals(Kind.MALFORMED, e.kind());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new CheckingInflater(7, true, 1));
        assertThrows(IllegalArgumentException.class, () -> new CheckingInflater(16, true, 1));
        assertThrows(IllegalArgumentException.class, () -> new CheckingInflater(15, true, -1));
    }

    /** DEFLATE bit packing for crafted streams: values LSB first, Huffman codes MSB first (RFC 1951 §3.1.1). */
    static final class BitWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int acc;
        private int n;

        void bits(int value, int count) {
            for (int i = 0; i < count; i++) {
                acc |= ((value >>> i) & 1) << n;
                if (++n == 8) {
                    out.write(acc);
                    acc = 0;
                    n = 0;
                }
            }
        }

        void huffman(int code, int len) {
            for (int i = len - 1; i >= 0; i--) {
                bits((code >>> i) & 1, 1);
            }
        }

        void align() {
            if (n > 0) {
                bits(0, 8 - n);
            }
        }

        byte[] toBytes() {
            align();
            return out.toByteArray();
        }
    }
}
