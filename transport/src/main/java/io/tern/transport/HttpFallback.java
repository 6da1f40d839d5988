package io.tern.transport;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Answers HTTP requests that do not ask for a WebSocket upgrade, with one small response after
 * which the connection is closed. Runs on an event loop: it must not block (read files at
 * start-up, see {@link HttpResponse#resource}), and it must be safe to call from several loops at
 * once.
 *
 * <p>What the server does around it, in this order, for a request without
 * {@code Upgrade: websocket}:
 * <ol>
 * <li>A request with a missing, repeated or invalid {@code Host}, a control character in a field
 *     value or a malformed request-target gets 400 (RFC 9112 §3.2).</li>
 * <li>A request for a path that is a WebSocket route is never passed on: {@code GET} and
 *     {@code HEAD} get {@code 426 Upgrade Required} with {@code Upgrade: websocket}
 *     (RFC 9110 §15.5.22), other methods get 405 with {@code Allow: GET}.</li>
 * <li>A method not in {@link #allowedMethods()} gets {@code 405 Method Not Allowed} with an
 *     {@code Allow} header listing them (RFC 9110 §15.5.6).</li>
 * <li>Otherwise {@link #respond} answers; a null answer counts as {@link #notFound()}'s, an
 *     exception as 500 (logged; the loop goes on). A {@code HEAD} request is passed on with its
 *     method {@code HEAD}: answer it as {@code GET}, the server drops the body.</li>
 * </ol>
 *
 * <pre>{@code
 * HttpResponse page = HttpResponse.resource(App.class, "/static/index.html", "text/html; charset=utf-8");
 * HttpFallback site = request -> request.path().equals("/health")
 *         ? HttpResponse.text(200, "ok from " + request.remoteAddress())
 *         : HttpFallback.serving(Map.of("/", page)).respond(request);
 * }</pre>
 */
@FunctionalInterface
public interface HttpFallback {

    /**
     * Builds the response to a plain HTTP request whose method is allowed.
     *
     * @param request the request, with its remote address
     * @return the response, or null for the default 404
     */
    HttpResponse respond(HttpRequest request);

    /**
     * The methods this fallback answers; any other gets 405. {@code HEAD} is answered whenever
     * {@code GET} is, as RFC 9110 §9.1 requires of a general-purpose server.
     *
     * @return method names (tokens), {@code GET} and {@code HEAD} by default
     */
    default List<String> allowedMethods() {
        return List.of("GET", "HEAD");
    }

    /**
     * The default: 404 for every path that is not a WebSocket route.
     *
     * @return a fallback answering 404
     */
    static HttpFallback notFound() {
        return request -> HttpResponse.text(404, "no WebSocket endpoint here; connect with an Upgrade: websocket request");
    }

    /**
     * Serves fixed responses by exact path (the query is ignored), and 404 for other paths: small
     * static content such as a page, a script or an icon, built once at start-up.
     *
     * @param byPath the response of each path, e.g. {@code Map.of("/", page)}
     * @return the fallback, answering {@code GET} and {@code HEAD}
     */
    static HttpFallback serving(Map<String, HttpResponse> byPath) {
        Map<String, HttpResponse> copy = Map.copyOf(byPath);
        HttpFallback missing = notFound();
        return request -> {
            HttpResponse response = copy.get(request.path());
            return response != null ? response : missing.respond(request);
        };
    }

    /**
     * A fallback that answers other methods than {@code GET} and {@code HEAD}.
     *
     * @param methods   the methods it answers, e.g. {@code List.of("GET", "POST")}
     * @param responder builds the responses
     * @return the fallback
     */
    static HttpFallback allowing(List<String> methods, HttpFallback responder) {
        List<String> allowed = List.copyOf(methods);
        Objects.requireNonNull(responder, "responder");
        return new HttpFallback() {
            @Override
            public HttpResponse respond(HttpRequest request) {
                return responder.respond(request);
            }

            @Override
            public List<String> allowedMethods() {
                return allowed;
            }
        };
    }
}
