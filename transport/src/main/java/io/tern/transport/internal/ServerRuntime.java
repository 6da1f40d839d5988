package io.tern.transport.internal;

import io.tern.codec.handshake.HeaderSyntax;
import io.tern.codec.handshake.ServerHandshake;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.HttpFallback;
import io.tern.transport.UpgradeInterceptor;
import io.tern.transport.WebSocketHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the connections of a server share across loops: routes, upgrade interceptors, the
 * fallback for plain HTTP, limits, and the count of open connections. Read-only after start but
 * for the count (atomic) and the shutdown flag (volatile), so any loop thread may read it.
 */
public final class ServerRuntime {

    /**
     * One path's endpoint.
     *
     * @param path         the exact request path, e.g. {@code /echo}
     * @param handler      the application's callbacks
     * @param settings     limits and options of its connections
     * @param handshake    protocol checks and subprotocol selection for the path
     * @param interceptors the route's own upgrade interceptors, run after the server's
     */
    public record Route(String path, WebSocketHandler<Object> handler, ConnectionSettings settings,
                        ServerHandshake handshake, List<UpgradeInterceptor> interceptors) {

        /**
         * Copies the interceptor list.
         *
         * @param path         the exact request path
         * @param handler      the application's callbacks
         * @param settings     limits and options of its connections
         * @param handshake    protocol checks and subprotocol selection
         * @param interceptors the route's interceptors, in order
         */
        public Route {
            interceptors = List.copyOf(interceptors);
        }
    }

    private final Map<String, Route> routes;
    private final List<UpgradeInterceptor> interceptors;
    private final HttpFallback fallback;
    private final List<String> fallbackMethods;
    private final String fallbackAllow;
    private final int maxConnections;
    private final int maxHandshakeBytes;
    private final AtomicInteger open = new AtomicInteger();
    private final OutboundBudget outbound;
    private volatile boolean shuttingDown;

    /**
     * Creates the shared state.
     *
     * @param routes            routes by exact path
     * @param interceptors      the server's upgrade interceptors, run first, in order
     * @param fallback          the answer to plain HTTP requests
     * @param maxConnections    open WebSocket connections allowed at once; more get 503
     * @param maxHandshakeBytes the largest request head accepted; larger gets 431
     * @throws IllegalArgumentException if the fallback's allowed methods are empty or not tokens
     */
    public ServerRuntime(Map<String, Route> routes, List<UpgradeInterceptor> interceptors, HttpFallback fallback,
                         int maxConnections, int maxHandshakeBytes) {
        this(routes, interceptors, fallback, maxConnections, maxHandshakeBytes,
                new OutboundBudget(OutboundBudget.defaultCap(), Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Creates the shared state with a cap on the bytes queued for all peers together.
     *
     * @param routes            routes by exact path
     * @param interceptors      the server's upgrade interceptors, run first, in order
     * @param fallback          the answer to plain HTTP requests
     * @param maxConnections    open WebSocket connections allowed at once; more get 503
     * @param maxHandshakeBytes the largest request head accepted; larger gets 431
     * @param outbound          the server-wide outbound cap and its count
     * @throws IllegalArgumentException if the fallback's allowed methods are empty or not tokens
     */
    public ServerRuntime(Map<String, Route> routes, List<UpgradeInterceptor> interceptors, HttpFallback fallback,
                         int maxConnections, int maxHandshakeBytes, OutboundBudget outbound) {
        this.outbound = outbound;
        this.routes = Map.copyOf(routes);
        this.interceptors = List.copyOf(interceptors);
        this.fallback = fallback;
        this.fallbackMethods = allowed(fallback.allowedMethods());
        this.fallbackAllow = String.join(", ", fallbackMethods);
        this.maxConnections = maxConnections;
        this.maxHandshakeBytes = maxHandshakeBytes;
    }

    /** The fallback's methods, with HEAD wherever GET is (RFC 9110 §9.1), each once. */
    private static List<String> allowed(List<String> methods) {
        List<String> out = new ArrayList<>();
        for (String m : methods) {
            if (!HeaderSyntax.isToken(m)) {
                throw new IllegalArgumentException("not a method name: " + m);
            }
            if (!out.contains(m)) {
                out.add(m);
            }
        }
        if (out.contains("GET") && !out.contains("HEAD")) {
            out.add(out.indexOf("GET") + 1, "HEAD");
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("a fallback must allow at least one method");
        }
        return List.copyOf(out);
    }

    Route route(String path) {
        return routes.get(path);
    }

    List<UpgradeInterceptor> interceptors() {
        return interceptors;
    }

    HttpFallback fallback() {
        return fallback;
    }

    boolean fallbackAllows(String method) {
        return fallbackMethods.contains(method);
    }

    /** The {@code Allow} value of a 405 from the fallback, e.g. {@code GET, HEAD}. */
    String fallbackAllow() {
        return fallbackAllow;
    }

    /**
     * The server-wide outbound cap and the count of bytes queued for all peers.
     *
     * @return the budget
     */
    public OutboundBudget outbound() {
        return outbound;
    }

    int maxHandshakeBytes() {
        return maxHandshakeBytes;
    }

    /** Takes a connection slot; false when the server is full. */
    boolean tryOpen() {
        while (true) {
            int n = open.get();
            if (n >= maxConnections) {
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void closed() {
        open.decrementAndGet();
    }

    /**
     * Open WebSocket connections right now.
     *
     * @return the count
     */
    public int openConnections() {
        return open.get();
    }

    /** Marks the server as shutting down: new upgrades get 503. */
    public void beginShutdown() {
        shuttingDown = true;
    }

    boolean isShuttingDown() {
        return shuttingDown;
    }
}
