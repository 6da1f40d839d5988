package io.tern.transport.internal;

import io.tern.codec.handshake.ServerHandshake;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.HttpFallback;
import io.tern.transport.WebSocketHandler;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the connections of a server share across loops: routes, the fallback for plain HTTP,
 * limits, and the count of open connections. Read-only after start but for the count and the
 * shutdown flag.
 */
public final class ServerRuntime {

    /**
     * One path's endpoint.
     *
     * @param path      the exact request path, e.g. {@code /echo}
     * @param handler   the application's callbacks
     * @param settings  limits and options of its connections
     * @param handshake protocol checks and subprotocol selection for the path
     */
    public record Route(String path, WebSocketHandler<Object> handler, ConnectionSettings settings,
                        ServerHandshake handshake) {
    }

    private final Map<String, Route> routes;
    private final HttpFallback fallback;
    private final int maxConnections;
    private final int maxHandshakeBytes;
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean shuttingDown;

    /**
     * Creates the shared state.
     *
     * @param routes            routes by exact path
     * @param fallback          the answer to plain HTTP requests
     * @param maxConnections    open WebSocket connections allowed at once; more get 503
     * @param maxHandshakeBytes the largest request head accepted; larger gets 431
     */
    public ServerRuntime(Map<String, Route> routes, HttpFallback fallback, int maxConnections, int maxHandshakeBytes) {
        this.routes = Map.copyOf(routes);
        this.fallback = fallback;
        this.maxConnections = maxConnections;
        this.maxHandshakeBytes = maxHandshakeBytes;
    }

    Route route(String path) {
        return routes.get(path);
    }

    HttpFallback fallback() {
        return fallback;
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
