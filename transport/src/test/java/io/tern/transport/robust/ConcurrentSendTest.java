package io.tern.transport.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketServer;
import io.tern.transport.robust.Support.Recorder;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
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

    /** Collects whole messages (text and binary) as "thread:index" strings. */
    static final class Collector implements java.net.http.WebSocket.Listener {
        final ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
        final CountDownLatch all = new CountDownLatch(THREADS * PER_THREAD);
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(java.net.http.WebSocket ws, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.write(chunk, 0, chunk.length);
            if (last) {
                add("bin/" + new String(binary.toByteArray(), StandardCharsets.US_ASCII));
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        private void add(String m) {
            messages.add(m);
            all.countDown();
        }

        @Override
        public CompletionStage<?> onClose(java.net.http.WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(java.net.http.WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }
    }

    static String body(int thread, int index) {
        return thread + ":" + index + ":" + "#".repeat((thread * 13 + index) % 50);
    }

    @Test
    void eightThreadsSendThroughOneSocketEveryMessageOncePerThreadInOrder() throws Exception {
        Recorder rec = new Recorder(false);
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .route("/m", rec).build().start()) {
            Collector collector = new Collector();
            java.net.http.WebSocket jdk = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(Support.uri(server.port(), "/m"), collector).get(5, TimeUnit.SECONDS);
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
            if (!collector.all.await(15, TimeUnit.SECONDS)) {
                fail("received only " + collector.messages.size() + " of " + THREADS * PER_THREAD + " messages");
            }
            Thread.sleep(100); // anything extra (a duplicate) would arrive now
            List<String> got = new ArrayList<>(collector.messages);
            assertEquals(THREADS * PER_THREAD, got.size(), "messages received (duplicates?)");
            int[] next = new int[THREADS];
            for (String m : got) {
                boolean binary = m.startsWith("bin/");
                String[] parts = (binary ? m.substring(4) : m).split(":", 3);
                int thread = Integer.parseInt(parts[0]);
                int index = Integer.parseInt(parts[1]);
                assertEquals(thread % 2 == 1, binary, "message type of " + m);
                assertEquals(body(thread, index), binary ? m.substring(4) : m, "content");
                assertEquals(next[thread], index, "thread " + thread + ": message " + index + " out of order or duplicated");
                next[thread]++;
            }
            for (int t = 0; t < THREADS; t++) {
                assertEquals(PER_THREAD, next[t], "thread " + t + " messages received");
            }
            jdk.sendClose(1000, "done").get(5, TimeUnit.SECONDS);
            assertEquals(1000, collector.closed.get(5, TimeUnit.SECONDS));
            assertEquals(1000, rec.track(ws).closed.get(5, TimeUnit.SECONDS).code());
        }
    }
}
