package io.tern.pubsub;

/**
 * Counters of one topic, or of all topics together, at the moment they were read.
 *
 * @param topic       the topic, or {@code null} for the totals
 * @param subscribers subscriptions now
 * @param published   messages published to it
 * @param delivered   messages queued for a subscriber (one per subscriber per message)
 * @param dropped     messages a subscriber's backpressure refused (its slow-consumer policy applied)
 */
public record TopicStats(String topic, int subscribers, long published, long delivered, long dropped) {
}
