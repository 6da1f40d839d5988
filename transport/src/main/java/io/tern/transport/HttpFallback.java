package io.tern.transport;

import io.tern.codec.handshake.HandshakeRejection;
import io.tern.codec.handshake.HttpRequestHead;

/**
 * Answers HTTP requests that do not ask for a WebSocket upgrade, with one small response after
 * which the connection is closed. The default answers 404.
 *
 * <pre>{@code
 * HttpFallback health = request -> request.requestTarget().equals("/health")
 *         ? new HandshakeRejection(200, "OK", "ok", HttpHeaders.empty())
 *         : HttpFallback.notFound().respond(request);
 * }</pre>
 */
@FunctionalInterface
public interface HttpFallback {

    /**
     * Builds the response to a plain HTTP request. Runs on an event loop: do not block.
     *
     * @param request the parsed request head
     * @return the response (any status 200–599; the body is sent as {@code text/plain})
     */
    HandshakeRejection respond(HttpRequestHead request);

    /**
     * The default: 404 for every request.
     *
     * @return a fallback answering 404
     */
    static HttpFallback notFound() {
        return request -> HandshakeRejection.of(404, "no WebSocket endpoint here; connect with an Upgrade: websocket request");
    }
}
