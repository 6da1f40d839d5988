package io.tern.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WakeupGateTest {

    @Test
    void onlyFirstSignalSinceClearWins() {
        WakeupGate gate = new WakeupGate();
        assertFalse(gate.isSignalled());
        assertTrue(gate.signal());
        assertTrue(gate.isSignalled());
        assertFalse(gate.signal());
        assertFalse(gate.signal());
        gate.clear();
        assertFalse(gate.isSignalled());
        assertTrue(gate.signal());
        assertFalse(gate.signal());
    }

    @Test
    void exactlyOneConcurrentSignallerWinsPerRound() throws Exception {
        final int threads = 4;
        final int rounds = 2_000;
        WakeupGate gate = new WakeupGate();
        AtomicInteger winners = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // The barrier action runs alone between rounds: it checks and re-arms the gate.
        CyclicBarrier barrier = new CyclicBarrier(threads, () -> {
            if (winners.getAndSet(0) != 1) {
                failure.compareAndSet(null, new AssertionError("not exactly one winner"));
            }
            gate.clear();
        });
        List<Thread> list = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        if (gate.signal()) {
                            winners.incrementAndGet();
                        }
                        barrier.await(20, TimeUnit.SECONDS);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    barrier.reset();
                }
            });
            t.setDaemon(true);
            t.start();
            list.add(t);
        }
        for (Thread t : list) {
            t.join(TimeUnit.SECONDS.toMillis(25));
        }
        assertNull(failure.get());
    }

    /**
     * Deterministic check of the protocol's ordering argument: a consumer iteration (clear, drain,
     * emptiness check, then block) runs while one producer (offer, then signal) interleaves at
     * every possible point. The gate starts signalled by an earlier producer whose wakeup the
     * consumer has already used. Nothing may be stranded: either the consumer sees the item or the
     * producer's signal wins (and would wake it). The same enumeration shows that clearing after
     * the emptiness check does strand an item, so the test can tell the two orders apart.
     */
    @Test
    void everyInterleavingOfOneProducerWithOneConsumerIterationIsSafe() {
        assertEquals(0, strandedInterleavings(new String[] {"clear", "drain", "check"}));
        assertEquals(0, strandedInterleavings(new String[] {"drain", "clear", "check"}));
        assertTrue(strandedInterleavings(new String[] {"drain", "check", "clear"}) > 0);
    }

    private static int strandedInterleavings(String[] consumerSteps) {
        int stranded = 0;
        int n = consumerSteps.length + 2;
        // choose the positions of the producer's two steps among n steps
        for (int offerAt = 0; offerAt < n; offerAt++) {
            for (int signalAt = offerAt + 1; signalAt < n; signalAt++) {
                MpscQueue<String> queue = new MpscQueue<>();
                WakeupGate gate = new WakeupGate();
                assertTrue(gate.signal()); // an earlier submission; its wakeup was consumed
                boolean woken = false;
                boolean taken = false;
                boolean blocks = false;
                int c = 0;
                for (int step = 0; step < n; step++) {
                    if (step == offerAt) {
                        queue.offer("item");
                    } else if (step == signalAt) {
                        woken = gate.signal();
                    } else {
                        switch (consumerSteps[c++]) {
                            case "clear":
                                gate.clear();
                                break;
                            case "drain":
                                taken |= queue.poll() != null;
                                break;
                            default:
                                blocks = queue.isEmpty();
                                break;
                        }
                    }
                }
                if (!taken && blocks && !woken) {
                    stranded++;
                }
            }
        }
        return stranded;
    }

    /**
     * Each producer offers one item, signals, and then waits until the consumer has caught up with
     * everything published so far, so the consumer keeps going idle and parking, and every burst
     * ends with a race between a last offer and the consumer falling asleep. The consumer follows
     * the documented protocol. A park that runs to its (long) time limit while items that were
     * offered and signalled are waiting is a lost wakeup. The run is bounded by a round count and a
     * time budget, so that a loaded machine makes it shorter rather than failing.
     */
    @Test
    void noLostWakeupWhenConsumerParks() throws Exception {
        final int producers = 3;
        final int maxRounds = 20_000;
        final long parkLimit = TimeUnit.SECONDS.toNanos(2);
        final long budgetEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        final long hardDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
        MpscQueue<Integer> queue = new MpscQueue<>();
        WakeupGate gate = new WakeupGate();
        AtomicLong consumed = new AtomicLong();
        AtomicLong published = new AtomicLong();
        AtomicInteger lostWakeups = new AtomicInteger();
        AtomicInteger parks = new AtomicInteger();
        AtomicBoolean producersDone = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();

        Thread consumer = new Thread(() -> {
            long received = 0;
            while (System.nanoTime() - hardDeadline < 0 && lostWakeups.get() == 0) {
                gate.clear();
                jitter();
                received += queue.drain(item -> { }, Integer.MAX_VALUE);
                consumed.set(received);
                jitter();
                if (!queue.isEmpty()) {
                    continue;
                }
                if (producersDone.get() && received == published.get()) {
                    break;
                }
                jitter();
                parks.incrementAndGet();
                long parkedAt = System.nanoTime();
                LockSupport.parkNanos(parkLimit);
                if (System.nanoTime() - parkedAt >= parkLimit && published.get() > received) {
                    lostWakeups.incrementAndGet();
                }
            }
        }, "consumer");
        consumer.setDaemon(true);

        List<Thread> list = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            Thread t = new Thread(() -> {
                try {
                    for (int r = 0; r < maxRounds && System.nanoTime() - budgetEnd < 0; r++) {
                        jitter();
                        queue.offer(r);
                        jitter();
                        if (gate.signal()) {
                            LockSupport.unpark(consumer);
                        }
                        long mine = published.incrementAndGet();
                        while (consumed.get() < mine) {
                            if (System.nanoTime() - hardDeadline > 0 || lostWakeups.get() != 0) {
                                return;
                            }
                            Thread.yield();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "producer-" + p);
            t.setDaemon(true);
            list.add(t);
        }
        consumer.start();
        for (Thread t : list) {
            t.start();
        }
        for (Thread t : list) {
            t.join(TimeUnit.SECONDS.toMillis(27));
        }
        producersDone.set(true);
        LockSupport.unpark(consumer); // let it notice the end without waiting out a park
        consumer.join(TimeUnit.SECONDS.toMillis(3));
        assertNull(failure.get());
        assertEquals(0, lostWakeups.get(), "lost wakeups");
        assertFalse(consumer.isAlive(), "consumer did not finish");
        assertEquals(published.get(), consumed.get(), "items consumed");
        assertTrue(parks.get() > 0, "the consumer never parked, so the test exercised nothing");
    }

    /**
     * Sometimes spins for up to five microseconds, to widen the windows between the protocol's steps
     * so that badly ordered variants of the protocol actually lose wakeups in this test.
     */
    private static void jitter() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (random.nextInt(2) == 0) {
            long until = System.nanoTime() + random.nextInt(5_000);
            while (System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
        }
    }
}
