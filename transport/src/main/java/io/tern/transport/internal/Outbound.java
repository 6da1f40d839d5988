package io.tern.transport.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * The bytes a connection has framed and not yet written, in order: pooled direct buffers it owns
 * ("chunks") and frames it shares with other connections (a {@link Prepared} message's per-loop
 * view), flushed with one gathering write.
 *
 * <p>Frames are appended back to back into the last chunk, header and payload together, so many
 * small messages produced while one read batch is handled leave in a single {@code write} call.
 * A frame that does not fit gets a new chunk at least as large as the frame, so a frame is never
 * split across chunks and its bytes can be masked or checked in place. A shared frame is not
 * copied: the queue holds a reference and the range still to write; frames appended after it go
 * into a new chunk. Written chunks go back to the pool at once: a connection with nothing to send
 * holds no buffer.
 *
 * <p>An owned chunk is kept in "read mode": position = first unwritten byte, limit = end of data
 * (the last chunk is in "append mode" only between {@link #beginFrame(int)} and
 * {@link #endFrame()}). A shared view's position and limit belong to whichever connection of the
 * loop writes it: they are set from this queue's own range just before each write.
 *
 * <p>The entries live in arrays from {@code head} to {@code head + count}: a write that finishes
 * entries moves {@code head} on instead of shifting the rest down, so a deep queue costs nothing
 * per write beyond what was written. The arrays grow by doubling when the tail reaches their end
 * (after sliding the live entries back to index 0, if that makes room), are kept while the queue
 * is in use, so a steady flow allocates nothing per message, and when the queue empties with
 * arrays over {@link #RETAINED_ENTRIES} they are replaced by arrays of that size: one burst to a
 * deep queue does not leave a connection holding large arrays for life.
 *
 * <p>Threading contract: owned by one event loop thread; not thread-safe. {@link #bytes()} may be
 * read from other threads as an estimate.
 */
final class Outbound {

    /** Size of an ordinary chunk; bigger frames get a chunk of their own size. */
    static final int CHUNK_SIZE = 16 * 1024;
    /** Entries passed to one gathering write at most (the kernel's IOV_MAX is 1024). */
    private static final int MAX_GATHER = 256;
    /** Entries the arrays keep when the queue empties; larger arrays are replaced by this size. */
    static final int RETAINED_ENTRIES = 64;

    private static final VarHandle BYTES;

    static {
        try {
            BYTES = MethodHandles.lookup().findVarHandle(Outbound.class, "bytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DirectBufferPool pool;
    private static final ByteBuffer[] NO_CHUNKS = new ByteBuffer[0];
    /** The entries; made on the first frame, so a connection that never sent holds no array. */
    private ByteBuffer[] chunks = NO_CHUNKS;
    /**
     * Per entry: the shared view it refers to, or null for a chunk this queue owns; with the range
     * still to write of each shared entry. Made on the first shared frame (a connection that never
     * sends one does not pay for them) and sized like {@link #chunks}.
     */
    private Prepared.LoopView[] shared;
    private int[] sharedFrom;
    private int[] sharedTo;
    /** Index of the first entry; the entries are {@code [head, head + count)}. */
    private int head;
    private int count;
    /** Pending bytes: written by the loop only, published with opaque stores (no fence). */
    private long bytes;
    /** The server's per-loop count of queued bytes, or null (clients). */
    private OutboundBudget.Slot budget;
    private int appendReadIndex;
    private int appendStart;
    private int writeStamp;

    Outbound(DirectBufferPool pool) {
        this.pool = pool;
    }

    /**
     * Returns a buffer positioned where a frame of {@code size} bytes can be written contiguously.
     * The caller writes exactly the frame's bytes and then calls {@link #endFrame()}.
     */
    ByteBuffer beginFrame(int size) {
        int last = head + count - 1;
        ByteBuffer tail = count == 0 || isShared(last) ? null : chunks[last];
        if (tail == null || tail.capacity() - tail.limit() < size) {
            tail = pool.acquire(Math.max(CHUNK_SIZE, size));
            tail.limit(0);
            int at = slot();
            chunks[at] = tail;
            if (shared != null) {
                shared[at] = null;
            }
            count++;
        }
        appendReadIndex = tail.position();
        appendStart = tail.limit();
        tail.position(appendStart).limit(tail.capacity());
        return tail;
    }

    /** Ends the frame started by {@link #beginFrame(int)}; everything up to the position is kept. */
    void endFrame() {
        ByteBuffer tail = chunks[head + count - 1];
        int end = tail.position();
        tail.limit(end).position(appendReadIndex);
        add(end - appendStart);
    }

    /**
     * Takes a pooled buffer holding whole frames, from its position to its limit, as the next
     * chunk (no copy); it goes back to the pool once written, and later frames may be appended
     * behind its limit.
     *
     * @param chunk a buffer from this queue's pool, in read mode
     */
    void appendChunk(ByteBuffer chunk) {
        int at = slot();
        chunks[at] = chunk;
        if (shared != null) {
            shared[at] = null;
        }
        count++;
        add(chunk.remaining());
    }

    /**
     * Queues a whole frame shared with other connections, without copying it.
     *
     * @param view the loop's view of the frame
     */
    void appendShared(Prepared.LoopView view) {
        int at = slot();
        if (shared == null) {
            shared = new Prepared.LoopView[chunks.length];
            sharedFrom = new int[chunks.length];
            sharedTo = new int[chunks.length];
        }
        ByteBuffer frame = view.frame;
        chunks[at] = frame;
        shared[at] = view;
        sharedFrom[at] = 0;
        sharedTo[at] = frame.capacity();
        count++;
        add(frame.capacity());
    }

    /**
     * The index for one more entry behind the last: slides the entries back to index 0 when the
     * tail reached the end of the arrays and at least half of them is free in front (each entry is
     * moved at most once per trip through the arrays), else doubles the arrays.
     */
    private int slot() {
        int end = head + count;
        if (end < chunks.length) {
            return end;
        }
        if (head > 0 && count <= chunks.length / 2) {
            System.arraycopy(chunks, head, chunks, 0, count);
            Arrays.fill(chunks, count, end, null);
            if (shared != null) {
                System.arraycopy(shared, head, shared, 0, count);
                System.arraycopy(sharedFrom, head, sharedFrom, 0, count);
                System.arraycopy(sharedTo, head, sharedTo, 0, count);
                Arrays.fill(shared, count, end, null);
            }
            head = 0;
            return count;
        }
        int n = Math.max(4, chunks.length * 2);
        chunks = Arrays.copyOf(chunks, n);
        if (shared != null) {
            shared = Arrays.copyOf(shared, n);
            sharedFrom = Arrays.copyOf(sharedFrom, n);
            sharedTo = Arrays.copyOf(sharedTo, n);
        }
        return end;
    }

    /** The capacity of the entry arrays, for tests. */
    int entryCapacity() {
        return chunks.length;
    }

    private boolean isShared(int i) {
        return shared != null && shared[i] != null;
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
        int n = prepareShared();
        long written = n == 1 ? channel.write(chunks[head]) : channel.write(chunks, head, n);
        afterConsumed(n, written);
        return written;
    }

    /**
     * Wraps queued bytes into TLS records, as a gathering write would take them: one call of
     * {@link SSLEngine#wrap(ByteBuffer[], int, int, ByteBuffer)} (one record, up to 16 KiB of
     * plaintext gathered across chunks and shared frames).
     *
     * @param engine the connection's engine, handshake done
     * @param dst    where the record goes, in write mode
     * @return the engine's result
     * @throws SSLException from the engine
     */
    SSLEngineResult wrapInto(SSLEngine engine, ByteBuffer dst) throws SSLException {
        int n = prepareShared();
        SSLEngineResult r = engine.wrap(chunks, head, n, dst);
        afterConsumed(n, r.bytesConsumed());
        return r;
    }

    /** Records how far the shared entries among the first {@code n} were taken, and releases what is done. */
    private void afterConsumed(int n, long consumed) {
        if (shared != null) {
            for (int i = head, end = head + n; i < end; i++) {
                if (shared[i] != null) {
                    sharedFrom[i] = chunks[i].position();
                }
            }
        }
        if (consumed > 0) {
            add(-consumed);
            releaseWritten();
        }
    }

    /**
     * Points every shared view among the first entries at this queue's range and returns how many
     * entries one write may take: up to {@link #MAX_GATHER}, and only up to a view that appears a
     * second time (one buffer object cannot carry two ranges in one write).
     */
    private int prepareShared() {
        int n = Math.min(count, MAX_GATHER);
        if (shared == null) {
            return n;
        }
        int stamp = ++writeStamp;
        for (int k = 0; k < n; k++) {
            int i = head + k;
            Prepared.LoopView view = shared[i];
            if (view == null) {
                continue;
            }
            if (view.stamp == stamp && view.stampedBy == this && k > 0) {
                return k;
            }
            view.stamp = stamp;
            view.stampedBy = this;
            chunks[i].limit(sharedTo[i]).position(sharedFrom[i]);
        }
        return n;
    }

    private void releaseWritten() {
        while (count > 0 && isWritten(head)) {
            if (isShared(head)) {
                shared[head] = null;
            } else {
                pool.release(chunks[head]);
            }
            chunks[head] = null;
            head++;
            count--;
        }
        if (count == 0) {
            head = 0;
            if (chunks.length > RETAINED_ENTRIES) {
                shrink();
            }
        }
    }

    /** The queue is empty after a deep burst: keep arrays of {@link #RETAINED_ENTRIES} only. */
    private void shrink() {
        chunks = new ByteBuffer[RETAINED_ENTRIES];
        if (shared != null) {
            shared = new Prepared.LoopView[RETAINED_ENTRIES];
            sharedFrom = new int[RETAINED_ENTRIES];
            sharedTo = new int[RETAINED_ENTRIES];
        }
    }

    private boolean isWritten(int i) {
        return isShared(i) ? sharedFrom[i] == sharedTo[i] : !chunks[i].hasRemaining();
    }

    /** Whether nothing is waiting to be written. */
    boolean isEmpty() {
        return count == 0;
    }

    /** Bytes waiting to be written; safe to read from any thread as an estimate. */
    long bytes() {
        return (long) BYTES.getOpaque(this);
    }

    /**
     * Counts this queue's bytes in a server's budget from now on (those already queued included).
     *
     * @param slot the loop's slot of the server's {@link OutboundBudget}
     */
    void countIn(OutboundBudget.Slot slot) {
        budget = slot;
        slot.add(bytes);
    }

    /**
     * Adds (or, negative, removes) bytes queued for the peer outside this queue: TLS records
     * wrapped and not yet written, so that they count toward the limits like any queued byte.
     *
     * @param delta bytes
     */
    void addPending(long delta) {
        add(delta);
    }

    /** Changes the pending count; single writer (the loop thread), published with an opaque store. */
    private void add(long delta) {
        BYTES.setOpaque(this, bytes + delta);
        OutboundBudget.Slot slot = budget;
        if (slot != null) {
            slot.add(delta);
        }
    }

    /**
     * Drops everything queued but the first entry, which may be partly written already and is
     * kept whole so that the peer still gets whole frames; the close frame can follow it. Used
     * when the server sheds a connection for memory.
     *
     * @return bytes dropped
     */
    long dropAllButFirst() {
        long dropped = 0;
        for (int i = head + 1, end = head + count; i < end; i++) {
            if (isShared(i)) {
                dropped += sharedTo[i] - sharedFrom[i];
                shared[i] = null;
            } else {
                dropped += chunks[i].remaining();
                pool.release(chunks[i]);
            }
            chunks[i] = null;
        }
        if (count > 1) {
            count = 1;
        }
        add(-dropped);
        return dropped;
    }

    /** Returns every chunk to the pool and forgets shared frames; pending bytes are dropped. */
    void release() {
        for (int i = head, end = head + count; i < end; i++) {
            if (!isShared(i)) {
                pool.release(chunks[i]);
            }
            chunks[i] = null;
        }
        shared = null;
        sharedFrom = null;
        sharedTo = null;
        head = 0;
        count = 0;
        add(-bytes);
    }
}
