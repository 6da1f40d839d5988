package io.tern.codec.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/** Proves the test decoder against java.util.zip before it is trusted to judge the encoder. */
class StrictInflaterTest {

    private static byte[][] samples() {
        return new byte[][] {
            new byte[0],
            {42},
            TestData.random(70_000, 1),
            TestData.repetitive(100_000, 2),
            TestData.text(150_000, 3),
            TestData.json(80_000, 4),
            TestData.logs(90_000, 5),
            TestData.tempting(1000, 600, 6),
        };
    }

    @Test
    void agreesWithJdkInflaterOnJdkDeflaterStreams() throws Exception {
        int[] levels = {0, 1, 2, 4, 6, 9};
        int[] strategies = {Deflater.DEFAULT_STRATEGY, Deflater.FILTERED, Deflater.HUFFMAN_ONLY};
        int[] flushes = {Deflater.SYNC_FLUSH, Deflater.FULL_FLUSH, Codec.FINISH};
        int stored = 0;
        int fixed = 0;
        int dynamic = 0;
        int streams = 0;
        for (byte[] data : samples()) {
            for (int level : levels) {
                for (int strategy : strategies) {
                    for (int flush : flushes) {
                        byte[] z = Codec.jdkDeflate(data, level, strategy, flush);
                        byte[] expected = Codec.jdkInflate(z);
                        assertArrayEquals(data, expected);
                        StrictInflater strict = new StrictInflater();
                        assertArrayEquals(expected, strict.inflate(z),
                                "level " + level + " strategy " + strategy + " flush " + flush);
                        stored += strict.storedBlocks();
                        fixed += strict.fixedBlocks();
                        dynamic += strict.dynamicBlocks();
                        streams++;
                    }
                }
            }
        }
        // The cross-check only proves something if all three block kinds were exercised.
        assertTrue(stored > 0 && fixed > 0 && dynamic > 0,
                "stored=" + stored + " fixed=" + fixed + " dynamic=" + dynamic);
        assertTrue(streams > 400);
    }

    @Test
    void keepsHistoryAcrossSyncFlushedChunks() throws Exception {
        byte[] a = TestData.text(20_000, 7);
        byte[] b = TestData.text(20_000, 7); // identical: the second chunk can refer to the first
        Deflater def = new Deflater(6, true);
        byte[] za = deflateChunk(def, a);
        byte[] zb = deflateChunk(def, b);
        def.end();
        StrictInflater strict = new StrictInflater();
        Inflater inf = new Inflater(true);
        assertArrayEquals(a, strict.inflate(za));
        assertArrayEquals(a, Codec.jdkInflate(inf, za));
        assertArrayEquals(b, strict.inflate(zb));
        assertArrayEquals(b, Codec.jdkInflate(inf, zb));
        inf.end();
        assertTrue(zb.length < za.length / 10, "second chunk refers to the first");
        assertTrue(strict.maxDistance() >= 20_000, "cross-chunk reference recorded");
        // Without the first chunk's history the second is invalid.
        assertThrows(DataFormatException.class, () -> new StrictInflater().inflate(zb));
    }

    private static byte[] deflateChunk(Deflater def, byte[] data) {
        def.setInput(data);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (true) {
            int n = def.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            sink.write(buf, 0, n);
            if (n < buf.length) {
                return sink.toByteArray();
            }
        }
    }

    @Test
    void recordsDistances() throws Exception {
        byte[] data = TestData.tempting(1000, 600, 9);
        byte[] z = Codec.jdkDeflate(data, 9, Deflater.DEFAULT_STRATEGY, Deflater.SYNC_FLUSH);
        StrictInflater strict = new StrictInflater();
        assertArrayEquals(data, strict.inflate(z));
        assertTrue(strict.maxDistance() >= 1000 && strict.maxDistance() <= data.length);
        assertTrue(strict.distanceHistogram()[10] > 0, "1000 lies in (512, 1024]");
        assertTrue(strict.matchCount() > 0);

        StrictInflater none = new StrictInflater();
        none.inflate(Codec.jdkDeflate(TestData.random(5000, 1), 0, Deflater.DEFAULT_STRATEGY, Deflater.SYNC_FLUSH));
        assertEquals(0, none.maxDistance());
        assertEquals(0, none.matchCount());
    }

    // ---- Rejections. Streams are written bit by bit with a tiny LSB-first writer. ----

    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int acc;
        private int n;

        Bits put(int value, int count) {
            for (int i = 0; i < count; i++) {
                acc |= ((value >>> i) & 1) << n;
                if (++n == 8) {
                    out.write(acc);
                    acc = 0;
                    n = 0;
                }
            }
            return this;
        }

        /** Writes a Huffman code most significant bit first. */
        Bits code(int code, int len) {
            for (int i = len - 1; i >= 0; i--) {
                put((code >>> i) & 1, 1);
            }
            return this;
        }

        /** Appends an empty stored block (sync marker), which ends on a byte boundary. */
        Bits marker() {
            put(0, 3);
            if (n > 0) {
                put(0, 8 - n);
            }
            out.write(0);
            out.write(0);
            out.write(0xFF);
            out.write(0xFF);
            return this;
        }

        byte[] bytes() {
            if (n > 0) {
                out.write(acc);
                acc = 0;
                n = 0;
            }
            return out.toByteArray();
        }
    }

    /** Asserts that the strict decoder rejects {@code stream} with a message containing {@code why}. */
    private static void rejected(byte[] stream, String why) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> new StrictInflater().inflate(stream), why);
        assertTrue(e.getMessage().contains(why), "expected '" + why + "' but got '" + e.getMessage() + "'");
    }

    @Test
    void rejectsReservedBlockType() {
        rejected(new Bits().put(1, 1).put(3, 2).bytes(), "invalid block type 3");
    }

    @Test
    void rejectsStoredLengthMismatchAndTruncation() {
        rejected(new byte[] {1, 5, 0, (byte) 0xFA, (byte) 0xFE, 1, 2, 3, 4, 5}, "LEN does not match NLEN");
        rejected(new byte[] {1, 5, 0, (byte) 0xFA, (byte) 0xFF, 1, 2, 3}, "truncated stored data");
        // And the valid one is accepted, so the two above fail for the reason claimed.
        StrictInflater ok = new StrictInflater();
        try {
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5},
                    ok.inflate(new byte[] {1, 5, 0, (byte) 0xFA, (byte) 0xFF, 1, 2, 3, 4, 5}));
        } catch (DataFormatException e) {
            throw new AssertionError(e);
        }
    }

    /** Fixed block: literal 'a' then a match of length 3 at the given distance, then end of block. */
    private static byte[] fixedWithDistance(int distanceCodeSymbol, int extraBits, int extraValue) {
        Bits b = new Bits().put(1, 1).put(1, 2);
        b.code(0x30 + 'a', 8);        // literal 'a' (0..143 → 8-bit codes from 00110000)
        b.code(1, 7);                 // symbol 257 = length 3 (256..279 → 7-bit codes from 0)
        b.code(distanceCodeSymbol, 5);
        b.put(extraValue, extraBits);
        b.code(0, 7);                 // end of block
        return b.bytes();
    }

    @Test
    void rejectsDistanceBeyondOutput() throws Exception {
        // Distance 1 after one literal is fine ...
        StrictInflater ok = new StrictInflater();
        assertArrayEquals("aaaa".getBytes("US-ASCII"), ok.inflate(fixedWithDistance(0, 0, 0)));
        assertEquals(1, ok.maxDistance());
        assertArrayEquals("aaaa".getBytes("US-ASCII"), Codec.jdkInflate(fixedWithDistance(0, 0, 0)));
        // ... distance 2 is not.
        rejected(fixedWithDistance(1, 0, 0), "distance 2 too far back");
        rejected(fixedWithDistance(30, 0, 0), "invalid distance symbol 30");
        rejected(fixedWithDistance(31, 0, 0), "invalid distance symbol 31");
    }

    @Test
    void rejectsInvalidLiteralLengthSymbols() {
        // Fixed code: symbols 280..287 have 8-bit codes 11000000..11000111.
        rejected(new Bits().put(1, 1).put(1, 2).code(0x30 + 'a', 8).code(0xC0 + 6, 8).bytes(), "invalid literal/length symbol 286");
        rejected(new Bits().put(1, 1).put(1, 2).code(0x30 + 'a', 8).code(0xC0 + 7, 8).bytes(), "invalid literal/length symbol 287");
    }

    /**
     * Dynamic block header with the given literal/length and distance code lengths, using a
     * code-length code in which every length 0..15 has a 4-bit code (complete: 16 * 2^-4 = 1) and the
     * repeat symbols are unused; then emits the given literal symbols and end-of-block.
     */
    private static Bits dynamic(int[] litLens, int[] distLens, int... literals) {
        Bits b = new Bits().put(0, 1).put(2, 2);
        b.put(litLens.length - 257, 5).put(distLens.length - 1, 5).put(19 - 4, 4);
        int[] order = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
        for (int sym : order) {
            b.put(sym < 16 ? 4 : 0, 3);
        }
        // Canonical code for the code-length alphabet: symbol s (0..15) gets 4-bit code s.
        for (int len : litLens) {
            b.code(len, 4);
        }
        for (int len : distLens) {
            b.code(len, 4);
        }
        int[] codes = canonical(litLens);
        for (int sym : literals) {
            b.code(codes[sym], litLens[sym]);
        }
        b.code(codes[256], litLens[256]);
        return b;
    }

    private static int[] canonical(int[] lens) {
        int[] count = new int[16];
        for (int l : lens) {
            count[l]++;
        }
        count[0] = 0;
        int[] next = new int[16];
        int code = 0;
        for (int len = 1; len < 16; len++) {
            code = (code + count[len - 1]) << 1;
            next[len] = code;
        }
        int[] codes = new int[lens.length];
        for (int s = 0; s < lens.length; s++) {
            if (lens[s] != 0) {
                codes[s] = next[lens[s]]++;
            }
        }
        return codes;
    }

    @Test
    void dynamicHeaderValidation() throws Exception {
        // Valid: 'a', 'b', 'c', EOB each with 2-bit codes; one distance code of length 1 (allowed).
        int[] lit = new int[257];
        lit['a'] = 2;
        lit['b'] = 2;
        lit['c'] = 2;
        lit[256] = 2;
        int[] dist = {1};
        StrictInflater ok = new StrictInflater();
        // A non-final dynamic block alone does not end on a byte boundary; add an empty stored block.
        byte[] withMarker = dynamic(lit, dist, 'a', 'b', 'c').marker().bytes();
        assertArrayEquals("abc".getBytes("US-ASCII"), ok.inflate(withMarker));
        assertEquals(1, ok.dynamicBlocks());
        assertArrayEquals("abc".getBytes("US-ASCII"), Codec.jdkInflate(withMarker));

        int[] over = lit.clone();
        over['d'] = 2; // five 2-bit codes
        rejected(dynamic(over, dist, 'a').marker().bytes(), "over-subscribed LITLEN code");

        int[] incomplete = lit.clone();
        incomplete['c'] = 3; // 2^-2 * 3 + 2^-3 < 1
        rejected(dynamic(incomplete, dist, 'a').marker().bytes(), "incomplete LITLEN code");

        int[] noEob = lit.clone();
        noEob[256] = 0;
        noEob['d'] = 2;
        rejected(dynamic(noEob, dist, 'a').marker().bytes(), "missing end-of-block code");

        rejected(dynamic(lit, new int[] {2}, 'a').marker().bytes(), "incomplete DIST code");
        rejected(dynamic(lit, new int[] {1, 1, 1}, 'a').marker().bytes(), "over-subscribed DIST code");
    }

    @Test
    void codeLengthRepeatRules() {
        // HLIT=257, HDIST=1, code-length code: symbols 16 and 0 with 1-bit codes (complete).
        Bits b = new Bits().put(1, 1).put(2, 2).put(0, 5).put(0, 5).put(0, 4);
        // order 16,17,18,0: lengths 1,0,0,1
        b.put(1, 3).put(0, 3).put(0, 3).put(1, 3);
        b.code(1, 1); // symbol 16 first: nothing to repeat
        b.put(0, 2);
        rejected(b.bytes(), "repeat with no previous length");

        // Incomplete code-length code (only one code of length 1) is rejected even though zlib would
        // tolerate a lone length-1 code elsewhere.
        Bits c = new Bits().put(1, 1).put(2, 2).put(0, 5).put(0, 5).put(0, 4);
        c.put(0, 3).put(0, 3).put(0, 3).put(1, 3);
        rejected(c.bytes(), "incomplete CODE_LENGTHS code");

        // Zero run (18) longer than the remaining lengths.
        Bits d = new Bits().put(1, 1).put(2, 2).put(0, 5).put(0, 5).put(0, 4);
        d.put(0, 3).put(0, 3).put(1, 3).put(1, 3); // 16:0 17:0 18:1 0:1
        for (int i = 0; i < 3; i++) {
            d.code(1, 1).put(127, 7); // 18 with 138 zeros, three times = 414 > 258
        }
        rejected(d.bytes(), "repeat runs past the declared lengths");
    }

    @Test
    void rejectsTruncationAndTrailingData() throws Exception {
        byte[] z = Codec.jdkDeflate(TestData.text(5000, 1), 6, Deflater.DEFAULT_STRATEGY, Codec.FINISH);
        new StrictInflater().inflate(z);
        rejected(java.util.Arrays.copyOf(z, z.length - 1), "truncated input");
        rejected(java.util.Arrays.copyOf(z, z.length + 1), "trailing bytes after the final block");
        byte[] sync = Codec.jdkDeflate(TestData.text(5000, 1), 6, Deflater.DEFAULT_STRATEGY, Deflater.SYNC_FLUSH);
        new StrictInflater().inflate(sync);
        rejected(java.util.Arrays.copyOf(sync, sync.length - 2), "truncated stored header");
        byte[] noFlush = Codec.jdkDeflate(TestData.text(300_000, 1), 6, Deflater.DEFAULT_STRATEGY, Deflater.NO_FLUSH);
        assertTrue(noFlush.length > 0);
        rejected(noFlush, "truncated input");
    }
}
