package io.tern.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimerWheelTest {
    private static final long MS = 1_000_000L;
    private static final long TICK = 10 * MS;

    /** Records its firings in a shared log and optionally runs an action. */
    private static final class TestTimer extends Timer {
        final String name;
        final List<String> log;
        int fired;
        long firedAt;
        LongConsumer action = now -> { };

        TestTimer(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        protected void onExpire(long nowNanos) {
            assertFalse(isScheduled(), "timer must be idle while its callback runs");
            fired++;
            firedAt = nowNanos;
            log.add(name);
            action.accept(nowNanos);
        }
    }

    private final List<String> log = new ArrayList<>();

    private TestTimer timer(String name) {
        return new TestTimer(name, log);
    }

    @Test
    void rejectsBadConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel(0, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel(TICK, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel(TICK, 12, 0));
        TimerWheel wheel = new TimerWheel(TICK, 512, 0);
        assertEquals(TICK, wheel.tickNanos());
        assertEquals(512, wheel.slotCount());
    }

    @Test
    void firesInDeadlineOrder() {
        TimerWheel wheel = new TimerWheel(TICK, 512, 0);
        wheel.schedule(timer("c"), 50 * MS);
        wheel.schedule(timer("a"), 10 * MS);
        wheel.schedule(timer("b"), 30 * MS);
        assertEquals(3, wheel.size());
        assertEquals(0, wheel.expire(9 * MS));
        assertEquals(1, wheel.expire(10 * MS));
        assertEquals(List.of("a"), log);
        assertEquals(2, wheel.expire(100 * MS));
        assertEquals(List.of("a", "b", "c"), log);
        assertEquals(0, wheel.size());
    }

    @Test
    void sameTickTimersFireTogetherInScheduleOrder() {
        TimerWheel wheel = new TimerWheel(TICK, 512, 0);
        for (int i = 0; i < 5; i++) {
            wheel.schedule(timer("t" + i), 21 * MS + i * MS); // all round up to the 30 ms boundary
        }
        assertEquals(0, wheel.expire(29 * MS));
        assertEquals(5, wheel.expire(30 * MS));
        assertEquals(List.of("t0", "t1", "t2", "t3", "t4"), log);
    }

    @Test
    void cancelPreventsFiring() {
        TimerWheel wheel = new TimerWheel(TICK, 512, 0);
        TestTimer a = timer("a");
        TestTimer b = timer("b");
        wheel.schedule(a, 20 * MS);
        wheel.schedule(b, 20 * MS);
        assertTrue(wheel.cancel(a));
        assertFalse(a.isScheduled());
        assertFalse(wheel.cancel(a), "second cancel is a no-op");
        assertEquals(1, wheel.size());
        assertEquals(1, wheel.expire(1000 * MS));
        assertEquals(List.of("b"), log);
        assertFalse(wheel.cancel(b), "cancel after firing is a no-op");
        assertEquals(0, a.fired);
    }

    @Test
    void rescheduleMovesTheTimer() {
        TimerWheel wheel = new TimerWheel(TICK, 512, 0);
        TestTimer a = timer("a");
        wheel.schedule(a, 100 * MS);
        wheel.schedule(a, 30 * MS); // earlier
        assertEquals(1, wheel.size());
        assertEquals(30 * MS, a.deadlineNanos());
        assertEquals(1, wheel.expire(30 * MS));
        assertEquals(0, wheel.expire(200 * MS), "must not fire again at the old deadline");
        wheel.schedule(a, 250 * MS);
        wheel.schedule(a, 400 * MS); // later
        assertEquals(0, wheel.expire(390 * MS));
        assertEquals(1, wheel.expire(400 * MS));
        assertEquals(2, a.fired);
    }

    @Test
    void periodicTimerReschedulesItselfFromItsCallback() {
        TimerWheel wheel = new TimerWheel(TICK, 8, 0);
        TestTimer periodic = timer("p");
        periodic.action = now -> wheel.schedule(periodic, periodic.deadlineNanos() + 25 * MS);
        wheel.schedule(periodic, 25 * MS);
        int fired = 0;
        for (long now = 0; now <= 1000 * MS; now += MS) {
            long before = periodic.fired;
            fired += wheel.expire(now);
            if (periodic.fired != before) {
                long deadline = 25 * MS * periodic.fired;
                assertTrue(now >= deadline && now - deadline < TICK, "fired at " + now + " for " + deadline);
            }
        }
        assertEquals(40, fired);
        assertEquals(40, periodic.fired);
        assertTrue(periodic.isScheduled());
    }

    @Test
    void callbackMayCancelOrRescheduleTimersDueInTheSameTick() {
        TimerWheel wheel = new TimerWheel(TICK, 512, 0);
        TestTimer a = timer("a");
        TestTimer b = timer("b");
        TestTimer c = timer("c");
        TestTimer d = timer("d");
        a.action = now -> {
            assertTrue(wheel.cancel(b));
            wheel.schedule(c, now + 50 * MS);
        };
        wheel.schedule(a, 10 * MS);
        wheel.schedule(b, 10 * MS);
        wheel.schedule(c, 10 * MS);
        wheel.schedule(d, 10 * MS);
        assertEquals(2, wheel.expire(10 * MS));
        assertEquals(List.of("a", "d"), log);
        assertEquals(1, wheel.size());
        assertEquals(0, wheel.expire(59 * MS));
        assertEquals(1, wheel.expire(60 * MS));
        assertEquals(List.of("a", "d", "c"), log);
        assertEquals(0, b.fired);
    }

    @Test
    void timerScheduledFromCallbackForAFarRevolutionOfTheSameSlotWaits() {
        TimerWheel wheel = new TimerWheel(TICK, 4, 0); // one revolution = 40 ms
        TestTimer a = timer("a");
        TestTimer later = timer("later");
        a.action = now -> wheel.schedule(later, now + 80 * MS); // same slot, two revolutions on
        wheel.schedule(a, 10 * MS);
        assertEquals(1, wheel.expire(10 * MS));
        for (long now = 11 * MS; now < 90 * MS; now += MS) {
            assertEquals(0, wheel.expire(now), "at " + now);
        }
        assertEquals(1, wheel.expire(90 * MS));
    }

    @Test
    void pastDeadlinesAndSelfReschedulingAtNowTerminate() {
        TimerWheel wheel = new TimerWheel(TICK, 512, 0);
        assertEquals(0, wheel.expire(100 * MS));
        TestTimer past = timer("past");
        wheel.schedule(past, 5 * MS); // already passed: fires at the next unprocessed boundary
        assertEquals(0, wheel.expire(105 * MS));
        assertEquals(1, wheel.expire(110 * MS));

        TestTimer greedy = timer("greedy");
        greedy.action = now -> wheel.schedule(greedy, now); // due again at once
        wheel.schedule(greedy, 110 * MS);
        // At most one firing per processed tick: the catch-up from 110 ms to 200 ms covers 10 ticks.
        int fired = wheel.expire(200 * MS);
        assertTrue(fired >= 1 && fired <= 10, "fired " + fired);
        assertTrue(greedy.isScheduled());
    }

    @Test
    void farDeadlinesSurviveSeveralRevolutions() {
        TimerWheel wheel = new TimerWheel(MS, 8, 0); // one revolution = 8 ms
        TestTimer far = timer("far");
        TestTimer near = timer("near");
        wheel.schedule(far, 5 * 8 * MS + 3 * MS); // 43 ms: five revolutions plus three ticks
        wheel.schedule(near, 3 * MS); // same slot, first revolution
        for (long now = 0; now < 43 * MS; now += MS / 2) {
            wheel.expire(now);
            assertEquals(0, far.fired, "far fired early at " + now);
        }
        assertEquals(1, near.fired);
        assertEquals(1, wheel.expire(43 * MS));
        assertEquals(1, far.fired);
        assertEquals(0, wheel.size());
    }

    @Test
    void nanosUntilNextExpiryBoundsTheSelectTimeout() {
        TimerWheel wheel = new TimerWheel(TICK, 512, 0);
        assertEquals(-1, wheel.nanosUntilNextExpiry(0));
        TestTimer a = timer("a");
        wheel.schedule(a, 95 * MS); // boundary 100 ms
        assertEquals(100 * MS, wheel.nanosUntilNextExpiry(0));
        assertEquals(37 * MS, wheel.nanosUntilNextExpiry(63 * MS));
        assertEquals(0, wheel.nanosUntilNextExpiry(100 * MS));
        assertEquals(0, wheel.nanosUntilNextExpiry(150 * MS), "overdue");
        TestTimer b = timer("b");
        wheel.schedule(b, 42 * MS);
        assertEquals(50 * MS, wheel.nanosUntilNextExpiry(0));
        wheel.expire(100 * MS);
        assertEquals(-1, wheel.nanosUntilNextExpiry(100 * MS));
    }

    @Test
    void nanosUntilNextExpiryNeverOversleepsRandomTimers() {
        Random random = new Random(7);
        TimerWheel wheel = new TimerWheel(TICK, 64, 0); // revolution 640 ms
        List<TestTimer> timers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            TestTimer t = timer("r" + i);
            wheel.schedule(t, (long) (random.nextDouble() * 3000 * MS));
            timers.add(t);
        }
        long now = 0;
        while (wheel.size() > 0) {
            long wait = wheel.nanosUntilNextExpiry(now);
            assertTrue(wait >= 0);
            long wake = now + wait;
            for (TestTimer t : timers) {
                if (t.isScheduled()) {
                    long boundary = (t.deadlineNanos() + TICK - 1) / TICK * TICK;
                    assertTrue(wake <= Math.max(boundary, now), "would oversleep " + t.name);
                }
            }
            now = wake;
            wheel.expire(now);
        }
        for (TestTimer t : timers) {
            assertEquals(1, t.fired);
        }
    }

    @Test
    void manyTimersFireExactlyOnceNeverEarlyAndAtMostOneTickLate() {
        final int count = 100_000;
        final long step = MS;
        TimerWheel wheel = new TimerWheel(TICK, 512, 0); // revolution 5.12 s
        Random random = new Random(42);
        TestTimer[] timers = new TestTimer[count];
        List<String> noLog = new ArrayList<>() {
            @Override
            public boolean add(String s) {
                return true;
            }
        };
        for (int i = 0; i < count; i++) {
            timers[i] = new TestTimer("t", noLog);
            wheel.schedule(timers[i], (long) (random.nextDouble() * 4 * 5_120 * MS)); // ~4 revolutions
        }
        // Cancel and reschedule a share of them before anything fires.
        for (int i = 0; i < count; i += 10) {
            wheel.cancel(timers[i]);
        }
        for (int i = 5; i < count; i += 10) {
            wheel.schedule(timers[i], (long) (random.nextDouble() * 4 * 5_120 * MS));
        }
        assertEquals(count - count / 10, wheel.size());
        long fired = 0;
        long now = 0;
        while (wheel.size() > 0 && now < 25_000 * MS) {
            now += step;
            fired += wheel.expire(now);
        }
        assertEquals(count - count / 10, fired);
        for (int i = 0; i < count; i++) {
            TestTimer t = timers[i];
            if (i % 10 == 0) {
                assertEquals(0, t.fired, "cancelled timer fired");
                continue;
            }
            assertEquals(1, t.fired, "timer " + i);
            assertTrue(t.firedAt >= t.deadlineNanos(), "timer " + i + " fired early");
            assertTrue(t.firedAt - t.deadlineNanos() < TICK + step, "timer " + i + " fired late");
        }
    }

    @Test
    void clockMayWrapAroundLongMaxValue() {
        long start = Long.MAX_VALUE - 25 * MS;
        TimerWheel wheel = new TimerWheel(TICK, 16, start);
        TestTimer a = timer("a");
        TestTimer b = timer("b");
        wheel.schedule(a, start + 20 * MS); // before the wrap
        wheel.schedule(b, start + 60 * MS); // after the wrap: a negative long
        assertEquals(0, wheel.expire(start + 19 * MS));
        assertEquals(1, wheel.expire(start + 20 * MS));
        assertEquals(0, wheel.expire(start + 59 * MS));
        assertEquals(1, wheel.expire(start + 60 * MS));
        assertEquals(List.of("a", "b"), log);
    }

    @Test
    void idleTimeIsSkippedAndLaterTimersStillFire() {
        TimerWheel wheel = new TimerWheel(TICK, 8, 0);
        assertEquals(0, wheel.expire(3_600_000 * MS)); // an hour with nothing scheduled
        TestTimer a = timer("a");
        wheel.schedule(a, 3_600_000 * MS + 15 * MS);
        assertEquals(TICK, wheel.nanosUntilNextExpiry(3_600_000 * MS + 10 * MS));
        assertEquals(0, wheel.expire(3_600_000 * MS + 19 * MS));
        assertEquals(1, wheel.expire(3_600_000 * MS + 20 * MS));
    }

    @Test
    void throwingCallbackLeavesTheRestScheduled() {
        TimerWheel wheel = new TimerWheel(TICK, 512, 0);
        TestTimer bad = timer("bad");
        TestTimer next = timer("next");
        TestTimer far = timer("far");
        bad.action = now -> {
            throw new IllegalStateException("boom");
        };
        wheel.schedule(bad, 10 * MS);
        wheel.schedule(next, 10 * MS);
        wheel.schedule(far, 10 * MS + 512 * TICK); // same slot, next revolution
        assertThrows(IllegalStateException.class, () -> wheel.expire(10 * MS));
        assertEquals(2, wheel.size());
        assertTrue(next.isScheduled());
        assertEquals(1, wheel.expire(20 * MS));
        assertEquals(List.of("bad", "next"), log);
        assertEquals(0, wheel.expire(10 * MS + 512 * TICK - 1));
        assertEquals(1, wheel.expire(10 * MS + 512 * TICK));
    }

    /**
     * The loop was busy (no expire call) for several revolutions while timers waited; a timer
     * then scheduled relative to the current time must not fire early: the catch-up of the
     * elapsed ticks fires only the old timers.
     */
    @Test
    void timerScheduledAfterALongBusySpellDoesNotFireEarly() {
        TimerWheel wheel = new TimerWheel(TICK, 16, 0); // revolution 160 ms
        TestTimer old = timer("old");
        wheel.schedule(old, 30 * MS);
        long now = 10_000 * MS; // ten seconds without a turn: over sixty revolutions
        TestTimer fresh = timer("fresh");
        wheel.schedule(fresh, now + 100 * MS);
        assertEquals(1, wheel.expire(now));
        assertEquals(List.of("old"), log);
        assertEquals(100 * MS, wheel.nanosUntilNextExpiry(now));
        assertEquals(0, wheel.expire(now + 99 * MS));
        assertEquals(1, wheel.expire(now + 100 * MS));
        assertEquals(List.of("old", "fresh"), log);
    }

    /** A timer that fired or was cancelled is idle: scheduling it again is a new timer. */
    @Test
    void aReusedTimerIsNotHitByItsEarlierScheduling() {
        TimerWheel wheel = new TimerWheel(TICK, 8, 0);
        TestTimer reused = timer("reused");
        wheel.schedule(reused, 20 * MS);
        assertTrue(wheel.cancel(reused));
        wheel.schedule(reused, 20 * MS + 8 * TICK); // same slot, next revolution
        assertEquals(0, wheel.expire(20 * MS));
        assertEquals(0, wheel.expire(20 * MS + 8 * TICK - 1));
        assertEquals(1, wheel.expire(20 * MS + 8 * TICK));
    }

    /**
     * The next wake-up against a reference that looks at every scheduled timer, for slot counts
     * below one bitmap word, exactly one, several, and more than 64 words (a summary of two
     * words), with the cursor going round the end of the wheel many times: while every timer is
     * due within one revolution the answer is exactly the earliest boundary.
     */
    @Test
    void nanosUntilNextExpiryIsTheEarliestBoundaryForAnySlotCount() {
        for (int slots : new int[] {1, 2, 8, 64, 128, 4096, 8192}) {
            Random random = new Random(slots);
            TimerWheel wheel = new TimerWheel(TICK, slots, 0);
            long revolution = slots * TICK;
            wheel.expire(0); // boundary 0 processed: the cursor is at the next unprocessed one, as below
            List<TestTimer> timers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                timers.add(timer("s" + slots + "-" + i));
            }
            long now = 0;
            for (int step = 0; step < 3000; step++) {
                TestTimer t = timers.get(random.nextInt(timers.size()));
                int op = random.nextInt(4);
                if (op == 0) {
                    wheel.cancel(t);
                } else if (op == 1) {
                    // Forward by up to a third of a revolution, at least a tick now and then.
                    now += (long) (random.nextDouble() * Math.max(revolution / 3, TICK));
                    wheel.expire(now);
                } else {
                    // Due within the revolution that starts at the next unprocessed boundary.
                    long nextBoundary = (now / TICK + 1) * TICK;
                    wheel.schedule(t, nextBoundary - TICK + 1 + (long) (random.nextDouble() * (revolution - 1)));
                }
                long expected = -1;
                for (TestTimer x : timers) {
                    if (x.isScheduled()) {
                        long boundary = Math.max((x.deadlineNanos() + TICK - 1) / TICK * TICK, 0);
                        long wait = Math.max(0, boundary - now);
                        expected = expected < 0 ? wait : Math.min(expected, wait);
                    }
                }
                assertEquals(expected, wheel.nanosUntilNextExpiry(now), "slots " + slots + ", step " + step);
            }
        }
    }

    /**
     * Random schedule, reschedule, cancel and expire calls on wheels of several sizes, checked
     * against the exact rule: a timer fires in the first expire call at or after the first tick
     * boundary at or after its deadline, exactly once, and a cancelled timer never fires.
     */
    @Test
    void randomOperationsFollowTheExactFiringRuleForAnySlotCount() {
        for (int slots : new int[] {1, 4, 64, 256, 8192}) {
            Random random = new Random(31 + slots);
            TimerWheel wheel = new TimerWheel(TICK, slots, 0);
            long revolution = slots * TICK;
            TestTimer[] timers = new TestTimer[40];
            long[] dueBoundary = new long[timers.length];
            for (int i = 0; i < timers.length; i++) {
                timers[i] = timer("t" + i);
            }
            long now = 0;
            for (int step = 0; step < 20_000; step++) {
                int i = random.nextInt(timers.length);
                TestTimer t = timers[i];
                int op = random.nextInt(10);
                if (op == 0) {
                    wheel.cancel(t);
                } else if (op < 4) {
                    // Near, within a few revolutions, or far: up to ten revolutions away.
                    long span = random.nextBoolean() ? 3 * TICK : 10 * revolution;
                    long deadline = now + 1 + (long) (random.nextDouble() * span);
                    wheel.schedule(t, deadline);
                    dueBoundary[i] = (deadline + TICK - 1) / TICK * TICK;
                } else {
                    long jump = random.nextInt(20) == 0 ? 3 * revolution : (long) (random.nextDouble() * 3 * TICK);
                    long next = now + jump;
                    int[] before = new int[timers.length];
                    for (int k = 0; k < timers.length; k++) {
                        before[k] = timers[k].fired;
                    }
                    boolean[] shouldFire = new boolean[timers.length];
                    int expected = 0;
                    for (int k = 0; k < timers.length; k++) {
                        shouldFire[k] = timers[k].isScheduled() && dueBoundary[k] <= next;
                        expected += shouldFire[k] ? 1 : 0;
                    }
                    assertEquals(expected, wheel.expire(next), "slots " + slots + ", step " + step);
                    for (int k = 0; k < timers.length; k++) {
                        assertEquals(before[k] + (shouldFire[k] ? 1 : 0), timers[k].fired,
                                "slots " + slots + ", step " + step + ", timer " + k);
                        if (shouldFire[k]) {
                            assertEquals(next, timers[k].firedAt);
                        }
                    }
                    now = next;
                }
            }
        }
    }

    @Test
    void misuseIsRejected() {
        TimerWheel wheel = new TimerWheel(TICK, 8, 0);
        TimerWheel other = new TimerWheel(TICK, 8, 0);
        TestTimer a = timer("a");
        wheel.schedule(a, 10 * MS);
        assertThrows(IllegalStateException.class, () -> other.schedule(a, 10 * MS));
        assertThrows(IllegalStateException.class, () -> other.cancel(a));
        TestTimer reentrant = timer("reentrant");
        reentrant.action = now -> wheel.expire(now);
        wheel.schedule(reentrant, 10 * MS);
        assertThrows(IllegalStateException.class, () -> wheel.expire(10 * MS));
        assertThrows(NullPointerException.class, () -> wheel.schedule(null, 0));
    }
}
