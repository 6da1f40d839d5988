package io.tern.transport;

/**
 * What became of a message handed to one of the {@code send} methods of {@link WebSocket}.
 *
 * <p>A status, not an exception: a full queue or a closing connection is an ordinary event on a
 * busy server, and the hot path throws nothing.
 */
public enum SendStatus {
    /** Queued; the connection's outbound queue is below its high watermark. */
    QUEUED,
    /**
     * Queued, but the outbound queue is now above its high watermark: the peer reads slower than
     * this side writes. {@link WebSocketHandler#onDrain} fires once the queue is back under the low
     * watermark; a well-behaved sender waits for it.
     */
    QUEUED_ABOVE_HIGH_WATERMARK,
    /**
     * Not queued: the outbound queue is at its hard limit, and the connection's
     * {@link SlowConsumerPolicy} applied (with {@link SlowConsumerPolicy#CLOSE} the connection is
     * now closing with 1008).
     */
    DROPPED,
    /** Not queued: this side has already sent its close frame, or the connection is closed. */
    CLOSED
}
