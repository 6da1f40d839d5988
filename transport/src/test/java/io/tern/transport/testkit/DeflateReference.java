package io.tern.transport.testkit;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * permessage-deflate (RFC 7692) for tests, independent of Tern's codec. An instance decodes
 * message payloads with a raw-DEFLATE decoder (RFC 1951) written here, which also records the
 * longest back-reference it meets, so a test can check that a peer kept within the window it
 * agreed to ({@code server_max_window_bits} / {@code client_max_window_bits}).
 * {@link #compressMessage} builds payloads to send with the JDK's compressor.
 *
 * <p>The decoder is as strict as zlib: it rejects block type 3, a stored block whose LEN and NLEN
 * disagree, more than 286 literal/length or 30 distance codes, an over-subscribed code, an
 * incomplete code (except a single one-bit literal/length or distance code), a block without an
 * end-of-block code, symbols 286, 287 (literal/length) and 30, 31 (distance), and a distance
 * reaching before the history. It throws {@link IllegalStateException} for each.
 *
 * <p>History is kept across messages (context takeover) unless {@link #resetHistory()} is called.
 * Decoding is bit by bit and slow; fine for test-sized messages. One instance per thread.
 */
public final class DeflateReference {

    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51,
        59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4,
        4, 5, 5, 5, 5, 0};
    private static final int[] DIST_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
        513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DIST_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
        10, 11, 11, 12, 12, 13, 13};
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    /** A canonical Huffman code as counts per length and symbols sorted by code (RFC 1951 §3.2.2). */
    private static final class Code {
        final int[] countPerLength = new int[16];
        final int[] sortedSymbols;

        /**
         * Builds the code; {@code incompleteAllowed} lets a single one-bit code through, as zlib
         * does for literal/length and distance codes.
         */
        Code(int[] lengths, int n, boolean incompleteAllowed, String what) {
            sortedSymbols = new int[n];
            int longest = 0;
            for (int i = 0; i < n; i++) {
                countPerLength[lengths[i]]++;
                longest = Math.max(longest, lengths[i]);
            }
            countPerLength[0] = 0;
            int left = 1;
            for (int len = 1; len < 16; len++) {
                left = (left << 1) - countPerLength[len];
                if (left < 0) {
                    throw new IllegalStateException("over-subscribed " + what + " code");
                }
            }
            if (longest > 0 && left > 0 && !(incompleteAllowed && longest == 1)) {
                throw new IllegalStateException("incomplete " + what + " code");
            }
            int[] firstIndex = new int[16];
            for (int len = 1; len < 16; len++) {
                firstIndex[len] = firstIndex[len - 1] + countPerLength[len - 1];
            }
            for (int sym = 0; sym < n; sym++) {
                if (lengths[sym] != 0) {
                    sortedSymbols[firstIndex[lengths[sym]]++] = sym;
                }
            }
        }
    }

    private static final Code FIXED_LITERALS = fixedLiterals();
    private static final Code FIXED_DISTANCES = fixedDistances();

    private byte[] history = new byte[1 << 16];
    private int historySize;
    private long maxDistance;

    // input of the message being decoded
    private byte[] in;
    private int bytePos;
    private int bitBuffer;
    private int bitCount;

    /** The longest back-reference met so far, over all messages, in bytes (0 when none). */
    public long maxDistance() {
        return maxDistance;
    }

    /** Forgets the history, as at the start of a message without context takeover: any reference into it fails. */
    public void resetHistory() {
        historySize = 0;
    }

    /**
     * Decodes one message's payload (the 00 00 ff ff tail of RFC 7692 §7.2.2 is added here); throws
     * {@link IllegalStateException} for invalid DEFLATE data (see the class comment).
     */
    public byte[] inflateMessage(byte[] payload) {
        in = new byte[payload.length + 4];
        System.arraycopy(payload, 0, in, 0, payload.length);
        in[payload.length + 2] = (byte) 0xff;
        in[payload.length + 3] = (byte) 0xff;
        bytePos = 0;
        bitBuffer = 0;
        bitCount = 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (bytePos < in.length || bitCount >= 8) {
            boolean finalBlock = bits(1) == 1;
            int type = bits(2);
            switch (type) {
                case 0 -> stored(out);
                case 1 -> huffmanBlock(out, FIXED_LITERALS, FIXED_DISTANCES);
                case 2 -> dynamicBlock(out);
                default -> throw new IllegalStateException("reserved block type 3");
            }
            if (finalBlock) {
                break; // BFINAL is not used by permessage-deflate senders, but stop if seen
            }
        }
        return out.toByteArray();
    }

    /**
     * Raw DEFLATE of {@code data} by the JDK with a sync flush and without its 00 00 ff ff tail:
     * the payload of one compressed message (RFC 7692 §7.2.1), on its own (no context).
     *
     * @param data the message
     * @return the payload
     */
    public static byte[] compressMessage(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            d.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            do {
                n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                out.write(buf, 0, n);
            } while (n == buf.length);
            byte[] all = out.toByteArray();
            return Arrays.copyOf(all, all.length - 4);
        } finally {
            d.end();
        }
    }

    private int bits(int need) {
        while (bitCount < need) {
            if (bytePos >= in.length) {
                throw new IllegalStateException("DEFLATE data ends inside a block");
            }
            bitBuffer |= (in[bytePos++] & 0xff) << bitCount;
            bitCount += 8;
        }
        int v = bitBuffer & ((1 << need) - 1);
        bitBuffer >>>= need;
        bitCount -= need;
        return v;
    }

    private void emit(ByteArrayOutputStream out, int b) {
        out.write(b);
        if (historySize == history.length) {
            System.arraycopy(history, history.length / 2, history, 0, history.length / 2);
            historySize = history.length / 2;
        }
        history[historySize++] = (byte) b;
    }

    private void stored(ByteArrayOutputStream out) {
        bitBuffer = 0;
        bitCount = 0; // skip to the byte boundary
        if (bytePos + 4 > in.length) {
            throw new IllegalStateException("stored block header cut short");
        }
        int len = (in[bytePos] & 0xff) | (in[bytePos + 1] & 0xff) << 8;
        int nlen = (in[bytePos + 2] & 0xff) | (in[bytePos + 3] & 0xff) << 8;
        bytePos += 4;
        if ((len ^ 0xffff) != nlen) {
            throw new IllegalStateException("stored block LEN/NLEN mismatch");
        }
        if (bytePos + len > in.length) {
            throw new IllegalStateException("stored block cut short");
        }
        for (int i = 0; i < len; i++) {
            emit(out, in[bytePos++] & 0xff);
        }
    }

    private int decode(Code code) {
        int value = 0;
        int first = 0;
        int index = 0;
        for (int len = 1; len < 16; len++) {
            value |= bits(1);
            int count = code.countPerLength[len];
            if (value - first < count) {
                return code.sortedSymbols[index + value - first];
            }
            index += count;
            first = (first + count) << 1;
            value <<= 1;
        }
        throw new IllegalStateException("invalid Huffman code");
    }

    private void huffmanBlock(ByteArrayOutputStream out, Code literals, Code distances) {
        while (true) {
            int sym = decode(literals);
            if (sym < 256) {
                emit(out, sym);
            } else if (sym == 256) {
                return;
            } else {
                int li = sym - 257;
                if (li >= LENGTH_BASE.length) {
                    throw new IllegalStateException("invalid length symbol " + sym);
                }
                int length = LENGTH_BASE[li] + bits(LENGTH_EXTRA[li]);
                int di = decode(distances);
                if (di >= DIST_BASE.length) {
                    throw new IllegalStateException("invalid distance symbol " + di);
                }
                int distance = DIST_BASE[di] + bits(DIST_EXTRA[di]);
                maxDistance = Math.max(maxDistance, distance);
                if (distance > historySize) {
                    throw new IllegalStateException("distance " + distance + " reaches before the history");
                }
                for (int i = 0; i < length; i++) {
                    emit(out, history[historySize - distance] & 0xff);
                }
            }
        }
    }

    private static Code fixedLiterals() {
        int[] lengths = new int[288];
        for (int i = 0; i < 288; i++) {
            lengths[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
        }
        return new Code(lengths, 288, false, "fixed literal/length");
    }

    /** All 32 five-bit codes: 30 and 31 have a code but are invalid (RFC 1951 §3.2.6). */
    private static Code fixedDistances() {
        int[] lengths = new int[32];
        Arrays.fill(lengths, 5);
        return new Code(lengths, 32, false, "fixed distance");
    }

    private void dynamicBlock(ByteArrayOutputStream out) {
        int nlen = bits(5) + 257;
        int ndist = bits(5) + 1;
        int ncode = bits(4) + 4;
        if (nlen > 286 || ndist > 30) {
            throw new IllegalStateException("too many length or distance codes: " + nlen + ", " + ndist);
        }
        int[] codeLengths = new int[19];
        for (int i = 0; i < ncode; i++) {
            codeLengths[CODE_LENGTH_ORDER[i]] = bits(3);
        }
        Code lengthCode = new Code(codeLengths, 19, false, "code length");
        int[] lengths = new int[nlen + ndist];
        int i = 0;
        while (i < nlen + ndist) {
            int sym = decode(lengthCode);
            if (sym < 16) {
                lengths[i++] = sym;
                continue;
            }
            int repeat;
            int value = 0;
            if (sym == 16) {
                if (i == 0) {
                    throw new IllegalStateException("repeat with no previous length");
                }
                value = lengths[i - 1];
                repeat = 3 + bits(2);
            } else if (sym == 17) {
                repeat = 3 + bits(3);
            } else {
                repeat = 11 + bits(7);
            }
            if (i + repeat > nlen + ndist) {
                throw new IllegalStateException("code lengths overflow");
            }
            for (int k = 0; k < repeat; k++) {
                lengths[i++] = value;
            }
        }
        if (lengths[256] == 0) {
            throw new IllegalStateException("no end-of-block code");
        }
        int[] lit = Arrays.copyOfRange(lengths, 0, nlen);
        int[] dist = Arrays.copyOfRange(lengths, nlen, nlen + ndist);
        huffmanBlock(out, new Code(lit, nlen, true, "literal/length"), new Code(dist, ndist, true, "distance"));
    }
}
