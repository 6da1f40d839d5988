package io.tern.transport;

import io.tern.codec.ReaderSettings;
import io.tern.codec.deflate.DeflateOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Limits, timers and options of a connection: per route on a server, per connect call on a
 * client. (A value class of some twenty settings, each with its setter and getter documented here
 * in one place; that is why it runs past 400 lines.) Immutable to its users: each {@code with} method returns a changed copy, so one instance
 * can be shared by any number of routes, connections and threads.
 *
 * <table>
 * <caption>Defaults</caption>
 * <tr><th>setting</th><th>default</th></tr>
 * <tr><td>max frame / max message (after inflation)</td><td>1 MiB / 1 MiB</td></tr>
 * <tr><td>max fragments (frames per message)</td><td>one per KiB of the max message, at least 1,024 (1008 beyond)</td></tr>
 * <tr><td>delivery</td><td>whole messages</td></tr>
 * <tr><td>outbound low / high watermark / hard limit</td><td>64 KiB / 256 KiB / 4 MiB</td></tr>
 * <tr><td>slow-consumer policy</td><td>{@link SlowConsumerPolicy#CLOSE} (1008)</td></tr>
 * <tr><td>handshake timeout</td><td>10 s</td></tr>
 * <tr><td>idle timeout</td><td>off</td></tr>
 * <tr><td>heartbeat</td><td>ping every 30 s, close if no pong within 10 s</td></tr>
 * <tr><td>closing-handshake timeout</td><td>5 s</td></tr>
 * <tr><td>automatic pong</td><td>on</td></tr>
 * <tr><td>permessage-deflate</td><td>off</td></tr>
 * <tr><td>subprotocols</td><td>none</td></tr>
 * <tr><td>message interceptors / connection listeners</td><td>none</td></tr>
 * </table>
 *
 * <pre>{@code
 * ConnectionSettings chat = ConnectionSettings.defaults()
 *         .withMaxMessageSize(64 * 1024)
 *         .withIdleTimeout(Duration.ofMinutes(5))
 *         .withDeflate(DeflateOptions.defaults().withServerNoContextTakeover(true))
 *         .withSubprotocols(List.of("chat.v2", "chat.v1"));
 * }</pre>
 */
public final class ConnectionSettings {

    private static final ConnectionSettings DEFAULTS = new ConnectionSettings(ReaderSettings.defaults(),
            64 * 1024, 256 * 1024, 4L << 20, SlowConsumerPolicy.CLOSE,
            Duration.ofSeconds(10).toNanos(), 0, Duration.ofSeconds(30).toNanos(), Duration.ofSeconds(10).toNanos(),
            Duration.ofSeconds(5).toNanos(), true, null, List.of());

    private ReaderSettings reader;
    private long lowWatermark;
    private long highWatermark;
    private long hardLimit;
    private SlowConsumerPolicy slowConsumerPolicy;
    private long handshakeTimeoutNanos;
    private long idleTimeoutNanos;
    private long heartbeatIntervalNanos;
    private long heartbeatTimeoutNanos;
    private long closingTimeoutNanos;
    private boolean autoPong;
    private DeflateOptions deflate;
    private List<String> subprotocols;
    private List<MessageInterceptor.Factory> messageInterceptors = List.of();
    private List<ConnectionListener> connectionListeners = List.of();

    private ConnectionSettings(ReaderSettings reader, long lowWatermark, long highWatermark, long hardLimit,
                               SlowConsumerPolicy slowConsumerPolicy, long handshakeTimeoutNanos,
                               long idleTimeoutNanos, long heartbeatIntervalNanos, long heartbeatTimeoutNanos,
                               long closingTimeoutNanos, boolean autoPong, DeflateOptions deflate,
                               List<String> subprotocols) {
        this.reader = reader;
        this.lowWatermark = lowWatermark;
        this.highWatermark = highWatermark;
        this.hardLimit = hardLimit;
        this.slowConsumerPolicy = slowConsumerPolicy;
        this.handshakeTimeoutNanos = handshakeTimeoutNanos;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.heartbeatIntervalNanos = heartbeatIntervalNanos;
        this.heartbeatTimeoutNanos = heartbeatTimeoutNanos;
        this.closingTimeoutNanos = closingTimeoutNanos;
        this.autoPong = autoPong;
        this.deflate = deflate;
        this.subprotocols = subprotocols;
    }

    /**
     * The defaults listed above.
     *
     * @return the default settings
     */
    public static ConnectionSettings defaults() {
        return DEFAULTS;
    }

    /** A copy to change: each {@code with} method changes one field of a fresh copy. */
    private ConnectionSettings copy() {
        ConnectionSettings c = new ConnectionSettings(reader, lowWatermark, highWatermark, hardLimit, slowConsumerPolicy,
                handshakeTimeoutNanos, idleTimeoutNanos, heartbeatIntervalNanos, heartbeatTimeoutNanos,
                closingTimeoutNanos, autoPong, deflate, subprotocols);
        c.messageInterceptors = messageInterceptors;
        c.connectionListeners = connectionListeners;
        return c;
    }

    /**
     * Sets the largest frame payload accepted (1009 beyond it).
     *
     * @param bytes at least 125
     * @return changed settings
     * @throws IllegalArgumentException if below 125
     */
    public ConnectionSettings withMaxFrameSize(long bytes) {
        return withReader(reader.withMaxFrameSize(bytes));
    }

    /**
     * Sets the largest message accepted, summed over fragments and counted after inflation (1009
     * beyond it).
     *
     * @param bytes at least 0
     * @return changed settings
     * @throws IllegalArgumentException if out of range
     */
    public ConnectionSettings withMaxMessageSize(long bytes) {
        return withReader(reader.withMaxMessageSize(bytes));
    }

    /**
     * Sets the most frames one data message may span, empty frames included; the frame one too
     * many fails the connection with 1008. Default: one frame per KiB of the message size limit,
     * at least {@value ReaderSettings#DEFAULT_MAX_FRAGMENTS} (see
     * {@link ReaderSettings#DEFAULT_MAX_FRAGMENTS} for why).
     *
     * @param frames at least 1
     * @return changed settings
     * @throws IllegalArgumentException if below 1
     */
    public ConnectionSettings withMaxFragments(int frames) {
        return withReader(reader.withMaxFragments(frames));
    }

    /**
     * Chooses whole messages or fragments as they arrive for the handler's
     * {@code onText}/{@code onBinary}.
     *
     * @param delivery the delivery mode
     * @return changed settings
     */
    public ConnectionSettings withDelivery(ReaderSettings.Delivery delivery) {
        return withReader(reader.withDelivery(delivery));
    }

    /**
     * Replaces all reader limits at once.
     *
     * @param readerSettings frame and message limits and delivery mode
     * @return changed settings
     */
    public ConnectionSettings withReader(ReaderSettings readerSettings) {
        ConnectionSettings c = copy();
        c.reader = Objects.requireNonNull(readerSettings, "readerSettings");
        return c;
    }

    /**
     * Sets the outbound queue limits. A send that takes the queue above {@code high} returns
     * {@link SendStatus#QUEUED_ABOVE_HIGH_WATERMARK}; {@link WebSocketHandler#onDrain} fires when it
     * falls to {@code low} or below; a send that would take it past {@code hardLimit} is refused and
     * the slow-consumer policy applies (a single message larger than the hard limit is accepted
     * only into an empty queue).
     *
     * @param low       low watermark in bytes
     * @param high      high watermark in bytes
     * @param hardLimit hard limit in bytes
     * @return changed settings
     * @throws IllegalArgumentException unless {@code 0 <= low <= high <= hardLimit}
     */
    public ConnectionSettings withOutboundLimits(long low, long high, long hardLimit) {
        if (low < 0 || low > high || high > hardLimit) {
            throw new IllegalArgumentException("need 0 <= low <= high <= hardLimit: " + low + ", " + high + ", " + hardLimit);
        }
        ConnectionSettings c = copy();
        c.lowWatermark = low;
        c.highWatermark = high;
        c.hardLimit = hardLimit;
        return c;
    }

    /**
     * Sets what happens at the outbound hard limit.
     *
     * @param policy drop the message, or close with 1008
     * @return changed settings
     */
    public ConnectionSettings withSlowConsumerPolicy(SlowConsumerPolicy policy) {
        ConnectionSettings c = copy();
        c.slowConsumerPolicy = Objects.requireNonNull(policy, "policy");
        return c;
    }

    /**
     * Sets how long the opening handshake may take from TCP accept (or connect) to open. On a
     * client it bounds the whole connect. On a server route it applies once a request for the
     * route's path has been read and routed, still counted from the TCP accept; until then the
     * server's {@code WebSocketServer.Builder.handshakeTimeout} applies. So it bounds the time
     * the upgrade interceptors and hook may take, asynchronous decisions included.
     *
     * @param timeout a positive duration
     * @return changed settings
     */
    public ConnectionSettings withHandshakeTimeout(Duration timeout) {
        ConnectionSettings c = copy();
        c.handshakeTimeoutNanos = positive(timeout);
        return c;
    }

    /**
     * Sets how long a connection may go without receiving anything before it is closed with 1001;
     * {@link Duration#ZERO} turns the check off.
     *
     * @param timeout zero or a positive duration
     * @return changed settings
     */
    public ConnectionSettings withIdleTimeout(Duration timeout) {
        ConnectionSettings c = copy();
        c.idleTimeoutNanos = zeroOrPositive(timeout);
        return c;
    }

    /**
     * Sets the heartbeat: a ping every {@code interval}; if its pong has not arrived within
     * {@code timeout}, the peer is taken for gone and the TCP connection is closed (the handler sees
     * 1006). {@link Duration#ZERO} as interval turns the heartbeat off.
     *
     * @param interval zero or a positive duration
     * @param timeout  a positive duration
     * @return changed settings
     */
    public ConnectionSettings withHeartbeat(Duration interval, Duration timeout) {
        ConnectionSettings c = copy();
        c.heartbeatIntervalNanos = zeroOrPositive(interval);
        c.heartbeatTimeoutNanos = positive(timeout);
        return c;
    }

    /**
     * Sets how long to wait, once this side has sent its close frame, for the closing handshake to
     * finish before the TCP connection is closed anyway.
     *
     * @param timeout a positive duration
     * @return changed settings
     */
    public ConnectionSettings withClosingTimeout(Duration timeout) {
        ConnectionSettings c = copy();
        c.closingTimeoutNanos = positive(timeout);
        return c;
    }

    /**
     * Turns automatic pongs on or off; when off, the handler answers pings itself with
     * {@link WebSocket#sendPong}.
     *
     * @param enabled whether the transport answers every ping
     * @return changed settings
     */
    public ConnectionSettings withAutoPong(boolean enabled) {
        ConnectionSettings c = copy();
        c.autoPong = enabled;
        return c;
    }

    /**
     * Turns permessage-deflate on: a server accepts it whenever a client offers it (on these
     * terms), a client offers it. {@code null} turns it off.
     *
     * @param options the terms, or {@code null}
     * @return changed settings
     */
    public ConnectionSettings withDeflate(DeflateOptions options) {
        ConnectionSettings c = copy();
        c.deflate = options;
        return c;
    }

    /**
     * Sets the subprotocols: on a server those it speaks (the first one, in the client's order, that
     * it speaks is selected); on a client those it offers, in order of preference.
     *
     * @param names subprotocol tokens
     * @return changed settings
     */
    public ConnectionSettings withSubprotocols(List<String> names) {
        ConnectionSettings c = copy();
        c.subprotocols = List.copyOf(names);
        return c;
    }

    /**
     * Sets the inbound message interceptors, run in this order before the handler sees a message
     * (see {@link MessageInterceptor}); each factory makes one interceptor per connection when it
     * opens. Replaces any set before.
     *
     * @param factories the interceptors' factories, in order
     * @return changed settings
     */
    public ConnectionSettings withMessageInterceptors(List<MessageInterceptor.Factory> factories) {
        ConnectionSettings c = copy();
        c.messageInterceptors = List.copyOf(factories);
        return c;
    }

    /**
     * Sets listeners told of every connection's open and close beside its handler (see
     * {@link ConnectionListener}). Replaces any set before.
     *
     * @param listeners the listeners, in the order they are told
     * @return changed settings
     */
    public ConnectionSettings withConnectionListeners(List<ConnectionListener> listeners) {
        ConnectionSettings c = copy();
        c.connectionListeners = List.copyOf(listeners);
        return c;
    }

    /**
     * The inbound message interceptors' factories, in order.
     *
     * @return the factories, possibly empty
     */
    public List<MessageInterceptor.Factory> messageInterceptors() {
        return messageInterceptors;
    }

    /**
     * The connection listeners, in order.
     *
     * @return the listeners, possibly empty
     */
    public List<ConnectionListener> connectionListeners() {
        return connectionListeners;
    }

    private static long positive(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + d);
        }
        return d.toNanos();
    }

    private static long zeroOrPositive(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + d);
        }
        return d.toNanos();
    }

    /**
     * The reader limits and delivery mode.
     *
     * @return the reader settings
     */
    public ReaderSettings reader() {
        return reader;
    }

    /**
     * The outbound low watermark.
     *
     * @return bytes
     */
    public long lowWatermark() {
        return lowWatermark;
    }

    /**
     * The outbound high watermark.
     *
     * @return bytes
     */
    public long highWatermark() {
        return highWatermark;
    }

    /**
     * The outbound hard limit.
     *
     * @return bytes
     */
    public long hardLimit() {
        return hardLimit;
    }

    /**
     * The policy at the hard limit.
     *
     * @return the policy
     */
    public SlowConsumerPolicy slowConsumerPolicy() {
        return slowConsumerPolicy;
    }

    /**
     * The handshake timeout.
     *
     * @return nanoseconds
     */
    public long handshakeTimeoutNanos() {
        return handshakeTimeoutNanos;
    }

    /**
     * The idle timeout.
     *
     * @return nanoseconds, 0 when off
     */
    public long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    /**
     * The heartbeat interval.
     *
     * @return nanoseconds, 0 when off
     */
    public long heartbeatIntervalNanos() {
        return heartbeatIntervalNanos;
    }

    /**
     * How long a heartbeat ping may go unanswered.
     *
     * @return nanoseconds
     */
    public long heartbeatTimeoutNanos() {
        return heartbeatTimeoutNanos;
    }

    /**
     * The closing-handshake timeout.
     *
     * @return nanoseconds
     */
    public long closingTimeoutNanos() {
        return closingTimeoutNanos;
    }

    /**
     * Whether pings are answered automatically.
     *
     * @return {@code true} when on
     */
    public boolean autoPong() {
        return autoPong;
    }

    /**
     * The permessage-deflate terms.
     *
     * @return the options, or {@code null} when compression is off
     */
    public DeflateOptions deflate() {
        return deflate;
    }

    /**
     * The subprotocols spoken (server) or offered (client).
     *
     * @return the names, possibly empty
     */
    public List<String> subprotocols() {
        return subprotocols;
    }
}
