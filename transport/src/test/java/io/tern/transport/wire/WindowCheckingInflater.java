package io.tern.transport.wire;

import java.io.ByteArrayOutputStream;

/**
 * A small, independent raw-DEFLATE decoder (RFC 1951) for permessage-deflate messages that also
 * records the longest back-reference it meets, so a test can check that a peer kept within the
 * window size it agreed to ({@code server_max_window_bits} / {@code client_max_window_bits}).
 *
 * <p>History is kept across messages (context takeover) unless {@link #resetHistory()} is called.
 * Decoding is bit by bit and slow; fine for test-sized messages.
 */
final class WindowCheckingInflater {

    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51,
        59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4,
        4, 5, 5, 5, 5, 0};
    private static final int[] DIST_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
        513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DIST_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
        10, 11, 11, 12, 12, 13, 13};
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    /** A canonical Huffman code as counts per length and symbols sorted by code. */
    private static final class Code {
        final int[] countPerLength = new int[16];
        final int[] sortedSymbols;

        Code(int[] lengths, int n) {
            sortedSymbols = new int[n];
            for (int i = 0; i < n; i++) {
                countPerLength[lengths[i]]++;
            }
            countPerLength[0] = 0;
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

    private byte[] history = new byte[1 << 16];
    private int historySize;
    private long maxDistance;

    // input of the message being decoded
    private byte[] in;
    private int bytePos;
    private int bitBuffer;
    private int bitCount;

    long maxDistance() {
        return maxDistance;
    }

    void resetHistory() {
        historySize = 0;
    }

    /** Decodes one message's payload (the 00 00 ff ff tail is added here). */
    byte[] inflateMessage(byte[] payload) {
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
                case 1 -> huffmanBlock(out, fixedLiterals(), fixedDistances());
                case 2 -> dynamicBlock(out);
                default -> throw new IllegalStateException("reserved block type 3");
            }
            if (finalBlock) {
                break; // BFINAL is not used by permessage-deflate senders, but stop if seen
            }
        }
        return out.toByteArray();
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
        return new Code(lengths, 288);
    }

    private static Code fixedDistances() {
        int[] lengths = new int[30];
        java.util.Arrays.fill(lengths, 5);
        return new Code(lengths, 30);
    }

    private void dynamicBlock(ByteArrayOutputStream out) {
        int nlen = bits(5) + 257;
        int ndist = bits(5) + 1;
        int ncode = bits(4) + 4;
        int[] codeLengths = new int[19];
        for (int i = 0; i < ncode; i++) {
            codeLengths[CODE_LENGTH_ORDER[i]] = bits(3);
        }
        Code lengthCode = new Code(codeLengths, 19);
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
        int[] lit = java.util.Arrays.copyOfRange(lengths, 0, nlen);
        int[] dist = java.util.Arrays.copyOfRange(lengths, nlen, nlen + ndist);
        huffmanBlock(out, new Code(lit, nlen), new Code(dist, ndist));
    }
}
