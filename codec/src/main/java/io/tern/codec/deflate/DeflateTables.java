package io.tern.codec.deflate;

/**
 * Constant tables of the DEFLATE format (RFC 1951, sections 3.2.5 and 3.2.6).
 *
 * <p>All arrays are built once when the class is initialised and are never written afterwards.
 */
final class DeflateTables {

    /** Number of literal/length symbols that may carry a code (0..285). */
    static final int LITLEN_SYMBOLS = 286;
    /** Number of distance symbols that may carry a code (0..29). */
    static final int DIST_SYMBOLS = 30;
    /** Number of code-length symbols (0..18). */
    static final int CL_SYMBOLS = 19;
    /** The end-of-block literal/length symbol. */
    static final int END_OF_BLOCK = 256;
    /** Shortest back-reference. */
    static final int MIN_MATCH = 3;
    /** Longest back-reference. */
    static final int MAX_MATCH = 258;
    /** Largest distance the format can express. */
    static final int MAX_DISTANCE = 32768;
    /** Longest code allowed for literal/length and distance codes. */
    static final int MAX_CODE_BITS = 15;
    /** Longest code allowed for the code-length code. */
    static final int MAX_CL_BITS = 7;

    /** For {@code length - 3} (0..255): index of the length symbol, i.e. symbol minus 257 (0..28). */
    static final byte[] LENGTH_INDEX = new byte[MAX_MATCH - MIN_MATCH + 1];
    /** Smallest length coded by length symbol {@code 257 + i}. */
    static final short[] LENGTH_BASE = new short[29];
    /** Number of extra bits after length symbol {@code 257 + i}. */
    static final byte[] LENGTH_EXTRA = new byte[29];
    /** Smallest distance coded by distance symbol {@code i}. */
    static final int[] DIST_BASE = new int[DIST_SYMBOLS];
    /** Number of extra bits after distance symbol {@code i}. */
    static final byte[] DIST_EXTRA = new byte[DIST_SYMBOLS];
    /** Transmission order of the code-length code lengths in a dynamic block header. */
    static final byte[] CL_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    /** Number of extra bits after code-length symbols 16, 17 and 18 (index 0..18). */
    static final byte[] CL_EXTRA = new byte[CL_SYMBOLS];

    /** Code lengths of the fixed literal/length code (all 288 symbols). */
    static final byte[] FIXED_LIT_LENGTHS = new byte[288];
    /** Bit-reversed codes of the fixed literal/length code. */
    static final int[] FIXED_LIT_CODES = new int[288];
    /** Code lengths of the fixed distance code (all 30 usable symbols). */
    static final byte[] FIXED_DIST_LENGTHS = new byte[DIST_SYMBOLS];
    /** Bit-reversed codes of the fixed distance code. */
    static final int[] FIXED_DIST_CODES = new int[DIST_SYMBOLS];

    static {
        int length = MIN_MATCH;
        for (int i = 0; i < 28; i++) {
            int extra = i < 8 ? 0 : (i >> 2) - 1;
            LENGTH_BASE[i] = (short) length;
            LENGTH_EXTRA[i] = (byte) extra;
            for (int k = 0; k < (1 << extra) && length < MAX_MATCH; k++) {
                LENGTH_INDEX[length - MIN_MATCH] = (byte) i;
                length++;
            }
        }
        // Length 258 has a symbol of its own (285) rather than the last value of symbol 284.
        LENGTH_BASE[28] = MAX_MATCH;
        LENGTH_EXTRA[28] = 0;
        LENGTH_INDEX[MAX_MATCH - MIN_MATCH] = 28;

        for (int code = 0; code < DIST_SYMBOLS; code++) {
            if (code < 4) {
                DIST_BASE[code] = code + 1;
                DIST_EXTRA[code] = 0;
            } else {
                int extra = (code >> 1) - 1;
                DIST_BASE[code] = 1 + ((2 + (code & 1)) << extra);
                DIST_EXTRA[code] = (byte) extra;
            }
        }

        CL_EXTRA[16] = 2;
        CL_EXTRA[17] = 3;
        CL_EXTRA[18] = 7;

        for (int s = 0; s < 288; s++) {
            FIXED_LIT_LENGTHS[s] = (byte) (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8);
        }
        for (int s = 0; s < DIST_SYMBOLS; s++) {
            FIXED_DIST_LENGTHS[s] = 5;
        }
        HuffmanBuilder builder = new HuffmanBuilder(288);
        builder.assignCodes(FIXED_LIT_LENGTHS, 288, FIXED_LIT_CODES);
        builder.assignCodes(FIXED_DIST_LENGTHS, DIST_SYMBOLS, FIXED_DIST_CODES);
    }

    private DeflateTables() {
    }

    /**
     * Maps a distance to its distance symbol.
     *
     * @param distance back-reference distance, 1..32768
     * @return distance symbol, 0..29
     */
    static int distanceSymbol(int distance) {
        int d = distance - 1;
        if (d < 4) {
            return d;
        }
        int top = 31 - Integer.numberOfLeadingZeros(d);
        return (top << 1) + ((d >>> (top - 1)) & 1);
    }
}
