package io.tern.transport.robust;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Timing and thread helpers shared by the robustness tests (peers and recorders are in the test kit). */
final class Support {

    private Support() {
    }

    static URI uri(int port, String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    static long millisBetween(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }

    /** Polls {@code condition} every few milliseconds; fails with {@code message} at the deadline. */
    static void await(BooleanSupplier condition, Duration max, Supplier<String> message) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + max.toMillis() + " ms: " + message.get());
            }
            Thread.sleep(5);
        }
    }

    /** Live threads whose name starts with {@code prefix}. */
    static java.util.Set<Thread> threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
                .collect(java.util.stream.Collectors.toSet());
    }

    /** Names of the threads in {@code threads} that are still alive. */
    static List<String> stillAlive(java.util.Collection<Thread> threads) {
        return threads.stream().filter(Thread::isAlive).map(Thread::getName).sorted().toList();
    }

    /**
     * For a failure message: whether threads found alive too early end within a second after all
     * (a race with their exit) or stay (a leak).
     */
    static String fateOf(java.util.Collection<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(1000);
        }
        List<String> after = stillAlive(threads);
        return after.isEmpty() ? "the loop threads ended moments later (still exiting when the call returned)"
                : after + " still alive 1 s later (leaked)";
    }
}
