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
 * Opens WebSocket connections to {@code ws://} and {@code wss://} servers on its own event loops,
 * with the same
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
 * <p>{@code wss://} connections use the client's {@link TlsSettings} (by default
 * {@link TlsSettings#systemDefault()}: the JDK's trusted authorities), send the URI's host as
 * server name indication unless it is an IP literal, and verify that the server's certificate
 * names that host. A refused certificate fails the connect future with a
 * {@link WebSocketHandshakeException} whose message names the cause (expired, not trusted, wrong
 * host) and whose cause is the engine's exception.
 *
 * <p>Loop threads are daemon threads; {@link #close()} closes every connection (1001) and stops
 * them.
 */
public final class WebSocketClient implements AutoCloseable {

    private final EventLoopGroup group;
    private final TlsSettings tls;
    private volatile boolean closed;

    private WebSocketClient(int loopCount, TlsSettings tls) {
        this.tls = tls;
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
        return new WebSocketClient(loops, null);
    }

    /**
     * Creates a client whose {@code wss://} connections use the given TLS settings (context with
     * the trusted authorities, parameters, host name verification, task executor).
     *
     * @param loops at least 1
     * @param tls   TLS for {@code wss://} URIs
     * @return the client
     * @throws IllegalArgumentException if {@code loops} is below 1
     */
    public static WebSocketClient create(int loops, TlsSettings tls) {
        if (loops < 1) {
            throw new IllegalArgumentException("at least one loop: " + loops);
        }
        return new WebSocketClient(loops, java.util.Objects.requireNonNull(tls, "tls"));
    }

    /**
     * Connects with default settings.
     *
     * @param uri     a {@code ws://} or {@code wss://} URI
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
     * @param uri      a {@code ws://} or {@code wss://} URI
     * @param handler  the connection's callbacks
     * @param settings limits, timers, compression and subprotocols
     * @param <A>      the attachment type (always {@code null} for a client connection)
     * @return completes with the open connection (after {@link WebSocketHandler#onOpen}), or
     *     exceptionally with a {@link WebSocketHandshakeException}
     * @throws IllegalArgumentException for a URI that is neither {@code ws://} nor {@code wss://}
     * @throws IllegalStateException for {@code wss://} without TLS settings when the JDK's default
     *     {@code SSLContext} cannot be made
     * @throws IllegalStateException after {@link #close()}
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <A> CompletableFuture<WebSocket<A>> connect(URI uri, WebSocketHandler<A> handler, ConnectionSettings settings) {
        if (closed) {
            throw new IllegalStateException("client closed");
        }
        String scheme = uri.getScheme();
        boolean secure = "wss".equalsIgnoreCase(scheme);
        if (!secure && !"ws".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("only ws:// and wss:// URIs are supported: " + uri);
        }
        TlsSettings clientTls = !secure ? null : tls != null ? tls : TlsSettings.systemDefault();
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
        ClientConnector.connect(group.next(), address, request, (WebSocketHandler) handler, settings, clientTls,
                (CompletableFuture) future);
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
