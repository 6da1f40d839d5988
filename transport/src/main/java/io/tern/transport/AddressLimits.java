package io.tern.transport;

import io.tern.codec.handshake.HttpHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An upgrade interceptor that bounds, per client IP address, the connections open at once and the
 * handshakes in progress at once: one address cannot take all of the server's
 * {@link WebSocketServer.Builder#maxConnections(int) connection slots}, nor keep many slow
 * (for example asynchronously authenticated) handshakes waiting. Thread-safe: its counts are
 * shared by every loop of the server.
 *
 * <p>What is counted, from the moment a request passes this interceptor (so add it first, with
 * {@link WebSocketServer.Builder#intercept(UpgradeInterceptor)}):
 * <ul>
 * <li>a <em>connection</em> until its TCP connection closes, upgraded or not;</li>
 * <li>a <em>handshake in progress</em> until the handshake ends: 101 or a refusal sent, or the
 *     connection closed or timed out first (for instance while a later interceptor's
 *     asynchronous decision was pending).</li>
 * </ul>
 * Each count is taken once and given back exactly once, through
 * {@link UpgradeRequest#whenHandshakeEnds} and {@link UpgradeRequest#whenClosed}; an address
 * whose counts are back at zero is forgotten. Connections still sending their request head are
 * not counted here: the handshake timeout and the head size limit bound them.
 *
 * <p>Over a limit the answer is {@code 429 Too Many Requests} with {@code Retry-After} (RFC 6585
 * §4, RFC 9110 §10.2.3): it is this client that sends too much, not the server that is
 * overloaded, which is what 503 would say (and the server says it, with 503, at its global
 * connection limit). Deployments whose proxies or clients treat only 503 as "try again later" can
 * choose it with {@link #refuseWith(int)}.
 *
 * <pre>{@code
 * WebSocketServer.builder()
 *         .intercept(AddressLimits.of(20, 4))    // 20 connections, 4 handshakes in progress per address
 * }</pre>
 */
public final class AddressLimits implements UpgradeInterceptor {

    /** Both counts of one address; guarded by the map's per-key locking in {@code compute}. */
    private static final class Counts {
        int connections;
        int handshakes;
    }

    private final int maxConnections;
    private final int maxHandshakes;
    private final HttpHeaders retryAfter;
    private final int status;
    private final ConcurrentHashMap<Object, Counts> counts = new ConcurrentHashMap<>();

    private final long retryAfterSeconds;

    private AddressLimits(int maxConnections, int maxHandshakes, long retryAfterSeconds, int status) {
        this.maxConnections = maxConnections;
        this.maxHandshakes = maxHandshakes;
        this.retryAfterSeconds = retryAfterSeconds;
        this.retryAfter = HttpHeaders.of("Retry-After", Long.toString(retryAfterSeconds));
        this.status = status;
    }

    /**
     * Creates the limits, refusing with {@code 429} and {@code Retry-After: 1}.
     *
     * @param maxConnections connections at once per address, at least 1
     * @param maxHandshakes  handshakes in progress at once per address, at least 1
     * @return the interceptor
     * @throws IllegalArgumentException if a limit is below 1
     */
    public static AddressLimits of(int maxConnections, int maxHandshakes) {
        if (maxConnections < 1 || maxHandshakes < 1) {
            throw new IllegalArgumentException("limits must be at least 1: " + maxConnections + ", " + maxHandshakes);
        }
        return new AddressLimits(maxConnections, maxHandshakes, 1, 429);
    }

    /**
     * Returns limits like these that answer another {@code Retry-After}. The counts are not
     * shared with this instance.
     *
     * @param delay how long a refused client should wait, whole seconds, at least 1 s
     * @return the changed limits
     * @throws IllegalArgumentException if the delay is under one second
     */
    public AddressLimits retryAfter(Duration delay) {
        if (delay.getSeconds() < 1) {
            throw new IllegalArgumentException("Retry-After is at least 1 second: " + delay);
        }
        return new AddressLimits(maxConnections, maxHandshakes, delay.getSeconds(), status);
    }

    /**
     * Returns limits like these that refuse with another status: {@code 429 Too Many Requests}
     * (the default; RFC 6585 §4) or {@code 503 Service Unavailable} (RFC 9110 §15.6.4), both
     * with {@code Retry-After}. The counts are not shared with this instance.
     *
     * @param status 429 or 503
     * @return the changed limits
     * @throws IllegalArgumentException for any other status
     */
    public AddressLimits refuseWith(int status) {
        if (status != 429 && status != 503) {
            throw new IllegalArgumentException("AddressLimits refuses with 429 or 503, not " + status);
        }
        return new AddressLimits(maxConnections, maxHandshakes, retryAfterSeconds, status);
    }

    @Override
    public UpgradeDecision<?> intercept(UpgradeRequest request) {
        Object key = key(request.remoteAddress());
        int[] refusal = new int[1]; // 0 admitted, 1 too many connections, 2 too many handshakes
        counts.compute(key, (k, c) -> {
            Counts n = c != null ? c : new Counts();
            if (n.connections >= maxConnections) {
                refusal[0] = 1;
            } else if (n.handshakes >= maxHandshakes) {
                refusal[0] = 2;
            } else {
                n.connections++;
                n.handshakes++;
            }
            return n.connections == 0 && n.handshakes == 0 ? null : n;
        });
        if (refusal[0] != 0) {
            return UpgradeDecision.reject(status, refusal[0] == 1 ? "too many connections from your address"
                    : "too many handshakes in progress from your address", retryAfter);
        }
        request.whenHandshakeEnds(() -> release(key, 0, 1));
        request.whenClosed(() -> release(key, 1, 0));
        return UpgradeDecision.pass();
    }

    private void release(Object key, int connections, int handshakes) {
        counts.computeIfPresent(key, (k, n) -> {
            n.connections -= connections;
            n.handshakes -= handshakes;
            return n.connections == 0 && n.handshakes == 0 ? null : n;
        });
    }

    /**
     * Connections of an address counted right now.
     *
     * @param address the client address
     * @return the count
     */
    public int connections(InetAddress address) {
        return read(address, true);
    }

    /**
     * Handshakes in progress of an address right now.
     *
     * @param address the client address
     * @return the count
     */
    public int handshakesInProgress(InetAddress address) {
        return read(address, false);
    }

    /**
     * Addresses with a non-zero count right now: zero once every counted connection closed.
     *
     * @return the number of addresses tracked
     */
    public int trackedAddresses() {
        return counts.size();
    }

    private int read(Object key, boolean connectionsWanted) {
        int[] value = new int[1];
        counts.computeIfPresent(key, (k, n) -> {
            value[0] = connectionsWanted ? n.connections : n.handshakes;
            return n;
        });
        return value[0];
    }

    /** The client's IP address, or the whole socket address for a transport without one. */
    private static Object key(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress() : remote;
    }

    @Override
    public String toString() {
        return "AddressLimits[" + maxConnections + " connections, " + maxHandshakes + " handshakes per address]";
    }
}
