package io.tern.transport.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Recorder;
import io.tern.transport.testkit.TlsCerts;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pauseReading()/resumeReading() from a server handler: nothing lost, nothing reordered. */
@Timeout(30)
class PauseResumeTest {

    static String message(int seq) {
        // Varied sizes so that messages straddle read boundaries.
        return seq + ":" + "0123456789abcdef".repeat(seq % 97 * 3);
    }

    /** Records every message with its arrival time; pauses on chosen ones, resumes from another thread. */
    static final class Pausing implements WebSocketHandler<Object> {
        final int pauseEvery;
        final long pauseMillis;
        final ScheduledExecutorService resumer;
        final List<String> received = new CopyOnWriteArrayList<>();
        final ConcurrentLinkedQueue<long[]> pauses = new ConcurrentLinkedQueue<>(); // {countAtPause, countAtResume}
        final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
        final AtomicLong firstResumeAt = new AtomicLong();
        final AtomicInteger violations = new AtomicInteger();
        volatile boolean paused;

        Pausing(int pauseEvery, long pauseMillis, ScheduledExecutorService resumer) {
            this.pauseEvery = pauseEvery;
            this.pauseMillis = pauseMillis;
            this.resumer = resumer;
        }

        @Override
        public void onText(WebSocket<Object> ws, ByteBuffer utf8, boolean last) {
            if (paused) {
                violations.incrementAndGet(); // delivered while paused
            }
            received.add(Recorder.text(utf8));
            arrivals.add(System.nanoTime());
            ws.sendText(utf8); // echo, so the client can check order too
            int n = received.size();
            if ((n - 1) % pauseEvery == 0) {
                paused = true;
                ws.pauseReading();
                resumer.schedule(() -> {
                    pauses.add(new long[] {n, received.size()});
                    paused = false;
                    firstResumeAt.compareAndSet(0, System.nanoTime());
                    ws.resumeReading();
                }, pauseMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    private static void run(int count, int pauseEvery, long pauseMillis) throws Exception {
        run(count, pauseEvery, pauseMillis, false);
    }

    /** With {@code tls}, over wss://: ciphertext read while paused waits undecrypted, in order. */
    private static void run(int count, int pauseEvery, long pauseMillis, boolean tls) throws Exception {
        ScheduledExecutorService resumer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "robust-resumer");
            t.setDaemon(true);
            return t;
        });
        Pausing handler = new Pausing(pauseEvery, pauseMillis, resumer);
        WebSocketServer.Builder builder = WebSocketServer.builder().address("127.0.0.1", 0).loops(2).route("/p", handler);
        if (tls) {
            builder.tls(TlsCerts.server());
        }
        try (WebSocketServer server = builder.build().start();
             WebSocketClient client = tls ? WebSocketClient.create(1, TlsCerts.client()) : WebSocketClient.create()) {
            Recorder mine = new Recorder(false);
            URI uri = tls ? URI.create("wss://localhost:" + server.port() + "/p") : Support.uri(server.port(), "/p");
            WebSocket<Object> ws = client.connect(uri, mine).get(10, TimeUnit.SECONDS);
            long sentAt = System.nanoTime();
            for (int i = 0; i < count; i++) {
                SendStatus s = ws.sendText(message(i));
                assertTrue(s == SendStatus.QUEUED || s == SendStatus.QUEUED_ABOVE_HIGH_WATERMARK, "send " + i + ": " + s);
            }
            List<String> echoes = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (echoes.size() < count) {
                Recorder.Message e = mine.track(ws).messages.poll(Math.max(1, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                if (e == null) {
                    break;
                }
                echoes.add(e.string());
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                expected.add(message(i));
            }
            assertEquals(count, handler.received.size(), "messages delivered to the server handler");
            assertEquals(expected, handler.received, "server-side order");
            assertEquals(expected, echoes, "echo order at the client");
            assertEquals(0, handler.violations.get(), "messages delivered while reading was paused");
            int expectedPauses = (count - 1) / pauseEvery + 1;
            TimeUnit.MILLISECONDS.sleep(pauseMillis + 100); // let the last resume run
            assertEquals(expectedPauses, handler.pauses.size());
            for (long[] p : handler.pauses) {
                assertEquals(p[0], p[1], "a message was delivered between pauseReading() and resumeReading()");
            }
            // Everything after the first message waited for the first resume.
            List<Long> arrivals = new ArrayList<>(handler.arrivals);
            long resumeAt = handler.firstResumeAt.get();
            for (int i = 1; i < arrivals.size(); i++) {
                assertTrue(arrivals.get(i) >= resumeAt, "message " + i + " delivered before the first resume");
            }
            assertTrue(Support.millisBetween(sentAt, arrivals.get(arrivals.size() - 1)) >= expectedPauses * pauseMillis - 50,
                    "the pauses did not hold messages back");
            ws.close();
            assertEquals(1000, mine.track(ws).closed.get(5, TimeUnit.SECONDS).code());
        } finally {
            resumer.shutdownNow();
        }
    }

    @Test
    void pauseOnFirstMessageResume300MsLaterFromAnotherThread() throws Exception {
        run(500, Integer.MAX_VALUE, 300);
    }

    @Test
    void repeatedPausesKeepEveryMessageInOrder() throws Exception {
        run(1000, 100, 60);
    }

    @Test
    void overTlsPauseOnFirstMessageResume300MsLaterFromAnotherThread() throws Exception {
        run(500, Integer.MAX_VALUE, 300, true);
    }

    @Test
    void overTlsRepeatedPausesKeepEveryMessageInOrder() throws Exception {
        run(1000, 100, 60, true);
    }
}
