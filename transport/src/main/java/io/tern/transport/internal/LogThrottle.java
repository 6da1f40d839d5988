package io.tern.transport.internal;

/**
 * Lets a recurring condition (accept failing, a loop turn failing) be logged at most once per
 * interval, and says how many occurrences went unreported in between. A condition that repeats
 * thousands of times a second then costs one line per interval instead of a stack trace each.
 *
 * <p>Confined to one thread, the event loop that owns it; no allocation.
 */
final class LogThrottle {

    private final long intervalNanos;
    private boolean reported;
    private long lastReportAt;
    private long suppressed;

    /**
     * Creates a throttle.
     *
     * @param intervalNanos the least time between two reported occurrences, in nanoseconds
     */
    LogThrottle(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /**
     * Records one occurrence at {@code nowNanos} and tells whether to report it.
     *
     * @param nowNanos the current time on the monotonic clock ({@code System.nanoTime()})
     * @return {@code -1} when this occurrence must not be reported; otherwise how many
     *     occurrences since the last reported one were not reported
     */
    long admit(long nowNanos) {
        if (reported && nowNanos - lastReportAt < intervalNanos) {
            suppressed++;
            return -1;
        }
        reported = true;
        lastReportAt = nowNanos;
        long skipped = suppressed;
        suppressed = 0;
        return skipped;
    }
}
