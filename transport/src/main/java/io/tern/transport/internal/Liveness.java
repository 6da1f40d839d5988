package io.tern.transport.internal;

/**
 * The clocks of one connection as a pure state machine: the opening-handshake limit, the idle
 * timeout, the heartbeat (ping every interval, give the peer up if no pong comes within the
 * timeout) and the closing limit (closing handshake, then lingering before the socket is closed).
 * It reads no clock of its own: every event and every question passes the time in, so its rules
 * are tested on a fake clock, and the connection keeps a single wheel timer set to
 * {@link #nextDeadline()}.
 *
 * <p>Times are {@link System#nanoTime()}-style nanoseconds, compared by difference (overflow-safe).
 * A duration of 0 turns that clock off.
 *
 * <p>Threading contract: owned by the connection's loop thread; not thread-safe.
 */
final class Liveness {

    /** Nothing is due. */
    static final int NONE = 0;
    /** The opening handshake did not finish in time: close the socket. */
    static final int HANDSHAKE_TIMEOUT = 1;
    /** The closing handshake or the linger after it did not finish in time: close the socket. */
    static final int CLOSING_TIMEOUT = 2;
    /** Nothing was read for the idle timeout: start the closing handshake (1001). */
    static final int IDLE_TIMEOUT = 3;
    /** No pong came within the heartbeat timeout: the peer is taken for gone. */
    static final int PONG_TIMEOUT = 4;
    /** Time for a heartbeat ping; a pong is now awaited. */
    static final int SEND_PING = 5;

    private static final int HANDSHAKING = 0;
    private static final int OPEN = 1;
    private static final int CLOSING = 2;

    private int phase = HANDSHAKING;
    private long handshakeStartedAt;
    private long handshakeDeadline;
    private long closeDeadline;
    private long idleNanos;
    private long heartbeatNanos;
    private long pongTimeoutNanos;
    private long lastReadAt;
    private long nextPingAt;
    private long pongDeadline;
    private boolean awaitingPong;

    /**
     * The connection was accepted or connected: the opening handshake must end within
     * {@code timeoutNanos}.
     */
    void handshakeStarted(long now, long timeoutNanos) {
        phase = HANDSHAKING;
        handshakeStartedAt = now;
        handshakeDeadline = now + timeoutNanos;
    }

    /** Sets the handshake limit anew, counted from {@link #handshakeStarted}. */
    void handshakeTimeout(long timeoutNanos) {
        handshakeDeadline = handshakeStartedAt + timeoutNanos;
    }

    /**
     * The connection opened: the idle and heartbeat clocks start now.
     *
     * @param idle             idle timeout, 0 for none
     * @param heartbeat        ping interval, 0 for no heartbeat
     * @param pongTimeout      how long a pong may take
     */
    void opened(long now, long idle, long heartbeat, long pongTimeout) {
        phase = OPEN;
        idleNanos = idle;
        heartbeatNanos = heartbeat;
        pongTimeoutNanos = pongTimeout;
        lastReadAt = now;
        nextPingAt = now + heartbeat;
        awaitingPong = false;
    }

    /** Bytes arrived from the peer. */
    void read(long now) {
        lastReadAt = now;
    }

    /** A pong arrived: whatever ping was outstanding is answered (RFC 6455 §5.5.3). */
    void pongReceived() {
        awaitingPong = false;
    }

    /**
     * The closing handshake (or the linger after it) started: the socket is closed at
     * {@code now + limitNanos} at the latest. An earlier limit already set is kept.
     */
    void closing(long now, long limitNanos) {
        long deadline = now + limitNanos;
        if (phase != CLOSING || deadline - closeDeadline < 0) {
            closeDeadline = deadline;
        }
        phase = CLOSING;
    }

    /**
     * What is due at {@code now}, at most one action per call; a {@link #SEND_PING} also starts
     * waiting for the pong. Call again after acting until it answers {@link #NONE}.
     *
     * @return one of the action constants
     */
    int due(long now) {
        switch (phase) {
            case HANDSHAKING:
                return now - handshakeDeadline >= 0 ? HANDSHAKE_TIMEOUT : NONE;
            case CLOSING:
                return now - closeDeadline >= 0 ? CLOSING_TIMEOUT : NONE;
            default:
                if (idleNanos > 0 && now - lastReadAt >= idleNanos) {
                    return IDLE_TIMEOUT;
                }
                if (awaitingPong && now - pongDeadline >= 0) {
                    return PONG_TIMEOUT;
                }
                if (heartbeatNanos > 0 && now - nextPingAt >= 0) {
                    nextPingAt = now + heartbeatNanos;
                    if (!awaitingPong) {
                        awaitingPong = true;
                        pongDeadline = now + pongTimeoutNanos;
                        return SEND_PING;
                    }
                }
                return NONE;
        }
    }

    /**
     * When {@link #due} next has something to say.
     *
     * @return a time, or {@link Long#MAX_VALUE} when no clock runs
     */
    long nextDeadline() {
        switch (phase) {
            case HANDSHAKING:
                return handshakeDeadline;
            case CLOSING:
                return closeDeadline;
            default:
                long next = Long.MAX_VALUE;
                boolean any = false;
                if (idleNanos > 0) {
                    next = lastReadAt + idleNanos;
                    any = true;
                }
                if (heartbeatNanos > 0) {
                    long hb = awaitingPong && pongDeadline - nextPingAt < 0 ? pongDeadline : nextPingAt;
                    next = !any || hb - next < 0 ? hb : next;
                }
                return next;
        }
    }
}
