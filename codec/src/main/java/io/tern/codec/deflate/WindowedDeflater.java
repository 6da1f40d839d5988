package io.tern.codec.deflate;

import static io.tern.codec.deflate.DeflateTables.DIST_SYMBOLS;
import static io.tern.codec.deflate.DeflateTables.LENGTH_INDEX;
import static io.tern.codec.deflate.DeflateTables.LITLEN_SYMBOLS;
import static io.tern.codec.deflate.DeflateTables.MAX_MATCH;
import static io.tern.codec.deflate.DeflateTables.MIN_MATCH;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Streaming raw DEFLATE (RFC 1951) encoder whose back-references never reach further than a
 * configurable window of {@code 2^windowBits} bytes, {@code windowBits} in 8..15, as needed to honour
 * every {@code server_max_window_bits} / {@code client_max_window_bits} value of permessage-deflate
 * (RFC 7692). No zlib header or trailer is written.
 *
 * <p>Compression is LZ77 with a 3-byte hash, short hash chains and one-step lazy matching, followed
 * by a block coder that picks the smallest of a stored, fixed-Huffman or dynamic-Huffman encoding for
 * each block (dynamic codes are limited to 15 bits, the code-length code to 7 bits). Blocks are never
 * marked final.
 *
 * <h2>Calling protocol</h2>
 * <ol>
 * <li>{@link #setInput(ByteBuffer)} hands over the next piece of the current message (heap or
 * direct). The encoder reads from that buffer, advancing its position, while it compresses; the
 * caller must not touch it until {@link #needsInput()} returns true.</li>
 * <li>{@link #deflate(ByteBuffer)} compresses into the caller's output buffer and returns the number
 * of bytes written. It stops when the output buffer is full or when all input has been consumed;
 * the last few hundred bytes of a piece may be held back (copied into the window) until more input
 * or a flush arrives, so that matches are not cut short.</li>
 * <li>At the end of the message, {@link #flush(ByteBuffer)} compresses everything still held,
 * finishes the current block and appends an empty stored block, so the output ends, on a byte
 * boundary, with {@code 00 00 FF FF} (which RFC 7692 senders strip). It returns true once all of
 * that has been written; while it returns false the output buffer was filled: drain it and call
 * {@code flush} again.</li>
 * </ol>
 * Any output buffer size works, down to one byte: when it fills up, the encoder keeps the rest in a
 * small staging area and resumes exactly where it stopped on the next call.
 *
 * <pre>{@code
 * WindowedDeflater deflater = new WindowedDeflater(10);   // server_max_window_bits=10
 * ByteBuffer out = ByteBuffer.allocate(8192);
 * // payload: wherever the caller assembles the frame payload
 * for (ByteBuffer piece : messagePieces) {
 *     deflater.setInput(piece);
 *     while (!deflater.needsInput()) {
 *         deflater.deflate(out);
 *         if (!out.hasRemaining()) { out.flip(); payload.append(out); out.clear(); }
 *     }
 * }
 * while (!deflater.flush(out)) {
 *     out.flip(); payload.append(out); out.clear();
 * }
 * out.flip(); payload.append(out); out.clear();
 * payload.dropLast(4);        // the 00 00 FF FF tail, which may span two drains (RFC 7692 7.2.1)
 * // deflater.reset();        // only when no_context_takeover applies to this direction
 * }</pre>
 *
 * <h2>History</h2>
 * By default the window is kept from one flushed message to the next (context takeover), so later
 * messages may refer to earlier ones, never further back than {@code 2^windowBits} bytes. {@link
 * #reset()} forgets all history and any unfinished work; it does not allocate.
 *
 * <h2>Memory</h2>
 * Every array is allocated by the constructor; in steady state no call allocates, throws, or locks.
 * Per instance the arrays take: a window buffer of {@code max(2 * 2^windowBits, 32768)} bytes; a
 * hash head table of {@code 2^min(15, max(10, windowBits + 1))} two-byte entries; a hash chain
 * table of {@code 2^windowBits} two-byte entries; a symbol buffer of {@code windowBuffer / 4}
 * three-byte symbols; and 17,595 bytes independent of the window (4 KiB output staging area,
 * frequency and code tables, Huffman construction scratch). In total (array contents, excluding
 * under 1 KiB of object and array headers):
 * <table>
 * <caption>Array memory per instance by windowBits</caption>
 * <tr><th>windowBits</th><th>bytes</th><th>KiB</th></tr>
 * <tr><td>8</td><td>77,499</td><td>75.7</td></tr>
 * <tr><td>9</td><td>78,011</td><td>76.2</td></tr>
 * <tr><td>10</td><td>81,083</td><td>79.2</td></tr>
 * <tr><td>11</td><td>87,227</td><td>85.2</td></tr>
 * <tr><td>12</td><td>99,515</td><td>97.2</td></tr>
 * <tr><td>13</td><td>124,091</td><td>121.2</td></tr>
 * <tr><td>14</td><td>173,243</td><td>169.2</td></tr>
 * <tr><td>15</td><td>263,355</td><td>257.2</td></tr>
 * </table>
 *
 * <h2>Threads</h2>
 * An instance is single-threaded by contract: it has no synchronisation, and concurrent use from
 * several threads corrupts its state. Hand it from thread to thread only with a happens-before edge
 * (as any executor or lock does).
 *
 * <p>Why one class of some 600 lines: LZ77 matching, block choice and Huffman output share the
 * window and the hash chains field by field on the hot path; split, they would pass that state
 * around per byte.
 */
public final class WindowedDeflater {

    /** Bytes ahead of the current position needed to search for a full-length match. */
    private static final int LOOKAHEAD = MAX_MATCH + MIN_MATCH + 1;
    /** Size of the staging area between the block coder and the caller's buffer. */
    private static final int STAGE_BYTES = 4096;
    /** A 3-byte match further away than this usually costs more bits than three literals. */
    private static final int TOO_FAR = 4096;

    /** Reads eight window bytes at once (little-endian) to compare matches a word at a time. */
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Reads four window bytes at once (little-endian). */
    private static final VarHandle INTS =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int NOT_FLUSHING = 0;
    private static final int FLUSH_COMPRESS = 1;
    private static final int FLUSH_MARKER = 2;
    private static final int FLUSH_DRAIN = 3;

    private final int windowBits;
    private final int wsize;
    private final int wmask;
    private final int hashShift;

    private final int maxChain;
    private final int goodLength;
    private final int niceLength;
    private final int maxLazy;

    /** Window buffer: history followed by not yet compressed input. */
    private final byte[] window;
    /**
     * Most recent position of each hash value, 0 meaning none. Window position 0 never holds data
     * (the first byte is always kept at position 1 or above), so 0 is unambiguous.
     */
    private final char[] head;
    /**
     * For position p, the previous position with the same hash, at index
     * {@code (p + chainOffset) & wmask}: the offset keeps every position on the same slot when a
     * slide shifts positions by an amount that is not a multiple of the window size.
     */
    private final char[] prev;
    private int chainOffset;
    private final byte[] symLit;
    private final char[] symDist;
    private final int symLimit;
    private final int[] litFreq = new int[LITLEN_SYMBOLS];
    private final int[] distFreq = new int[DIST_SYMBOLS];
    private final BitWriter bits;
    private final BlockEncoder blocks;

    /** Next position to be encoded. */
    private int pos;
    /** End of valid bytes in the window buffer. */
    private int end;
    /** Nothing before this position may be referenced (set by {@link #reset()}). */
    private int floor;
    /** First raw byte of the block being collected. */
    private int blockStart;
    /** Raw bytes before this position are covered by recorded symbols. */
    private int covered;
    private int symCount;
    /** Whether the decision for position {@code pos - 1} is still open (lazy matching). */
    private boolean pendingDecision;
    private int prevLength;
    private int prevDistance;
    private int matchDistance;

    private ByteBuffer input;
    private int flushState = NOT_FLUSHING;

    /**
     * Creates an encoder whose back-references reach at most {@code 2^windowBits} bytes back.
     *
     * @param windowBits base-2 logarithm of the window size, 8..15
     * @throws IllegalArgumentException if {@code windowBits} is outside 8..15
     */
    public WindowedDeflater(int windowBits) {
        this(windowBits, 8, 8, 32, 8);
    }

    /**
     * Creates an encoder with explicit matcher tuning (for measurements).
     *
     * @param windowBits base-2 logarithm of the window size, 8..15
     * @param maxChain hash-chain entries examined per search
     * @param goodLength a pending match at least this long quarters the chain budget
     * @param niceLength a match at least this long ends the search
     * @param maxLazy a pending match at least this long is taken without looking one byte further
     */
    WindowedDeflater(int windowBits, int maxChain, int goodLength, int niceLength, int maxLazy) {
        if (windowBits < 8 || windowBits > 15) {
            throw new IllegalArgumentException("windowBits must be 8..15, got " + windowBits);
        }
        this.windowBits = windowBits;
        this.maxChain = maxChain;
        this.goodLength = goodLength;
        this.niceLength = niceLength;
        this.maxLazy = maxLazy;
        wsize = 1 << windowBits;
        wmask = wsize - 1;
        int hashBits = hashBits(windowBits);
        hashShift = 32 - hashBits;
        window = new byte[bufferSize(windowBits)];
        head = new char[1 << hashBits];
        prev = new char[wsize];
        symLimit = window.length / 4;
        symLit = new byte[symLimit];
        symDist = new char[symLimit];
        bits = new BitWriter(STAGE_BYTES);
        blocks = new BlockEncoder(bits);
        pos = 1;
        end = 1;
        floor = 1;
        blockStart = 1;
        covered = 1;
    }

    private static int bufferSize(int windowBits) {
        return Math.max(2 << windowBits, 32768);
    }

    private static int hashBits(int windowBits) {
        return Math.min(15, Math.max(10, windowBits + 1));
    }

    /**
     * Bytes taken by the arrays of one encoder (excluding object headers and the fixed-size tables
     * shared by all instances), as stated in the class documentation.
     *
     * @param windowBits 8..15
     * @return array bytes of one instance
     */
    static long footprint(int windowBits) {
        long buffer = bufferSize(windowBits);
        long total = buffer;                         // window
        total += 2L << hashBits(windowBits);         // head
        total += 2L << windowBits;                   // prev
        total += 3 * (buffer / 4);                   // symbol buffer
        total += 4L * (LITLEN_SYMBOLS + DIST_SYMBOLS); // frequencies
        total += STAGE_BYTES;                        // staging
        // block coder: lengths, codes, code-length tables, run-length sequence
        total += (LITLEN_SYMBOLS + DIST_SYMBOLS + 19) + 4L * (LITLEN_SYMBOLS + DIST_SYMBOLS + 19)
                + 4L * 19 + 4L * (LITLEN_SYMBOLS + DIST_SYMBOLS);
        // Huffman builder scratch: two long[] and three int[] of 286 entries, counts, next codes
        total += 2 * 8L * LITLEN_SYMBOLS + 3 * 4L * LITLEN_SYMBOLS + 4L * (LITLEN_SYMBOLS + 1) + 4L * 16;
        return total;
    }

    /**
     * Returns the window size this encoder was created with.
     *
     * @return base-2 logarithm of the largest distance emitted, 8..15
     */
    public int getWindowBits() {
        return windowBits;
    }

    /**
     * Supplies the next piece of the current message. The encoder keeps a reference to
     * {@code in} and consumes it (advancing its position) during later calls to {@link
     * #deflate(ByteBuffer)} or {@link #flush(ByteBuffer)}; the caller must leave its content,
     * position and limit alone until {@link #needsInput()} returns true. From then on the encoder
     * holds no reference to it, so the buffer may be reused at once.
     *
     * @param in bytes to compress, from its position to its limit; may be empty
     * @throws NullPointerException if {@code in} is null
     * @throws IllegalStateException if the previous input has not been consumed or a flush is
     *     in progress
     */
    public void setInput(ByteBuffer in) {
        Objects.requireNonNull(in, "in");
        if (input != null) {
            throw new IllegalStateException("previous input not consumed yet");
        }
        if (flushState != NOT_FLUSHING) {
            throw new IllegalStateException("flush in progress");
        }
        input = in.hasRemaining() ? in : null;
    }

    /**
     * Returns whether all input given to {@link #setInput(ByteBuffer)} has been consumed, so the next
     * piece may be supplied (or the message flushed).
     *
     * @return true if the current input buffer has been fully consumed (or none was given)
     */
    public boolean needsInput() {
        return input == null;
    }

    /**
     * Compresses as much of the input as possible into {@code out}. Returns when the input has been
     * consumed or when {@code out} is full; in the latter case drain {@code out} and call again. If a
     * flush is in progress, this continues it (but {@link #flush(ByteBuffer)} reports completion).
     *
     * @param out destination; bytes are written from its position, which advances
     * @return number of bytes written to {@code out}
     * @throws NullPointerException if {@code out} is null
     * @throws java.nio.ReadOnlyBufferException if {@code out} is read-only
     */
    public int deflate(ByteBuffer out) {
        Objects.requireNonNull(out, "out");
        int before = out.position();
        run(out);
        return out.position() - before;
    }

    /**
     * Ends the current message with a sync flush: all remaining input is compressed, the current
     * block is finished and an empty stored block ({@code 00 00 FF FF} after byte alignment) is
     * appended. If {@code out} fills up first, this returns false; drain {@code out} and call again
     * until it returns true. Afterwards the encoder is ready for the next message.
     *
     * @param out destination; bytes are written from its position, which advances
     * @return true if the flush is complete, false if {@code out} is full and more output is pending
     * @throws NullPointerException if {@code out} is null
     * @throws java.nio.ReadOnlyBufferException if {@code out} is read-only
     */
    public boolean flush(ByteBuffer out) {
        Objects.requireNonNull(out, "out");
        if (flushState == NOT_FLUSHING) {
            flushState = FLUSH_COMPRESS;
        }
        run(out);
        return flushState == NOT_FLUSHING;
    }

    /**
     * Drops all history (as required by {@code no_context_takeover}), any input not yet consumed and
     * any output not yet written, leaving the encoder as if newly constructed. Does not allocate.
     * The input buffer is released without its position being changed.
     */
    public void reset() {
        input = null;
        flushState = NOT_FLUSHING;
        bits.clear();
        blocks.clear();
        symCount = 0;
        Arrays.fill(litFreq, 0);
        Arrays.fill(distFreq, 0);
        pendingDecision = false;
        prevLength = 0;
        // Rather than clearing the hash tables, fence off everything written so far; the fenced
        // bytes are discarded by the next window slide.
        pos = end;
        floor = end;
        blockStart = end;
        covered = end;
    }

    private void run(ByteBuffer out) {
        BitWriter w = bits;
        for (;;) {
            w.drainTo(out);
            if (w.pending() > 0) {
                return;
            }
            if (!blocks.isIdle()) {
                blocks.step();
                continue;
            }
            if (flushState == FLUSH_MARKER) {
                blocks.beginSyncMarker();
                flushState = FLUSH_DRAIN;
                continue;
            }
            if (flushState == FLUSH_DRAIN) {
                flushState = NOT_FLUSHING;
                return;
            }
            if (compress()) {
                beginBlock();
                continue;
            }
            if (flushState == FLUSH_COMPRESS) {
                if (symCount > 0) {
                    beginBlock();
                }
                flushState = FLUSH_MARKER;
                continue;
            }
            return;
        }
    }

    private void beginBlock() {
        blocks.begin(window, blockStart, covered, symLit, symDist, symCount, litFreq, distFreq);
        blockStart = covered;
        symCount = 0;
        Arrays.fill(litFreq, 0);
        Arrays.fill(distFreq, 0);
    }

    /**
     * Runs the matcher over the buffered input, pulling in more input as needed.
     *
     * @return true if a block must be emitted before going on; false if everything possible was done
     *     (input exhausted; when flushing, every buffered byte is then covered by symbols)
     */
    private boolean compress() {
        for (;;) {
            ByteBuffer in = input;
            boolean more = in != null;
            if (more && end - pos <= LOOKAHEAD) {
                if (end == window.length) {
                    int keep = Math.max(pos - wsize, floor);
                    if (blockStart < keep) {
                        return true; // raw bytes of the block are still needed for a stored block
                    }
                    slide(keep);
                }
                int n = Math.min(in.remaining(), window.length - end);
                in.get(window, end, n);
                end += n;
                more = in.hasRemaining();
                if (!more) {
                    input = null; // consumed: the caller may reuse the buffer right away
                }
            }
            boolean last = !more && flushState == FLUSH_COMPRESS;
            int limit = last ? end : end - LOOKAHEAD;
            if (pos >= limit) {
                if (last && pendingDecision) {
                    if (symCount == symLimit) {
                        return true;
                    }
                    // Only a literal can be pending here: a match at end - 1 would be one byte long.
                    recordLiteral(window[pos - 1]);
                    covered = pos;
                    pendingDecision = false;
                }
                if (!more) {
                    return false;
                }
                continue;
            }
            if (matchUntil(limit)) {
                return true;
            }
        }
    }

    /**
     * Lazy matching from {@code pos} up to {@code limit}.
     *
     * @return true if the symbol buffer is full
     */
    private boolean matchUntil(int limit) {
        final byte[] win = window;
        final char[] hd = head;
        final char[] pv = prev;
        final int mask = wmask;
        final int shift = hashShift;
        final int off = chainOffset;
        int p = pos;
        while (p < limit) {
            if (symCount == symLimit) {
                pos = p;
                return true;
            }
            int maxLen = Math.min(MAX_MATCH, end - p);
            int curLen = 0;
            int curDist = 0;
            if (maxLen >= MIN_MATCH) {
                int h = hash(win, p, shift);
                int candidate = hd[h];
                hd[h] = (char) p;
                pv[(p + off) & mask] = (char) candidate;
                if (candidate != 0 && prevLength < maxLazy) {
                    curLen = longestMatch(p, candidate, maxLen, prevLength);
                    curDist = matchDistance;
                    if (curLen == MIN_MATCH && curDist > TOO_FAR) {
                        curLen = 0;
                    }
                }
            }
            if (pendingDecision && prevLength >= MIN_MATCH && curLen <= prevLength) {
                recordMatch(prevLength, prevDistance);
                int stop = p - 1 + prevLength;
                int hashable = Math.min(stop, end - MIN_MATCH + 1);
                for (int q = p + 1; q < hashable; q++) {
                    int hq = hash(win, q, shift);
                    pv[(q + off) & mask] = hd[hq];
                    hd[hq] = (char) q;
                }
                p = stop;
                covered = stop;
                pendingDecision = false;
                prevLength = 0;
            } else {
                if (pendingDecision) {
                    recordLiteral(win[p - 1]);
                    covered = p;
                }
                pendingDecision = true;
                prevLength = curLen;
                prevDistance = curDist;
                p++;
            }
        }
        pos = p;
        return false;
    }

    private static int hash(byte[] win, int p, int shift) {
        int v = (win[p] & 0xFF) | (win[p + 1] & 0xFF) << 8 | (win[p + 2] & 0xFF) << 16;
        return (v * 0x9E3779B1) >>> shift;
    }

    /**
     * Searches the hash chain starting at {@code candidate} for the longest match at {@code p}
     * within the window; sets {@link #matchDistance}.
     *
     * @return the match length if longer than {@code prevLen} (and at least 3), else 0
     */
    private int longestMatch(int p, int candidate, int maxLen, int prevLen) {
        final byte[] win = window;
        int best = Math.max(prevLen, MIN_MATCH - 1);
        if (best >= maxLen) {
            return 0;
        }
        int lowest = Math.max(p - wsize, floor);
        int chain = prevLen >= goodLength ? (maxChain >> 2) + 1 : maxChain;
        int nice = Math.min(niceLength, maxLen);
        int bestDist = 0;
        int cand = candidate;
        // The first three bytes of any match must agree; the window always has three readable
        // bytes at p (maxLen >= 3), and four as long as p + 3 < window.length.
        final boolean wide = p + 4 <= win.length;
        final int first3 = wide ? (int) INTS.get(win, p) & 0xFF_FFFF : 0;
        while (cand >= lowest) {
            boolean head3 = wide
                    ? (((int) INTS.get(win, cand) & 0xFF_FFFF) == first3)
                    : (win[cand] == win[p] && win[cand + 1] == win[p + 1] && win[cand + 2] == win[p + 2]);
            if (head3 && win[cand + best] == win[p + best]) {
                int len = MIN_MATCH;
                while (len + 8 <= maxLen) {
                    long diff = (long) LONGS.get(win, cand + len) ^ (long) LONGS.get(win, p + len);
                    if (diff != 0) {
                        len += Long.numberOfTrailingZeros(diff) >>> 3;
                        break;
                    }
                    len += 8;
                }
                if (len + 8 > maxLen) {
                    while (len < maxLen && win[cand + len] == win[p + len]) {
                        len++;
                    }
                }
                if (len > best) {
                    best = len;
                    bestDist = p - cand;
                    if (len >= nice) {
                        break;
                    }
                }
            }
            if (--chain == 0) {
                break;
            }
            int next = prev[(cand + chainOffset) & wmask];
            if (next >= cand) {
                break; // slot reused by a newer position: the chain ends here
            }
            cand = next;
        }
        matchDistance = bestDist;
        return bestDist == 0 ? 0 : best;
    }

    private void recordLiteral(byte b) {
        int i = symCount;
        symLit[i] = b;
        symDist[i] = 0;
        symCount = i + 1;
        litFreq[b & 0xFF]++;
    }

    private void recordMatch(int length, int distance) {
        int i = symCount;
        symLit[i] = (byte) (length - MIN_MATCH);
        symDist[i] = (char) distance;
        symCount = i + 1;
        litFreq[257 + LENGTH_INDEX[length - MIN_MATCH]]++;
        distFreq[DeflateTables.distanceSymbol(distance)]++;
    }

    /**
     * Discards the window bytes before {@code keep} (at least 2) and rebases every position so that
     * {@code keep} becomes position 1; hash entries pointing before {@code keep} become "none".
     */
    private void slide(int keep) {
        int shift = keep - 1;
        System.arraycopy(window, shift, window, 0, end - shift);
        end -= shift;
        pos -= shift;
        blockStart -= shift;
        covered -= shift;
        floor = Math.max(1, floor - shift);
        chainOffset = (chainOffset + shift) & wmask;
        rebase(head, shift);
        rebase(prev, shift);
    }

    private static void rebase(char[] table, int shift) {
        for (int i = 0; i < table.length; i++) {
            table[i] = (char) Math.max(table[i] - shift, 0);
        }
    }
}
