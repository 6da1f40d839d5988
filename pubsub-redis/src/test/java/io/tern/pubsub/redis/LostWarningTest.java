package io.tern.pubsub.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The warning about lost messages: the first at once, then at most one per interval with the count, on a fake clock. */
class LostWarningTest {

    /** A clock the test moves by hand. */
    static final class FakeClock extends Clock {
        long millis;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    /** Keeps every message logged. */
    static final class Captured implements System.Logger {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public String getName() {
            return "captured";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }
    }

    @Test
    void warnsAtOnceThenAtMostOncePerIntervalWithTheCount() {
        FakeClock clock = new FakeClock();
        Captured log = new Captured();
        LostWarning w = new LostWarning(clock, Duration.ofSeconds(10), log);
        assertTrue(w.lost("message(s)", new IllegalStateException("down")));
        for (int i = 0; i < 99; i++) {
            clock.millis += 10;
            assertFalse(w.lost("message(s)", null));
        }
        clock.millis = 10_000;
        assertTrue(w.lost("message(s)", null));
        assertEquals(List.of(
                "WARNING Redis bridge: 1 message(s) did not reach Redis: IllegalStateException: down (local delivery goes on;"
                        + " next such warning in 10000 ms at the earliest)",
                "WARNING Redis bridge: 100 message(s) did not reach Redis in the last 10000 ms (local delivery goes on;"
                        + " next such warning in 10000 ms at the earliest)"), log.lines);
    }
}
