package io.tern.autobahn.runner;

import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketHandler;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Tern's WebSocketClient driven through the fuzzing server protocol, as a testee client: reads
 * {@code /getCaseCount}, runs every case with an echo handler, then asks for {@code /updateReports}.
 */
final class TernCaseClient {

    private TernCaseClient() {
    }

    static void runAll(int port, String agent, Duration perCase) throws Exception {
        ConnectionSettings settings = ConnectionSettings.defaults()
                .withMaxFrameSize(64L << 20)
                .withMaxMessageSize(64L << 20)
                .withMaxFragments(1 << 20) // group 9: 4 MiB in 64-byte fragments
                .withOutboundLimits(16L << 20, 32L << 20, 128L << 20);
        try (WebSocketClient client = WebSocketClient.create()) {
            String base = "ws://127.0.0.1:" + port;
            StringBuilder count = new StringBuilder();
            session(client, URI.create(base + "/getCaseCount"), settings, count, perCase);
            int n = Integer.parseInt(count.toString().trim());
            for (int i = 1; i <= n; i++) {
                session(client, URI.create(base + "/runCase?case=" + i + "&agent=" + agent), settings, null, perCase);
            }
            session(client, URI.create(base + "/updateReports?agent=" + agent), settings, null, perCase);
        }
    }

    /** One connection: echo (or collect text into {@code text}), return when it is closed. */
    private static void session(WebSocketClient client, URI uri, ConnectionSettings settings, StringBuilder text,
                                Duration bound) throws Exception {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        WebSocketHandler<Void> handler = new WebSocketHandler<>() {
            @Override
            public void onText(WebSocket<Void> ws, ByteBuffer utf8, boolean last) {
                if (text != null) {
                    text.append(StandardCharsets.UTF_8.decode(utf8));
                } else {
                    ws.sendText(utf8);
                }
            }

            @Override
            public void onBinary(WebSocket<Void> ws, ByteBuffer data, boolean last) {
                ws.sendBinary(data);
            }

            @Override
            public void onClose(WebSocket<Void> ws, int code, String reason, boolean clean) {
                closed.complete(null);
            }
        };
        client.connect(uri, handler, settings).whenComplete((ws, error) -> {
            if (error != null) {
                closed.complete(null);
            }
        });
        closed.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    }
}
