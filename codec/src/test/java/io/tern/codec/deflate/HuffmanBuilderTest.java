package io.tern.codec.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HuffmanBuilderTest {

    private final HuffmanBuilder builder = new HuffmanBuilder(286);

    /** Checks completeness, the length limit, and that exactly the used symbols got codes. */
    private static void assertValid(int[] freq, int n, int maxBits, byte[] lengths) {
        long kraft = 0;
        int used = 0;
        int coded = 0;
        for (int s = 0; s < n; s++) {
            assertTrue(lengths[s] >= 0 && lengths[s] <= maxBits, "length " + lengths[s] + " > " + maxBits);
            if (freq[s] > 0) {
                used++;
                assertTrue(lengths[s] > 0, "used symbol " + s + " has no code");
            }
            if (lengths[s] > 0) {
                coded++;
                kraft += 1L << (maxBits - lengths[s]);
            }
        }
        assertEquals(1L << maxBits, kraft, "code must be complete");
        if (used >= 2) {
            assertEquals(used, coded, "only used symbols get codes");
        } else {
            assertEquals(2, coded, "a lone symbol is paired with a dummy");
        }
    }

    private static long cost(int[] freq, byte[] lengths, int n) {
        long c = 0;
        for (int s = 0; s < n; s++) {
            c += (long) freq[s] * lengths[s];
        }
        return c;
    }

    /** Plain, unlimited Huffman cost computed independently (repeatedly merging the two smallest). */
    private static long huffmanCost(int[] freq, int n) {
        java.util.PriorityQueue<Long> q = new java.util.PriorityQueue<>();
        for (int s = 0; s < n; s++) {
            if (freq[s] > 0) {
                q.add((long) freq[s]);
            }
        }
        long cost = 0;
        while (q.size() > 1) {
            long a = q.poll();
            long b = q.poll();
            cost += a + b;
            q.add(a + b);
        }
        return cost;
    }

    @Test
    void randomFrequenciesGiveOptimalCompleteCodes() {
        Random r = new Random(11);
        byte[] lengths = new byte[286];
        for (int iter = 0; iter < 2000; iter++) {
            int n = 2 + r.nextInt(285);
            int[] freq = new int[n];
            for (int s = 0; s < n; s++) {
                freq[s] = r.nextInt(3) == 0 ? 0 : r.nextInt(1 + r.nextInt(5000));
            }
            builder.buildLengths(freq, n, 15, lengths);
            assertValid(freq, n, 15, lengths);
            int longest = 0;
            for (int s = 0; s < n; s++) {
                longest = Math.max(longest, lengths[s]);
            }
            int used = 0;
            for (int f : freq) {
                used += f > 0 ? 1 : 0;
            }
            if (used >= 2 && longest < 15) {
                // No limiting happened, so the code must be exactly as good as plain Huffman.
                assertEquals(huffmanCost(freq, n), cost(freq, lengths, n));
            }
        }
    }

    @Test
    void skewedFrequenciesAreLimited() {
        byte[] lengths = new byte[286];
        // Fibonacci-like frequencies make an unlimited Huffman code as deep as the alphabet.
        int[] freq = new int[30];
        int a = 1;
        int b = 1;
        for (int s = 0; s < 30; s++) {
            freq[s] = a;
            int c = a + b;
            a = b;
            b = Math.min(c, 1 << 24);
        }
        builder.buildLengths(freq, 30, 15, lengths);
        assertValid(freq, 30, 15, lengths);
        assertEquals(15, max(lengths, 30), "the limit is reached, so limiting was exercised");
        // The limited code must not be much worse than the unlimited one.
        assertTrue(cost(freq, lengths, 30) <= huffmanCost(freq, 30) * 101 / 100);

        int[] cl = {1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181};
        builder.buildLengths(cl, 19, 7, lengths);
        assertValid(cl, 19, 7, lengths);
        assertEquals(7, max(lengths, 19));

        Random r = new Random(5);
        for (int iter = 0; iter < 2000; iter++) {
            int n = 2 + r.nextInt(285);
            int[] f = new int[n];
            for (int s = 0; s < n; s++) {
                // Exponentially spread frequencies: deep trees are common.
                f[s] = r.nextInt(4) == 0 ? 0 : 1 + (int) Math.min(1 << 22, Math.pow(2, r.nextDouble() * 22));
            }
            builder.buildLengths(f, n, 15, lengths);
            assertValid(f, n, 15, lengths);
            int m = Math.min(n, 19);
            builder.buildLengths(f, m, 7, lengths);
            assertValid(f, m, 7, lengths);
        }
    }

    @Test
    void degenerateAlphabets() {
        byte[] lengths = new byte[30];
        int[] none = new int[30];
        builder.buildLengths(none, 30, 15, lengths);
        assertEquals(1, lengths[0]);
        assertEquals(1, lengths[1]);
        int[] one = new int[30];
        one[7] = 99;
        builder.buildLengths(one, 30, 15, lengths);
        assertValid(one, 30, 15, lengths);
        assertEquals(1, lengths[7]);
        int[] zero = new int[30];
        zero[0] = 5;
        builder.buildLengths(zero, 30, 15, lengths);
        assertEquals(1, lengths[0]);
        assertEquals(1, lengths[1]);
    }

    @Test
    void canonicalCodesArePrefixFreeAndFollowRfcExample() {
        // RFC 1951 section 3.2.2 example: lengths (3, 3, 3, 3, 3, 2, 4, 4) for A..H give
        // codes 010, 011, 100, 101, 110, 00, 1110, 1111.
        byte[] lengths = {3, 3, 3, 3, 3, 2, 4, 4};
        int[] codes = new int[8];
        builder.assignCodes(lengths, 8, codes);
        int[] expected = {0b010, 0b011, 0b100, 0b101, 0b110, 0b00, 0b1110, 0b1111};
        for (int s = 0; s < 8; s++) {
            int reversed = Integer.reverse(codes[s]) >>> (32 - lengths[s]);
            assertEquals(expected[s], reversed, "symbol " + s);
        }

        Random r = new Random(3);
        byte[] lens = new byte[286];
        int[] c = new int[286];
        for (int iter = 0; iter < 200; iter++) {
            int[] freq = new int[286];
            for (int s = 0; s < 286; s++) {
                freq[s] = r.nextInt(2) == 0 ? 0 : r.nextInt(1000);
            }
            builder.buildLengths(freq, 286, 15, lens);
            builder.assignCodes(lens, 286, c);
            for (int x = 0; x < 286; x++) {
                for (int y = 0; y < 286; y++) {
                    if (x != y && lens[x] > 0 && lens[y] > 0 && lens[x] <= lens[y]) {
                        int mask = (1 << lens[x]) - 1;
                        assertTrue((c[y] & mask) != c[x], "code of " + x + " is a prefix of " + y);
                    }
                }
            }
        }
    }

    private static int max(byte[] a, int n) {
        int m = 0;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, a[i]);
        }
        return m;
    }
}
