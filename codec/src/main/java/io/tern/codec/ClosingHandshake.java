package io.tern.codec;

/**
 * The closing handshake of RFC 6455 §5.5.1 and §7 as a state machine, for one connection.
 *
 * <pre>
 *            closeSent                  closeReceived
 *   OPEN ─────────────────▶ CLOSE_SENT ─────────────────▶ CLOSED (clean)
 *     │                                                      ▲
 *     │ closeReceived                       closeSent (reply)│
 *     └──────────────────▶ CLOSE_RECEIVED ───────────────────┘
 * </pre>
 *
 * <p>After an endpoint has sent its close frame it sends nothing more ({@link MessageWriter}
 * enforces this through {@link #isCloseSent()}). After it has received one it must answer with a
 * close frame of its own, usually echoing the received code ({@link #replyCode()}), and then the
 * underlying TCP connection is closed: first by the server, while a client waits a moment for the
 * server to do so (§7.1.1, {@link #closesTcpFirst(Role)}). The transport reports a connection that
 * ended any other way with {@link #abort()}.
 *
 * <p>Not thread-safe: owned by the connection's thread.
 */
public final class ClosingHandshake {

    /** Where the handshake stands. */
    public enum State {
        /** No close frame sent or received. */
        OPEN,
        /** This endpoint sent its close frame and waits for the peer's. */
        CLOSE_SENT,
        /** The peer's close frame arrived; this endpoint has not answered yet. */
        CLOSE_RECEIVED,
        /** Both close frames have crossed, or the connection was aborted. */
        CLOSED
    }

    private State state = State.OPEN;
    private boolean clean;
    private boolean initiatedLocally;
    private int sentCode;
    private int receivedCode;
    private String receivedReason = "";

    /** Creates a handshake in the {@link State#OPEN} state. */
    public ClosingHandshake() {
    }

    /**
     * Records that this endpoint sent its close frame.
     *
     * @param code the code it carried, or {@link CloseCodes#NO_STATUS_RECEIVED} for an empty payload
     * @throws IllegalStateException if a close frame was already sent or the connection is closed
     */
    public void closeSent(int code) {
        switch (state) {
            case OPEN:
                state = State.CLOSE_SENT;
                initiatedLocally = true;
                break;
            case CLOSE_RECEIVED:
                state = State.CLOSED;
                clean = true;
                break;
            default:
                throw new IllegalStateException("close frame already sent (state " + state + ")");
        }
        sentCode = code;
    }

    /**
     * Records the peer's close frame.
     *
     * @param code   its code, or {@link CloseCodes#NO_STATUS_RECEIVED} when it had no payload
     * @param reason its reason, empty when none
     * @throws IllegalStateException if a close frame was already received or the connection is closed
     */
    public void closeReceived(int code, String reason) {
        switch (state) {
            case OPEN:
                state = State.CLOSE_RECEIVED;
                break;
            case CLOSE_SENT:
                state = State.CLOSED;
                clean = true;
                break;
            default:
                throw new IllegalStateException("close frame already received (state " + state + ")");
        }
        receivedCode = code;
        receivedReason = reason;
    }

    /** Records that the connection ended without completing the handshake (error, reset, timeout). */
    public void abort() {
        if (state != State.CLOSED) {
            state = State.CLOSED;
            clean = false;
        }
    }

    /**
     * The current state.
     *
     * @return the state
     */
    public State state() {
        return state;
    }

    /**
     * Whether this endpoint has sent its close frame; after that it must send no more frames.
     *
     * @return {@code true} once {@link #closeSent(int)} was called
     */
    public boolean isCloseSent() {
        return state == State.CLOSE_SENT || (state == State.CLOSED && sentCode != 0);
    }

    /**
     * Whether the peer's close frame arrived and still awaits this endpoint's answer.
     *
     * @return {@code true} in {@link State#CLOSE_RECEIVED}
     */
    public boolean mustReply() {
        return state == State.CLOSE_RECEIVED;
    }

    /**
     * The code to answer the peer's close frame with: the code it sent, echoed (§5.5.1), or
     * {@link CloseCodes#NO_STATUS_RECEIVED}, meaning an empty close payload, when it sent none.
     *
     * @return the reply code
     */
    public int replyCode() {
        return receivedCode;
    }

    /**
     * Whether both close frames have crossed (or the connection was aborted).
     *
     * @return {@code true} in {@link State#CLOSED}
     */
    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /**
     * Whether the connection closed cleanly: both close frames crossed.
     *
     * @return {@code true} after a completed handshake, {@code false} while open or after an abort
     */
    public boolean isClean() {
        return clean;
    }

    /**
     * Whether this endpoint sent the first close frame.
     *
     * @return {@code true} when the close was started here
     */
    public boolean initiatedLocally() {
        return initiatedLocally;
    }

    /**
     * The code this endpoint sent.
     *
     * @return the code, or 0 when no close frame was sent
     */
    public int sentCode() {
        return sentCode;
    }

    /**
     * The code the peer sent.
     *
     * @return the code, {@link CloseCodes#NO_STATUS_RECEIVED} for an empty close payload, or 0 when
     *     no close frame was received
     */
    public int receivedCode() {
        return receivedCode;
    }

    /**
     * The reason the peer sent.
     *
     * @return the reason, empty when none was received
     */
    public String receivedReason() {
        return receivedReason;
    }

    /**
     * Whether an endpoint of the given role closes the TCP connection as soon as the handshake is
     * complete. The server does (§7.1.1), so that it, not the client, carries TIME_WAIT; the client
     * waits for the server to close and closes itself only after a timeout.
     *
     * @param role the endpoint's role
     * @return {@code true} for the server
     */
    public static boolean closesTcpFirst(Role role) {
        return role == Role.SERVER;
    }
}
