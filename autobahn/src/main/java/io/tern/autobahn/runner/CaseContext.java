package io.tern.autobahn.runner;

import java.time.Duration;
import java.util.List;

/**
 * What a case can do and see while it runs on one WebSocket connection. The engine implements it
 * for the runner's own wire code in both roles.
 *
 * <p>Threading: every method must be called on the case's thread, i.e. from inside one of the
 * {@link AutobahnCase} callbacks or from a task scheduled with {@link #continueLater}. All callbacks of a
 * case run on that one thread, so cases need no synchronisation.
 *
 * <p>Sends never throw: a write to a connection the peer already dropped is recorded in the wire log
 * and otherwise ignored, as a peer that fails a connection may close TCP while the case still sends.
 * Frames are sent exactly as asked for, whatever the closing-handshake state.
 */
public interface CaseContext {

    /** The runner's role on this connection. */
    Role role();

    /** The connection state as the runner's protocol state machine sees it (RFC 6455 §4, §7). */
    enum State { OPEN, CLOSING, CLOSED }

    /** The current state. */
    State state();

    /** True while {@link #state()} is {@link State#OPEN}. */
    default boolean isOpen() {
        return state() == State.OPEN;
    }

    /**
     * The {@code Sec-WebSocket-Extensions} value of the opening handshake response: the server's answer
     * in client mode, the runner's own answer (from {@link AutobahnCase#extensionResponse}) in server
     * mode; null if the response had none.
     */
    String negotiatedExtensions();

    /** The {@code Sec-WebSocket-Extensions} value of the opening handshake request, or null. */
    String offeredExtensions();

    // ---------------------------------------------------------------- expectations and verdicts

    /** Declares one acceptable sequence of observations for {@code verdict} (replaces an earlier one). */
    void expect(Verdict verdict, List<Observation> observations);

    /** Declares how the connection must end. Default: {@link CloseExpectation#normal()}. */
    void expectClose(CloseExpectation expectation);

    /** Records an observation (the default callbacks record messages and pongs themselves). */
    void observe(Observation observation);

    /** The observations recorded so far, in order (an unmodifiable snapshot). */
    List<Observation> received();

    /**
     * If the observations equal every declared acceptable sequence and the runner is expected to close,
     * starts the closing handshake with the first acceptable code (the official suite's
     * {@code finishWhenDone}); otherwise does nothing.
     */
    void finishWhenDone();

    /**
     * Sets {@code behavior} and its explanation directly. A case that judges messages itself (e.g. the
     * large-message groups) calls this; an explicit behavior is kept instead of comparing observations.
     */
    void setBehavior(Verdict verdict, String result);

    /** Overrides {@code behaviorClose}; meant for {@link AutobahnCase#onConnectionLost}. */
    void setBehaviorClose(Verdict verdict, String resultClose);

    /** The current {@code behavior} (FAILED until decided). */
    Verdict behavior();

    /** The current {@code behaviorClose} (FAILED until decided). */
    Verdict behaviorClose();

    /** The explanation of {@link #behaviorClose()}. */
    String resultClose();

    /** True if this end started the closing handshake or failed the connection first. */
    boolean closedByMe();

    /** True if the closing handshake completed and the server dropped TCP (RFC 6455 §7.1.1). */
    boolean wasClean();

    /** The close code in the peer's close frame, or null if none arrived or it carried no code. */
    Integer remoteCloseCode();

    // ---------------------------------------------------------------- sending

    /** Sends one frame exactly as described. */
    void send(OutFrame frame);

    /** Sends a final unfragmented frame of {@code opcode} with {@code payload}, masked by role. */
    default void sendFrame(int opcode, byte[] payload) {
        send(OutFrame.of(opcode, payload));
    }

    /**
     * Sends a whole message, cut into frames of at most {@code fragmentSize} payload bytes
     * (0: one frame).
     */
    void sendMessage(byte[] payload, boolean binary, int fragmentSize);

    /**
     * Sends a message whose payload the case compressed itself (RFC 7692 §7.2.1, trailing
     * {@code 00 00 ff ff} already removed): RSV1 on the first frame only, cut into frames of at most
     * {@code fragmentSize} bytes (0: one frame).
     */
    void sendCompressedMessage(byte[] compressed, boolean binary, int fragmentSize);

    /** Sends a ping with this application data. */
    void sendPing(byte[] payload);

    /**
     * Starts the closing handshake (RFC 6455 §7.1.2): sends a close frame with {@code code} and
     * {@code reason} (any bytes, even invalid UTF-8; null: none) — with a null code the payload is just
     * the reason bytes, e.g. nothing, or a 1-byte payload — moves to CLOSING, and waits
     * for the peer's close frame for at most the close handshake timeout. Does nothing unless OPEN.
     */
    void sendClose(Integer code, byte[] reason);

    /** {@code sendClose(code, null)}. */
    default void sendClose(int code) {
        sendClose(code, null);
    }

    /**
     * Writes bytes as they are (no framing) in pieces of {@code chopSize} bytes (0: one write),
     * pausing {@code delay} between pieces.
     */
    void sendRaw(byte[] bytes, int chopSize, Duration delay);

    /**
     * The bytes {@link #send} would write for {@code frame} in this role (masked with a fresh key if the
     * frame is masked), without writing them: for cases that send one frame in pieces with pauses between
     * them (the official suite's {@code beginMessageFrame}/{@code sendMessageFrameData}) via {@link #sendRaw}.
     */
    byte[] encode(OutFrame frame);

    /**
     * Default chop size for every later {@link #send}, {@link #sendMessage} and control frame that does
     * not set its own (0: none), as the official suite's per-case chop size option.
     */
    void setChopSize(int bytes);

    /**
     * Blocks the case for {@code duration} (a bounded pause between sends). What the peer sends
     * meanwhile is read and handled afterwards, in order.
     */
    void pause(Duration duration);

    // ---------------------------------------------------------------- timers

    /** Runs {@code task} on the case thread after {@code delay}, if the connection is not CLOSED by then. */
    void continueLater(Duration delay, Runnable task);

    /**
     * After {@code delay}, if not yet CLOSED: fails the connection as the official {@code killAfter}:
     * when OPEN, sends close 1001 (going away) and waits for the answer; when CLOSING, drops TCP.
     */
    void killAfter(Duration delay);

    /**
     * After {@code delay}, if still OPEN: starts the closing handshake with a close frame without
     * payload (as the official {@code closeAfter}).
     */
    void closeAfter(Duration delay);

    /** After {@code delay}, if not yet CLOSED: drops the TCP connection without any close frame. */
    void dropAfter(Duration delay);

    /** Drops the TCP connection now, without any close frame. */
    void dropConnection();

    // ---------------------------------------------------------------- extensions and logging

    /**
     * Installs the inflater for messages with RSV1 (null: none, then RSV1 fails the connection with
     * 1002). Frames with RSV1 on the first frame of a message are inflated whole before observation.
     */
    void setInflater(MessageInflater inflater);

    /**
     * How many frames with {@code opcode} the runner has sent on this connection so far (counted even
     * while the wire log is off), e.g. for 10.1.1's check of its own fragmentation.
     */
    int framesSent(int opcode);

    /** Turns the per-frame wire log on or off (off for cases with many or large messages). */
    void enableWireLog(boolean enabled);

    /** Adds a free-text line to the case's wire log, shown in the HTML report. */
    void note(String text);
}
