package io.tern.autobahn.deflate;

import java.util.Arrays;

/**
 * A DEFLATE encoder (RFC 1951) for windows below 32 KiB, which {@link java.util.zip.Deflater}
 * cannot keep: greedy LZ77 with one hash probe per position, never matching farther back than
 * 2^windowBits bytes, coded in one fixed-Huffman block per message (§3.2.6) and ended with the
 * empty stored block of a sync flush whose {@code 00 00 ff ff} is left out (RFC 7692 §7.2.1).
 *
 * <p><b>Why the window holds.</b> A match is taken only if its distance is at most
 * 2^windowBits, checked where it is found, and the history kept between messages is the last
 * 2^windowBits bytes at most, so no reference can reach farther. With no context takeover the
 * history is dropped after every message, so no message refers to an earlier one.
 *
 * <p>Fixed codes and a single probe trade ratio for simplicity and speed; the peer still has to
 * follow back-references, within one message and (with context takeover) across messages.
 *
 * <p>Not thread-safe: one instance per connection direction.
 */
final class SmallWindowEncoder {

    private static final int HASH_BITS = 15;
    private static final int MAX_MATCH = 258;
    private static final int[] LIT_CODE = new int[288];
    private static final byte[] LIT_LEN = new byte[288];
    private static final short[] LEN_SYM = new short[MAX_MATCH + 1];
    private static final byte[] LEN_EXTRA_BITS = new byte[MAX_MATCH + 1];
    private static final short[] LEN_EXTRA = new short[MAX_MATCH + 1];
    private static final byte[] DIST_CODE = new byte[32769];
    private static final int[] DIST_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
        257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final byte[] DIST_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8,
        9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

    static {
        for (int s = 0; s < 288; s++) {
            int code;
            int len;
            if (s < 144) {
                code = 0x30 + s;
                len = 8;
            } else if (s < 256) {
                code = 0x190 + s - 144;
                len = 9;
            } else if (s < 280) {
                code = s - 256;
                len = 7;
            } else {
                code = 0xc0 + s - 280;
                len = 8;
            }
            LIT_CODE[s] = Integer.reverse(code) >>> (32 - len);
            LIT_LEN[s] = (byte) len;
        }
        short[] base = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
            131, 163, 195, 227, 258};
        byte[] extra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
        for (int len = 3; len <= MAX_MATCH; len++) {
            int i = base.length - 1;
            while (base[i] > len) {
                i--;
            }
            LEN_SYM[len] = (short) (257 + i);
            LEN_EXTRA_BITS[len] = extra[i];
            LEN_EXTRA[len] = (short) (len - base[i]);
        }
        for (int d = 1; d <= 32768; d++) {
            int i = DIST_BASE.length - 1;
            while (DIST_BASE[i] > d) {
                i--;
            }
            DIST_CODE[d] = (byte) i;
        }
    }

    private final int window;
    private final boolean noContextTakeover;
    private final int[] head = new int[1 << HASH_BITS];
    private byte[] buf = new byte[0];
    private int histLen;
    private byte[] out = new byte[1024];
    private int outLen;
    private long acc;
    private int accBits;

    SmallWindowEncoder(int windowBits, boolean noContextTakeover) {
        this.window = 1 << windowBits;
        this.noContextTakeover = noContextTakeover;
    }

    byte[] compress(byte[] data, int off, int len) {
        int end = histLen + len;
        if (buf.length < end) {
            buf = Arrays.copyOf(buf, Math.max(end, buf.length * 2));
        }
        System.arraycopy(data, off, buf, histLen, len);
        Arrays.fill(head, 0);
        for (int p = 0; p < histLen && p + 3 <= end; p++) {
            head[hash(p)] = p + 1;
        }
        int worst = len + len / 8 + 16;
        if (out.length < worst) {
            out = new byte[worst];
        }
        outLen = 0;
        acc = 0;
        accBits = 0;
        put(2, 3); // BFINAL 0, BTYPE 01: fixed Huffman codes
        int p = histLen;
        while (p < end) {
            int length = 0;
            int distance = 0;
            if (p + 3 <= end) {
                int h = hash(p);
                int cand = head[h] - 1;
                head[h] = p + 1;
                if (cand >= 0 && p - cand <= window && buf[cand] == buf[p] && buf[cand + 1] == buf[p + 1]
                        && buf[cand + 2] == buf[p + 2]) {
                    int max = Math.min(MAX_MATCH, end - p);
                    length = 3;
                    while (length < max && buf[cand + length] == buf[p + length]) {
                        length++;
                    }
                    distance = p - cand;
                }
            }
            if (length == 0) {
                int lit = buf[p] & 0xff;
                put(LIT_CODE[lit], LIT_LEN[lit]);
                p++;
                continue;
            }
            int sym = LEN_SYM[length];
            put(LIT_CODE[sym], LIT_LEN[sym]);
            put(LEN_EXTRA[length], LEN_EXTRA_BITS[length]);
            int dc = DIST_CODE[distance];
            put(Integer.reverse(dc) >>> 27, 5);
            put(distance - DIST_BASE[dc], DIST_EXTRA[dc]);
            for (int k = 1; k < length; k++) {
                if (p + k + 3 <= end) {
                    head[hash(p + k)] = p + k + 1;
                }
            }
            p += length;
        }
        put(LIT_CODE[256], LIT_LEN[256]); // end of block
        put(0, 3); // the sync flush's empty stored block: header, then byte alignment
        if (accBits > 0) {
            out[outLen++] = (byte) acc;
        }
        byte[] result = Arrays.copyOf(out, outLen);
        if (noContextTakeover) {
            histLen = 0;
        } else {
            int keep = Math.min(window, end);
            System.arraycopy(buf, end - keep, buf, 0, keep);
            histLen = keep;
        }
        return result;
    }

    private int hash(int p) {
        int v = (buf[p] & 0xff) | (buf[p + 1] & 0xff) << 8 | (buf[p + 2] & 0xff) << 16;
        return (v * 0x9E3779B1) >>> (32 - HASH_BITS);
    }

    private void put(int bits, int count) {
        acc |= (long) bits << accBits;
        accBits += count;
        while (accBits >= 8) {
            out[outLen++] = (byte) acc;
            acc >>>= 8;
            accBits -= 8;
        }
    }
}
