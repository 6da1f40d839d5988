package io.tern.codec.deflate;

import io.tern.codec.BufferPool;
import io.tern.codec.Role;
import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * The sending half of permessage-deflate for one connection: compresses message payloads
 * (RFC 7692 §7.2.1) and removes the {@code 00 00 ff ff} tail of the final fragment.
 *
 * <p>With the full 15-bit window it uses {@link Deflater} (native zlib) at the configured level;
 * with a negotiated window below 15 bits it uses Tern's {@link WindowedDeflater}, which never
 * refers further back than the window, because {@code Deflater} cannot shrink its window. With
 * context takeover the stream is kept between messages; with no context takeover it is borrowed
 * from the {@link ZStreamPool} for one message and returned reset.
 *
 * <p>The first frame of a compressed message must carry {@link io.tern.codec.Rsv#RSV1}, later
 * fragments must not; {@link io.tern.codec.MessageWriter#writeData} takes the bits. Each fragment
 * is sync-flushed, so the peer can inflate it as soon as it arrives.
 *
 * <pre>{@code
 * PerMessageDeflater deflater = new PerMessageDeflater(agreed, Role.SERVER, options, pool);
 * if (deflater.shouldCompress(payload.remaining())) {
 *     ByteBuffer compressed = deflater.compress(payload, true, buffers);
 *     writer.writeData(Opcode.TEXT, Rsv.RSV1, header, compressed, true);
 *     // ... send header and compressed, then:
 *     buffers.release(compressed);
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one per connection, used by its thread.
 */
public final class PerMessageDeflater {

    private static final int MIN_OUTPUT = 64;

    private final ZStreamPool pool;
    private final boolean borrowPerMessage;
    private final int windowBits;
    private final int level;
    private final int threshold;
    private Deflater zlib;
    private WindowedDeflater own;

    /**
     * Creates the compressing half for an endpoint.
     *
     * @param parameters the negotiated parameters
     * @param self       the role of the endpoint that sends
     * @param options    the compression threshold and level
     * @param pool       the owner's stream pool
     */
    public PerMessageDeflater(DeflateParameters parameters, Role self, DeflateOptions options, ZStreamPool pool) {
        this.pool = pool;
        this.borrowPerMessage = parameters.sendNoContextTakeover(self);
        this.windowBits = parameters.sendWindowBits(self);
        this.level = options.compressionLevel();
        this.threshold = options.compressionThreshold();
    }

    /**
     * Whether a message of this size should be compressed (it reaches the threshold).
     *
     * @param messageLength the uncompressed size
     * @return {@code true} to compress, {@code false} to send it as it is, without RSV1
     */
    public boolean shouldCompress(long messageLength) {
        return messageLength >= threshold;
    }

    /**
     * The window this deflater compresses with.
     *
     * @return 8–15
     */
    public int windowBits() {
        return windowBits;
    }

    /**
     * Compresses a whole message, or one fragment of it, into a buffer from {@code buffers}.
     *
     * @param payload the uncompressed bytes, position to limit; its position is advanced to the
     *                limit as they are consumed
     * @param last    {@code true} for a whole message or its final fragment: the tail is removed
     *                and, without context takeover, the stream is reset
     * @param buffers lends the output buffer
     * @return the compressed bytes, position to limit; give the buffer back to {@code buffers}
     *     once it is sent
     */
    public ByteBuffer compress(ByteBuffer payload, boolean last, BufferPool buffers) {
        return compress(payload, last, buffers, 0).position(0);
    }

    /**
     * Compresses as {@link #compress(ByteBuffer, boolean, BufferPool)}, leaving {@code headroom}
     * bytes free in front of the output, so a caller can write the frame header there and send
     * header and payload from this one buffer without copying the payload.
     *
     * @param payload  the uncompressed bytes, position to limit; its position is advanced
     * @param last     {@code true} for a whole message or its final fragment
     * @param buffers  lends the output buffer
     * @param headroom bytes to keep free before the output, at least 0
     * @return the buffer with the compressed bytes from index {@code headroom} to its limit, its
     *     position at {@code headroom}; give it back to {@code buffers} once it is sent
     */
    public ByteBuffer compress(ByteBuffer payload, boolean last, BufferPool buffers, int headroom) {
        int n = payload.remaining();
        ByteBuffer out = buffers.acquire(headroom + Math.max(MIN_OUTPUT, n + (n >>> 10) + 32));
        out.position(headroom);
        out = windowBits == DeflateParameters.MAX_WINDOW_BITS
                ? compressWithZlib(payload, out, buffers)
                : compressWithOwnEncoder(payload, out, buffers);
        if (last) {
            stripTail(out, headroom);
            endMessage();
        }
        return out.flip().position(headroom);
    }

    private ByteBuffer compressWithZlib(ByteBuffer payload, ByteBuffer out, BufferPool buffers) {
        if (zlib == null) {
            zlib = pool.acquireDeflater(level);
        }
        zlib.setInput(payload);
        while (true) {
            zlib.deflate(out, Deflater.SYNC_FLUSH);
            if (out.hasRemaining()) {
                return out; // a sync flush that did not fill the buffer is complete
            }
            out = grow(out, buffers);
        }
    }

    private ByteBuffer compressWithOwnEncoder(ByteBuffer payload, ByteBuffer out, BufferPool buffers) {
        if (own == null) {
            own = pool.acquireWindowed(windowBits);
        }
        own.setInput(payload);
        while (!own.needsInput()) {
            own.deflate(out);
            if (!out.hasRemaining()) {
                out = grow(out, buffers);
            }
        }
        while (!own.flush(out)) {
            out = grow(out, buffers);
        }
        return out;
    }

    private static ByteBuffer grow(ByteBuffer out, BufferPool buffers) {
        ByteBuffer bigger = buffers.acquire(out.capacity() * 2);
        bigger.put(out.flip());
        buffers.release(out);
        return bigger;
    }

    /**
     * Removes the {@code 00 00 ff ff} that a sync flush ends with (RFC 7692 §7.2.1). A message that
     * compresses to nothing else is sent as the single byte {@code 00}, an empty stored block's
     * header, which the receiver completes with the tail it appends.
     */
    private static void stripTail(ByteBuffer out, int start) {
        int end = out.position();
        if (end == start) {
            // zlib writes nothing for a sync flush that follows another with no input between
            // (an empty message or an empty last fragment): send the empty block's header.
            out.put((byte) 0);
            return;
        }
        if (end - start < 4 || out.get(end - 4) != 0 || out.get(end - 3) != 0
                || out.get(end - 2) != (byte) 0xFF || out.get(end - 1) != (byte) 0xFF) {
            throw new IllegalStateException("sync flush did not end with 00 00 ff ff");
        }
        out.position(end - 4);
        if (end - start == 4) {
            out.put((byte) 0);
        }
    }

    private void endMessage() {
        if (!borrowPerMessage) {
            return;
        }
        if (zlib != null) {
            pool.releaseDeflater(zlib, level);
            zlib = null;
        }
        if (own != null) {
            pool.releaseWindowed(own);
            own = null;
        }
    }

    /**
     * Frees or returns the stream this deflater holds. Call when the connection ends.
     */
    public void release() {
        if (zlib != null) {
            if (borrowPerMessage) {
                pool.releaseDeflater(zlib, level);
            } else {
                pool.freeDeflater(zlib);
            }
            zlib = null;
        }
        if (own != null) {
            pool.releaseWindowed(own);
            own = null;
        }
    }

    /**
     * Whether this deflater holds a stream right now (for tests and metrics).
     *
     * @return {@code true} while a stream is held
     */
    public boolean holdsStream() {
        return zlib != null || own != null;
    }
}
