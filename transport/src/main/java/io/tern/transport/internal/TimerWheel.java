package io.tern.transport.internal;

/**
 * A hashed timing wheel of intrusive {@link Timer}s, for one event loop.
 *
 * <h2>Threading contract</h2>
 * Not thread-safe and unsynchronized by design: every method, and every {@link Timer} scheduled on
 * it, must be used only by the single thread that owns the wheel (the event loop). Other threads
 * wanting a timer submit a task to the loop. There are no checks for this.
 *
 * <h2>Time</h2>
 * The wheel never reads a clock: all times are passed in by the caller, in nanoseconds on a
 * monotonic clock ({@code System.nanoTime()} in production, a fake clock in tests). Like
 * {@code nanoTime} values they are only ever compared by subtraction, so the clock may wrap around
 * {@code Long.MAX_VALUE}; every deadline must be within about 292 years of the current time.
 *
 * <h2>Semantics</h2>
 * Time is divided into ticks of {@code tickNanos} starting at {@code startNanos}; a tick boundary
 * is {@code startNanos + k * tickNanos}. A timer is due at the first boundary at or after its
 * deadline, and fires during the first {@link #expire(long)} call whose {@code nowNanos} is at or
 * after that boundary. So a timer never fires early ({@code deadline <= now} when it fires), and it
 * fires no later than the first {@code expire} call at or after {@code deadline + tickNanos}: at
 * most one tick late when the loop calls {@code expire} on time. A timer
 * scheduled with a deadline that has already passed fires at the next boundary that has not been
 * processed yet. Timers due at the same boundary fire in the order they were (last) scheduled;
 * within a tick they are not sorted by exact deadline.
 *
 * <h2>Structure and cost</h2>
 * {@code slotCount} (a power of two) slots, each an intrusive doubly-linked list with head and
 * tail, indexed by {@code tick & (slotCount - 1)}. A timer stores its absolute due tick, so a
 * deadline several revolutions away simply waits in its slot and is skipped (and re-appended)
 * each time that slot comes round early: no per-revolution counter to maintain. Beside the lists,
 * a bitmap with one bit per slot (set while the slot's list is not empty) and a summary bitmap with
 * one bit per bitmap word find the next occupied slot in a few word operations: for up to 4096
 * slots at most five words are read, beyond that the summary is scanned, one word per 4096 slots.
 * Schedule, cancel and reschedule are O(1) and allocation-free; {@link #nanosUntilNextExpiry}
 * costs the same few word operations (it runs on every turn of the loop); {@code expire} jumps
 * over empty slots and costs O(occupied slots passed + timers visited). Choose
 * {@code tickNanos * slotCount} to cover the common timeouts (for example 10 ms &times; 4096
 * slots &asymp; 41 s) so that few timers are visited more than once.
 *
 * <h2>Reentrancy</h2>
 * Before a slot is processed its whole list is moved to a separate "expiring" list and the cursor
 * is advanced past the tick, so callbacks may schedule, reschedule or cancel any timer, including
 * the one running and ones still waiting in the expiring list, without disturbing the iteration:
 * anything scheduled from a callback lands in a later tick. {@code expire} itself must not be
 * called from a callback.
 */
public final class TimerWheel {
    private final long tickNanos;
    private final int mask;
    /** Index, in heads/tails, of the list of timers being expired; the slots are 0..mask. */
    private final int expiringList;
    private final Timer[] heads;
    private final Timer[] tails;
    /** Bit {@code i} set while slot {@code i}'s list is not empty (the expiring list has none). */
    private final long[] occupied;
    /** Bit {@code w} set while {@code occupied[w] != 0}. */
    private final long[] summary;
    /** Next tick to process; all earlier ticks are done. */
    private long cursor;
    /** Boundary time of {@code cursor}: startNanos + cursor * tickNanos, kept incrementally. */
    private long cursorNanos;
    private int size;
    private boolean expiring;

    /**
     * Creates an empty wheel.
     *
     * @param tickNanos tick duration in nanoseconds, for example 10 ms; the resolution of timers
     * @param slotCount number of slots, a power of two, for example 512
     * @param startNanos the current time; tick boundaries are {@code startNanos + k * tickNanos}
     * @throws IllegalArgumentException if {@code tickNanos <= 0} or {@code slotCount} is not a
     *     positive power of two no larger than 2<sup>24</sup>
     */
    public TimerWheel(long tickNanos, int slotCount, long startNanos) {
        if (tickNanos <= 0) {
            throw new IllegalArgumentException("tickNanos must be positive: " + tickNanos);
        }
        if (slotCount <= 0 || slotCount > 1 << 24 || Integer.bitCount(slotCount) != 1) {
            throw new IllegalArgumentException("slotCount must be a power of two in [1, 2^24]: " + slotCount);
        }
        this.tickNanos = tickNanos;
        this.mask = slotCount - 1;
        this.expiringList = slotCount;
        this.heads = new Timer[slotCount + 1];
        this.tails = new Timer[slotCount + 1];
        int words = (slotCount + 63) >>> 6;
        this.occupied = new long[words];
        this.summary = new long[(words + 63) >>> 6];
        this.cursor = 0;
        this.cursorNanos = startNanos;
    }

    /**
     * Schedules {@code timer} to fire at {@code deadlineNanos}, or moves it there if it is already
     * scheduled on this wheel. O(1), no allocation.
     *
     * @param timer the timer
     * @param deadlineNanos the deadline on the caller's clock
     * @throws IllegalStateException if {@code timer} is scheduled on a different wheel
     * @throws NullPointerException if {@code timer} is {@code null}
     */
    public void schedule(Timer timer, long deadlineNanos) {
        if (timer.wheel == this) {
            unlink(timer);
        } else if (timer.wheel != null) {
            throw new IllegalStateException("timer is scheduled on another wheel");
        } else {
            timer.wheel = this;
            size++;
        }
        long untilDeadline = deadlineNanos - cursorNanos;
        // First boundary at or after the deadline, but never a tick that was already processed.
        long tick = untilDeadline <= 0 ? cursor : cursor + 1 + (untilDeadline - 1) / tickNanos;
        timer.tick = tick;
        timer.deadlineNanos = deadlineNanos;
        link(timer, (int) (tick & mask));
    }

    /**
     * Cancels {@code timer} if it is scheduled on this wheel. O(1). Cancelling an idle timer does
     * nothing.
     *
     * @param timer the timer
     * @return {@code true} if the timer was scheduled and is now cancelled
     * @throws IllegalStateException if {@code timer} is scheduled on a different wheel
     * @throws NullPointerException if {@code timer} is {@code null}
     */
    public boolean cancel(Timer timer) {
        if (timer.wheel == null) {
            return false;
        }
        if (timer.wheel != this) {
            throw new IllegalStateException("timer is scheduled on another wheel");
        }
        unlink(timer);
        timer.wheel = null;
        size--;
        return true;
    }

    /**
     * Fires every timer whose tick boundary is at or before {@code nowNanos}, in tick order,
     * calling {@link Timer#onExpire(long)} for each.
     *
     * <p>If a callback throws, the exception propagates; the timers of that tick that had not run
     * yet stay scheduled and fire at the next boundary.
     *
     * @param nowNanos the current time
     * @return how many timers fired
     * @throws IllegalStateException if called from a timer callback
     */
    public int expire(long nowNanos) {
        if (expiring) {
            throw new IllegalStateException("expire() called from a timer callback");
        }
        if (nowNanos - cursorNanos < 0) {
            return 0; // the next boundary has not been reached: the common, cheap case
        }
        int fired = 0;
        expiring = true;
        try {
            while (nowNanos - cursorNanos >= 0) {
                int next = size == 0 ? -1 : nextOccupiedSlot();
                long gap = next < 0 ? Long.MAX_VALUE : (next - cursor) & mask;
                if (gap > 0) {
                    // Every slot from the cursor to the next occupied one is empty: jump over them.
                    if (gap > (nowNanos - cursorNanos) / tickNanos) {
                        skipTo(nowNanos); // nothing due up to now: jump over the idle time in O(1)
                        break;
                    }
                    cursor += gap;
                    cursorNanos += gap * tickNanos;
                }
                long tick = cursor;
                int slot = (int) (tick & mask);
                // Advance first: a callback scheduling a timer due now lands in the next tick, never
                // in the list being processed, so the loop below always terminates.
                cursor++;
                cursorNanos += tickNanos;
                if (heads[slot] != null) {
                    fired += expireSlot(slot, tick, nowNanos);
                }
            }
        } finally {
            expiring = false;
            if (heads[expiringList] != null) {
                requeueExpiring(); // only after a callback threw
            }
        }
        return fired;
    }

    /**
     * Tells the event loop how long it may block before it must call {@link #expire(long)}.
     * A few word operations on the occupancy bitmaps (see the class comment), no allocation.
     *
     * <p>The result is the time until the next boundary whose slot holds any timer; if that slot
     * only holds timers due in later revolutions the loop wakes once for nothing, at most once per
     * revolution. Convert to milliseconds by rounding <em>up</em> before {@code select(long)}, and
     * use {@code selectNow()} for {@code 0}.
     *
     * @param nowNanos the current time
     * @return nanoseconds to wait, {@code 0} if {@code expire} has work now, or {@code -1} if no
     *     timer is scheduled (block indefinitely)
     */
    public long nanosUntilNextExpiry(long nowNanos) {
        if (size == 0) {
            return -1;
        }
        int next = nextOccupiedSlot();
        if (next < 0) {
            return Math.max(0, cursorNanos - nowNanos); // only reachable from inside a callback
        }
        long boundary = cursorNanos + ((next - cursor) & mask) * tickNanos;
        return Math.max(0, boundary - nowNanos);
    }

    /**
     * Returns the number of scheduled timers.
     *
     * @return scheduled timers, including ones due but not yet fired
     */
    public int size() {
        return size;
    }

    /**
     * Returns the tick duration.
     *
     * @return the tick duration in nanoseconds
     */
    public long tickNanos() {
        return tickNanos;
    }

    /**
     * Returns the number of slots.
     *
     * @return the number of slots, a power of two
     */
    public int slotCount() {
        return mask + 1;
    }

    private int expireSlot(int slot, long tick, long nowNanos) {
        // Move the whole slot to the expiring list. Callbacks may then append to this slot (timers
        // for a later revolution) or unlink timers we have not reached yet, without invalidating the
        // iteration, because we re-read the expiring list's head after every callback.
        Timer first = heads[slot];
        heads[expiringList] = first;
        tails[expiringList] = tails[slot];
        heads[slot] = null;
        tails[slot] = null;
        markEmpty(slot);
        for (Timer t = first; t != null; t = t.next) {
            t.list = expiringList;
        }
        int fired = 0;
        Timer timer;
        while ((timer = heads[expiringList]) != null) {
            unlink(timer);
            if (timer.tick > tick) {
                link(timer, slot); // due in a later revolution: back into its slot
            } else {
                timer.wheel = null;
                size--;
                fired++;
                timer.onExpire(nowNanos);
            }
        }
        return fired;
    }

    private void requeueExpiring() {
        Timer timer;
        while ((timer = heads[expiringList]) != null) {
            unlink(timer);
            if (timer.tick < cursor) {
                timer.tick = cursor;
            }
            link(timer, (int) (timer.tick & mask));
        }
    }

    private void skipTo(long nowNanos) {
        long ticks = (nowNanos - cursorNanos) / tickNanos + 1;
        cursor += ticks;
        cursorNanos += ticks * tickNanos;
    }

    /**
     * The slot of the first tick at or after the cursor whose list is not empty, searching one
     * revolution round from the cursor's slot; {@code -1} if every slot is empty.
     */
    private int nextOccupiedSlot() {
        int start = (int) (cursor & mask);
        int word = start >>> 6;
        long bits = occupied[word] & (-1L << start); // shift distance is taken mod 64
        if (bits != 0) {
            return (word << 6) | Long.numberOfTrailingZeros(bits);
        }
        int next = nextOccupiedWord(word + 1);
        if (next < 0) {
            next = nextOccupiedWord(0); // round the end of the wheel; may be the start word's low bits
            if (next < 0) {
                return -1;
            }
        }
        return (next << 6) | Long.numberOfTrailingZeros(occupied[next]);
    }

    /** The first word at or after {@code from} of {@link #occupied} that is not 0, or {@code -1}. */
    private int nextOccupiedWord(int from) {
        if (from >= occupied.length) {
            return -1;
        }
        int s = from >>> 6;
        long bits = summary[s] & (-1L << from);
        while (bits == 0) {
            if (++s == summary.length) {
                return -1;
            }
            bits = summary[s];
        }
        return (s << 6) | Long.numberOfTrailingZeros(bits);
    }

    private void markOccupied(int slot) {
        int word = slot >>> 6;
        occupied[word] |= 1L << slot;
        summary[word >>> 6] |= 1L << word;
    }

    private void markEmpty(int slot) {
        int word = slot >>> 6;
        long bits = occupied[word] & ~(1L << slot);
        occupied[word] = bits;
        if (bits == 0) {
            summary[word >>> 6] &= ~(1L << word);
        }
    }

    private void link(Timer timer, int list) {
        Timer last = tails[list];
        timer.list = list;
        timer.prev = last;
        timer.next = null;
        if (last == null) {
            heads[list] = timer;
            if (list != expiringList) {
                markOccupied(list);
            }
        } else {
            last.next = timer;
        }
        tails[list] = timer;
    }

    private void unlink(Timer timer) {
        int list = timer.list;
        Timer prev = timer.prev;
        Timer next = timer.next;
        if (prev == null) {
            heads[list] = next;
            if (next == null && list != expiringList) {
                markEmpty(list);
            }
        } else {
            prev.next = next;
        }
        if (next == null) {
            tails[list] = prev;
        } else {
            next.prev = prev;
        }
        timer.prev = null;
        timer.next = null;
        timer.list = -1;
    }
}
