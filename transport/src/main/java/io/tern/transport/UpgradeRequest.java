package io.tern.transport;

import io.tern.codec.handshake.HttpHeaders;
import io.tern.codec.handshake.HttpRequestHead;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * An upgrade request that passed every protocol check, as an {@link UpgradeInterceptor} and the
 * upgrade hook ({@link WebSocketHandler#onUpgrade}) see it: the request, the subprotocol the route
 * selected, the attachment the chain has chosen so far, and hooks that run when the handshake ends
 * and when the connection closes.
 *
 * <p>A new instance is made for each step of the chain. Its hooks are meant to be registered from
 * within the step, on the loop thread; each registered action runs exactly once, on the loop
 * thread (registering from another thread posts the registration to the loop).
 */
public final class UpgradeRequest {

    /**
     * Where the end-of-handshake and close actions of a request go: implemented by the server
     * for each connection, or by a test that calls an interceptor directly.
     */
    public interface Hooks {

        /**
         * Runs {@code action} once when the opening handshake ends, whichever way: 101 sent,
         * refusal sent, or connection closed or timed out before an answer. Runs at once if the
         * handshake has already ended.
         *
         * @param action the action
         */
        void whenHandshakeEnds(Runnable action);

        /**
         * Runs {@code action} once when the TCP connection is closed, whether it was upgraded or
         * not. Runs at once if it is already closed.
         *
         * @param action the action
         */
        void whenClosed(Runnable action);
    }

    private final HttpRequest request;
    private final String subprotocol;
    private final Object attachment;
    private final Hooks hooks;

    /**
     * Creates the view of a request at one step of the chain.
     *
     * @param request     the HTTP request
     * @param subprotocol the subprotocol the server will answer with, or {@code null}
     * @param attachment  the attachment chosen by earlier steps, or {@code null}
     * @param hooks       where {@link #whenHandshakeEnds} and {@link #whenClosed} register
     * @throws NullPointerException if {@code request} or {@code hooks} is null
     */
    public UpgradeRequest(HttpRequest request, String subprotocol, Object attachment, Hooks hooks) {
        this.request = Objects.requireNonNull(request, "request");
        this.subprotocol = subprotocol;
        this.attachment = attachment;
        this.hooks = Objects.requireNonNull(hooks, "hooks");
    }

    /**
     * The HTTP request.
     *
     * @return the request
     */
    public HttpRequest http() {
        return request;
    }

    /**
     * The request target's path, e.g. {@code /chat}.
     *
     * @return the path
     */
    public String path() {
        return request.path();
    }

    /**
     * The request target's query, without the {@code ?}.
     *
     * @return the query, or {@code null} when there is none
     */
    public String query() {
        return request.query();
    }

    /**
     * The request headers (case-insensitive names).
     *
     * @return the headers
     */
    public HttpHeaders headers() {
        return request.headers();
    }

    /**
     * A header's first value, e.g. {@code header("Origin")}.
     *
     * @param name the header name, any case
     * @return the value, or {@code null} when absent
     */
    public String header(String name) {
        return request.header(name);
    }

    /**
     * The whole parsed request head.
     *
     * @return the head
     */
    public HttpRequestHead head() {
        return request.head();
    }

    /**
     * The client's address.
     *
     * @return the remote address
     */
    public SocketAddress remoteAddress() {
        return request.remoteAddress();
    }

    /**
     * The subprotocol the route selected from the client's offer.
     *
     * @return the subprotocol, or {@code null}
     */
    public String subprotocol() {
        return subprotocol;
    }

    /**
     * The attachment chosen by the earlier steps of the chain (the last non-null one).
     *
     * @return the attachment, or {@code null} when none was chosen
     */
    public Object attachment() {
        return attachment;
    }

    /**
     * Runs {@code action} once when the opening handshake ends (101 or refusal sent, or the
     * connection gone before an answer), e.g. to release a count of handshakes in progress.
     *
     * @param action the action; an exception from it is logged and ignored
     */
    public void whenHandshakeEnds(Runnable action) {
        hooks.whenHandshakeEnds(Objects.requireNonNull(action, "action"));
    }

    /**
     * Runs {@code action} once when the TCP connection closes, upgraded or not, e.g. to release
     * a count of connections.
     *
     * @param action the action; an exception from it is logged and ignored
     */
    public void whenClosed(Runnable action) {
        hooks.whenClosed(Objects.requireNonNull(action, "action"));
    }

    @Override
    public String toString() {
        return "UpgradeRequest[" + request + "]";
    }
}
