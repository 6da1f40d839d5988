package io.tern.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MpscQueueTest {

    @Test
    void singleThreadFifo() {
        MpscQueue<Integer> queue = new MpscQueue<>();
        assertTrue(queue.isEmpty());
        assertNull(queue.poll());
        for (int i = 0; i < 1000; i++) {
            queue.offer(i);
        }
        assertFalse(queue.isEmpty());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, queue.poll());
        }
        assertNull(queue.poll());
        assertNull(queue.poll());
        assertTrue(queue.isEmpty());
    }

    @Test
    void interleavedOfferAndPollStayFifo() {
        MpscQueue<Integer> queue = new MpscQueue<>();
        int next = 0;
        int expected = 0;
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < round % 7; i++) {
                queue.offer(next++);
            }
            for (int i = 0; i < round % 5; i++) {
                Integer value = queue.poll();
                if (expected == next) {
                    assertNull(value);
                    assertTrue(queue.isEmpty());
                } else {
                    assertEquals(expected++, value);
                }
            }
        }
        while (expected < next) {
            assertEquals(expected++, queue.poll());
        }
        assertNull(queue.poll());
        assertTrue(queue.isEmpty());
    }

    @Test
    void rejectsNull() {
        MpscQueue<String> queue = new MpscQueue<>();
        assertThrows(NullPointerException.class, () -> queue.offer(null));
        assertTrue(queue.isEmpty());
    }

    @Test
    void drainHonoursLimitAndReportsCount() {
        MpscQueue<Integer> queue = new MpscQueue<>();
        for (int i = 0; i < 10; i++) {
            queue.offer(i);
        }
        List<Integer> seen = new ArrayList<>();
        assertEquals(0, queue.drain(seen::add, 0));
        assertEquals(3, queue.drain(seen::add, 3));
        assertEquals(List.of(0, 1, 2), seen);
        assertEquals(7, queue.drain(seen::add, 100));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), seen);
        assertEquals(0, queue.drain(seen::add, 100));
        assertTrue(queue.isEmpty());
        assertThrows(IllegalArgumentException.class, () -> queue.drain(seen::add, -1));
        assertThrows(NullPointerException.class, () -> queue.drain(null, 1));
    }

    @Test
    void drainRemovesElementBeforeCallbackThrows() {
        MpscQueue<Integer> queue = new MpscQueue<>();
        queue.offer(1);
        queue.offer(2);
        assertThrows(IllegalStateException.class, () -> queue.drain(e -> {
            throw new IllegalStateException();
        }, 10));
        assertEquals(2, queue.poll());
        assertTrue(queue.isEmpty());
    }

    /**
     * Four producers each offer 200,000 (producer, sequence) pairs; the consumer checks that each
     * producer's sequence arrives complete, in order and without duplicates.
     */
    @ParameterizedTest(name = "drain={0}")
    @ValueSource(booleans = {false, true})
    void multipleProducersKeepPerProducerOrderAndDeliverExactlyOnce(boolean useDrain) throws Exception {
        final int producers = 4;
        final int perProducer = 200_000;
        MpscQueue<Long> queue = new MpscQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            final long id = p;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    for (int s = 0; s < perProducer; s++) {
                        queue.offer(id << 32 | s);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "producer-" + p);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        long[] next = new long[producers];
        long total = (long) producers * perProducer;
        long[] received = {0};
        java.util.function.Consumer<Long> check = item -> {
            int producer = (int) (item >>> 32);
            long seq = item & 0xFFFF_FFFFL;
            if (producer < 0 || producer >= producers || seq != next[producer]) {
                fail("producer " + producer + ": expected seq " + (producer < producers ? next[producer] : -1)
                        + " got " + seq);
            }
            next[producer]++;
            received[0]++;
        };
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
        start.countDown();
        while (received[0] < total) {
            int got;
            if (useDrain) {
                got = queue.drain(check, 64);
            } else {
                Long item = queue.poll();
                got = 0;
                if (item != null) {
                    check.accept(item);
                    got = 1;
                }
            }
            if (got == 0) {
                if (failure.get() != null || System.nanoTime() - deadline > 0) {
                    break;
                }
                Thread.onSpinWait();
            }
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(5));
        }
        if (failure.get() != null) {
            throw new AssertionError("producer failed", failure.get());
        }
        assertEquals(total, received[0], "items received before the deadline");
        for (int p = 0; p < producers; p++) {
            assertEquals(perProducer, next[p], "items of producer " + p);
        }
        assertNull(queue.poll(), "no extra items");
        assertTrue(queue.isEmpty());
    }
}
