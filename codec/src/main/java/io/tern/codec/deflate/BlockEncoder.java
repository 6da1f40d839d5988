package io.tern.codec.deflate;

import static io.tern.codec.deflate.DeflateTables.CL_EXTRA;
import static io.tern.codec.deflate.DeflateTables.CL_ORDER;
import static io.tern.codec.deflate.DeflateTables.CL_SYMBOLS;
import static io.tern.codec.deflate.DeflateTables.DIST_BASE;
import static io.tern.codec.deflate.DeflateTables.DIST_EXTRA;
import static io.tern.codec.deflate.DeflateTables.DIST_SYMBOLS;
import static io.tern.codec.deflate.DeflateTables.END_OF_BLOCK;
import static io.tern.codec.deflate.DeflateTables.FIXED_DIST_CODES;
import static io.tern.codec.deflate.DeflateTables.FIXED_DIST_LENGTHS;
import static io.tern.codec.deflate.DeflateTables.FIXED_LIT_CODES;
import static io.tern.codec.deflate.DeflateTables.FIXED_LIT_LENGTHS;
import static io.tern.codec.deflate.DeflateTables.LENGTH_BASE;
import static io.tern.codec.deflate.DeflateTables.LENGTH_EXTRA;
import static io.tern.codec.deflate.DeflateTables.LENGTH_INDEX;
import static io.tern.codec.deflate.DeflateTables.LITLEN_SYMBOLS;
import static io.tern.codec.deflate.DeflateTables.MAX_CL_BITS;
import static io.tern.codec.deflate.DeflateTables.MAX_CODE_BITS;
import static io.tern.codec.deflate.DeflateTables.MIN_MATCH;

/**
 * Turns one block worth of LZ77 symbols into DEFLATE bits, choosing whichever of the stored, fixed
 * and dynamic encodings is smallest, and emits it in resumable steps so that the caller can drain
 * the staging area at any point.
 *
 * <p>Symbols are kept in two parallel arrays owned by the caller: {@code dist[i] == 0} marks a
 * literal {@code lit[i] & 0xFF}; otherwise the symbol is a match of length {@code (lit[i] & 0xFF) +
 * 3} at distance {@code dist[i]}. Blocks are never marked final (permessage-deflate never ends the
 * stream). Not thread-safe; never allocates after construction.
 */
final class BlockEncoder {

    /** BTYPE values of RFC 1951. */
    static final int STORED = 0;
    static final int FIXED = 1;
    static final int DYNAMIC = 2;

    private static final int IDLE = 0;
    private static final int DYNAMIC_HEADER = 1;
    private static final int CODE_LENGTHS = 2;
    private static final int FIXED_HEADER = 3;
    private static final int SYMBOLS = 4;
    private static final int STORED_HEADER = 5;
    private static final int STORED_COPY = 6;
    private static final int SYNC_MARKER = 7;

    /** Room required before any emission step except the bulk copy of stored bytes. */
    private static final int STEP_ROOM = 32;
    /** Worst case of staged bytes per symbol: two accumulator spills of four bytes. */
    private static final int BYTES_PER_SYMBOL = 8;
    private static final int MAX_STORED = 65535;

    private final BitWriter out;
    private final HuffmanBuilder builder = new HuffmanBuilder(LITLEN_SYMBOLS);

    private final byte[] litLengths = new byte[LITLEN_SYMBOLS];
    private final int[] litCodes = new int[LITLEN_SYMBOLS];
    private final byte[] distLengths = new byte[DIST_SYMBOLS];
    private final int[] distCodes = new int[DIST_SYMBOLS];
    private final int[] clFreq = new int[CL_SYMBOLS];
    private final byte[] clLengths = new byte[CL_SYMBOLS];
    private final int[] clCodes = new int[CL_SYMBOLS];
    /** Run-length coded lengths: symbol in the low 5 bits, extra-bit value above. */
    private final int[] clSequence = new int[LITLEN_SYMBOLS + DIST_SYMBOLS];
    private int clCount;
    private int hlit;
    private int hdist;
    private int hclen;

    private int state = IDLE;
    private byte[] useLitLengths;
    private int[] useLitCodes;
    private byte[] useDistLengths;
    private int[] useDistCodes;
    private byte[] lits;
    private char[] dists;
    private int symbolCount;
    private int index;
    private byte[] raw;
    private int rawPos;
    private int rawEnd;
    private int chunkLeft;

    /**
     * Creates an encoder writing to the given bit writer.
     *
     * @param out destination of the encoded bits; its capacity must be at least 64 bytes
     */
    BlockEncoder(BitWriter out) {
        this.out = out;
    }

    /**
     * Returns whether nothing is being emitted.
     *
     * @return true when idle
     */
    boolean isIdle() {
        return state == IDLE;
    }

    /** Abandons any emission in progress. */
    void clear() {
        state = IDLE;
        lits = null;
        dists = null;
        raw = null;
    }

    /**
     * Plans a block and prepares to emit it. The symbol arrays and {@code window[rawStart..rawEnd)}
     * must stay untouched until the encoder is idle again; the frequency tables are read only here
     * and may be cleared as soon as this returns.
     *
     * @param window raw bytes of the block, needed if it is stored
     * @param rawStart first raw byte of the block
     * @param rawEnd end of the raw bytes of the block (exclusive); greater than {@code rawStart}
     * @param lit literal or length-minus-3 of each symbol
     * @param dist distance of each symbol, 0 for literals
     * @param count number of symbols, at least one
     * @param litFreq frequencies of the 286 literal/length symbols; END_OF_BLOCK is set to 1 here
     * @param distFreq frequencies of the 30 distance symbols
     */
    void begin(byte[] window, int rawStart, int rawEnd, byte[] lit, char[] dist, int count,
               int[] litFreq, int[] distFreq) {
        litFreq[END_OF_BLOCK] = 1;
        builder.buildLengths(litFreq, LITLEN_SYMBOLS, MAX_CODE_BITS, litLengths);
        builder.buildLengths(distFreq, DIST_SYMBOLS, MAX_CODE_BITS, distLengths);
        hlit = LITLEN_SYMBOLS;
        while (litLengths[hlit - 1] == 0) {
            hlit--;
        }
        hdist = DIST_SYMBOLS;
        while (distLengths[hdist - 1] == 0) {
            hdist--;
        }
        runLengthCode();
        builder.buildLengths(clFreq, CL_SYMBOLS, MAX_CL_BITS, clLengths);
        hclen = CL_SYMBOLS;
        while (hclen > 4 && clLengths[CL_ORDER[hclen - 1]] == 0) {
            hclen--;
        }

        long extraBits = 0;
        long fixedBits = 3;
        long dynamicBits = 3 + 5 + 5 + 4 + 3L * hclen;
        for (int i = 0; i < clCount; i++) {
            int sym = clSequence[i] & 31;
            dynamicBits += clLengths[sym] + CL_EXTRA[sym];
        }
        for (int s = 0; s < LITLEN_SYMBOLS; s++) {
            int f = litFreq[s];
            if (f != 0) {
                dynamicBits += (long) f * litLengths[s];
                fixedBits += (long) f * FIXED_LIT_LENGTHS[s];
                if (s > END_OF_BLOCK) {
                    extraBits += (long) f * LENGTH_EXTRA[s - 257];
                }
            }
        }
        for (int s = 0; s < DIST_SYMBOLS; s++) {
            int f = distFreq[s];
            if (f != 0) {
                dynamicBits += (long) f * distLengths[s];
                fixedBits += (long) f * FIXED_DIST_LENGTHS[s];
                extraBits += (long) f * DIST_EXTRA[s];
            }
        }
        dynamicBits += extraBits;
        fixedBits += extraBits;
        long rawLength = rawEnd - rawStart;
        long chunks = Math.max(1, (rawLength + MAX_STORED - 1) / MAX_STORED);
        long firstPad = (8 - ((out.bitOffset() + 3) & 7)) & 7;
        long storedBits = 3 + firstPad + 32 + (chunks - 1) * (8 + 32) + 8 * rawLength;

        lits = lit;
        dists = dist;
        symbolCount = count;
        index = 0;
        if (storedBits <= fixedBits && storedBits <= dynamicBits) {
            raw = window;
            rawPos = rawStart;
            this.rawEnd = rawEnd;
            state = STORED_HEADER;
        } else if (fixedBits <= dynamicBits) {
            useLitLengths = FIXED_LIT_LENGTHS;
            useLitCodes = FIXED_LIT_CODES;
            useDistLengths = FIXED_DIST_LENGTHS;
            useDistCodes = FIXED_DIST_CODES;
            state = FIXED_HEADER;
        } else {
            builder.assignCodes(litLengths, LITLEN_SYMBOLS, litCodes);
            builder.assignCodes(distLengths, DIST_SYMBOLS, distCodes);
            builder.assignCodes(clLengths, CL_SYMBOLS, clCodes);
            useLitLengths = litLengths;
            useLitCodes = litCodes;
            useDistLengths = distLengths;
            useDistCodes = distCodes;
            state = DYNAMIC_HEADER;
        }
    }

    /** Prepares the empty stored block that ends a sync flush (it aligns the output to a byte). */
    void beginSyncMarker() {
        state = SYNC_MARKER;
    }

    /**
     * Emits as much of the current block as the staging area allows.
     *
     * @return true if the block is complete (the encoder is idle)
     */
    boolean step() {
        BitWriter w = out;
        while (state != IDLE) {
            if (w.room() < STEP_ROOM) {
                return false;
            }
            switch (state) {
                case DYNAMIC_HEADER:
                    w.put(DYNAMIC << 1, 3);
                    w.put(hlit - 257, 5);
                    w.put(hdist - 1, 5);
                    w.put(hclen - 4, 4);
                    for (int i = 0; i < hclen; i++) {
                        w.put(clLengths[CL_ORDER[i]], 3);
                    }
                    index = 0;
                    state = CODE_LENGTHS;
                    break;
                case CODE_LENGTHS:
                    emitCodeLengths(w);
                    break;
                case FIXED_HEADER:
                    w.put(FIXED << 1, 3);
                    index = 0;
                    state = SYMBOLS;
                    break;
                case SYMBOLS:
                    emitSymbols(w);
                    break;
                case STORED_HEADER: {
                    w.put(STORED << 1, 3);
                    w.alignToByte();
                    int len = Math.min(MAX_STORED, rawEnd - rawPos);
                    w.putAlignedByte(len);
                    w.putAlignedByte(len >>> 8);
                    w.putAlignedByte(~len);
                    w.putAlignedByte(~len >>> 8);
                    chunkLeft = len;
                    state = STORED_COPY;
                    break;
                }
                case STORED_COPY: {
                    int n = Math.min(chunkLeft, w.room());
                    w.putAlignedBytes(raw, rawPos, n);
                    rawPos += n;
                    chunkLeft -= n;
                    if (chunkLeft == 0) {
                        if (rawPos < rawEnd) {
                            state = STORED_HEADER;
                        } else {
                            state = IDLE;
                            raw = null;
                        }
                    }
                    break;
                }
                case SYNC_MARKER:
                    w.put(STORED << 1, 3);
                    w.alignToByte();
                    w.putAlignedByte(0);
                    w.putAlignedByte(0);
                    w.putAlignedByte(0xFF);
                    w.putAlignedByte(0xFF);
                    state = IDLE;
                    break;
                default:
                    throw new IllegalStateException("state " + state);
            }
        }
        return true;
    }

    private void emitCodeLengths(BitWriter w) {
        int i = index;
        int stop = Math.min(clCount, i + (w.room() - STEP_ROOM) / BYTES_PER_SYMBOL + 1);
        for (; i < stop; i++) {
            int item = clSequence[i];
            int sym = item & 31;
            int len = clLengths[sym];
            w.put(clCodes[sym] | ((item >>> 5) << len), len + CL_EXTRA[sym]);
        }
        index = i;
        if (i == clCount) {
            index = 0;
            state = SYMBOLS;
        }
    }

    private void emitSymbols(BitWriter w) {
        byte[] litLen = useLitLengths;
        int[] litCode = useLitCodes;
        byte[] distLen = useDistLengths;
        int[] distCode = useDistCodes;
        byte[] lit = lits;
        char[] dist = dists;
        int i = index;
        int stop = Math.min(symbolCount, i + (w.room() - STEP_ROOM) / BYTES_PER_SYMBOL + 1);
        for (; i < stop; i++) {
            int d = dist[i];
            int v = lit[i] & 0xFF;
            if (d == 0) {
                w.put(litCode[v], litLen[v]);
            } else {
                int li = LENGTH_INDEX[v];
                int sym = 257 + li;
                int len = litLen[sym];
                w.put(litCode[sym] | ((v + MIN_MATCH - LENGTH_BASE[li]) << len), len + LENGTH_EXTRA[li]);
                int ds = DeflateTables.distanceSymbol(d);
                len = distLen[ds];
                w.put(distCode[ds] | ((d - DIST_BASE[ds]) << len), len + DIST_EXTRA[ds]);
            }
        }
        index = i;
        if (i == symbolCount) {
            // STEP_ROOM exceeds what the symbols above used, so the end-of-block code fits.
            w.put(litCode[END_OF_BLOCK], litLen[END_OF_BLOCK]);
            state = IDLE;
            lits = null;
            dists = null;
        }
    }

    /**
     * Run-length codes the literal/length lengths followed by the distance lengths (one sequence,
     * as RFC 1951 section 3.2.7 allows repeats to run across both) and counts code-length symbols.
     */
    private void runLengthCode() {
        for (int s = 0; s < CL_SYMBOLS; s++) {
            clFreq[s] = 0;
        }
        int total = hlit + hdist;
        int n = 0;
        int i = 0;
        while (i < total) {
            int len = lengthAt(i);
            int run = 1;
            while (i + run < total && lengthAt(i + run) == len) {
                run++;
            }
            i += run;
            if (len == 0) {
                while (run >= 11) {
                    int r = Math.min(run, 138);
                    clSequence[n++] = 18 | ((r - 11) << 5);
                    run -= r;
                }
                if (run >= 3) {
                    clSequence[n++] = 17 | ((run - 3) << 5);
                    run = 0;
                }
            } else {
                clSequence[n++] = len;
                run--;
                while (run >= 3) {
                    int r = Math.min(run, 6);
                    clSequence[n++] = 16 | ((r - 3) << 5);
                    run -= r;
                }
            }
            while (run > 0) {
                clSequence[n++] = len;
                run--;
            }
        }
        for (int k = 0; k < n; k++) {
            clFreq[clSequence[k] & 31]++;
        }
        clCount = n;
    }

    private int lengthAt(int i) {
        return i < hlit ? litLengths[i] : distLengths[i - hlit];
    }
}
