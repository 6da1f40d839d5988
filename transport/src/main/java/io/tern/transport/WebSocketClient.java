package io.tern.transport;

import io.tern.codec.deflate.PerMessageDeflate;
import io.tern.codec.handshake.ClientHandshake;
import io.tern.codec.handshake.Extension;
import io.tern.transport.internal.ClientConnector;
import io.tern.transport.internal.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Opens WebSocket connections to {@code ws://} servers on its own event loops, with the same
 * connection machinery as the server in the client role (every frame masked with a fresh key,
 * masked frames from the server refused).
 *
 * <pre>{@code
 * try (WebSocketClient client = WebSocketClient.create(1)) {
 *     WebSocket<Void> ws = client.connect(URI.create("ws://127.0.0.1:9001/echo"),
 *             new WebSocketHandler<Void>() {
 *                 public void onText(WebSocket<Void> s, ByteBuffer utf8, boolean last) { ... }
 *             }).get(5, TimeUnit.SECONDS);
 *     ws.sendText("hello");
 * }
 * }</pre>
 *
 * <p>Loop threads are daemon threads; {@link #close()} closes every connection (1001) and stops
 * them.
 */
public final class WebSocketClient implements AutoCloseable {

    private final EventLoopGroup group;
    private volatile boolean closed;

    private WebSocketClient(int loopCount) {
        group = new EventLoopGroup("tern-client-loop-", loopCount, true);
        group.start();
    }

    /**
     * Creates a client with one event loop.
     *
     * @return the client
     */
    public static WebSocketClient create() {
        return create(1);
    }

    /**
     * Creates a client with the given number of event loops; connections are spread over them in
     * turn.
     *
     * @param loops at least 1
     * @return the client
     * @throws IllegalArgumentException if {@code loops} is below 1
     */
    public static WebSocketClient create(int loops) {
        if (loops < 1) {
            throw new IllegalArgumentException("at least one loop: " + loops);
        }
        return new WebSocketClient(loops);
    }

    /**
     * Connects with default settings.
     *
     * @param uri     a {@code ws://} URI
     * @param handler the connection's callbacks
     * @param <A>     the attachment type (a client connection has none: always {@code null})
     * @return completes with the open connection, or with a {@link WebSocketHandshakeException}
     */
    public <A> CompletableFuture<WebSocket<A>> connect(URI uri, WebSocketHandler<A> handler) {
        return connect(uri, handler, ConnectionSettings.defaults());
    }

    /**
     * Connects: resolves the host (on the calling thread), then connects, sends the upgrade
     * request (with the settings' subprotocols and, when configured, a permessage-deflate offer)
     * and checks the response on an event loop, without blocking it.
     *
     * @param uri      a {@code ws://} URI
     * @param handler  the connection's callbacks
     * @param settings limits, timers, compression and subprotocols
     * @param <A>      the attachment type (always {@code null} for a client connection)
     * @return completes with the open connection (after {@link WebSocketHandler#onOpen}), or
     *     exceptionally with a {@link WebSocketHandshakeException}
     * @throws IllegalArgumentException for a URI that is not {@code ws://}
     * @throws IllegalStateException after {@link #close()}
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <A> CompletableFuture<WebSocket<A>> connect(URI uri, WebSocketHandler<A> handler, ConnectionSettings settings) {
        if (closed) {
            throw new IllegalStateException("client closed");
        }
        if (!"ws".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("only ws:// URIs are supported (no TLS in this transport): " + uri);
        }
        List<Extension> offers = settings.deflate() == null ? List.of() : List.of(PerMessageDeflate.offer(settings.deflate()));
        ClientHandshake request = ClientHandshake.builder(uri)
                .subprotocols(settings.subprotocols())
                .extensions(offers)
                .build();
        CompletableFuture<WebSocket<A>> future = new CompletableFuture<>();
        InetSocketAddress address = new InetSocketAddress(request.host(), request.port());
        if (address.isUnresolved()) {
            future.completeExceptionally(new WebSocketHandshakeException(0, "cannot resolve " + request.host()));
            return future;
        }
        ClientConnector.connect(group.next(), address, request, (WebSocketHandler) handler, settings, (CompletableFuture) future);
        return future;
    }

    /**
     * The client's counters, summed over its loops.
     *
     * @return a snapshot
     */
    public TransportStats stats() {
        return new TransportStats(group.loops());
    }

    /**
     * Closes every connection with 1001, waits up to {@code timeout} for the closing handshakes,
     * and stops the loops.
     *
     * @param timeout how long to wait for connections to close
     */
    public void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        group.shutdownGracefully(timeout.toNanos());
    }

    /** Closes with a 5-second timeout. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
