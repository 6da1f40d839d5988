package io.tern.autobahn.runner;

import java.time.Duration;
import java.util.Objects;

/**
 * One case of the Autobahn catalogue, run on one fresh WebSocket connection. A new instance is made
 * for every run, so a case may keep state in fields.
 *
 * <p>Lifecycle, all on the case's thread (see {@link CaseContext}): {@link #onOpen} once the opening
 * handshake completed; then {@link #onMessage}, {@link #onPing}, {@link #onPong}, timers and
 * {@link #onClose} as events arrive; finally {@link #onConnectionLost} once TCP is closed and the engine
 * has computed {@code behavior} and {@code behaviorClose} the way the official suite does:
 * <ul>
 * <li>{@code behavior}: an explicit {@link CaseContext#setBehavior} wins; otherwise the first declared
 *     verdict whose sequence equals the observations, else FAILED. If the close expectation has
 *     {@code closedByWrongEndpointIsFatal} and the wrong endpoint closed, FAILED.</li>
 * <li>{@code behaviorClose}: FAILED if the wrong endpoint closed (or the handshake never completed);
 *     else UNCLEAN if a clean close was required and did not happen; else WRONG CODE if the peer sent a
 *     code outside the acceptable ones; else (fuzzing client mode) FAILED BY CLIENT if the runner had to
 *     drop TCP; else OK.</li>
 * </ul>
 * If the connection is still not closed when {@link #timeBound()} ends, the engine drops it and the case
 * is judged on what it saw.
 */
public abstract class AutobahnCase {

    private final String id;
    private final String description;
    private final String expectation;

    /**
     * @param id          the official case id, e.g. {@code "6.4.1"}
     * @param description what the case sends (HTML allowed, as in the official reports)
     * @param expectation what a conformant peer does
     */
    protected AutobahnCase(String id, String description, String expectation) {
        this.id = Objects.requireNonNull(id);
        this.description = Objects.requireNonNull(description);
        this.expectation = Objects.requireNonNull(expectation);
    }

    public final String id() {
        return id;
    }

    public final String description() {
        return description;
    }

    public final String expectation() {
        return expectation;
    }

    /**
     * The longest the whole case may take, from the open connection to the TCP close. Default 15 s
     * (room for the suite's longest kill timer, 10 s, plus the closing handshake).
     */
    public Duration timeBound() {
        return Duration.ofSeconds(15);
    }

    /**
     * Fuzzing client mode: the {@code Sec-WebSocket-Extensions} value to offer in the opening handshake,
     * or null for none (the default).
     */
    public String extensionOffer() {
        return null;
    }

    /**
     * Fuzzing server mode: the {@code Sec-WebSocket-Extensions} value to answer the client's offer with,
     * or null to accept no extension (the default).
     *
     * @param clientOffer the request's {@code Sec-WebSocket-Extensions} value(s) joined with ", ", or null
     */
    public String extensionResponse(String clientOffer) {
        return null;
    }

    /**
     * True if the report should show this case's duration prominently (the official {@code reportTime},
     * set by the performance-oriented groups 9, 12 and 13).
     */
    public boolean reportTime() {
        return false;
    }

    /**
     * True if the case only records behaviour the specification leaves open and always ends
     * INFORMATIONAL (e.g. 7.1.6, 7.13.1, 7.13.2); the runner's exit status accepts INFORMATIONAL only
     * for such cases. Default false.
     */
    public boolean informational() {
        return false;
    }

    /**
     * True if {@link CaseContext#finishWhenDone()} must not start the closing handshake (the official
     * {@code suppressClose}), for cases that close in their own deliberate way. Default false.
     */
    public boolean suppressClose() {
        return false;
    }

    /** The opening handshake completed: declare expectations and send. */
    public abstract void onOpen(CaseContext ctx);

    /** A whole message arrived. Default: observe it, then {@link CaseContext#finishWhenDone()}. */
    public void onMessage(CaseContext ctx, byte[] payload, boolean binary) {
        ctx.observe(Observation.message(payload, binary));
        ctx.finishWhenDone();
    }

    /** A ping arrived; the engine has already answered it with a pong. Default: nothing is recorded. */
    public void onPing(CaseContext ctx, byte[] payload) {
    }

    /** A pong arrived. Default: observe it, then {@link CaseContext#finishWhenDone()}. */
    public void onPong(CaseContext ctx, byte[] payload) {
        ctx.observe(Observation.pong(payload));
        ctx.finishWhenDone();
    }

    /**
     * The peer's close frame arrived (code null if the frame had no payload). The engine answers it or
     * completes the handshake itself.
     */
    public void onClose(CaseContext ctx, Integer code, String reason) {
    }

    /**
     * TCP is closed and the verdicts are computed; a case may override them here with
     * {@link CaseContext#setBehavior} / {@link CaseContext#setBehaviorClose} (e.g. INFORMATIONAL cases).
     */
    public void onConnectionLost(CaseContext ctx) {
    }
}
