package io.tern.transport;

import io.tern.codec.handshake.HttpHeaders;
import io.tern.codec.handshake.HttpRequestHead;
import io.tern.codec.handshake.RequestTarget;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * An HTTP request as the server received it: the parsed head, its target split into path and
 * query, and the client's address. Plain requests reach the {@link HttpFallback} in this form;
 * upgrade requests reach interceptors and the upgrade hook inside an {@link UpgradeRequest}.
 * Immutable.
 *
 * <p>By the time a request is seen here the server has checked what RFC 9112 §3.2 requires of
 * every request (exactly one valid {@code Host}) and that no field value holds a control
 * character; a request failing either was answered 400.
 */
public final class HttpRequest {

    private final HttpRequestHead head;
    private final RequestTarget target;
    private final SocketAddress remoteAddress;

    /**
     * Creates the view of a request.
     *
     * @param head          the parsed request head
     * @param target        its request-target, parsed
     * @param remoteAddress the client's address
     * @throws NullPointerException if an argument is null
     */
    public HttpRequest(HttpRequestHead head, RequestTarget target, SocketAddress remoteAddress) {
        this.head = Objects.requireNonNull(head, "head");
        this.target = Objects.requireNonNull(target, "target");
        this.remoteAddress = Objects.requireNonNull(remoteAddress, "remoteAddress");
    }

    /**
     * The method, case preserved (methods are case-sensitive, RFC 9110 §9.1).
     *
     * @return the method, e.g. {@code GET}
     */
    public String method() {
        return head.method();
    }

    /**
     * The request-target exactly as on the request line.
     *
     * @return the request-target, e.g. {@code /chat?room=1}
     */
    public String requestTarget() {
        return head.requestTarget();
    }

    /**
     * The path part of the request-target, percent-encoded as sent ({@code *} for a server-wide
     * {@code OPTIONS}).
     *
     * @return the path, e.g. {@code /chat}
     */
    public String path() {
        return target.path();
    }

    /**
     * The query part of the request-target, without the {@code ?}, percent-encoded as sent.
     *
     * @return the query, or {@code null} when the target has none
     */
    public String query() {
        return target.query();
    }

    /**
     * The request headers (case-insensitive names, arrival order).
     *
     * @return the headers
     */
    public HttpHeaders headers() {
        return head.headers();
    }

    /**
     * A header's first value.
     *
     * @param name the header name, any case
     * @return the value, or {@code null} when absent
     */
    public String header(String name) {
        return head.headers().first(name);
    }

    /**
     * The client's address (the TCP peer, not a forwarded address).
     *
     * @return the remote address
     */
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * The whole parsed request head.
     *
     * @return the head
     */
    public HttpRequestHead head() {
        return head;
    }

    /**
     * The parsed request-target.
     *
     * @return the target
     */
    public RequestTarget target() {
        return target;
    }

    @Override
    public String toString() {
        return head.method() + " " + head.requestTarget() + " from " + remoteAddress;
    }
}
