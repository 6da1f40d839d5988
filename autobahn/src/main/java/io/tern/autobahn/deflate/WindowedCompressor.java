package io.tern.autobahn.deflate;

import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses the runner's own messages for one direction of a permessage-deflate connection
 * (RFC 7692 §7.2.1), keeping the terms the peer negotiated: its window (max_window_bits) and
 * whether context may be taken over from one message to the next.
 *
 * <p><b>Below 15 bits.</b> {@link Deflater} always uses a 32 KiB window and cannot be told to use
 * less, so smaller windows are served by {@link SmallWindowEncoder}, the runner's own LZ77 encoder:
 * it takes a match only when its distance is at most 2^windowBits and keeps at most that much
 * history between messages, so no back-reference can reach farther (see its Javadoc). It still
 * produces back-references, within a message and, with context takeover, into earlier messages, so
 * the peer's inflater is exercised with real matches. (A full flush every 2^windowBits input bytes
 * would also keep zlib inside the window, but each one clears zlib's whole hash table, which made
 * 9-bit sends several times slower.) At 15 bits zlib's own limit (32 KiB minus 262) fits, and
 * {@link Deflater} compresses every message with zlib's own choice of blocks, as the official
 * suite does.
 *
 * <p><b>Context takeover.</b> With no context takeover the compression state is reset before each
 * message (RFC 7692 §7.1.1.1/§7.1.1.2), so no message refers to an earlier one. With context
 * takeover it is kept, and a message may refer into the ones before it.
 *
 * <p>Each message ends with a sync flush whose {@code 00 00 ff ff} tail is removed (RFC 7692
 * §7.2.1); when zlib has nothing to add after an earlier flush, the message is the single byte
 * {@code 00}, an empty stored block once the tail is restored (§7.2.3.6).
 *
 * <p>Not thread-safe: one instance per connection direction, used by one thread at a time. At 15
 * bits holds a native zlib stream until {@link #close()}.
 */
public final class WindowedCompressor implements AutoCloseable {

    private final Deflater deflater;
    private final SmallWindowEncoder small;
    private final int windowBits;
    private final boolean noContextTakeover;
    private byte[] outBuf = new byte[64 * 1024];
    private int outLen;

    /**
     * @param windowBits the window this side may use, 8 to 15 (the peer's max_window_bits for it)
     * @param noContextTakeover whether this side agreed to compress every message on its own
     * @param level the {@link Deflater} level at 15 bits, 0 to 9 (affects only the ratio, never the terms)
     * @throws IllegalArgumentException if a value is out of range
     */
    public WindowedCompressor(int windowBits, boolean noContextTakeover, int level) {
        if (windowBits < 8 || windowBits > 15) {
            throw new IllegalArgumentException("max_window_bits must be 8..15: " + windowBits);
        }
        this.deflater = windowBits == 15 ? new Deflater(level, true) : null;
        this.small = windowBits == 15 ? null : new SmallWindowEncoder(windowBits, noContextTakeover);
        this.windowBits = windowBits;
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
        if (small != null) {
            return small.compress(data, off, len);
        }
        if (noContextTakeover) {
            deflater.reset();
        }
        outLen = 0;
        deflater.setInput(data, off, len);
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
            if (outLen < outBuf.length) {
                return;
            }
        }
    }

    /** Frees the native zlib stream, if any; the compressor is unusable afterwards. */
    @Override
    public void close() {
        if (deflater != null) {
            deflater.end();
        }
    }
}
