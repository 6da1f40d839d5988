package io.tern.transport.internal;

import io.tern.codec.CloseCodes;

/**
 * The one wheel timer of a connection, always set to the earliest deadline of its
 * {@link Liveness}, and what the connection does when one passes: close a handshake that took
 * too long, close a socket whose closing handshake or linger took too long, close an idle
 * connection with 1001, give up a peer that did not answer the heartbeat, or send the heartbeat's
 * ping.
 *
 * <p>Threading contract: loop thread only, like the wheel it is scheduled on.
 */
final class ConnectionClock extends Timer {

    private final Connection c;
    private final EventLoop loop;
    private final Liveness liveness;

    ConnectionClock(Connection c, EventLoop loop, Liveness liveness) {
        this.c = c;
        this.loop = loop;
        this.liveness = liveness;
    }

    /**
     * Acts on what is due. The time is read anew rather than taken from {@code nowNanos}: other
     * timers of the same turn may have run long before this one, and the heartbeat counts its next
     * ping and its pong deadline from it.
     */
    @Override
    protected void onExpire(long nowNanos) {
        try {
            act(loop.now());
        } catch (Throwable t) {
            c.loopError(t);
        }
    }

    private void act(long now) {
        for (int action; !c.isClosed() && (action = liveness.due(now)) != Liveness.NONE; ) {
            switch (action) {
                case Liveness.HANDSHAKE_TIMEOUT:
                    c.closeEarly("opening handshake timed out");
                    return;
                case Liveness.CLOSING_TIMEOUT:
                    c.finishClose();
                    return;
                case Liveness.IDLE_TIMEOUT:
                    c.closeOnLoop(CloseCodes.GOING_AWAY, "idle timeout");
                    break;
                case Liveness.PONG_TIMEOUT:
                    c.pongTimedOut();
                    return;
                default:
                    c.sends.heartbeatPing(now);
                    break;
            }
        }
        if (!c.isClosed()) {
            reschedule();
        }
    }

    /** Sets the timer to the earliest deadline, or cancels it when no clock runs. */
    void reschedule() {
        long next = liveness.nextDeadline();
        if (next == Long.MAX_VALUE) {
            loop.timers().cancel(this);
        } else {
            loop.timers().schedule(this, next);
        }
    }
}
