package io.tern.transport;

import io.tern.codec.handshake.HttpHeaders;
import io.tern.codec.handshake.HttpRequestHead;
import java.net.SocketAddress;

/**
 * An upgrade request that passed every protocol check, as the upgrade hook
 * ({@link WebSocketHandler#onUpgrade}) sees it.
 */
public final class UpgradeRequest {

    private final HttpRequestHead head;
    private final String path;
    private final String query;
    private final SocketAddress remoteAddress;
    private final String subprotocol;

    /**
     * Creates the view of a request.
     *
     * @param head          the parsed request head
     * @param path          the path part of the request target
     * @param query         the query part, without {@code ?}, or {@code null}
     * @param remoteAddress the client's address
     * @param subprotocol   the subprotocol the server will answer with, or {@code null}
     */
    public UpgradeRequest(HttpRequestHead head, String path, String query, SocketAddress remoteAddress,
                          String subprotocol) {
        this.head = head;
        this.path = path;
        this.query = query;
        this.remoteAddress = remoteAddress;
        this.subprotocol = subprotocol;
    }

    /**
     * The request target's path, e.g. {@code /chat}.
     *
     * @return the path
     */
    public String path() {
        return path;
    }

    /**
     * The request target's query, without the {@code ?}.
     *
     * @return the query, or {@code null} when there is none
     */
    public String query() {
        return query;
    }

    /**
     * The request headers (case-insensitive names).
     *
     * @return the headers
     */
    public HttpHeaders headers() {
        return head.headers();
    }

    /**
     * A header's first value, e.g. {@code header("Origin")}.
     *
     * @param name the header name, any case
     * @return the value, or {@code null} when absent
     */
    public String header(String name) {
        return head.headers().first(name);
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
     * The client's address.
     *
     * @return the remote address
     */
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * The subprotocol the route selected from the client's offer.
     *
     * @return the subprotocol, or {@code null}
     */
    public String subprotocol() {
        return subprotocol;
    }
}
