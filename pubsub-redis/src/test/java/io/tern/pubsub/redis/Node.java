package io.tern.pubsub.redis;

import io.tern.pubsub.PubSub;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.PreparedMessage;
import io.tern.transport.UpgradeDecision;
import io.tern.transport.UpgradeRequest;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * One Tern instance of the tests: a real {@link WebSocketServer} on 127.0.0.1 with its own
 * {@link PubSub} and {@link RedisBridge}. Route {@code /t} takes text commands: {@code sub:T},
 * {@code unsub:T}, {@code pub:T:x}, {@code pubx:T:x} (all but the sender), {@code key:K:x}
 * (sendToKey), {@code bin:T:x} (x published as binary); a connection's key is its query.
 */
final class Node implements AutoCloseable {

    final PubSub pubsub;
    final RedisBridge bridge;
    final WebSocketServer server;
    final Map<Long, WebSocket<Object>> sockets = new ConcurrentHashMap<>();

    Node(String redisUri, UnaryOperator<RedisBridge.Builder> configure) throws Exception {
        pubsub = PubSub.builder().keyOf(ws -> ws.attachment()).build();
        bridge = configure.apply(RedisBridge.builder(pubsub, redisUri)).start();
        server = WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .route("/t", new Commands(), ConnectionSettings.defaults()
                        .withConnectionListeners(List.of(pubsub.connectionListener())))
                .build().start();
    }

    final class Commands implements WebSocketHandler<Object> {
        @Override
        public UpgradeDecision<Object> onUpgrade(UpgradeRequest request) {
            return UpgradeDecision.accept(request.query());
        }

        @Override
        public void onOpen(WebSocket<Object> ws) {
            sockets.put(ws.id(), ws);
        }

        @Override
        public void onText(WebSocket<Object> ws, ByteBuffer utf8, boolean last) {
            String[] c = StandardCharsets.UTF_8.decode(utf8).toString().split(":", 3);
            switch (c[0]) {
                case "sub" -> pubsub.subscribe(ws, c[1]);
                case "unsub" -> pubsub.unsubscribe(ws, c[1]);
                case "pub" -> pubsub.publish(c[1], PreparedMessage.text(c[2]));
                case "pubx" -> pubsub.publishExcept(c[1], PreparedMessage.text(c[2]), ws);
                case "bin" -> pubsub.publish(c[1], PreparedMessage.binary(ByteBuffer.wrap(c[2].getBytes(StandardCharsets.UTF_8))));
                case "key" -> pubsub.sendToKey(c[1], PreparedMessage.text(c[2]));
                default -> ws.sendText("unknown");
            }
        }
    }

    /** A client connection and everything it received, in order (binary messages as "bin:" + UTF-8). */
    static final class Inbox implements WebSocketHandler<Object> {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        volatile WebSocket<Object> socket;

        @Override
        public void onText(WebSocket<Object> ws, ByteBuffer utf8, boolean last) {
            texts.add(StandardCharsets.UTF_8.decode(utf8).toString());
        }

        @Override
        public void onBinary(WebSocket<Object> ws, ByteBuffer data, boolean last) {
            texts.add("bin:" + StandardCharsets.UTF_8.decode(data));
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

        void send(String text) {
            socket.sendText(text);
        }
    }

    List<Inbox> connect(WebSocketClient client, int n, String key) throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/t" + (key == null ? "" : "?" + key));
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

    /** The server-side connection of a client (matched by the order of opening: the last one whose key is given). */
    long serverIdOf(String key) {
        return sockets.values().stream().filter(ws -> key.equals(ws.attachment())).mapToLong(WebSocket::id)
                .max().orElseThrow();
    }

    @Override
    public void close() {
        bridge.close();
        server.close();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, 10_000, condition);
    }

    static void await(String what, long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + millis + " ms: " + what);
            }
            Thread.sleep(5);
        }
    }
}
