package io.tern.codec.deflate;

/**
 * Builds length-limited prefix codes: from symbol frequencies to code lengths, and from code
 * lengths to the canonical codes of RFC 1951 section 3.2.2.
 *
 * <p>The produced code is always complete (the Kraft sum is exactly one) and, whenever at least
 * one symbol is used, has at least two codes, so that every decoder accepts it. Lengths come from
 * an ordinary Huffman construction (two-queue method over frequency-sorted leaves); if the longest
 * code exceeds the limit, the length histogram is repaired to satisfy the limit and the lengths are
 * handed out again, shortest to the most frequent symbols.
 *
 * <p>All working storage is allocated in the constructor; building never allocates. Not thread-safe.
 */
final class HuffmanBuilder {

    private final int capacity;
    /** Used symbols packed as {@code frequency << 16 | symbol}, sorted ascending. */
    private final long[] leaves;
    /** Weight of internal node {@code j} (nodes are created in non-decreasing weight order). */
    private final long[] nodeWeight;
    /** Internal node that is the parent of leaf {@code i}. */
    private final int[] leafParent;
    /** Internal node that is the parent of internal node {@code j}. */
    private final int[] nodeParent;
    /** Depth of internal node {@code j}, then reused for the depth of leaf {@code i}. */
    private final int[] depth;
    /** Number of codes per length, indexed 0..capacity. */
    private final int[] lengthCount;
    /** Next canonical code per length. */
    private final int[] nextCode = new int[16];

    /**
     * Creates a builder for alphabets of up to {@code capacity} symbols.
     *
     * @param capacity largest alphabet size that will be passed to the build methods
     */
    HuffmanBuilder(int capacity) {
        this.capacity = capacity;
        leaves = new long[capacity];
        nodeWeight = new long[capacity];
        leafParent = new int[capacity];
        nodeParent = new int[capacity];
        depth = new int[capacity];
        lengthCount = new int[capacity + 1];
    }

    /**
     * Computes code lengths for the first {@code n} symbols.
     *
     * @param freq frequency of each symbol (non-negative)
     * @param n number of symbols, at least 2 and at most the capacity
     * @param maxBits longest allowed code, at least {@code ceil(log2(n))}
     * @param lengths receives the code length of each symbol, 0 for unused symbols
     */
    void buildLengths(int[] freq, int n, int maxBits, byte[] lengths) {
        if (n < 2 || n > capacity) {
            throw new IllegalArgumentException("alphabet size " + n);
        }
        int used = 0;
        for (int s = 0; s < n; s++) {
            lengths[s] = 0;
            if (freq[s] != 0) {
                leaves[used++] = ((long) freq[s] << 16) | s;
            }
        }
        if (used < 2) {
            // A lone code would be incomplete; pair the used symbol (or symbol 0) with a neighbour.
            int s = used == 0 ? 0 : (int) (leaves[0] & 0xFFFF);
            lengths[s] = 1;
            lengths[s == 0 ? 1 : 0] = 1;
            return;
        }
        sort(leaves, used);

        // Two-queue construction: leaves are consumed in ascending order, and internal nodes are
        // produced in ascending order, so the two smallest candidates are always at a queue head.
        int nextLeaf = 0;
        int nextNode = 0;
        for (int node = 0; node < used - 1; node++) {
            long weight = 0;
            for (int pick = 0; pick < 2; pick++) {
                if (nextLeaf < used
                        && (nextNode >= node || (leaves[nextLeaf] >>> 16) <= nodeWeight[nextNode])) {
                    weight += leaves[nextLeaf] >>> 16;
                    leafParent[nextLeaf++] = node;
                } else {
                    weight += nodeWeight[nextNode];
                    nodeParent[nextNode++] = node;
                }
            }
            nodeWeight[node] = weight;
        }
        int root = used - 2;
        depth[root] = 0;
        for (int node = root - 1; node >= 0; node--) {
            depth[node] = depth[nodeParent[node]] + 1;
        }
        int longest = 0;
        for (int i = 0; i < used; i++) {
            int len = depth[leafParent[i]] + 1;
            leafParent[i] = len; // reuse: from here on this array holds leaf lengths
            longest = Math.max(longest, len);
        }
        if (longest <= maxBits) {
            for (int i = 0; i < used; i++) {
                lengths[(int) (leaves[i] & 0xFFFF)] = (byte) leafParent[i];
            }
            return;
        }
        limitLengths(used, maxBits, longest);
        // Hand the repaired lengths out again: least frequent symbols get the longest codes.
        int i = 0;
        for (int len = maxBits; len >= 1; len--) {
            for (int k = lengthCount[len]; k > 0; k--) {
                lengths[(int) (leaves[i++] & 0xFFFF)] = (byte) len;
            }
        }
    }

    /**
     * Rewrites the length histogram so that no code is longer than {@code maxBits} while the code
     * stays complete.
     */
    private void limitLengths(int used, int maxBits, int longest) {
        for (int len = 0; len <= longest; len++) {
            lengthCount[len] = 0;
        }
        for (int i = 0; i < used; i++) {
            lengthCount[Math.min(leafParent[i], maxBits)]++;
        }
        // Kraft sum measured in units of 2^-maxBits; a complete code sums to exactly 2^maxBits.
        long target = 1L << maxBits;
        long kraft = 0;
        for (int len = 1; len <= maxBits; len++) {
            kraft += (long) lengthCount[len] << (maxBits - len);
        }
        // Too many short codes: push the longest code that is still below the limit one level down.
        while (kraft > target) {
            int len = maxBits - 1;
            while (lengthCount[len] == 0) {
                len--;
            }
            lengthCount[len]--;
            lengthCount[len + 1]++;
            kraft -= 1L << (maxBits - len - 1);
        }
        // Possible overshoot: pull the longest codes one level up until the code is complete again.
        // Every code is at most as long as the longest one, so the gain never exceeds the deficit.
        while (kraft < target) {
            int len = maxBits;
            while (lengthCount[len] == 0) {
                len--;
            }
            lengthCount[len]--;
            lengthCount[len - 1]++;
            kraft += 1L << (maxBits - len);
        }
    }

    /**
     * Assigns canonical codes (RFC 1951 section 3.2.2) to the first {@code n} symbols, bit-reversed
     * so that they can be sent least significant bit first.
     *
     * @param lengths code length of each symbol, 0..15
     * @param n number of symbols
     * @param codes receives the bit-reversed code of each symbol (0 for unused symbols)
     */
    void assignCodes(byte[] lengths, int n, int[] codes) {
        int[] count = nextCode;
        for (int len = 0; len < 16; len++) {
            count[len] = 0;
        }
        for (int s = 0; s < n; s++) {
            count[lengths[s]]++;
        }
        count[0] = 0;
        int code = 0;
        int previous = 0;
        for (int len = 1; len < 16; len++) {
            code = (code + previous) << 1;
            previous = count[len];
            count[len] = code; // now the next code of this length
        }
        for (int s = 0; s < n; s++) {
            int len = lengths[s];
            if (len == 0) {
                codes[s] = 0;
            } else {
                codes[s] = Integer.reverse(count[len]++) >>> (32 - len);
            }
        }
    }

    /** Sorts {@code a[0..n)} ascending (shell sort; n is at most a few hundred). */
    private static void sort(long[] a, int n) {
        int gap = 1;
        while (gap < n / 3) {
            gap = gap * 3 + 1;
        }
        for (; gap > 0; gap /= 3) {
            for (int i = gap; i < n; i++) {
                long v = a[i];
                int j = i;
                while (j >= gap && a[j - gap] > v) {
                    a[j] = a[j - gap];
                    j -= gap;
                }
                a[j] = v;
            }
        }
    }
}
