package io.tern.pubsub.redis;

/**
 * The counters of one {@link RedisBridge} since it started, as a snapshot.
 *
 * @param published      messages handed to Redis and acknowledged by it (one per publish, key send
 *                       or remote direct send, never one per subscriber)
 * @param lost           messages meant for other instances that Redis did not take (it was
 *                       unreachable, the command failed or timed out, or too many were already
 *                       waiting for it): at most once means these are gone
 * @param tooLarge       messages not sent to Redis because their envelope exceeded the bridge's
 *                       maximum message size (still delivered locally)
 * @param received       messages from other instances delivered to this instance's subscribers
 *                       or connections (framed once each)
 * @param echoes         this instance's own messages coming back from Redis, skipped (local
 *                       delivery already happened)
 * @param malformed      messages from Redis refused: not an envelope, unknown version or kind,
 *                       invalid UTF-8 in a text payload, or a channel that does not match
 * @param oversize       messages from Redis refused for exceeding the maximum message size
 * @param reconnects     times the subscription connection came back after a loss
 * @param channels       Redis channels this instance is subscribed to now (topics, keys, its
 *                       own direct channel)
 * @param pending        messages handed to Redis and not yet acknowledged, now
 */
public record BridgeStats(long published, long lost, long tooLarge, long received, long echoes, long malformed,
        long oversize, long reconnects, int channels, int pending) {
}
