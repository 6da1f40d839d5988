package io.tern.transport.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event loops of one server or client: started together, handed out in turn, and shut down
 * together — gracefully (every connection closed with 1001 and its closing handshake awaited up to
 * a deadline) and then for good (threads stopped and joined).
 */
public final class EventLoopGroup {

    private final List<EventLoop> loops = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    /**
     * Creates the loops (not started).
     *
     * @param namePrefix thread names are this prefix followed by the loop's index
     * @param count      number of loops, at least 1
     * @param daemon     whether the loop threads are daemon threads
     */
    public EventLoopGroup(String namePrefix, int count, boolean daemon) {
        for (int i = 0; i < count; i++) {
            loops.add(new EventLoop(namePrefix + i, daemon));
        }
    }

    /** Starts every loop's thread. */
    public void start() {
        for (EventLoop loop : loops) {
            loop.start();
        }
    }

    /**
     * The loops, in creation order.
     *
     * @return an unmodifiable list
     */
    public List<EventLoop> loops() {
        return List.copyOf(loops);
    }

    /**
     * The next loop in turn, for spreading connections.
     *
     * @return a loop
     */
    public EventLoop next() {
        return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }

    /**
     * Closes every connection gracefully and waits until none is left or the timeout passes, then
     * stops the loops and waits for their threads to end.
     *
     * @param timeoutNanos how long to wait for connections to close by themselves
     * @return {@code true} when every connection closed within the timeout
     */
    public boolean shutdownGracefully(long timeoutNanos) {
        for (EventLoop loop : loops) {
            loop.closeAllGracefully();
        }
        long deadline = System.nanoTime() + timeoutNanos;
        boolean allClosed = false;
        while (true) {
            if (loops.stream().allMatch(l -> l.connectionCount() == 0)) {
                allClosed = true;
                break;
            }
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stopAndJoin();
        return allClosed;
    }

    /** Stops every loop (aborting its remaining connections) and waits up to 5 s for each thread. */
    public void stopAndJoin() {
        for (EventLoop loop : loops) {
            loop.stop();
        }
        for (EventLoop loop : loops) {
            try {
                loop.awaitTermination(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Whether any loop thread is still alive.
     *
     * @return {@code true} while a loop thread runs
     */
    public boolean anyAlive() {
        return loops.stream().anyMatch(EventLoop::isAlive);
    }
}
