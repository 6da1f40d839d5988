package io.tern.transport.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Objects;

/**
 * A pool of direct {@link ByteBuffer}s in power-of-two size classes, owned by one event loop.
 *
 * <p>Requests up to {@code maxPooledSize} are rounded up to the next power of two (at least
 * {@code minBufferSize}) and served from that class's idle stack, or freshly allocated when it is
 * empty. Larger requests get an exactly sized, unpooled direct buffer that {@link #release} drops
 * (the GC's cleaner frees its native memory). At most {@code maxIdlePerClass} idle buffers are kept
 * per class, so retained memory is bounded by
 * {@code maxIdlePerClass * (2 * maxPooledSize - minBufferSize)} bytes; surplus releases are dropped.
 *
 * <p>Gauges say where the direct memory is: {@link #lentBytes()} (in use by borrowers now, with its
 * high-water mark {@link #peakLentBytes()}), {@link #idleBytes()} (kept for reuse) and
 * {@link #allocatedBytes()} (everything ever allocated, so a caller that makes the pool allocate
 * more than it should, such as a message assembled in ever larger buffers, shows up there).
 *
 * <h2>Threading contract</h2>
 * Not thread-safe, and deliberately unsynchronized: {@link #acquire}, {@link #release},
 * {@link #trim} and the counters must all be called by the single thread that owns the pool (its
 * event loop). A buffer may be handed to other threads while lent, but must be released on the
 * owner thread. In diagnostic mode the pool binds to the first thread that calls acquire or release
 * and throws {@link IllegalStateException} on calls from any other thread; in normal mode this is
 * not checked.
 *
 * <h2>Release rules and double release</h2>
 * Only buffers returned by {@link #acquire} of this pool may be released, each once, and not
 * slices or duplicates of them. Buffers that cannot be from this pool (heap, read-only, or a
 * capacity that is not a size class) are ignored. A second release of a buffer that is still idle
 * in the pool is always detected (a scan of that class's short idle stack) and throws
 * {@link IllegalStateException}. Diagnostic mode additionally tracks every lent buffer by identity
 * and rejects the release of any buffer that is not currently lent, which also catches a stale
 * release after the buffer was lent again (at the later of the two releases) and foreign buffers.
 *
 * <h2>Mechanical sympathy</h2>
 * Idle buffers sit in fixed arrays used as LIFO stacks, so acquire and release allocate nothing
 * and the most recently used (cache- and TLB-warm) buffer is lent first. Direct allocation is slow
 * (zeroing, a global reservation counter, a cleaner registration), which is why it is pooled.
 */
public final class DirectBufferPool implements io.tern.codec.BufferPool {
    private final int minShift;
    private final int minBufferSize;
    private final int maxPooledSize;
    private final ByteBuffer[][] idle;
    private final int[] idleCounts;
    /** Lent buffers by identity (ByteBuffer.equals compares contents); null unless diagnostic. */
    private final IdentityHashMap<ByteBuffer, Boolean> lent;
    private Thread owner;
    private int lentCount;
    private int idleCount;
    private long idleBytes;
    private long lentBytes;
    private long peakLentBytes;
    private long allocationCount;
    private long allocatedBytes;

    /**
     * Creates a pool in normal (unchecked) mode.
     *
     * @param minBufferSize smallest size class, a power of two, for example 4096
     * @param maxPooledSize largest pooled size class, a power of two &ge; {@code minBufferSize}
     *     and &le; 2<sup>30</sup>, for example 1 MiB
     * @param maxIdlePerClass how many idle buffers to keep per size class, &ge; 0
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public DirectBufferPool(int minBufferSize, int maxPooledSize, int maxIdlePerClass) {
        this(minBufferSize, maxPooledSize, maxIdlePerClass, false);
    }

    /**
     * Creates a pool.
     *
     * @param minBufferSize smallest size class, a power of two, for example 4096
     * @param maxPooledSize largest pooled size class, a power of two &ge; {@code minBufferSize}
     *     and &le; 2<sup>30</sup>, for example 1 MiB
     * @param maxIdlePerClass how many idle buffers to keep per size class, &ge; 0
     * @param diagnostic {@code true} to track lent buffers and the owner thread (for tests and
     *     debugging: costs a hash map operation per call)
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public DirectBufferPool(int minBufferSize, int maxPooledSize, int maxIdlePerClass, boolean diagnostic) {
        if (minBufferSize <= 0 || Integer.bitCount(minBufferSize) != 1) {
            throw new IllegalArgumentException("minBufferSize must be a power of two: " + minBufferSize);
        }
        if (maxPooledSize < minBufferSize || maxPooledSize > 1 << 30 || Integer.bitCount(maxPooledSize) != 1) {
            throw new IllegalArgumentException(
                    "maxPooledSize must be a power of two in [minBufferSize, 2^30]: " + maxPooledSize);
        }
        if (maxIdlePerClass < 0) {
            throw new IllegalArgumentException("maxIdlePerClass < 0: " + maxIdlePerClass);
        }
        this.minShift = Integer.numberOfTrailingZeros(minBufferSize);
        this.minBufferSize = minBufferSize;
        this.maxPooledSize = maxPooledSize;
        int classes = Integer.numberOfTrailingZeros(maxPooledSize) - minShift + 1;
        this.idle = new ByteBuffer[classes][maxIdlePerClass];
        this.idleCounts = new int[classes];
        this.lent = diagnostic ? new IdentityHashMap<>() : null;
    }

    /**
     * Lends a direct buffer with position 0, limit = capacity, no mark and big-endian order. Its
     * contents are unspecified (a reused buffer is not zeroed). Owner thread only.
     *
     * @param minCapacity the least capacity needed, &ge; 0
     * @return a direct buffer whose capacity is the size class of {@code minCapacity}, or exactly
     *     {@code minCapacity} if that exceeds the largest pooled size
     * @throws IllegalArgumentException if {@code minCapacity} is negative
     * @throws IllegalStateException in diagnostic mode, if called from a non-owner thread
     */
    public ByteBuffer acquire(int minCapacity) {
        if (minCapacity < 0) {
            throw new IllegalArgumentException("minCapacity < 0: " + minCapacity);
        }
        checkOwner();
        ByteBuffer buffer;
        if (minCapacity > maxPooledSize) {
            buffer = allocate(minCapacity);
        } else {
            int sizeClass = sizeClass(minCapacity);
            int count = idleCounts[sizeClass];
            if (count == 0) {
                buffer = allocate(minBufferSize << sizeClass);
            } else {
                ByteBuffer[] stack = idle[sizeClass];
                buffer = stack[--count];
                stack[count] = null;
                idleCounts[sizeClass] = count;
                idleCount--;
                idleBytes -= buffer.capacity();
                buffer.clear().order(ByteOrder.BIG_ENDIAN);
            }
        }
        lentCount++;
        lentBytes += buffer.capacity();
        if (lentBytes > peakLentBytes) {
            peakLentBytes = lentBytes;
        }
        if (lent != null) {
            lent.put(buffer, Boolean.TRUE);
        }
        return buffer;
    }

    /**
     * Returns a buffer obtained from {@link #acquire}. Owner thread only. The caller must not use
     * the buffer afterwards. Buffers that cannot belong to this pool are ignored (see the class
     * comment); oversized buffers are dropped; a pooled buffer is kept if its class has room.
     *
     * @param buffer the buffer to return
     * @throws IllegalStateException if {@code buffer} is already idle in this pool (double
     *     release); in diagnostic mode also if it is not currently lent by this pool or if called
     *     from a non-owner thread
     * @throws NullPointerException if {@code buffer} is {@code null}
     */
    public void release(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        checkOwner();
        if (lent != null && lent.remove(buffer) == null) {
            throw new IllegalStateException("buffer is not lent by this pool (double release or foreign buffer)");
        }
        int capacity = buffer.capacity();
        if (!buffer.isDirect() || buffer.isReadOnly()) {
            return;
        }
        if (capacity > maxPooledSize) {
            lentCount--; // unpooled: let the GC free it
            lentBytes -= capacity;
            return;
        }
        if (capacity < minBufferSize || Integer.bitCount(capacity) != 1) {
            return;
        }
        int sizeClass = Integer.numberOfTrailingZeros(capacity) - minShift;
        ByteBuffer[] stack = idle[sizeClass];
        int count = idleCounts[sizeClass];
        for (int i = count - 1; i >= 0; i--) { // short, contiguous: a few nanoseconds
            if (stack[i] == buffer) {
                throw new IllegalStateException("buffer released twice");
            }
        }
        lentCount--;
        lentBytes -= capacity;
        if (count < stack.length) {
            stack[count] = buffer;
            idleCounts[sizeClass] = count + 1;
            idleCount++;
            idleBytes += capacity;
        }
    }

    /**
     * Drops every idle buffer, so the GC can free their native memory. Owner thread only.
     *
     * @throws IllegalStateException in diagnostic mode, if called from a non-owner thread
     */
    public void trim() {
        checkOwner();
        for (int c = 0; c < idle.length; c++) {
            Arrays.fill(idle[c], 0, idleCounts[c], null);
            idleCounts[c] = 0;
        }
        idleCount = 0;
        idleBytes = 0;
    }

    /**
     * Returns how many buffers are lent out: acquired and not yet released, pooled or not.
     *
     * @return the number of buffers currently lent
     */
    public int lentCount() {
        return lentCount;
    }

    /**
     * Returns how many idle buffers the pool retains.
     *
     * @return the number of idle buffers
     */
    public int idleCount() {
        return idleCount;
    }

    /**
     * Returns the total capacity of the idle buffers the pool retains.
     *
     * @return idle bytes retained
     */
    public long idleBytes() {
        return idleBytes;
    }

    /**
     * Returns the total capacity of the buffers lent out right now (acquired and not yet released,
     * pooled or not): the direct memory in use by this pool's borrowers, in bytes. Owner thread
     * only (read it from another thread through a task on the loop).
     *
     * @return lent bytes
     */
    public long lentBytes() {
        return lentBytes;
    }

    /**
     * Returns the most bytes that were lent out at once ({@link #lentBytes()}'s high-water mark)
     * since the pool was created or {@link #resetPeakLentBytes()} was last called. Owner thread only.
     *
     * @return the peak of lent bytes
     */
    public long peakLentBytes() {
        return peakLentBytes;
    }

    /**
     * Starts a new measurement of {@link #peakLentBytes()} from the bytes lent now. Owner thread
     * only.
     */
    public void resetPeakLentBytes() {
        peakLentBytes = lentBytes;
    }

    /**
     * Returns the total capacity of the direct buffers this pool has allocated since it was
     * created (the sum over {@link #allocationCount()}). A dropped buffer's native memory lasts
     * until the garbage collector frees it, so this bounds what the pool has put on the process's
     * direct memory, where {@link #lentBytes()} and {@link #idleBytes()} say what it holds now.
     * Owner thread only.
     *
     * @return bytes allocated
     */
    public long allocatedBytes() {
        return allocatedBytes;
    }

    /**
     * Returns how many direct buffers this pool has allocated (pool misses plus oversized
     * requests) since it was created; the rest of the acquisitions were served from idle buffers.
     *
     * @return the number of allocations
     */
    public long allocationCount() {
        return allocationCount;
    }

    private int sizeClass(int minCapacity) {
        if (minCapacity <= minBufferSize) {
            return 0;
        }
        // ceil(log2(minCapacity)) - minShift; minCapacity <= 2^30 so no overflow
        return 32 - Integer.numberOfLeadingZeros(minCapacity - 1) - minShift;
    }

    private ByteBuffer allocate(int capacity) {
        allocationCount++;
        allocatedBytes += capacity;
        return ByteBuffer.allocateDirect(capacity);
    }

    private void checkOwner() {
        if (lent == null) {
            return;
        }
        Thread current = Thread.currentThread();
        if (owner == null) {
            owner = current;
        } else if (owner != current) {
            throw new IllegalStateException("pool owned by " + owner.getName() + ", used from " + current.getName());
        }
    }
}
