package io.tern.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.robust.FailingLogger;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No Throwable ends a loop thread: tasks, timers and channel handlers that throw errors (a
 * {@code StackOverflowError}, an {@code OutOfMemoryError} thrown by the test itself) while the
 * logger throws as well. Before the fix each of these ended the loop's thread, so the work queued
 * after it never ran.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventLoopFaultTest {

    private FailingLogger log;
    private EventLoop loop;

    @BeforeEach
    void start() {
        log = FailingLogger.install();
        loop = new EventLoop("tern-fault-test-loop", true);
        loop.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        try {
            loop.stop();
            assertTrue(loop.awaitTermination(5000), "stop() ends the loop");
        } finally {
            log.close();
        }
    }

    private void assertStillRunning() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        loop.execute(ran::countDown);
        assertTrue(ran.await(5, TimeUnit.SECONDS), "a task after the failures runs");
        assertTrue(loop.isAlive(), "the loop thread is alive");
        assertTrue(log.calls() > 0, "the failures were logged, and the logger threw each time");
    }

    @Test
    void tasksThatThrowErrorsEndNeitherTheLoopNorTheTasksAfterThem() throws Exception {
        Executor executor = loop; // what WebSocket.executor() hands out
        executor.execute(() -> {
            throw new StackOverflowError("test: a task recursed too deep");
        });
        executor.execute(() -> {
            throw new OutOfMemoryError("test: thrown by the task, not a real exhaustion");
        });
        assertStillRunning();
    }

    @Test
    void timersThatThrowDoNotStopTheOtherTimersOrTheLoop() throws Exception {
        CountDownLatch later = new CountDownLatch(1);
        AtomicInteger fired = new AtomicInteger();
        Timer failing = new Timer() {
            @Override
            protected void onExpire(long nowNanos) {
                fired.incrementAndGet();
                throw new OutOfMemoryError("test: thrown by the timer");
            }
        };
        Timer failingToo = new Timer() {
            @Override
            protected void onExpire(long nowNanos) {
                fired.incrementAndGet();
                throw new StackOverflowError("test: thrown by the timer");
            }
        };
        Timer healthy = new Timer() {
            @Override
            protected void onExpire(long nowNanos) {
                later.countDown();
            }
        };
        loop.execute(() -> {
            long now = System.nanoTime();
            // Same deadline: the three share a tick, so the healthy one runs after two that threw.
            loop.timers().schedule(failing, now + TimeUnit.MILLISECONDS.toNanos(20));
            loop.timers().schedule(failingToo, now + TimeUnit.MILLISECONDS.toNanos(20));
            loop.timers().schedule(healthy, now + TimeUnit.MILLISECONDS.toNanos(20));
        });
        assertTrue(later.await(5, TimeUnit.SECONDS), "the timer due with the failing ones fired");
        assertEquals(2, fired.get(), "each failing timer fired once");
        assertStillRunning();
    }

    @Test
    void aChannelWhoseHandlerAndItsRecoveryThrowIsClosedAndTheLoopGoesOn() throws Exception {
        Pipe pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            AtomicInteger selected = new AtomicInteger();
            AtomicInteger recoveries = new AtomicInteger();
            SelectHandler failing = new SelectHandler() {
                @Override
                public void onSelect(SelectionKey key) {
                    selected.incrementAndGet();
                    throw new StackOverflowError("test: the handler recursed too deep");
                }

                @Override
                public void onLoopError(Throwable error) {
                    recoveries.incrementAndGet();
                    throw new OutOfMemoryError("test: recovery failed too");
                }
            };
            CountDownLatch registered = new CountDownLatch(1);
            loop.execute(() -> {
                try {
                    pipe.source().register(loop.selector(), SelectionKey.OP_READ, failing);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                registered.countDown();
            });
            assertTrue(registered.await(5, TimeUnit.SECONDS));
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (pipe.source().isOpen() && System.nanoTime() - deadline < 0) {
                Thread.sleep(5);
            }
            assertFalse(pipe.source().isOpen(), "the failing channel was closed by the loop");
            assertEquals(1, selected.get(), "closed after its first failure, not selected again");
            assertEquals(1, recoveries.get());
            assertStillRunning();
        } finally {
            pipe.sink().close();
            pipe.source().close();
        }
    }
}
