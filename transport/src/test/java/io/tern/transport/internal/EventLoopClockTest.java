package io.tern.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The loop's time on a fake clock: what a channel handler or a task reads from
 * {@link EventLoop#now()} is the time of the call, never the time the turn began. A loop with no
 * timer due blocks in {@code select} for as long as nothing happens; a handler then called from
 * {@code select} (the acceptor adopting a new connection on its own loop) used to count the
 * connection's handshake deadline from the time before the block, so after an idle spell longer
 * than the handshake timeout the deadline had passed before the connection was even registered,
 * and the timer fired in the same turn: the connection was closed without an answer.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventLoopClockTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long START = 5_000 * SECOND;

    /** A fake monotonic clock that counts how often it is read. */
    private static final class FakeClock implements LongSupplier {
        final AtomicLong time = new AtomicLong(START);
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public long getAsLong() {
            reads.incrementAndGet();
            return time.get();
        }
    }

    /** Records its firing; {@code firedAt} is the time the wheel passed in. */
    private static final class Deadline extends Timer {
        final AtomicLong firedAt = new AtomicLong(-1);

        @Override
        protected void onExpire(long nowNanos) {
            firedAt.set(nowNanos);
        }
    }

    private final FakeClock clock = new FakeClock();
    private EventLoop loop;

    @BeforeEach
    void start() {
        loop = new EventLoop("tern-clock-test-loop", true, clock);
        loop.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        loop.stop();
        assertTrue(loop.awaitTermination(5000), "stop() ends the loop");
    }

    /**
     * Waits until the loop has run a task and then read the clock once more: the read before it
     * blocks in {@code select} (nothing else is queued and no timer is scheduled).
     */
    private void awaitLoopAboutToBlock() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicInteger readsInTask = new AtomicInteger();
        loop.execute(() -> {
            readsInTask.set(clock.reads.get());
            ran.countDown();
        });
        assertTrue(ran.await(5, TimeUnit.SECONDS), "the loop runs tasks");
        long until = System.nanoTime() + 5 * SECOND;
        while (clock.reads.get() <= readsInTask.get()) {
            assertTrue(System.nanoTime() - until < 0, "the loop never read the clock before select");
            Thread.sleep(1);
        }
    }

    @Test
    void aHandlerCalledAfterALongIdleSelectCountsItsDeadlineFromTheTimeOfTheCall() throws Exception {
        Pipe pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            Deadline handshake = new Deadline();
            AtomicLong armedAt = new AtomicLong();
            CompletableFuture<String> afterTurn = new CompletableFuture<>();
            SelectHandler accepting = new SelectHandler() {
                @Override
                public void onSelect(SelectionKey key) {
                    try {
                        pipe.source().read(ByteBuffer.allocate(16));
                    } catch (java.io.IOException e) {
                        afterTurn.completeExceptionally(e);
                    }
                    // What Connection.register does for a connection the acceptor adopts inline.
                    long now = loop.now();
                    armedAt.set(now);
                    loop.timers().schedule(handshake, now + 10 * SECOND);
                    // Runs in the next turn, after this turn's timers were expired.
                    loop.submit(() -> afterTurn.complete(handshake.isScheduled() + " " + handshake.firedAt.get()));
                }

                @Override
                public void onLoopError(Throwable error) {
                    afterTurn.completeExceptionally(error);
                }
            };
            CountDownLatch registered = new CountDownLatch(1);
            loop.execute(() -> {
                try {
                    pipe.source().register(loop.selector(), SelectionKey.OP_READ, accepting);
                } catch (java.io.IOException e) {
                    afterTurn.completeExceptionally(e);
                }
                registered.countDown();
            });
            assertTrue(registered.await(5, TimeUnit.SECONDS));
            awaitLoopAboutToBlock();

            clock.time.addAndGet(60 * SECOND); // a minute with nothing to do: the loop sat in select
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));

            assertEquals("true -1", afterTurn.get(5, TimeUnit.SECONDS),
                    "a deadline 10 s after the handler ran must not fire while the clock stands still");
            assertEquals(START + 60 * SECOND, armedAt.get(), "now() in the handler is the time of the call");
        } finally {
            pipe.sink().close();
            pipe.source().close();
        }
    }

    @Test
    void aTaskReadsTheTimeOfItsCallNotOfTheTurn() throws Exception {
        awaitLoopAboutToBlock();
        clock.time.addAndGet(60 * SECOND);
        CompletableFuture<Long> seen = new CompletableFuture<>();
        loop.execute(() -> seen.complete(loop.now()));
        assertEquals(START + 60 * SECOND, seen.get(5, TimeUnit.SECONDS));
    }

    @Test
    void timersFireOnTheLoopsClockNotBeforeTheirDeadline() throws Exception {
        Deadline timer = new Deadline();
        CountDownLatch armed = new CountDownLatch(1);
        loop.execute(() -> {
            loop.timers().schedule(timer, loop.now() + 2 * SECOND);
            armed.countDown();
        });
        assertTrue(armed.await(5, TimeUnit.SECONDS));
        // On a clock that stands still the next boundary stays 2 s away, so the loop would sleep
        // that long in real time: tasks wake it, and every turn expires what is due.
        clock.time.addAndGet(SECOND + SECOND / 2);
        CompletableFuture<Boolean> early = new CompletableFuture<>();
        loop.execute(() -> early.complete(timer.isScheduled()));
        assertTrue(early.get(5, TimeUnit.SECONDS), "still waiting 1.5 s into a 2 s timer");
        assertEquals(-1, timer.firedAt.get());

        clock.time.addAndGet(SECOND);
        long until = System.nanoTime() + 5 * SECOND;
        while (timer.firedAt.get() < 0 && System.nanoTime() - until < 0) {
            loop.execute(() -> { }); // each task is a turn, and each turn expires timers
            Thread.sleep(2);
        }
        assertFalse(timer.isScheduled(), "fired once the fake clock passed the deadline");
        assertEquals(START + 2 * SECOND + SECOND / 2, timer.firedAt.get());
    }
}
