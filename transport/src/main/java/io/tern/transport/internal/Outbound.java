package io.tern.transport.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * The bytes a connection has framed and not yet written: a short list of pooled direct buffers
 * ("chunks"), flushed with one gathering write.
 *
 * <p>Frames are appended back to back into the last chunk, header and payload together, so many
 * small messages produced while one read batch is handled leave in a single {@code write} call.
 * A frame that does not fit gets a new chunk at least as large as the frame, so a frame is never
 * split across chunks and its bytes can be masked or checked in place. Written chunks go back to
 * the pool at once: a connection with nothing to send holds no buffer.
 *
 * <p>Each chunk is kept in "read mode": position = first unwritten byte, limit = end of data. The
 * last chunk is switched to "append mode" only between {@link #beginFrame(int)} and
 * {@link #endFrame()}.
 *
 * <p>Owned by one event loop thread; not thread-safe. {@link #bytes()} may be read from other
 * threads as an estimate.
 */
final class Outbound {

    /** Size of an ordinary chunk; bigger frames get a chunk of their own size. */
    static final int CHUNK_SIZE = 16 * 1024;

    private static final java.lang.invoke.VarHandle BYTES;

    static {
        try {
            BYTES = java.lang.invoke.MethodHandles.lookup().findVarHandle(Outbound.class, "bytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DirectBufferPool pool;
    private ByteBuffer[] chunks = new ByteBuffer[4];
    private int count;
    /** Pending bytes: written by the loop only, published with opaque stores (no fence). */
    private long bytes;
    private int appendReadIndex;
    private int appendStart;

    Outbound(DirectBufferPool pool) {
        this.pool = pool;
    }

    /**
     * Returns a buffer positioned where a frame of {@code size} bytes can be written contiguously.
     * The caller writes exactly the frame's bytes and then calls {@link #endFrame()}.
     */
    ByteBuffer beginFrame(int size) {
        ByteBuffer tail = count == 0 ? null : chunks[count - 1];
        if (tail == null || tail.capacity() - tail.limit() < size) {
            tail = pool.acquire(Math.max(CHUNK_SIZE, size));
            tail.limit(0);
            if (count == chunks.length) {
                chunks = java.util.Arrays.copyOf(chunks, count * 2);
            }
            chunks[count++] = tail;
        }
        appendReadIndex = tail.position();
        appendStart = tail.limit();
        tail.position(appendStart).limit(tail.capacity());
        return tail;
    }

    /** Ends the frame started by {@link #beginFrame(int)}; everything up to the position is kept. */
    void endFrame() {
        ByteBuffer tail = chunks[count - 1];
        int end = tail.position();
        tail.limit(end).position(appendReadIndex);
        BYTES.setOpaque(this, bytes + (end - appendStart)); // single writer: the loop thread
    }

    /**
     * Writes as much as the channel takes in one gathering write.
     *
     * @return bytes written
     * @throws IOException from the channel
     */
    long writeTo(GatheringByteChannel channel) throws IOException {
        if (count == 0) {
            return 0;
        }
        long written = count == 1 ? channel.write(chunks[0]) : channel.write(chunks, 0, count);
        if (written > 0) {
            BYTES.setOpaque(this, bytes - written);
            releaseWritten();
        }
        return written;
    }

    private void releaseWritten() {
        int done = 0;
        while (done < count && !chunks[done].hasRemaining()) {
            pool.release(chunks[done]);
            chunks[done] = null;
            done++;
        }
        if (done > 0) {
            System.arraycopy(chunks, done, chunks, 0, count - done);
            for (int i = count - done; i < count; i++) {
                chunks[i] = null;
            }
            count -= done;
        }
    }

    /** Whether nothing is waiting to be written. */
    boolean isEmpty() {
        return count == 0;
    }

    /** Bytes waiting to be written; safe to read from any thread as an estimate. */
    long bytes() {
        return (long) BYTES.getOpaque(this);
    }

    /** Returns every chunk to the pool; pending bytes are dropped. */
    void release() {
        for (int i = 0; i < count; i++) {
            pool.release(chunks[i]);
            chunks[i] = null;
        }
        count = 0;
        BYTES.setOpaque(this, 0L);
    }
}
