package io.tern.transport.internal;

import io.tern.codec.CloseCodes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A server's cap on the bytes queued for all its peers together (the sum of every open
 * connection's outbound queue, TLS records waiting for the socket included). Per-connection hard
 * limits bound one slow consumer; this bounds many: 10,000 peers that stop reading, each just under
 * its 4 MiB hard limit, would otherwise hold 40 GB.
 *
 * <p><b>Counting, lock-free and allocation-free.</b> Each loop has a {@link Slot}: the bytes queued
 * on that loop's connections, written only by that loop (a plain add published with an opaque
 * store, as {@link Outbound} does for its own count), so the hot path touches no shared cache line
 * and takes no atomic. A loop sums all slots only when its own slot has grown by a {@linkplain #step
 * step} since it last looked (one sixteenth of the cap per loop, at least 64 KiB): between two
 * looks every loop adds less than a step, so the sum passes the cap by less than one step per loop
 * before some loop sees it (plus the message that crossed it).
 *
 * <p><b>Over the cap: shed the largest.</b> The loop that sees the sum over the cap picks, across
 * all loops, the open connections holding the most queued bytes, largest first, until the bytes
 * of those not picked are back at {@linkplain #target seven eighths} of the cap (hysteresis, so
 * the next message does not trigger another round; what the picked ones keep, at most their first
 * entry each, comes on top). A picked connection refuses every later send
 * at once ({@code DROPPED}, as its slow-consumer policy would), and on its own loop it drops what
 * it has queued but the entry being written (so the stream stays whole), sends 1008 "slow consumer:
 * server outbound memory over its cap" and closes like any failed connection. Who was closed and
 * why is logged at WARNING through {@link Log}, which cannot throw: the shedding does not depend
 * on the log. Picking allocates (a list of candidates) and reads other loops' counts as estimates;
 * it runs only over the cap, one thread at a time (the others skip: the one picking sees their
 * bytes too).
 *
 * <p>Threading contract: {@link Slot#add} only on the slot's loop; {@link #slotFor}, {@link #opened}
 * and {@link #closed} on loop threads; {@link #queuedBytes()} from any thread (an estimate).
 */
public final class OutboundBudget {

    /** Least step between two looks at the sum, per loop. */
    static final long MIN_STEP = 64 * 1024;

    private static final VarHandle SLOT_BYTES;

    static {
        try {
            SLOT_BYTES = MethodHandles.lookup().findVarHandle(Slot.class, "bytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long cap;
    private final long target;
    private final long step;
    private volatile Slot[] slots = new Slot[0];
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean picking = new AtomicBoolean();

    /**
     * Creates the budget of one server.
     *
     * @param cap   the most bytes queued for all peers together, at least 1
     * @param loops the server's loop count, which sets the step
     */
    public OutboundBudget(long cap, int loops) {
        if (cap < 1) {
            throw new IllegalArgumentException("outbound cap must be positive: " + cap);
        }
        this.cap = cap;
        this.target = cap - (cap >>> 3);
        this.step = Math.max(MIN_STEP, cap / (16L * Math.max(1, loops)));
    }

    /**
     * The default cap: a quarter of {@link Runtime#maxMemory()}, which is also the JDK's limit on
     * direct memory when {@code -XX:MaxDirectMemorySize} is not set, and where outbound chunks
     * live. A quarter leaves the rest to read, assembly, TLS and pooled buffers and to the heap.
     *
     * @return bytes
     */
    public static long defaultCap() {
        return Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    /**
     * The cap.
     *
     * @return bytes
     */
    public long cap() {
        return cap;
    }

    /**
     * The bytes queued for all peers, summed over the loops.
     *
     * @return bytes, an estimate off the loops
     */
    public long queuedBytes() {
        long sum = 0;
        for (Slot s : slots) {
            sum += (long) SLOT_BYTES.getOpaque(s);
        }
        return sum;
    }

    /** The slot of {@code loop}, made on its first connection; loop thread. */
    Slot slotFor(EventLoop loop) {
        for (Slot s : slots) {
            if (s.loop == loop) {
                return s;
            }
        }
        synchronized (this) {
            for (Slot s : slots) {
                if (s.loop == loop) {
                    return s;
                }
            }
            Slot s = new Slot(loop);
            Slot[] grown = Arrays.copyOf(slots, slots.length + 1);
            grown[grown.length - 1] = s;
            slots = grown;
            return s;
        }
    }

    /** An open connection may be picked from now on. */
    void opened(Connection c) {
        open.add(c);
    }

    /** A connection closed. */
    void closed(Connection c) {
        open.remove(c);
    }

    /** One loop's count. Loop thread only, but for its opaque reads. */
    final class Slot {
        final EventLoop loop;
        private long bytes;
        private long nextLook;

        Slot(EventLoop loop) {
            this.loop = loop;
            this.nextLook = step;
        }

        /** Adds {@code delta} queued bytes (negative when written or dropped); looks at the sum every step. */
        void add(long delta) {
            long now = bytes + delta;
            SLOT_BYTES.setOpaque(this, now);
            if (delta < 0) {
                if (now + step < nextLook) {
                    nextLook = now + step;
                }
            } else if (now >= nextLook) {
                nextLook = now + step;
                look();
            }
        }
    }

    /** Sums the slots; over the cap, picks the largest holders. Allocation-free under the cap. */
    private void look() {
        long total = queuedBytes();
        if (total > cap && picking.compareAndSet(false, true)) {
            try {
                pick(total);
            } finally {
                picking.set(false);
            }
        }
    }

    private void pick(long total) {
        List<Connection> candidates = new ArrayList<>();
        long kept = total;
        for (Connection c : open) {
            long held = c.sends.queuedBytes();
            if (c.sends.isShed()) {
                kept -= held; // already on its way out
            } else if (held > 0) {
                candidates.add(c);
            }
        }
        if (kept <= target) {
            return;
        }
        long[] held = new long[candidates.size()];
        Integer[] order = new Integer[candidates.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            held[i] = candidates.get(i).sends.queuedBytes();
        }
        Arrays.sort(order, (a, b) -> Long.compare(held[b], held[a]));
        for (Integer i : order) {
            if (kept <= target) {
                break;
            }
            Connection c = candidates.get(i);
            if (!c.sends.markShed()) {
                continue;
            }
            kept -= held[i];
            c.loop.submit(() -> c.shedOutbound(CloseCodes.POLICY_VIOLATION, SHED_REASON));
            logShed(c, held[i], total);
        }
    }

    /** Says who is closed and why; the closing above never depends on it (nothing here can throw). */
    private void logShed(Connection c, long held, long total) {
        try {
            Log.log(System.Logger.Level.WARNING, "closing " + c.remote + " as a slow consumer (1008): it holds "
                    + held + " queued bytes, among the most of any connection, while the server's peers hold "
                    + total + " bytes against an outbound cap of " + cap, null);
        } catch (Throwable ignored) {
            // building the message failed (out of memory): the connection is closed all the same
        }
    }

    /** The close reason a shed connection gets. */
    static final String SHED_REASON = "slow consumer: server outbound memory over its cap";
}
