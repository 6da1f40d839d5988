package io.tern.codec.deflate;

import java.util.Arrays;
import java.util.zip.DataFormatException;

/**
 * Test-only DEFLATE (RFC 1951) decoder that rejects anything questionable and records every
 * back-reference distance.
 *
 * <p>Rules enforced (those of RFC 1951, with zlib's reading where the RFC is silent):
 * <ul>
 * <li>BTYPE 11 is an error; stored blocks need LEN == ~NLEN and all LEN bytes present.</li>
 * <li>Dynamic headers: at most 286 literal/length and 30 distance lengths; a repeat (16) needs a
 * previous length; repeats must not run past the declared count; the end-of-block symbol must have
 * a code.</li>
 * <li>No code may be over-subscribed. The code-length code must be complete. A literal/length or
 * distance code must be complete, except a single code of length one; a distance code may also be
 * empty (then no distance may be decoded).</li>
 * <li>Literal/length symbols 286 and 287 and distance symbols 30 and 31 are errors; a distance
 * beyond the bytes produced so far (this chunk and earlier ones) is an error.</li>
 * <li>A chunk passed to {@link #inflate(byte[])} must end exactly at a block boundary on a byte
 * boundary (as after a sync flush), or after a final block plus at most 7 padding bits.</li>
 * </ul>
 * History is kept across {@link #inflate(byte[])} calls, as with context takeover.
 *
 * <p>Public (with its constructor, {@link #inflate(byte[])} and {@link #maxDistance()}) so that the
 * fuzz targets in {@code io.tern.codec.fuzz} reuse it as their independent window checker.
 */
public final class StrictInflater {

    private static final int[] LENGTH_BASE = new int[29];
    private static final int[] LENGTH_EXTRA = new int[29];
    private static final int[] DIST_BASE = new int[30];
    private static final int[] DIST_EXTRA = new int[30];
    private static final int[] CL_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    static {
        // Written out from the tables in RFC 1951 section 3.2.5 (independently of the encoder's).
        int[] lengthBase = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
            67, 83, 99, 115, 131, 163, 195, 227, 258};
        int[] lengthExtra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
            5, 5, 5, 5, 0};
        int[] distBase = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513,
            769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
        int[] distExtra = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
            11, 11, 12, 12, 13, 13};
        System.arraycopy(lengthBase, 0, LENGTH_BASE, 0, 29);
        System.arraycopy(lengthExtra, 0, LENGTH_EXTRA, 0, 29);
        System.arraycopy(distBase, 0, DIST_BASE, 0, 30);
        System.arraycopy(distExtra, 0, DIST_EXTRA, 0, 30);
    }

    /** A canonical prefix code ready for decoding. */
    private static final class Code {
        final int[] countPerLength = new int[16];
        final int[] symbols = new int[288];
        boolean empty;
    }

    private enum Kind { LITLEN, DIST, CODE_LENGTHS }

    private byte[] history = new byte[1 << 16];
    private int historyLength;

    private byte[] in;
    private int bytePos;
    private int bitPos;

    private int maxDistance;
    private long matchCount;
    private final long[] distanceHistogram = new long[17];
    private final long[] matchedBytesByDistance = new long[32769];
    private int storedBlocks;
    private int fixedBlocks;
    private int dynamicBlocks;
    private boolean finished;

    private final Code lit = new Code();
    private final Code dist = new Code();
    private final Code cl = new Code();
    private final Code fixedLit = new Code();
    private final Code fixedDist = new Code();

    public StrictInflater() {
        int[] lens = new int[288];
        for (int s = 0; s < 288; s++) {
            lens[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
        }
        try {
            build(fixedLit, lens, 288, Kind.LITLEN);
            int[] d = new int[32];
            Arrays.fill(d, 5);
            build(fixedDist, d, 32, Kind.DIST);
        } catch (DataFormatException e) {
            throw new AssertionError(e);
        }
    }

    /** Largest distance decoded so far (0 if none). */
    public int maxDistance() {
        return maxDistance;
    }

    /** Number of back-references decoded so far. */
    long matchCount() {
        return matchCount;
    }

    /**
     * Histogram of distances: index k counts distances d with {@code 2^(k-1) < d <= 2^k}
     * (index 0: d == 1).
     */
    long[] distanceHistogram() {
        return distanceHistogram.clone();
    }

    /** Total output bytes produced by back-references at exactly the given distance. */
    long matchedBytesAt(int distance) {
        return matchedBytesByDistance[distance];
    }

    int storedBlocks() {
        return storedBlocks;
    }

    int fixedBlocks() {
        return fixedBlocks;
    }

    int dynamicBlocks() {
        return dynamicBlocks;
    }

    /** Total bytes produced over all calls. */
    int totalOut() {
        return historyLength;
    }

    /**
     * Decodes one chunk of blocks, keeping history for later chunks.
     *
     * @param data the chunk
     * @return the bytes it decodes to
     * @throws DataFormatException on any violation
     */
    public byte[] inflate(byte[] data) throws DataFormatException {
        if (finished) {
            throw new DataFormatException("data after the final block");
        }
        in = data;
        bytePos = 0;
        bitPos = 0;
        int start = historyLength;
        while (true) {
            if (bitPos == 0 && bytePos == in.length) {
                break;
            }
            boolean last = bits(1) == 1;
            int type = bits(2);
            switch (type) {
                case 0:
                    stored();
                    storedBlocks++;
                    break;
                case 1:
                    codes(fixedLit, fixedDist);
                    fixedBlocks++;
                    break;
                case 2:
                    dynamic();
                    dynamicBlocks++;
                    break;
                default:
                    throw new DataFormatException("invalid block type 3");
            }
            if (last) {
                finished = true;
                if (bitPos != 0) {
                    bitPos = 0;
                    bytePos++;
                }
                if (bytePos != in.length) {
                    throw new DataFormatException("trailing bytes after the final block");
                }
                break;
            }
            if (bytePos == in.length && bitPos == 0) {
                break;
            }
        }
        return Arrays.copyOfRange(history, start, historyLength);
    }

    private int bit() throws DataFormatException {
        if (bytePos >= in.length) {
            throw new DataFormatException("truncated input");
        }
        int b = ((in[bytePos] & 0xFF) >>> bitPos) & 1;
        if (++bitPos == 8) {
            bitPos = 0;
            bytePos++;
        }
        return b;
    }

    private int bits(int n) throws DataFormatException {
        int v = 0;
        for (int i = 0; i < n; i++) {
            v |= bit() << i;
        }
        return v;
    }

    private void stored() throws DataFormatException {
        if (bitPos != 0) {
            bitPos = 0;
            bytePos++;
        }
        if (bytePos + 4 > in.length) {
            throw new DataFormatException("truncated stored header");
        }
        int len = (in[bytePos] & 0xFF) | (in[bytePos + 1] & 0xFF) << 8;
        int nlen = (in[bytePos + 2] & 0xFF) | (in[bytePos + 3] & 0xFF) << 8;
        if (len != (~nlen & 0xFFFF)) {
            throw new DataFormatException("stored LEN does not match NLEN");
        }
        bytePos += 4;
        if (bytePos + len > in.length) {
            throw new DataFormatException("truncated stored data");
        }
        for (int i = 0; i < len; i++) {
            emit(in[bytePos + i]);
        }
        bytePos += len;
    }

    private void dynamic() throws DataFormatException {
        int nlit = bits(5) + 257;
        int ndist = bits(5) + 1;
        int nclen = bits(4) + 4;
        if (nlit > 286 || ndist > 30) {
            throw new DataFormatException("too many length or distance symbols");
        }
        int[] clLens = new int[19];
        for (int i = 0; i < nclen; i++) {
            clLens[CL_ORDER[i]] = bits(3);
        }
        build(cl, clLens, 19, Kind.CODE_LENGTHS);
        int[] lens = new int[nlit + ndist];
        int i = 0;
        while (i < nlit + ndist) {
            int sym = decode(cl);
            if (sym < 16) {
                lens[i++] = sym;
                continue;
            }
            int value = 0;
            int repeat;
            if (sym == 16) {
                if (i == 0) {
                    throw new DataFormatException("repeat with no previous length");
                }
                value = lens[i - 1];
                repeat = 3 + bits(2);
            } else if (sym == 17) {
                repeat = 3 + bits(3);
            } else {
                repeat = 11 + bits(7);
            }
            if (i + repeat > nlit + ndist) {
                throw new DataFormatException("repeat runs past the declared lengths");
            }
            for (int k = 0; k < repeat; k++) {
                lens[i++] = value;
            }
        }
        if (lens[256] == 0) {
            throw new DataFormatException("missing end-of-block code");
        }
        build(lit, lens, nlit, Kind.LITLEN);
        build(dist, Arrays.copyOfRange(lens, nlit, nlit + ndist), ndist, Kind.DIST);
        codes(lit, dist);
    }

    private void codes(Code litCode, Code distCode) throws DataFormatException {
        while (true) {
            int sym = decode(litCode);
            if (sym < 256) {
                emit((byte) sym);
            } else if (sym == 256) {
                return;
            } else {
                sym -= 257;
                if (sym >= 29) {
                    throw new DataFormatException("invalid literal/length symbol " + (sym + 257));
                }
                int length = LENGTH_BASE[sym] + bits(LENGTH_EXTRA[sym]);
                if (distCode.empty) {
                    throw new DataFormatException("distance with an empty distance code");
                }
                int ds = decode(distCode);
                if (ds >= 30) {
                    throw new DataFormatException("invalid distance symbol " + ds);
                }
                int distance = DIST_BASE[ds] + bits(DIST_EXTRA[ds]);
                if (distance > historyLength) {
                    throw new DataFormatException("distance " + distance + " too far back (only "
                            + historyLength + " bytes produced)");
                }
                record(distance, length);
                for (int k = 0; k < length; k++) {
                    emit(history[historyLength - distance]);
                }
            }
        }
    }

    private void record(int distance, int length) {
        matchCount++;
        matchedBytesByDistance[distance] += length;
        maxDistance = Math.max(maxDistance, distance);
        int bucket = 32 - Integer.numberOfLeadingZeros(distance - 1);
        distanceHistogram[bucket]++;
    }

    private void emit(byte b) {
        if (historyLength == history.length) {
            history = Arrays.copyOf(history, history.length * 2);
        }
        history[historyLength++] = b;
    }

    private static void build(Code code, int[] lengths, int n, Kind kind) throws DataFormatException {
        Arrays.fill(code.countPerLength, 0);
        int used = 0;
        int longest = 0;
        for (int s = 0; s < n; s++) {
            if (lengths[s] < 0 || lengths[s] > 15) {
                throw new DataFormatException("bad code length");
            }
            code.countPerLength[lengths[s]]++;
            if (lengths[s] != 0) {
                used++;
                longest = Math.max(longest, lengths[s]);
            }
        }
        code.countPerLength[0] = 0;
        code.empty = used == 0;
        if (used == 0 && kind != Kind.DIST) {
            throw new DataFormatException("empty " + kind + " code");
        }
        int left = 1;
        for (int len = 1; len <= 15; len++) {
            left <<= 1;
            left -= code.countPerLength[len];
            if (left < 0) {
                throw new DataFormatException("over-subscribed " + kind + " code");
            }
        }
        if (left > 0 && used > 0) {
            boolean singleOneBit = used == 1 && longest == 1;
            if (kind == Kind.CODE_LENGTHS || !singleOneBit) {
                throw new DataFormatException("incomplete " + kind + " code");
            }
        }
        // Symbols ordered by code length, then by symbol value: the canonical order.
        int[] offset = new int[16];
        for (int len = 1; len < 15; len++) {
            offset[len + 1] = offset[len] + code.countPerLength[len];
        }
        for (int s = 0; s < n; s++) {
            if (lengths[s] != 0) {
                code.symbols[offset[lengths[s]]++] = s;
            }
        }
    }

    /** Decodes one symbol, reading the code bit by bit from its most significant bit. */
    private int decode(Code code) throws DataFormatException {
        int value = 0;
        int first = 0;
        int index = 0;
        for (int len = 1; len <= 15; len++) {
            value |= bit();
            int count = code.countPerLength[len];
            if (value - first < count) {
                return code.symbols[index + value - first];
            }
            index += count;
            first = (first + count) << 1;
            value <<= 1;
        }
        throw new DataFormatException("invalid code");
    }
}
