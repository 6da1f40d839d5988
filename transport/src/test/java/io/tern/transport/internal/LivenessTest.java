package io.tern.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The connection clocks on a fake clock: every deadline exact to the nanosecond, no sleeps. */
class LivenessTest {

    private static final long S = 1_000_000_000L;
    /** A start near the overflow point of nanoTime-style clocks: deadlines must compare by difference. */
    private static final long T0 = Long.MAX_VALUE - 5 * S;

    @Test
    void handshakeTimesOutExactlyAtItsDeadline() {
        Liveness l = new Liveness();
        l.handshakeStarted(T0, 10 * S);
        assertEquals(T0 + 10 * S, l.nextDeadline());
        assertEquals(Liveness.NONE, l.due(T0 + 10 * S - 1));
        assertEquals(Liveness.HANDSHAKE_TIMEOUT, l.due(T0 + 10 * S));
    }

    @Test
    void theRouteLimitCountsFromTheStartNotFromWhenItIsSet() {
        Liveness l = new Liveness();
        l.handshakeStarted(T0, 10 * S);
        l.handshakeTimeout(2 * S);
        assertEquals(T0 + 2 * S, l.nextDeadline());
        assertEquals(Liveness.HANDSHAKE_TIMEOUT, l.due(T0 + 2 * S));
    }

    @Test
    void noClockRunsWhenIdleAndHeartbeatAreOff() {
        Liveness l = new Liveness();
        l.opened(T0, 0, 0, 0);
        assertEquals(Long.MAX_VALUE, l.nextDeadline());
        assertEquals(Liveness.NONE, l.due(T0 + 1000 * S));
    }

    @Test
    void idleTimeoutCountsFromTheLastRead() {
        Liveness l = new Liveness();
        l.opened(T0, 5 * S, 0, 0);
        l.read(T0 + 3 * S);
        assertEquals(T0 + 8 * S, l.nextDeadline());
        assertEquals(Liveness.NONE, l.due(T0 + 8 * S - 1));
        assertEquals(Liveness.IDLE_TIMEOUT, l.due(T0 + 8 * S));
    }

    @Test
    void heartbeatPingsEveryIntervalAndGivesUpWithoutAPong() {
        Liveness l = new Liveness();
        l.opened(T0, 0, 30 * S, 10 * S);
        assertEquals(T0 + 30 * S, l.nextDeadline());
        assertEquals(Liveness.NONE, l.due(T0 + 30 * S - 1));
        assertEquals(Liveness.SEND_PING, l.due(T0 + 30 * S));
        assertEquals(Liveness.NONE, l.due(T0 + 30 * S), "one ping per interval");
        assertEquals(T0 + 40 * S, l.nextDeadline(), "the pong deadline comes before the next ping");
        assertEquals(Liveness.NONE, l.due(T0 + 40 * S - 1));
        assertEquals(Liveness.PONG_TIMEOUT, l.due(T0 + 40 * S));
    }

    @Test
    void aPongInTimeKeepsTheConnectionAndTheNextPingComesOnSchedule() {
        Liveness l = new Liveness();
        l.opened(T0, 0, 30 * S, 10 * S);
        assertEquals(Liveness.SEND_PING, l.due(T0 + 30 * S));
        l.pongReceived();
        assertEquals(T0 + 60 * S, l.nextDeadline());
        assertEquals(Liveness.NONE, l.due(T0 + 59 * S));
        assertEquals(Liveness.SEND_PING, l.due(T0 + 60 * S));
    }

    @Test
    void whileAPongIsAwaitedNoSecondPingIsSent() {
        Liveness l = new Liveness();
        l.opened(T0, 0, 1 * S, 10 * S); // interval shorter than the pong timeout
        assertEquals(Liveness.SEND_PING, l.due(T0 + S));
        assertEquals(Liveness.NONE, l.due(T0 + 2 * S), "still waiting for the first pong");
        assertEquals(Liveness.NONE, l.due(T0 + 9 * S));
        assertEquals(Liveness.PONG_TIMEOUT, l.due(T0 + 11 * S));
    }

    @Test
    void idleComesFirstWhenBothAreDue() {
        Liveness l = new Liveness();
        l.opened(T0, 5 * S, 5 * S, 5 * S);
        assertEquals(T0 + 5 * S, l.nextDeadline());
        assertEquals(Liveness.IDLE_TIMEOUT, l.due(T0 + 5 * S));
    }

    @Test
    void closingDeadlineReplacesTheOtherClocksAndAnEarlierOneIsKept() {
        Liveness l = new Liveness();
        l.opened(T0, 5 * S, 30 * S, 10 * S);
        l.closing(T0 + S, 5 * S);
        assertEquals(T0 + 6 * S, l.nextDeadline());
        l.closing(T0 + 2 * S, 5 * S); // a later failure does not push the deadline out
        assertEquals(T0 + 6 * S, l.nextDeadline());
        l.closing(T0 + 2 * S, 2 * S); // the linger's shorter bound wins
        assertEquals(T0 + 4 * S, l.nextDeadline());
        assertEquals(Liveness.NONE, l.due(T0 + 4 * S - 1), "idle and heartbeat no longer apply");
        assertEquals(Liveness.CLOSING_TIMEOUT, l.due(T0 + 4 * S));
    }

    @Test
    void aRefusedHandshakeLingersUnderTheClosingDeadline() {
        Liveness l = new Liveness();
        l.handshakeStarted(T0, 10 * S);
        l.closing(T0 + S, 2 * S);
        assertEquals(T0 + 3 * S, l.nextDeadline());
        assertEquals(Liveness.CLOSING_TIMEOUT, l.due(T0 + 3 * S));
    }
}
