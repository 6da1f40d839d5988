package io.tern.transport;

import io.tern.codec.CloseCodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A per-connection rate limit on inbound messages, as a {@link MessageInterceptor}: two token
 * buckets, one counting messages and one counting bytes, each refilled continuously at its rate up
 * to its burst. A message (or fragment) that finds either bucket short is over the limit and gets
 * the configured {@link Action}; messages within the limit pass untouched and cost no allocation.
 *
 * <p>A message is counted once, on its last fragment; bytes are counted as they arrive, so a
 * fragmented flood is caught before it ends.
 *
 * <pre>{@code
 * ConnectionSettings chat = ConnectionSettings.defaults().withMessageInterceptors(List.of(
 *         RateLimit.perConnection(20, 40)                 // 20 messages/s, bursts of 40
 *                 .bytes(64 * 1024, 256 * 1024)           // 64 KiB/s, bursts of 256 KiB
 *                 .onExceeded(RateLimit.Action.ERROR_REPLY)
 *                 .factory()));
 * }</pre>
 *
 * <p>Threading: a builder is not thread-safe; the factory it makes may be shared by any number of
 * routes and threads, and each interceptor it makes belongs to one connection's loop.
 */
public final class RateLimit {

    /** What happens to a message over the limit. */
    public enum Action {
        /** Drop the message silently. */
        DROP,
        /** Drop it and send the {@linkplain #errorReply(String) error reply} as a text message. */
        ERROR_REPLY,
        /** Close the connection with 1008 (policy violation, RFC 6455 §7.4.1). */
        CLOSE
    }

    private final double messagesPerSecond;
    private final double burstMessages;
    private double bytesPerSecond = Double.POSITIVE_INFINITY;
    private double burstBytes = Double.POSITIVE_INFINITY;
    private Action action = Action.CLOSE;
    private String errorReply = "{\"type\":\"error\",\"error\":\"rate limit exceeded\"}";
    private LongSupplier clock = System::nanoTime;

    private RateLimit(double messagesPerSecond, double burstMessages) {
        this.messagesPerSecond = messagesPerSecond;
        this.burstMessages = burstMessages;
    }

    /**
     * Starts a limit of {@code perSecond} messages a second with bursts up to {@code burst}; by
     * default there is no byte limit and a connection over the limit is closed with 1008.
     *
     * @param perSecond messages a second, more than 0
     * @param burst     the most messages at once, at least 1
     * @return a builder
     * @throws IllegalArgumentException for a rate of 0 or less or a burst under 1
     */
    public static RateLimit perConnection(double perSecond, double burst) {
        if (!(perSecond > 0) || !(burst >= 1)) {
            throw new IllegalArgumentException("need a rate above 0 and a burst of at least 1: " + perSecond + ", " + burst);
        }
        return new RateLimit(perSecond, burst);
    }

    /**
     * Adds a limit on payload bytes.
     *
     * @param perSecond bytes a second, more than 0
     * @param burst     the most bytes at once, at least 1
     * @return this builder
     * @throws IllegalArgumentException for a rate of 0 or less or a burst under 1
     */
    public RateLimit bytes(double perSecond, double burst) {
        if (!(perSecond > 0) || !(burst >= 1)) {
            throw new IllegalArgumentException("need a rate above 0 and a burst of at least 1: " + perSecond + ", " + burst);
        }
        this.bytesPerSecond = perSecond;
        this.burstBytes = burst;
        return this;
    }

    /**
     * Chooses what happens to a message over the limit (default {@link Action#CLOSE}).
     *
     * @param onExceeded the action
     * @return this builder
     */
    public RateLimit onExceeded(Action onExceeded) {
        this.action = Objects.requireNonNull(onExceeded, "onExceeded");
        return this;
    }

    /**
     * Sets the text sent back for {@link Action#ERROR_REPLY} (default
     * {@code {"type":"error","error":"rate limit exceeded"}}).
     *
     * @param text the reply
     * @return this builder
     */
    public RateLimit errorReply(String text) {
        this.errorReply = Objects.requireNonNull(text, "text");
        return this;
    }

    /**
     * Sets the time source the buckets refill by (default {@link System#nanoTime()}): for tests on
     * a fake clock and for simulations. It is read on the connections' loop threads, once per
     * message.
     *
     * @param nanos monotonic time in nanoseconds
     * @return this builder
     */
    public RateLimit clock(LongSupplier nanos) {
        this.clock = Objects.requireNonNull(nanos, "nanos");
        return this;
    }

    /**
     * Makes the factory to configure with {@link ConnectionSettings#withMessageInterceptors}; each
     * connection gets its own full buckets.
     *
     * @return the factory
     */
    public MessageInterceptor.Factory factory() {
        double mps = messagesPerSecond;
        double mBurst = burstMessages;
        double bps = bytesPerSecond;
        double bBurst = burstBytes;
        Action a = action;
        ByteBuffer reply = StandardCharsets.UTF_8.encode(errorReply).asReadOnlyBuffer();
        LongSupplier c = clock;
        return socket -> new Buckets(mps, mBurst, bps, bBurst, a, reply, c);
    }

    /** One connection's buckets; its loop thread only. */
    private static final class Buckets implements MessageInterceptor {
        private final double messagesPerNano;
        private final double burstMessages;
        private final double bytesPerNano;
        private final double burstBytes;
        private final Action action;
        private final ByteBuffer reply;
        private final LongSupplier clock;
        private double messages;
        private double bytes;
        private long last;

        Buckets(double mps, double mBurst, double bps, double bBurst, Action action, ByteBuffer reply, LongSupplier clock) {
            this.messagesPerNano = mps / 1e9;
            this.burstMessages = mBurst;
            this.bytesPerNano = bps / 1e9;
            this.burstBytes = bBurst;
            this.action = action;
            this.reply = reply.duplicate(); // its own: a send may move the position while compressing
            this.clock = clock;
            this.messages = mBurst;
            this.bytes = bBurst;
            this.last = clock.getAsLong();
        }

        @Override
        public ByteBuffer onMessage(WebSocket<?> socket, boolean text, ByteBuffer payload, boolean last) {
            long now = clock.getAsLong();
            long elapsed = now - this.last;
            this.last = now;
            if (elapsed > 0) {
                messages = Math.min(burstMessages, messages + elapsed * messagesPerNano);
                bytes = Math.min(burstBytes, bytes + elapsed * bytesPerNano);
            }
            int n = payload.remaining();
            if ((last && messages < 1) || bytes < n) {
                exceeded(socket);
                return null;
            }
            bytes -= n;
            if (last) {
                messages -= 1;
            }
            return payload;
        }

        private void exceeded(WebSocket<?> socket) {
            switch (action) {
                case CLOSE:
                    socket.close(CloseCodes.POLICY_VIOLATION, "rate limit exceeded");
                    break;
                case ERROR_REPLY:
                    socket.sendText(reply);
                    break;
                default:
                    break;
            }
        }
    }
}
