package io.tern.pubsub.redis;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link System.Logger} warning about messages that did not reach Redis, at most once per
 * interval: a Redis outage under load loses thousands of messages a second, and one line every
 * few seconds that counts them tells the operator as much as thousands of lines would.
 *
 * <p>Threading contract: {@link #lost} is called from any thread (Lettuce's, publishers');
 * lock-free: the thread that wins a compare-and-set on the last warning's time logs.
 */
final class LostWarning {

    private static final Logger LOG = System.getLogger("io.tern.pubsub.redis");

    private final Clock clock;
    private final long intervalMillis;
    private final AtomicLong lastWarned = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder since = new LongAdder();
    private final Logger logger;

    LostWarning(Clock clock, Duration interval) {
        this(clock, interval, LOG);
    }

    LostWarning(Clock clock, Duration interval, Logger logger) {
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
        this.logger = logger;
    }

    /**
     * Counts one lost message and warns if the interval since the last warning has passed.
     *
     * @return whether this call logged
     */
    boolean lost(String what, Throwable cause) {
        since.increment();
        long now = clock.millis();
        long last = lastWarned.get();
        if (last != Long.MIN_VALUE && now - last < intervalMillis) {
            return false;
        }
        if (!lastWarned.compareAndSet(last, now)) {
            return false;
        }
        long n = since.sumThenReset();
        String reason = cause == null ? "" : ": " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
        logger.log(Level.WARNING, "Redis bridge: " + n + " " + what + " did not reach Redis"
                + (last == Long.MIN_VALUE ? "" : " in the last " + (now - last) + " ms") + reason
                + " (local delivery goes on; next such warning in " + intervalMillis + " ms at the earliest)");
        return true;
    }
}
