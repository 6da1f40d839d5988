package io.tern.transport.internal;

/**
 * An intrusive, reusable timer for a {@link TimerWheel}. The wheel's bookkeeping lives in this
 * object's own fields, so scheduling, rescheduling and cancelling never allocate: an owner such as
 * a connection embeds one instance per purpose (idle timeout, close handshake deadline, ...) and
 * reuses it for its whole life.
 *
 * <h2>Threading contract</h2>
 * A timer is confined to the thread of the wheel it is scheduled on, exactly like the wheel. It
 * may be scheduled on one wheel at a time; once idle (fired or cancelled) it may be scheduled on
 * any wheel from that wheel's thread.
 */
public abstract class Timer {
    // Bookkeeping owned by TimerWheel; meaningful only while wheel != null.
    TimerWheel wheel;
    Timer prev;
    Timer next;
    /** Index of the wheel list that holds this timer (a slot, or the wheel's expiring list). */
    int list = -1;
    /** Absolute tick number at which the timer is due. */
    long tick;
    long deadlineNanos;

    /** Creates an idle (unscheduled) timer. */
    protected Timer() {
    }

    /**
     * Runs on the wheel's thread, from {@link TimerWheel#expire(long)}, when the deadline has
     * passed. The timer is already idle when this is called, so it may schedule itself again. It
     * may also schedule or cancel any other timer of the same wheel.
     *
     * @param nowNanos the time that was passed to {@link TimerWheel#expire(long)}
     */
    protected abstract void onExpire(long nowNanos);

    /**
     * Tells whether this timer is currently scheduled on some wheel.
     *
     * @return {@code true} if scheduled and not yet fired or cancelled
     */
    public final boolean isScheduled() {
        return wheel != null;
    }

    /**
     * Returns the deadline given to the last {@link TimerWheel#schedule(Timer, long)} of this timer.
     *
     * @return the last scheduled deadline, in the wheel's clock (nanoseconds); {@code 0} if never
     *     scheduled
     */
    public final long deadlineNanos() {
        return deadlineNanos;
    }
}
