package io.tern.transport;

import io.tern.codec.handshake.HttpHeaders;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * What an {@link UpgradeInterceptor} or the upgrade hook ({@link WebSocketHandler#onUpgrade})
 * answers: accept with a per-connection attachment, pass, reject with an HTTP status, headers and
 * a short body, or decide later ({@link #async}). Immutable.
 *
 * <p><b>The chain.</b> An upgrade request that passed the protocol checks goes through the
 * server's interceptors (in the order they were added to the builder), then the route's
 * interceptors (in their list order), then the route handler's {@code onUpgrade}. Each step's
 * decision means:
 * <ul>
 * <li>{@link #reject} — stop: the response is sent and the connection closed; later steps do
 *     not run.</li>
 * <li>{@link #accept(Object)} — this step agrees; the chain goes on, so a later step can still
 *     reject (an accepting token check never skips the origin check after it). A non-null
 *     attachment replaces the one chosen so far: <b>the last non-null attachment wins</b>. The
 *     headers of every accepting step are added to the 101 response, in chain order.</li>
 * <li>{@link #pass()} (or null) — this step has no objection and no attachment; the same as
 *     {@code accept(null)}. The handler's default {@code onUpgrade} accepts with null, so it
 *     keeps what an interceptor attached.</li>
 * <li>{@link #async} — the step's answer is one of the above, later; the chain waits for it
 *     without blocking the loop (see {@link #async} for what happens meanwhile).</li>
 * </ul>
 * Each step sees the attachment chosen so far in {@link UpgradeRequest#attachment()}.
 *
 * <pre>{@code
 * public UpgradeDecision<User> onUpgrade(UpgradeRequest request) {
 *     User user = sessions.find(request.header("Cookie"));
 *     return user != null ? UpgradeDecision.accept(user)
 *                         : UpgradeDecision.reject(403, "not signed in");
 * }
 * }</pre>
 *
 * @param <A> the attachment type
 */
public final class UpgradeDecision<A> {

    private static final UpgradeDecision<Object> PASS = new UpgradeDecision<>(true, null, HttpHeaders.empty(), 101, "",
            null);

    private final boolean accepted;
    private final A attachment;
    private final HttpHeaders headers;
    private final int status;
    private final String body;
    private final CompletionStage<? extends UpgradeDecision<? extends A>> stage;

    private UpgradeDecision(boolean accepted, A attachment, HttpHeaders headers, int status, String body,
                            CompletionStage<? extends UpgradeDecision<? extends A>> stage) {
        this.accepted = accepted;
        this.attachment = attachment;
        this.headers = headers;
        this.status = status;
        this.body = body;
        this.stage = stage;
    }

    /**
     * Accepts the upgrade.
     *
     * @param attachment what the connection carries ({@link WebSocket#attachment()}); null keeps
     *                   the attachment an earlier step chose
     * @param <A>        the attachment type
     * @return the decision
     */
    public static <A> UpgradeDecision<A> accept(A attachment) {
        return new UpgradeDecision<>(true, attachment, HttpHeaders.empty(), 101, "", null);
    }

    /**
     * Accepts the upgrade and adds headers to the 101 response (for example {@code Set-Cookie}).
     *
     * @param attachment what the connection carries; null keeps the attachment an earlier step
     *                   chose
     * @param headers    extra response headers; must not repeat the handshake's own headers
     *                   (a 500 is sent instead if they do)
     * @param <A>        the attachment type
     * @return the decision
     */
    public static <A> UpgradeDecision<A> accept(A attachment, HttpHeaders headers) {
        return new UpgradeDecision<>(true, attachment, Objects.requireNonNull(headers, "headers"), 101, "", null);
    }

    /**
     * No objection, no attachment: the chain goes on unchanged. The same as
     * {@code accept(null)}.
     *
     * @param <A> the attachment type
     * @return the decision
     */
    @SuppressWarnings("unchecked")
    public static <A> UpgradeDecision<A> pass() {
        return (UpgradeDecision<A>) PASS;
    }

    /**
     * Rejects the upgrade; the response is sent and the connection closed.
     *
     * @param status an HTTP status from 400 to 599
     * @param body   a short plain-text explanation
     * @param <A>    the attachment type
     * @return the decision
     * @throws IllegalArgumentException for a status outside 400–599
     */
    public static <A> UpgradeDecision<A> reject(int status, String body) {
        return reject(status, body, HttpHeaders.empty());
    }

    /**
     * Rejects the upgrade with extra response headers (for example {@code WWW-Authenticate}).
     *
     * @param status  an HTTP status from 400 to 599
     * @param body    a short plain-text explanation
     * @param headers extra response headers; not {@code Content-Type}, {@code Content-Length},
     *                {@code Connection} or {@code Transfer-Encoding} (a 500 is sent instead)
     * @param <A>     the attachment type
     * @return the decision
     * @throws IllegalArgumentException for a status outside 400–599
     */
    public static <A> UpgradeDecision<A> reject(int status, String body, HttpHeaders headers) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a rejection needs a 4xx or 5xx status: " + status);
        }
        return new UpgradeDecision<>(false, null, Objects.requireNonNull(headers, "headers"), status,
                Objects.requireNonNull(body, "body"), null);
    }

    /**
     * Decides later: the chain waits, without blocking the loop, until {@code decision}
     * completes, then goes on with its result on the connection's loop thread, whatever thread
     * completed it. Use it for a lookup that must not block the loop (a token check against an
     * auth service, a database).
     *
     * <p>A stage completing with null counts as {@link #pass()}; one completing exceptionally
     * gets a 500 (the cause is logged). While the decision is pending the handshake timeout still
     * runs: if the connection times out, or the client closes it, the late decision is ignored
     * when it arrives, and its attachment is never handed to the connection. A client that sends
     * data before the answer breaks RFC 6455 §4.1 and gets 400.
     *
     * @param decision completes with the decision
     * @param <A>      the attachment type
     * @return the pending decision
     */
    public static <A> UpgradeDecision<A> async(CompletionStage<? extends UpgradeDecision<? extends A>> decision) {
        return new UpgradeDecision<>(false, null, HttpHeaders.empty(), 0, "", Objects.requireNonNull(decision, "decision"));
    }

    /**
     * Whether the upgrade is accepted (by {@link #accept} or {@link #pass()}).
     *
     * @return {@code true} to accept
     */
    public boolean isAccepted() {
        return accepted;
    }

    /**
     * Whether the decision is pending (made by {@link #async}).
     *
     * @return {@code true} for an asynchronous decision
     */
    public boolean isAsync() {
        return stage != null;
    }

    /**
     * The pending decision of {@link #async}.
     *
     * @return the stage, or {@code null} for a decision already made
     */
    public CompletionStage<? extends UpgradeDecision<? extends A>> stage() {
        return stage;
    }

    /**
     * The attachment of an accepted upgrade.
     *
     * @return the attachment, possibly {@code null}
     */
    public A attachment() {
        return attachment;
    }

    /**
     * Extra response headers.
     *
     * @return the headers, possibly empty
     */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * The status of a rejection (101 for an acceptance, 0 while pending).
     *
     * @return the status
     */
    public int status() {
        return status;
    }

    /**
     * The body of a rejection.
     *
     * @return the body, empty for an acceptance
     */
    public String body() {
        return body;
    }

    @Override
    public String toString() {
        if (stage != null) {
            return "UpgradeDecision[pending]";
        }
        return accepted ? "UpgradeDecision[accept " + attachment + "]" : "UpgradeDecision[reject " + status + "]";
    }
}
