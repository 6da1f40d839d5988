package io.tern.pubsub;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of one publish, without making the publisher wait: the subscriber count when it
 * was published at once, and the delivery outcome later, when every loop that has subscribers
 * has handed the message to them.
 *
 * <p>Threading: safe from any thread; {@link #outcome()} completes on the last loop to finish.
 */
public final class PublishResult {

    /**
     * The outcome once every loop is done.
     *
     * @param delivered subscribers the message was queued for
     * @param dropped   subscribers whose backpressure refused it (their slow-consumer policy applied)
     */
    public record Outcome(long delivered, long dropped) {
    }

    private static final Outcome NONE = new Outcome(0, 0);

    private final int subscribers;
    private final AtomicInteger loopsLeft;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

    PublishResult(int subscribers, int loops) {
        this.subscribers = subscribers;
        this.loopsLeft = new AtomicInteger(loops);
        if (loops == 0) {
            outcome.complete(NONE);
        }
    }

    /**
     * Subscribers of the topic when the message was published (the sender included, if it is one).
     *
     * @return the count
     */
    public int subscribers() {
        return subscribers;
    }

    /**
     * The delivery outcome, complete once every loop with subscribers handled the message.
     *
     * @return a stage that completes with the counts; never exceptionally
     */
    public CompletionStage<Outcome> outcome() {
        return outcome;
    }

    /** One loop handed the message to its subscribers. */
    void loopDone(long deliveredHere, long droppedHere) {
        delivered.addAndGet(deliveredHere);
        dropped.addAndGet(droppedHere);
        if (loopsLeft.decrementAndGet() == 0) {
            outcome.complete(new Outcome(delivered.get(), dropped.get()));
        }
    }
}
