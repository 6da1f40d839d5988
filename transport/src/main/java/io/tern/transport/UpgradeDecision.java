package io.tern.transport;

import io.tern.codec.handshake.HttpHeaders;
import java.util.Objects;

/**
 * The upgrade hook's answer: accept with a per-connection attachment, or reject with an HTTP
 * status, headers and a short body.
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

    private final boolean accepted;
    private final A attachment;
    private final HttpHeaders headers;
    private final int status;
    private final String body;

    private UpgradeDecision(boolean accepted, A attachment, HttpHeaders headers, int status, String body) {
        this.accepted = accepted;
        this.attachment = attachment;
        this.headers = headers;
        this.status = status;
        this.body = body;
    }

    /**
     * Accepts the upgrade.
     *
     * @param attachment what the connection carries ({@link WebSocket#attachment()}), may be null
     * @param <A>        the attachment type
     * @return the decision
     */
    public static <A> UpgradeDecision<A> accept(A attachment) {
        return new UpgradeDecision<>(true, attachment, HttpHeaders.empty(), 101, "");
    }

    /**
     * Accepts the upgrade and adds headers to the 101 response (for example {@code Set-Cookie}).
     *
     * @param attachment what the connection carries, may be null
     * @param headers    extra response headers; must not repeat the handshake's own headers
     * @param <A>        the attachment type
     * @return the decision
     */
    public static <A> UpgradeDecision<A> accept(A attachment, HttpHeaders headers) {
        return new UpgradeDecision<>(true, attachment, Objects.requireNonNull(headers, "headers"), 101, "");
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
     * @param headers extra response headers
     * @param <A>     the attachment type
     * @return the decision
     * @throws IllegalArgumentException for a status outside 400–599
     */
    public static <A> UpgradeDecision<A> reject(int status, String body, HttpHeaders headers) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a rejection needs a 4xx or 5xx status: " + status);
        }
        return new UpgradeDecision<>(false, null, Objects.requireNonNull(headers, "headers"), status,
                Objects.requireNonNull(body, "body"));
    }

    /**
     * Whether the upgrade is accepted.
     *
     * @return {@code true} to accept
     */
    public boolean isAccepted() {
        return accepted;
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
     * The status of a rejection (101 for an acceptance).
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
}
