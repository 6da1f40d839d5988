package io.tern.codec;

import java.nio.ByteBuffer;

/**
 * Where a codec gets the buffers it needs only for a while, such as the bytes of a message that
 * arrives in several pieces, and where it gives them back.
 *
 * <p>A transport passes a pool owned by its event loop, so an idle connection holds no buffer and
 * a busy one borrows only for as long as a message is incomplete. Codec objects call a pool only
 * from the thread that uses them.
 *
 * <p>What a {@link MessageReader} asks for: a message assembled from pieces starts in a buffer sized
 * from its first piece and, when a piece does not fit, moves to one at least twice as large (capped
 * at the message limit), giving the old one back at once; so a message of {@code n} bytes takes
 * O(log n) acquisitions, fewer than {@code 4n} bytes in all (past a first buffer of a few KiB),
 * and at most two buffers at a time. A pool may lend more capacity than asked (rounding to size
 * classes, say); the reader uses it.
 */
public interface BufferPool {

    /**
     * Lends a buffer with at least {@code minCapacity} bytes of capacity, cleared (position 0,
     * limit = capacity).
     *
     * @param minCapacity the least capacity needed
     * @return a buffer the caller owns until it {@linkplain #release(ByteBuffer) releases} it
     */
    ByteBuffer acquire(int minCapacity);

    /**
     * Takes back a buffer from {@link #acquire(int)}. The caller must not use it afterwards.
     *
     * @param buffer the buffer to return
     */
    void release(ByteBuffer buffer);

    /**
     * A pool that allocates a new heap buffer on every {@link #acquire(int)} and lets the garbage
     * collector have released ones. Fine for tests and low rates; a server should pool.
     *
     * @return the shared unpooled allocator
     */
    static BufferPool unpooled() {
        return UnpooledBuffers.INSTANCE;
    }
}
