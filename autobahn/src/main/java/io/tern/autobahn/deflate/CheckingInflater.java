package io.tern.autobahn.deflate;

import io.tern.autobahn.deflate.InflateException.Kind;
import java.util.Arrays;

/**
 * The runner's own DEFLATE decoder (RFC 1951: stored, fixed and dynamic Huffman blocks) for the
 * messages of one direction of a permessage-deflate connection (RFC 7692), which also judges what
 * {@code java.util.zip.Inflater} cannot: whether the sender kept the terms it agreed to.
 *
 * <p>Every back-reference is checked against
 * <ul>
 *   <li>the negotiated window, 2^max_window_bits bytes (RFC 7692 §7.1.2.1 and §7.1.2.2): a sender
 *       that agreed to 9 bits and refers 600 bytes back is refused with
 *       {@link Kind#WINDOW_EXCEEDED};</li>
 *   <li>context takeover (RFC 7692 §7.1.1): with no context takeover every message must inflate
 *       on its own, so a reference before the message's first byte into an earlier message is
 *       refused with {@link Kind#CONTEXT_TAKEOVER};</li>
 *   <li>the stream itself (RFC 1951 §3.2.5): a reference before the first byte the stream ever
 *       produced is {@link Kind#BEFORE_STREAM_START}.</li>
 * </ul>
 * The output of one message is bounded by {@code maxMessageBytes} while it runs
 * ({@link Kind#TOO_LARGE}), so a small compressed message cannot make it allocate without limit.
 *
 * <p>Each message's payload gets the {@code 00 00 ff ff} tail back (RFC 7692 §7.2.2) and is decoded
 * up to the end of its input, which must end at a block boundary; a block with BFINAL set ends
 * the message's data, the rest of its input is ignored (RFC 7692 §7.2.3.4), and the next message
 * starts a new block with the window kept (if context takeover applies).
 *
 * <p>Decoding uses a 10-bit lookup table per Huffman code and a canonical bit-by-bit walk for
 * longer codes. The class is self-contained (JDK only) so it can be used outside the runner.
 * It is longer than a usual class because a DEFLATE decoder is one state machine whose parts
 * (bit reader, code tables, block loop) share hot state; splitting it would cost speed.
 *
 * <p>Not thread-safe: one instance per connection direction, used by one thread at a time. After
 * an {@link InflateException} the instance is broken and refuses further messages.
 */
public final class CheckingInflater {

    private static final int FAST_BITS = 10;
    private static final int FAST_MASK = (1 << FAST_BITS) - 1;
    private static final int MAX_MATCH = 258;
    private static final java.lang.invoke.VarHandle LONG_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    private static final short[] LEN_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
        35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final byte[] LEN_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
        4, 4, 4, 4, 5, 5, 5, 5, 0};
    private static final int[] DIST_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
        257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final byte[] DIST_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8,
        9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
    private static final byte[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13,
        2, 14, 1, 15};
    private static final Huffman FIXED_LIT = new Huffman(288);
    private static final Huffman FIXED_DIST = new Huffman(32);

    static {
        byte[] lens = new byte[288];
        Arrays.fill(lens, 0, 144, (byte) 8);
        Arrays.fill(lens, 144, 256, (byte) 9);
        Arrays.fill(lens, 256, 280, (byte) 7);
        Arrays.fill(lens, 280, 288, (byte) 8);
        FIXED_LIT.build(lens, 0, 288, true);
        Arrays.fill(lens, 0, 32, (byte) 5);
        FIXED_DIST.build(lens, 0, 32, true);
    }

    private final int windowBits;
    private final int window;
    private final boolean noContextTakeover;
    private final int maxMessageBytes;
    private final Huffman lit = new Huffman(288);
    private final Huffman dist = new Huffman(32);
    private final Huffman lengthCode = new Huffman(19);
    private final byte[] lengths = new byte[288 + 32];

    /** buf[0, ctxLen): the window kept from earlier messages; then the message being inflated. */
    private byte[] buf = new byte[64 * 1024];
    private int ctxLen;
    private long earlierBytes;
    private int out;
    private int msgStart;
    private int limit;
    private boolean broken;

    private byte[] in = new byte[1024];
    private int inPos;
    private int inEnd;
    private long bitBuf;
    private int bitCnt;

    /**
     * @param windowBits the sender's negotiated max_window_bits, 8 to 15 (RFC 7692 §7.1.2); the
     *     window is 2^windowBits bytes
     * @param noContextTakeover whether the sender agreed to no context takeover (RFC 7692 §7.1.1)
     * @param maxMessageBytes the most bytes one message may inflate to, at least 0
     * @throws IllegalArgumentException if a value is out of range
     */
    public CheckingInflater(int windowBits, boolean noContextTakeover, int maxMessageBytes) {
        if (windowBits < 8 || windowBits > 15) {
            throw new IllegalArgumentException("max_window_bits must be 8..15: " + windowBits);
        }
        if (maxMessageBytes < 0 || maxMessageBytes > Integer.MAX_VALUE - 2 * 65536) {
            throw new IllegalArgumentException("maxMessageBytes out of range: " + maxMessageBytes);
        }
        this.windowBits = windowBits;
        this.window = 1 << windowBits;
        this.noContextTakeover = noContextTakeover;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Inflates one whole message (all its frames' payloads, in order, RSV1 on the first).
     *
     * @param data the compressed payload without the {@code 00 00 ff ff} tail
     * @param off offset of the payload in {@code data}
     * @param len length of the payload in bytes
     * @return the inflated message
     * @throws InflateException if the data is not valid DEFLATE, breaks the negotiated window or
     *     context-takeover terms, or inflates past the limit; the inflater is unusable afterwards
     * @throws IllegalStateException if an earlier message already failed
     */
    public byte[] inflate(byte[] data, int off, int len) throws InflateException {
        if (broken) {
            throw new IllegalStateException("an earlier message failed to inflate");
        }
        broken = true;
        if (in.length < len + TAIL.length) {
            in = new byte[Math.max(len + TAIL.length, in.length * 2)];
        }
        System.arraycopy(data, off, in, 0, len);
        System.arraycopy(TAIL, 0, in, len, TAIL.length);
        inPos = 0;
        inEnd = len + TAIL.length;
        bitBuf = 0;
        bitCnt = 0;
        msgStart = ctxLen;
        out = ctxLen;
        limit = ctxLen + maxMessageBytes;
        boolean last = false;
        while (!last && (bitCnt > 0 || inPos < inEnd)) {
            int header = bits(3);
            last = (header & 1) != 0;
            switch (header >>> 1) {
                case 0 -> stored();
                case 1 -> codes(FIXED_LIT, FIXED_DIST);
                case 2 -> dynamic();
                default -> throw malformed("reserved block type 3");
            }
        }
        byte[] message = Arrays.copyOfRange(buf, msgStart, out);
        earlierBytes += out - msgStart;
        if (noContextTakeover) {
            ctxLen = 0;
        } else {
            int keep = Math.min(window, out);
            System.arraycopy(buf, out - keep, buf, 0, keep);
            ctxLen = keep;
        }
        broken = false;
        return message;
    }

    /** @return the sender's negotiated window in bits */
    public int windowBits() {
        return windowBits;
    }

    private void stored() throws InflateException {
        int drop = bitCnt & 7;
        bitBuf >>>= drop;
        bitCnt -= drop;
        bitBuf &= bitCnt == 0 ? 0 : -1L >>> (64 - bitCnt);
        int n = bits(16);
        int complement = bits(16);
        if (n != (~complement & 0xFFFF)) {
            throw malformed("stored block LEN " + n + " does not match NLEN " + complement);
        }
        if (out + n > limit) {
            throw tooLarge();
        }
        room(n);
        while (n > 0 && bitCnt >= 8) {
            buf[out++] = (byte) bitBuf;
            bitBuf >>>= 8;
            bitCnt -= 8;
            n--;
        }
        if (n > inEnd - inPos) {
            throw malformed("stored block truncated");
        }
        System.arraycopy(in, inPos, buf, out, n);
        inPos += n;
        out += n;
        if (bitCnt == 0) {
            bitBuf = 0; // drop the look-ahead bits of the bytes just copied past
        }
    }

    private void dynamic() throws InflateException {
        int nlit = bits(5) + 257;
        int ndist = bits(5) + 1;
        int ncode = bits(4) + 4;
        if (nlit > 286) {
            throw malformed("HLIT gives " + nlit + " literal/length codes, more than 286");
        }
        if (ndist > 30) {
            throw malformed("HDIST gives " + ndist + " distance codes, more than 30");
        }
        Arrays.fill(lengths, 0, 19, (byte) 0);
        for (int i = 0; i < ncode; i++) {
            lengths[CODE_LENGTH_ORDER[i]] = (byte) bits(3);
        }
        String fault = lengthCode.build(lengths, 0, 19, false);
        if (fault != null) {
            throw malformed("code length code " + fault);
        }
        int total = nlit + ndist;
        int i = 0;
        while (i < total) {
            int sym = decode(lengthCode);
            if (sym < 16) {
                lengths[i++] = (byte) sym;
                continue;
            }
            int value = 0;
            int repeat;
            if (sym == 16) {
                if (i == 0) {
                    throw malformed("code length repeat with no previous length");
                }
                value = lengths[i - 1];
                repeat = 3 + bits(2);
            } else if (sym == 17) {
                repeat = 3 + bits(3);
            } else {
                repeat = 11 + bits(7);
            }
            if (i + repeat > total) {
                throw malformed("code length repeat runs past " + total + " lengths");
            }
            Arrays.fill(lengths, i, i + repeat, (byte) value);
            i += repeat;
        }
        if (lengths[256] == 0) {
            throw malformed("no end-of-block code");
        }
        fault = lit.build(lengths, 0, nlit, true);
        if (fault != null) {
            throw malformed("literal/length code " + fault);
        }
        fault = dist.build(lengths, nlit, ndist, true);
        if (fault != null) {
            throw malformed("distance code " + fault);
        }
        codes(lit, dist);
    }

    private void codes(Huffman litCode, Huffman distCode) throws InflateException {
        for (;;) {
            if (out > buf.length - MAX_MATCH) {
                room(MAX_MATCH);
            }
            int sym = decode(litCode);
            if (sym < 256) {
                buf[out++] = (byte) sym;
                if (out > limit) {
                    throw tooLarge();
                }
                continue;
            }
            if (sym == 256) {
                return;
            }
            sym -= 257;
            if (sym >= 29) {
                throw malformed("invalid literal/length code " + (sym + 257));
            }
            int len = LEN_BASE[sym] + bits(LEN_EXTRA[sym]);
            int ds = decode(distCode);
            if (ds >= 30) {
                throw malformed("invalid distance code " + ds);
            }
            int d = DIST_BASE[ds] + bits(DIST_EXTRA[ds]);
            if (d > window || d > out) {
                throw badDistance(d);
            }
            if (out + len > limit) {
                throw tooLarge();
            }
            byte[] b = buf;
            int from = out - d;
            if (d >= len) {
                System.arraycopy(b, from, b, out, len);
            } else {
                for (int k = 0; k < len; k++) {
                    b[out + k] = b[from + k];
                }
            }
            out += len;
        }
    }

    private InflateException badDistance(int d) {
        if (d > window) {
            return fault(Kind.WINDOW_EXCEEDED, "back-reference distance " + d + " exceeds the negotiated window of "
                    + window + " bytes (max_window_bits=" + windowBits + ")", d);
        }
        int inMessage = out - msgStart;
        if (noContextTakeover && d <= inMessage + earlierBytes) {
            return fault(Kind.CONTEXT_TAKEOVER, "back-reference distance " + d + " reaches " + (d - inMessage)
                    + " bytes into an earlier message despite no context takeover", d);
        }
        return fault(Kind.BEFORE_STREAM_START, "back-reference distance " + d + " reaches before the first byte of "
                + "the stream (" + (inMessage + (noContextTakeover ? 0 : earlierBytes)) + " bytes available)", d);
    }

    /** Makes room for {@code extra} more bytes after {@code out}; the caller checks the limit. */
    private void room(int extra) {
        if (out + extra <= buf.length) {
            return;
        }
        long want = Math.max((long) out + extra, Math.min((long) buf.length * 2, (long) limit + MAX_MATCH));
        buf = Arrays.copyOf(buf, (int) Math.min(want, Integer.MAX_VALUE - 16));
    }

    /**
     * Tops the bit buffer up to at least 56 bits while input lasts. With 8 bytes left it loads them
     * at once: the bits above {@code bitCnt} are then the next input bytes' own bits, so loading them
     * again later ORs identical bits (the branch-free refill of fast DEFLATE decoders).
     */
    private void refill() {
        if (inEnd - inPos >= 8) {
            bitBuf |= (long) LONG_LE.get(in, inPos) << bitCnt;
            inPos += (63 - bitCnt) >>> 3;
            bitCnt |= 56;
            return;
        }
        while (bitCnt <= 56 && inPos < inEnd) {
            bitBuf |= (long) (in[inPos++] & 0xFF) << bitCnt;
            bitCnt += 8;
        }
    }

    private int bits(int n) throws InflateException {
        if (bitCnt < n) {
            refill();
            if (bitCnt < n) {
                throw malformed("data ends inside a block");
            }
        }
        int v = (int) bitBuf & ((1 << n) - 1);
        bitBuf >>>= n;
        bitCnt -= n;
        return v;
    }

    private int decode(Huffman h) throws InflateException {
        if (bitCnt < 15) {
            refill();
        }
        int e = h.fast[(int) bitBuf & FAST_MASK];
        if (e != 0) {
            int l = e & 15;
            if (l > bitCnt) {
                throw malformed("data ends inside a Huffman code");
            }
            bitBuf >>>= l;
            bitCnt -= l;
            return e >>> 4;
        }
        // canonical walk, one bit at a time, for codes longer than the table (RFC 1951 §3.2.2)
        int code = 0;
        int first = 0;
        int index = 0;
        long bb = bitBuf;
        for (int len = 1; len <= 15; len++) {
            if (len > bitCnt) {
                throw malformed("data ends inside a Huffman code");
            }
            code |= (int) (bb & 1);
            bb >>>= 1;
            int count = h.count[len];
            if (code - count < first) {
                bitBuf >>>= len;
                bitCnt -= len;
                return h.symbol[index + code - first];
            }
            index += count;
            first += count;
            first <<= 1;
            code <<= 1;
        }
        throw malformed("invalid Huffman code");
    }

    private InflateException malformed(String detail) {
        return fault(Kind.MALFORMED, detail, 0);
    }

    private InflateException tooLarge() {
        return fault(Kind.TOO_LARGE, "inflated message exceeds " + maxMessageBytes + " bytes", 0);
    }

    private InflateException fault(Kind kind, String detail, int distance) {
        long inputBits = Math.max(0, Math.min((long) inPos * 8 - bitCnt, (long) (inEnd - TAIL.length) * 8));
        return new InflateException(kind, detail, inputBits, out - msgStart, distance);
    }

    /** A canonical Huffman code (RFC 1951 §3.2.2): a lookup table plus counts and sorted symbols. */
    private static final class Huffman {
        final int[] fast = new int[1 << FAST_BITS];
        final short[] count = new short[16];
        final short[] symbol;
        private final int[] next = new int[16];

        Huffman(int symbols) {
            symbol = new short[symbols];
        }

        /** @return null if the lengths make a usable code, else what is wrong with them */
        String build(byte[] lens, int off, int n, boolean allowSingleIncomplete) {
            Arrays.fill(count, (short) 0);
            int maxLen = 0;
            for (int i = 0; i < n; i++) {
                count[lens[off + i]]++;
                maxLen = Math.max(maxLen, lens[off + i]);
            }
            count[0] = 0;
            int left = 1;
            for (int len = 1; len <= 15; len++) {
                left <<= 1;
                left -= count[len];
                if (left < 0) {
                    return "is over-subscribed";
                }
            }
            if (left > 0 && maxLen > 0 && !(allowSingleIncomplete && maxLen == 1)) {
                return "is incomplete";
            }
            if (maxLen == 0 && !allowSingleIncomplete) {
                return "is empty";
            }
            next[1] = 0;
            for (int len = 1; len < 15; len++) {
                next[len + 1] = next[len] + count[len];
            }
            for (int i = 0; i < n; i++) {
                if (lens[off + i] != 0) {
                    symbol[next[lens[off + i]]++] = (short) i;
                }
            }
            Arrays.fill(fast, 0);
            int code = 0;
            for (int len = 1; len <= 15; len++) {
                code = (code + count[len - 1]) << 1;
                next[len] = code;
            }
            for (int i = 0; i < n; i++) {
                int len = lens[off + i];
                if (len == 0) {
                    continue;
                }
                int c = next[len]++;
                if (len <= FAST_BITS) {
                    int rev = Integer.reverse(c) >>> (32 - len);
                    for (int k = rev; k < fast.length; k += 1 << len) {
                        fast[k] = (i << 4) | len;
                    }
                }
            }
            return null;
        }
    }
}
