package io.tern.pubsub;

import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Test kit of the pub/sub tests: a server whose handler subscribes on command, and clients that queue what they receive. */
final class Clients {

    private Clients() {
    }

    /** A client connection and everything it received, in order. */
    static final class Inbox implements WebSocketHandler<Object> {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile WebSocket<Object> socket;

        @Override
        public void onText(WebSocket<Object> ws, ByteBuffer utf8, boolean last) {
            texts.add(StandardCharsets.UTF_8.decode(utf8).toString());
        }

        @Override
        public void onClose(WebSocket<Object> ws, int code, String reason, boolean clean) {
            closed.complete(code);
        }

        String next() throws InterruptedException {
            String s = texts.poll(10, TimeUnit.SECONDS);
            if (s == null) {
                throw new AssertionError("no message within 10 s");
            }
            return s;
        }

        void expectNothing(long millis) throws InterruptedException {
            String s = texts.poll(millis, TimeUnit.MILLISECONDS);
            if (s != null) {
                throw new AssertionError("unexpected message: " + s);
            }
        }
    }

    /**
     * A server on 127.0.0.1 whose route {@code /t} runs the given handler, with the pub/sub's
     * connection listener configured.
     */
    static WebSocketServer server(PubSub pubsub, WebSocketHandler<Object> handler, int loops, ConnectionSettings settings)
            throws Exception {
        return WebSocketServer.builder().address("127.0.0.1", 0).loops(loops)
                .route("/t", handler, settings.withConnectionListeners(List.of(pubsub.connectionListener())))
                .build().start();
    }

    static List<Inbox> connect(WebSocketClient client, WebSocketServer server, int n, String query) throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/t" + (query == null ? "" : "?" + query));
        List<CompletableFuture<WebSocket<Object>>> pending = new ArrayList<>();
        List<Inbox> inboxes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Inbox inbox = new Inbox();
            inboxes.add(inbox);
            pending.add(client.connect(uri, inbox));
        }
        for (int i = 0; i < n; i++) {
            inboxes.get(i).socket = pending.get(i).get(10, TimeUnit.SECONDS);
        }
        return inboxes;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(() -> what, condition);
    }

    static void await(java.util.function.Supplier<String> what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what.get());
            }
            Thread.sleep(2);
        }
    }
}
