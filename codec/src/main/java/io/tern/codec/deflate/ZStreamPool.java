package io.tern.codec.deflate;

import java.util.ArrayDeque;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Keeps compression streams for reuse by one owner — an event loop or a thread — and counts the
 * native ones it has created and freed.
 *
 * <p>{@link Inflater} and {@link Deflater} hold native zlib memory (a {@code Deflater} at level 6
 * about 256 KiB, an {@code Inflater} about 40 KiB) that the garbage collector frees only late. A
 * connection that negotiated no context takeover for a direction needs that direction's stream
 * only while it handles one message, so it borrows one here and gives it back, reset, right after.
 * Streams that keep context for a connection's life are also created and freed through the pool,
 * so that {@link #liveInflaters()} and {@link #liveDeflaters()} show every native stream that is
 * not yet freed: a leak shows up as a count that keeps growing.
 *
 * <p>Tern's own {@link WindowedDeflater} (plain Java arrays, 63–333 KiB depending on the window) is
 * pooled per window size the same way.
 *
 * <p>Single-threaded by contract: a pool belongs to one loop or thread and is used only there.
 * {@link #close()} frees every idle stream.
 */
public final class ZStreamPool implements AutoCloseable {

    /** Default number of idle streams kept per kind. */
    public static final int DEFAULT_MAX_IDLE = 16;

    private static final ThreadLocal<ZStreamPool> PER_THREAD = ThreadLocal.withInitial(ZStreamPool::new);

    private final int maxIdle;
    private final ArrayDeque<Inflater> idleInflaters = new ArrayDeque<>();
    /**
     * Idle deflaters by level. A reused {@code Deflater} is never given a new level: after
     * {@code setLevel} its next {@code deflate} call only applies the level and skips the
     * requested flush, which would cut a message short.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final ArrayDeque<Deflater>[] idleDeflaters = new ArrayDeque[10];
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final ArrayDeque<WindowedDeflater>[] idleWindowed = new ArrayDeque[DeflateParameters.MAX_WINDOW_BITS + 1];
    private long inflatersCreated;
    private long inflatersEnded;
    private long deflatersCreated;
    private long deflatersEnded;
    private boolean closed;

    /** Creates a pool that keeps up to {@link #DEFAULT_MAX_IDLE} idle streams of each kind. */
    public ZStreamPool() {
        this(DEFAULT_MAX_IDLE);
    }

    /**
     * Creates a pool.
     *
     * @param maxIdle idle streams kept per kind (0 keeps none: every release frees)
     * @throws IllegalArgumentException if {@code maxIdle} is negative
     */
    public ZStreamPool(int maxIdle) {
        if (maxIdle < 0) {
            throw new IllegalArgumentException("maxIdle must not be negative: " + maxIdle);
        }
        this.maxIdle = maxIdle;
    }

    /**
     * The pool of the calling thread, created on first use; for codec users without an event
     * loop of their own.
     *
     * @return this thread's pool
     */
    public static ZStreamPool forCurrentThread() {
        return PER_THREAD.get();
    }

    /**
     * Lends a raw-DEFLATE inflater (no zlib header), reset.
     *
     * @return an inflater to give back with {@link #releaseInflater(Inflater)}
     */
    public Inflater acquireInflater() {
        Inflater i = idleInflaters.pollLast();
        if (i == null) {
            i = new Inflater(true);
            inflatersCreated++;
        }
        return i;
    }

    /**
     * Takes an inflater back: reset and kept, or freed when enough are idle.
     *
     * @param inflater from {@link #acquireInflater()}
     */
    public void releaseInflater(Inflater inflater) {
        if (!closed && idleInflaters.size() < maxIdle) {
            inflater.reset();
            idleInflaters.addLast(inflater);
        } else {
            freeInflater(inflater);
        }
    }

    /**
     * Frees an inflater from {@link #acquireInflater()} at once instead of keeping it, for a stream
     * that held a connection's context and is of no use to anyone else.
     *
     * @param inflater the inflater to free
     */
    public void freeInflater(Inflater inflater) {
        inflater.end();
        inflatersEnded++;
    }

    /**
     * Lends a raw-DEFLATE deflater (no zlib header) at the given level, reset.
     *
     * @param level 1–9
     * @return a deflater to give back with {@link #releaseDeflater(Deflater, int)} at the same level
     */
    public Deflater acquireDeflater(int level) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("compression level must be within 1..9: " + level);
        }
        ArrayDeque<Deflater> idle = idleDeflaters[level];
        Deflater d = idle == null ? null : idle.pollLast();
        if (d == null) {
            d = new Deflater(level, true);
            deflatersCreated++;
        }
        return d;
    }

    /**
     * Takes a deflater back: reset and kept for its level, or freed when enough are idle.
     *
     * @param deflater from {@link #acquireDeflater(int)}
     * @param level    the level it was acquired at
     */
    public void releaseDeflater(Deflater deflater, int level) {
        ArrayDeque<Deflater> idle = idleDeflaters[level];
        if (idle == null) {
            idle = new ArrayDeque<>();
            idleDeflaters[level] = idle;
        }
        if (!closed && idle.size() < maxIdle) {
            deflater.reset();
            idle.addLast(deflater);
        } else {
            freeDeflater(deflater);
        }
    }

    /**
     * Frees a deflater from {@link #acquireDeflater(int)} at once instead of keeping it.
     *
     * @param deflater the deflater to free
     */
    public void freeDeflater(Deflater deflater) {
        deflater.end();
        deflatersEnded++;
    }

    /**
     * Lends Tern's own encoder for a window below 15 bits, reset.
     *
     * @param windowBits 8–15
     * @return an encoder to give back with {@link #releaseWindowed(WindowedDeflater)}
     */
    public WindowedDeflater acquireWindowed(int windowBits) {
        ArrayDeque<WindowedDeflater> idle = idleWindowed[windowBits];
        WindowedDeflater d = idle == null ? null : idle.pollLast();
        return d != null ? d : new WindowedDeflater(windowBits);
    }

    /**
     * Takes an encoder back: reset and kept, or dropped when enough are idle.
     *
     * @param deflater from {@link #acquireWindowed(int)}
     */
    public void releaseWindowed(WindowedDeflater deflater) {
        int bits = deflater.getWindowBits();
        ArrayDeque<WindowedDeflater> idle = idleWindowed[bits];
        if (idle == null) {
            idle = new ArrayDeque<>();
            idleWindowed[bits] = idle;
        }
        if (!closed && idle.size() < maxIdle) {
            deflater.reset();
            idle.addLast(deflater);
        }
    }

    /**
     * Native inflaters created by this pool and not yet freed (lent out or idle).
     *
     * @return the count
     */
    public long liveInflaters() {
        return inflatersCreated - inflatersEnded;
    }

    /**
     * Native deflaters created by this pool and not yet freed (lent out or idle).
     *
     * @return the count
     */
    public long liveDeflaters() {
        return deflatersCreated - deflatersEnded;
    }

    /**
     * Idle streams of all kinds.
     *
     * @return how many streams wait for reuse
     */
    public int idleCount() {
        int n = idleInflaters.size();
        for (ArrayDeque<Deflater> q : idleDeflaters) {
            n += q == null ? 0 : q.size();
        }
        for (ArrayDeque<WindowedDeflater> q : idleWindowed) {
            n += q == null ? 0 : q.size();
        }
        return n;
    }

    /** Frees every idle stream. Streams still lent out are freed when they come back. */
    @Override
    public void close() {
        closed = true;
        for (Inflater i; (i = idleInflaters.pollLast()) != null; ) {
            i.end();
            inflatersEnded++;
        }
        for (ArrayDeque<Deflater> idle : idleDeflaters) {
            for (Deflater d; idle != null && (d = idle.pollLast()) != null; ) {
                freeDeflater(d);
            }
        }
        java.util.Arrays.fill(idleWindowed, null);
    }
}
