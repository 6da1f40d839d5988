package io.tern.transport;

import io.tern.codec.handshake.HttpHeadParser;
import io.tern.codec.handshake.ServerHandshake;
import io.tern.transport.internal.Acceptor;
import io.tern.transport.internal.EventLoop;
import io.tern.transport.internal.EventLoopGroup;
import io.tern.transport.internal.OutboundBudget;
import io.tern.transport.internal.ServerRuntime;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A WebSocket server: N event loops, routes by request path, and a small HTTP answer for
 * everything else.
 *
 * <pre>{@code
 * WebSocketServer server = WebSocketServer.builder()
 *         .address("127.0.0.1", 9001)
 *         .route("/echo", new WebSocketHandler<Void>() {
 *             public void onText(WebSocket<Void> ws, ByteBuffer utf8, boolean last) { ws.sendText(utf8); }
 *         })
 *         .build()
 *         .start();
 * ...
 * server.shutdown(Duration.ofSeconds(5));   // 1001 to everyone, wait for their close frames
 * }</pre>
 *
 * <p>TLS ({@code wss://}): {@link Builder#tls(TlsSettings)} makes the main address speak TLS, and
 * {@link Builder#listen(InetSocketAddress, TlsSettings)} adds more listening addresses, each
 * plain or TLS, served by the same loops and routes ({@link #addresses()} lists them as bound).
 * A plain HTTP request on a TLS address is answered 400 in clear text; a TLS handshake on a plain
 * address is answered 400.
 *
 * <p>Limits with their defaults: {@link Builder#maxConnections(int)} 10,000 (more get 503 at the
 * handshake), {@link Builder#maxHandshakeHeaderBytes(int)} 8 KiB (431 beyond), the handshake
 * timeout 10 s, {@link Builder#maxOutboundBytes(long)} a quarter of the maximum heap (the bytes
 * queued for all peers together; the largest holders are closed with 1008 beyond it), and each
 * route's {@link ConnectionSettings}.
 *
 * <p>Why some 500 lines: most of it is the Builder's documented setters (address, TLS, extra
 * listeners, loops, routes, interceptors, limits, timeouts); the server itself only binds, starts the loops and shuts them
 * down.
 */
public final class WebSocketServer implements AutoCloseable {

    private final InetSocketAddress requested;
    private final int loopCount;
    private final AcceptStrategy acceptStrategy;
    private final ServerRuntime runtime;
    private final ConnectionSettings handshakeSettings;
    private final TlsSettings tls;
    private final List<Listener> extraListeners;
    private EventLoopGroup group;
    private final List<Acceptor> acceptors = new ArrayList<>();
    private InetSocketAddress bound;
    private final List<InetSocketAddress> boundAll = new ArrayList<>();
    private boolean started;
    private boolean stopped;

    private WebSocketServer(Builder b) {
        this.requested = b.address;
        this.loopCount = b.loops;
        this.acceptStrategy = b.acceptStrategy;
        this.handshakeSettings = ConnectionSettings.defaults().withHandshakeTimeout(b.handshakeTimeout);
        this.tls = b.tls;
        this.extraListeners = List.copyOf(b.extraListeners);
        this.runtime = new ServerRuntime(b.routes, b.interceptors, b.fallback, b.maxConnections, b.maxHandshakeBytes,
                new OutboundBudget(b.maxOutboundBytes > 0 ? b.maxOutboundBytes : OutboundBudget.defaultCap(), b.loops));
    }

    /**
     * Starts building a server.
     *
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts the loops.
     *
     * @return this server
     * @throws java.net.BindException if the address cannot be bound (the port is taken, or the
     *     address is not one of this host's); the message names the address and port
     * @throws IOException if the listening socket cannot be opened or bound otherwise (an
     *     {@link java.net.UnknownHostException} for a host name that does not resolve); the
     *     message names the address and port. The server is then not started, and nothing
     *     stays bound
     * @throws IllegalStateException if already started
     */
    public synchronized WebSocketServer start() throws IOException {
        if (started) {
            throw new IllegalStateException("already started");
        }
        // Bind first: a port that is taken then costs nothing to undo (no loop, no selector).
        boolean wantReusePort = acceptStrategy == AcceptStrategy.REUSE_PORT;
        List<ServerSocketChannel> listeners = new ArrayList<>();
        boolean reusePort;
        try {
            ServerSocketChannel first = openListener(requested, wantReusePort);
            listeners.add(first);
            bound = (InetSocketAddress) first.getLocalAddress();
            reusePort = wantReusePort && first.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
            for (int i = 1; reusePort && i < loopCount; i++) {
                listeners.add(openListener(bound, true));
            }
            boundAll.add(bound);
            for (Listener extra : extraListeners) {
                ServerSocketChannel channel = openListener(extra.address(), false);
                listeners.add(channel);
                boundAll.add((InetSocketAddress) channel.getLocalAddress());
            }
            group = new EventLoopGroup("tern-server-loop-", loopCount, false);
        } catch (IOException | RuntimeException e) {
            for (ServerSocketChannel listener : listeners) {
                try {
                    listener.close();
                } catch (IOException ignored) {
                    // already failing; the first error is the one to report
                }
            }
            bound = null;
            boundAll.clear();
            throw e; // not started: start() may be called again
        }
        started = true;
        EventLoop[] all = group.loops().toArray(new EventLoop[0]);
        int main = reusePort ? all.length : 1;
        if (reusePort) {
            for (int i = 0; i < all.length; i++) {
                acceptors.add(new Acceptor(all[i], listeners.get(i), new EventLoop[] {all[i]}, runtime, handshakeSettings, tls));
            }
        } else {
            acceptors.add(new Acceptor(all[0], listeners.get(0), all, runtime, handshakeSettings, tls));
        }
        for (int i = 0; i < extraListeners.size(); i++) {
            EventLoop home = all[(i + 1) % all.length];
            acceptors.add(new Acceptor(home, listeners.get(main + i), all, runtime, handshakeSettings,
                    extraListeners.get(i).tls()));
        }
        group.start();
        for (Acceptor a : acceptors) {
            a.start();
        }
        return this;
    }

    /**
     * Opens, configures and binds one listening channel. A failure to bind names the address: the
     * JDK's own {@code BindException} says only "Address already in use".
     */
    private static ServerSocketChannel openListener(InetSocketAddress address, boolean reusePort) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort && channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            channel.bind(address, 1024);
            return channel;
        } catch (BindException e) {
            channel.close();
            BindException named = new BindException("cannot listen on " + describe(address) + ": " + e.getMessage());
            named.initCause(e);
            throw named;
        } catch (UnresolvedAddressException e) {
            channel.close();
            UnknownHostException named = new UnknownHostException("cannot listen on " + describe(address)
                    + ": the host name does not resolve");
            named.initCause(e);
            throw named;
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot listen on " + describe(address) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** {@code host:port}, with brackets around an IPv6 literal. */
    private static String describe(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * The address the server listens on (with the real port when 0 was asked for).
     *
     * @return the bound address
     * @throws IllegalStateException before {@link #start()}
     */
    public synchronized InetSocketAddress address() {
        if (bound == null) {
            throw new IllegalStateException("not started");
        }
        return bound;
    }

    /**
     * Every address the server listens on, as bound: the main address first, then those added
     * with {@link Builder#listen(InetSocketAddress, TlsSettings)} in the order they were added.
     *
     * @return the bound addresses
     * @throws IllegalStateException before {@link #start()}
     */
    public synchronized List<InetSocketAddress> addresses() {
        if (bound == null) {
            throw new IllegalStateException("not started");
        }
        return List.copyOf(boundAll);
    }

    /**
     * The port the server listens on.
     *
     * @return the port
     */
    public int port() {
        return address().getPort();
    }

    /**
     * The server's counters, summed over its loops.
     *
     * @return a snapshot
     */
    public TransportStats stats() {
        return new TransportStats(group == null ? List.of() : group.loops());
    }

    /**
     * The bytes queued for all peers together right now (framed and not yet written, TLS records
     * waiting for the socket included), as counted against {@link Builder#maxOutboundBytes(long)}.
     *
     * @return bytes, an estimate: each loop's count is read without stopping it
     */
    public long outboundBytes() {
        return runtime.outbound().queuedBytes();
    }

    /**
     * WebSocket connections open right now.
     *
     * @return the count
     */
    public int openConnections() {
        return runtime.openConnections();
    }

    /**
     * Shuts down gracefully: stops accepting, sends 1001 to every open connection, waits for the
     * closing handshakes until {@code timeout}, then closes what is left and stops the loops. After
     * it returns no loop thread of this server is alive.
     *
     * @param timeout how long to wait for connections to close by themselves
     * @return {@code true} when every connection closed within the timeout
     */
    public synchronized boolean shutdown(Duration timeout) {
        if (!started || stopped) {
            return true;
        }
        stopped = true;
        runtime.beginShutdown();
        for (Acceptor a : acceptors) {
            a.stop();
        }
        return group.shutdownGracefully(timeout.toNanos());
    }

    /** Shuts down gracefully with a 5-second timeout. */
    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }

    /**
     * Whether any of this server's loop threads is still alive.
     *
     * @return {@code true} while a loop thread runs
     */
    public boolean hasLiveLoops() {
        return group != null && group.anyAlive();
    }

    /** An additional listening address and its TLS settings ({@code null}: plain). */
    private record Listener(InetSocketAddress address, TlsSettings tls) {
    }

    /** Collects the server's address, loops, routes and limits. */
    public static final class Builder {
        private TlsSettings tls;
        private final List<Listener> extraListeners = new ArrayList<>();
        private InetSocketAddress address = new InetSocketAddress("127.0.0.1", 9001);
        private int loops = Runtime.getRuntime().availableProcessors();
        private AcceptStrategy acceptStrategy = AcceptStrategy.ROUND_ROBIN;
        private final Map<String, ServerRuntime.Route> routes = new LinkedHashMap<>();
        private final List<UpgradeInterceptor> interceptors = new ArrayList<>();
        private HttpFallback fallback = HttpFallback.notFound();
        private int maxConnections = 10_000;
        private int maxHandshakeBytes = HttpHeadParser.DEFAULT_MAX_HEAD_BYTES;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private long maxOutboundBytes;

        private Builder() {
        }

        /**
         * Sets the address to listen on (default 127.0.0.1:9001; port 0 picks a free port).
         *
         * @param host a host name or literal address
         * @param port a port, 0–65535
         * @return this builder
         */
        public Builder address(String host, int port) {
            return address(new InetSocketAddress(host, port));
        }

        /**
         * Sets the address to listen on.
         *
         * @param address the address
         * @return this builder
         */
        public Builder address(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Makes the main address speak TLS ({@code wss://}): every connection accepted there runs
         * a TLS handshake (on the loop, its delegated tasks on the settings' executor, bounded by
         * the handshake timeout) before the WebSocket upgrade.
         *
         * @param settings the context with the server's key and certificate, and options
         * @return this builder
         */
        public Builder tls(TlsSettings settings) {
            this.tls = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Adds a listening address served by the same loops and routes, plain or with TLS; e.g.
         * {@code ws://} on one port and {@code wss://} on another. Always accepted round-robin.
         *
         * @param address the address (port 0 picks a free port; see {@link WebSocketServer#addresses()})
         * @param settings TLS for that address, or {@code null} for plain TCP
         * @return this builder
         */
        public Builder listen(InetSocketAddress address, TlsSettings settings) {
            extraListeners.add(new Listener(Objects.requireNonNull(address, "address"), settings));
            return this;
        }

        /**
         * Sets the number of event loops (default: the number of available processors).
         *
         * @param count at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code count} is below 1
         */
        public Builder loops(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("at least one loop: " + count);
            }
            this.loops = count;
            return this;
        }

        /**
         * Sets how new connections are spread over the loops (default round-robin).
         *
         * @param strategy the strategy
         * @return this builder
         */
        public Builder acceptStrategy(AcceptStrategy strategy) {
            this.acceptStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * Adds a route with default connection settings.
         *
         * @param path    the exact request path, starting with {@code /}
         * @param handler the application's callbacks
         * @param <A>     the attachment type
         * @return this builder
         */
        public <A> Builder route(String path, WebSocketHandler<A> handler) {
            return route(path, handler, ConnectionSettings.defaults());
        }

        /**
         * Adds a route.
         *
         * <p>The route's handshake timeout ({@link ConnectionSettings#withHandshakeTimeout})
         * applies once a request for this path has been read and routed, counted from the TCP
         * accept; until then the server's {@link #handshakeTimeout(Duration)} applies. So it
         * bounds the time the interceptors and the upgrade hook may take, asynchronous decisions
         * included.
         *
         * @param path     the exact request path, starting with {@code /}
         * @param handler  the application's callbacks
         * @param settings limits, timers, compression and subprotocols of its connections
         * @param <A>      the attachment type
         * @return this builder
         * @throws IllegalArgumentException if the path does not start with {@code /} or is taken
         */
        public <A> Builder route(String path, WebSocketHandler<A> handler, ConnectionSettings settings) {
            return route(path, handler, settings, List.of());
        }

        /**
         * Adds a route with its own upgrade interceptors, which run after the server's (see
         * {@link #intercept(UpgradeInterceptor)}) and before the handler's
         * {@link WebSocketHandler#onUpgrade}. The timeout rule of
         * {@link #route(String, WebSocketHandler, ConnectionSettings)} applies.
         *
         * @param path         the exact request path, starting with {@code /}
         * @param handler      the application's callbacks
         * @param settings     limits, timers, compression and subprotocols of its connections
         * @param interceptors the route's interceptors, in the order they run
         * @param <A>          the attachment type
         * @return this builder
         * @throws IllegalArgumentException if the path does not start with {@code /} or is taken
         */
        @SuppressWarnings("unchecked")
        public <A> Builder route(String path, WebSocketHandler<A> handler, ConnectionSettings settings,
                                 List<UpgradeInterceptor> interceptors) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("a route path starts with '/': " + path);
            }
            if (routes.containsKey(path)) {
                throw new IllegalArgumentException("route already defined: " + path);
            }
            ServerHandshake handshake = settings.subprotocols().isEmpty()
                    ? ServerHandshake.create() : ServerHandshake.supporting(settings.subprotocols());
            routes.put(path, new ServerRuntime.Route(path, (WebSocketHandler<Object>) Objects.requireNonNull(handler, "handler"),
                    Objects.requireNonNull(settings, "settings"), handshake, List.copyOf(interceptors)));
            return this;
        }

        /**
         * Adds an upgrade interceptor for every route. The server's interceptors run in the order
         * they were added, before each route's own and before the handler's
         * {@link WebSocketHandler#onUpgrade}; {@link UpgradeDecision} describes the chain.
         *
         * @param interceptor the interceptor; called on loop threads, possibly several at once
         * @return this builder
         */
        public Builder intercept(UpgradeInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Sets the answer to plain HTTP requests, those without {@code Upgrade: websocket}
         * (default: {@link HttpFallback#notFound()}). Requests for a WebSocket route's path never
         * reach it (426, or 405 for a method other than {@code GET}/{@code HEAD}), nor do methods
         * it does not allow (405); see {@link HttpFallback}.
         *
         * @param fallback the responder
         * @return this builder
         */
        public Builder fallback(HttpFallback fallback) {
            this.fallback = Objects.requireNonNull(fallback, "fallback");
            return this;
        }

        /**
         * Sets how many WebSocket connections may be open at once (default 10,000); an upgrade
         * beyond it is answered 503.
         *
         * @param max at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code max} is below 1
         */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1: " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /**
         * Sets the most bytes queued for all peers together (framed and not yet written, TLS
         * records waiting for the socket included). Each connection's hard limit
         * ({@link ConnectionSettings#withOutboundLimits}) bounds one slow consumer; this bounds
         * many. When the sum passes it, the connections holding the most queued bytes are closed
         * as slow consumers, largest first, until the others hold at most seven eighths of it:
         * each drops what it has queued (but the frame being written), gets close code 1008
         * "slow consumer: server outbound memory over its cap", and is logged at WARNING. The sum
         * may pass the cap by less than one step per loop (a sixteenth of the cap divided by the
         * loop count, at least 64 KiB) plus one message before a loop notices; a connection picked
         * keeps its bytes until the loop task that was running ends (it sends nothing more), and
         * then keeps at most its first queue entry (one frame, or a 16 KiB chunk of small frames).
         *
         * <p>Default: a quarter of {@link Runtime#maxMemory()}, which is also the JDK's direct
         * memory limit when {@code -XX:MaxDirectMemorySize} is not set (outbound chunks are direct
         * buffers), at least 16 MiB; so filling it leaves room for read, assembly and TLS buffers.
         *
         * @param bytes at least 64 KiB
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is below 64 KiB
         */
        public Builder maxOutboundBytes(long bytes) {
            if (bytes < 64 * 1024) {
                throw new IllegalArgumentException("maxOutboundBytes must be at least 64 KiB: " + bytes);
            }
            this.maxOutboundBytes = bytes;
            return this;
        }

        /**
         * Sets the largest request head accepted (default 8192 bytes); a larger one is answered 431.
         *
         * @param bytes at least 256
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is below 256
         */
        public Builder maxHandshakeHeaderBytes(int bytes) {
            if (bytes < 256) {
                throw new IllegalArgumentException("maxHandshakeHeaderBytes must be at least 256: " + bytes);
            }
            this.maxHandshakeBytes = bytes;
            return this;
        }

        /**
         * Sets how long a new TCP connection may take to complete its opening handshake (default
         * 10 s), counted from the TCP accept. It applies until the request head has been read and
         * routed; from then on the route's {@link ConnectionSettings#handshakeTimeoutNanos()}
         * applies instead, still counted from the accept (whichever of the two is in force when
         * it expires closes the connection without an answer).
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Builds the server (not started).
         *
         * @return the server
         * @throws IllegalStateException when no route was added
         * @throws IllegalArgumentException when the fallback's allowed methods are empty or not
         *     method names
         */
        public WebSocketServer build() {
            if (routes.isEmpty()) {
                throw new IllegalStateException("a server needs at least one route");
            }
            return new WebSocketServer(this);
        }
    }
}
