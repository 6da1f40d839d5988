package io.tern.transport;

/**
 * What happens to a connection whose outbound queue reaches its hard limit because the peer does
 * not read fast enough. Either way, the other connections of the loop are not slowed down.
 */
public enum SlowConsumerPolicy {
    /** Refuse the message ({@link SendStatus#DROPPED}); the connection stays open. */
    DROP,
    /**
     * Refuse the message and close the connection with 1008 (policy violation). The close frame
     * is queued behind the backlog; if it has not gone out by the closing timeout, the TCP
     * connection is closed anyway.
     */
    CLOSE
}
