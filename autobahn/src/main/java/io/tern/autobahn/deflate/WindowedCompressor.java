package io.tern.autobahn.deflate;

import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses the runner's own messages for one direction of a permessage-deflate connection
 * (RFC 7692 §7.2.1), keeping the terms the peer negotiated: its window (max_window_bits) and
 * whether context may be taken over from one message to the next.
 *
 * <p><b>Why this is sound below 15 bits.</b> {@link Deflater} always uses a 32 KiB window and
 * cannot be told to use less. But a full flush ({@link Deflater#FULL_FLUSH}) resets its match
 * state: no back-reference made after a full flush points before it. So the input is fed in
 * segments of at most 2^windowBits bytes with a full flush after each: every back-reference then
 * stays inside one segment, so its distance is below 2^windowBits, whatever the level or
 * strategy. Back-references (and, with context takeover, references across message boundaries
 * within a segment) are still produced, so the peer's inflater is exercised with real matches.
 * A full flush costs an empty stored block (about 5 bytes) per segment, which only lowers the
 * ratio. At 15 bits zlib's own window limit (32 KiB minus 262) already fits, and messages are
 * fed whole.
 *
 * <p><b>Context takeover.</b> With no context takeover the deflater is reset before each message
 * (RFC 7692 §7.1.1.1/§7.1.1.2), so no message refers to an earlier one. With context takeover the
 * deflater keeps its state, and at 15 bits a message may refer into the one before.
 *
 * <p>Each message ends with a sync flush whose {@code 00 00 ff ff} tail is removed (RFC 7692
 * §7.2.1); when zlib has nothing to add after an earlier flush, the message is the single byte
 * {@code 00}, an empty stored block once the tail is restored (§7.2.3.6).
 *
 * <p>Not thread-safe: one instance per connection direction, used by one thread at a time. Holds a
 * native zlib stream until {@link #close()}.
 */
public final class WindowedCompressor implements AutoCloseable {

    private final Deflater deflater;
    private final int windowBits;
    private final int segment;
    private final boolean noContextTakeover;
    private int sinceFullFlush;
    private byte[] outBuf = new byte[64 * 1024];
    private int outLen;

    /**
     * @param windowBits the window this side may use, 8 to 15 (the peer's max_window_bits for it)
     * @param noContextTakeover whether this side agreed to compress every message on its own
     * @param level the {@link Deflater} level, 0 to 9 (affects only the ratio, never the terms)
     * @throws IllegalArgumentException if a value is out of range
     */
    public WindowedCompressor(int windowBits, boolean noContextTakeover, int level) {
        if (windowBits < 8 || windowBits > 15) {
            throw new IllegalArgumentException("max_window_bits must be 8..15: " + windowBits);
        }
        this.deflater = new Deflater(level, true);
        this.windowBits = windowBits;
        this.segment = windowBits == 15 ? Integer.MAX_VALUE : 1 << windowBits;
        this.noContextTakeover = noContextTakeover;
    }

    /**
     * Compresses one whole message.
     *
     * @param data the message payload
     * @param off its offset in {@code data}
     * @param len its length in bytes
     * @return the compressed payload, without the {@code 00 00 ff ff} tail
     */
    public byte[] compress(byte[] data, int off, int len) {
        if (noContextTakeover) {
            deflater.reset();
            sinceFullFlush = 0;
        }
        outLen = 0;
        int pos = off;
        int end = off + len;
        while (pos < end) {
            int n = Math.min(end - pos, segment - sinceFullFlush);
            deflater.setInput(data, pos, n);
            pos += n;
            sinceFullFlush += n;
            if (sinceFullFlush == segment) {
                drain(Deflater.FULL_FLUSH);
                sinceFullFlush = 0;
            } else {
                drain(Deflater.NO_FLUSH);
            }
        }
        deflater.setInput(data, end, 0);
        drain(Deflater.SYNC_FLUSH);
        if (outLen == 0) {
            // zlib emits nothing for a sync flush right after a flush: an empty stored block
            return new byte[] {0};
        }
        if (outLen >= 4 && outBuf[outLen - 4] == 0 && outBuf[outLen - 3] == 0
                && outBuf[outLen - 2] == (byte) 0xff && outBuf[outLen - 1] == (byte) 0xff) {
            outLen -= 4;
        } else {
            throw new IllegalStateException("sync flush did not end with 00 00 ff ff");
        }
        return Arrays.copyOf(outBuf, outLen);
    }

    /** @return the window bits this compressor keeps to */
    public int windowBits() {
        return windowBits;
    }

    private void drain(int flush) {
        for (;;) {
            if (outLen == outBuf.length) {
                outBuf = Arrays.copyOf(outBuf, outBuf.length * 2);
            }
            int n = deflater.deflate(outBuf, outLen, outBuf.length - outLen, flush);
            outLen += n;
            if (outLen < outBuf.length && (flush != Deflater.NO_FLUSH || deflater.needsInput())) {
                return;
            }
        }
    }

    /** Frees the native zlib stream; the compressor is unusable afterwards. */
    @Override
    public void close() {
        deflater.end();
    }
}
