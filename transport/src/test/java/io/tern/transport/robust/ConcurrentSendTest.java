package io.tern.transport.robust;

import static io.tern.transport.robust.Support.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.JdkPeer;
import io.tern.transport.testkit.Recorder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Eight application threads send through one server-side WebSocket at once (the off-loop path):
 * the JDK's client receives every message exactly once, and each thread's messages in its order.
 */
@Timeout(30)
class ConcurrentSendTest {

    private static final int THREADS = 8;
    private static final int PER_THREAD = 1000;

    static String body(int thread, int index) {
        return thread + ":" + index + ":" + "#".repeat((thread * 13 + index) % 50);
    }

    @Test
    void eightThreadsSendThroughOneSocketEveryMessageOncePerThreadInOrder() throws Exception {
        Recorder rec = new Recorder(false);
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .route("/m", rec).build().start()) {
            JdkPeer collector = new JdkPeer();
            java.net.http.WebSocket jdk = JdkPeer.open(Support.uri(server.port(), "/m"), collector);
            WebSocket<Object> ws = rec.nextOpen();

            CyclicBarrier go = new CyclicBarrier(THREADS);
            ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Thread sender = new Thread(() -> {
                    try {
                        go.await(5, TimeUnit.SECONDS);
                        for (int i = 0; i < PER_THREAD; i++) {
                            String m = body(thread, i);
                            // Even threads send text from a String, odd ones binary from a buffer.
                            SendStatus s = thread % 2 == 0 ? ws.sendText(m)
                                    : ws.sendBinary(ByteBuffer.wrap(m.getBytes(StandardCharsets.US_ASCII)));
                            if (s != SendStatus.QUEUED && s != SendStatus.QUEUED_ABOVE_HIGH_WATERMARK) {
                                refused.add(thread + ":" + i + " " + s);
                            }
                        }
                    } catch (Exception e) {
                        refused.add("thread " + thread + " failed: " + e);
                    }
                }, "robust-sender-" + t);
                sender.setDaemon(true);
                senders.add(sender);
                sender.start();
            }
            for (Thread s : senders) {
                s.join(10_000);
                assertTrue(!s.isAlive(), s.getName() + " still sending");
            }
            assertTrue(refused.isEmpty(), () -> "sends refused: " + refused);
            await(() -> collector.messages.size() >= THREADS * PER_THREAD, Duration.ofSeconds(15),
                    () -> "received only " + collector.messages.size() + " of " + THREADS * PER_THREAD + " messages");
            Thread.sleep(100); // anything extra (a duplicate) would arrive now
            List<Recorder.Message> got = new ArrayList<>(collector.messages);
            assertEquals(THREADS * PER_THREAD, got.size(), "messages received (duplicates?)");
            int[] next = new int[THREADS];
            for (Recorder.Message message : got) {
                boolean binary = !message.text();
                String m = message.string();
                String[] parts = m.split(":", 3);
                int thread = Integer.parseInt(parts[0]);
                int index = Integer.parseInt(parts[1]);
                assertEquals(thread % 2 == 1, binary, "message type of " + m);
                assertEquals(body(thread, index), m, "content");
                assertEquals(next[thread], index, "thread " + thread + ": message " + index + " out of order or duplicated");
                next[thread]++;
            }
            for (int t = 0; t < THREADS; t++) {
                assertEquals(PER_THREAD, next[t], "thread " + t + " messages received");
            }
            jdk.sendClose(1000, "done").get(5, TimeUnit.SECONDS);
            assertEquals(1000, collector.closed.get(5, TimeUnit.SECONDS).code());
            assertEquals(1000, rec.track(ws).closed.get(5, TimeUnit.SECONDS).code());
        }
    }
}
