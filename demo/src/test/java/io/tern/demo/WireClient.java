package io.tern.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One test connection made with Tern's own client: every text message it receives is queued as a
 * string, and its close code is kept. Waits are bounded (5 s).
 *
 * <p>Threading: the handler runs on the client's loop; the test thread reads the queue.
 */
final class WireClient implements WebSocketHandler<Void> {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT_SECONDS = 5;

    final String label;
    final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Boolean> binaries = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private WebSocket<Void> socket;

    private WireClient(String label) {
        this.label = label;
    }

    static WireClient connect(WebSocketClient client, URI uri, String label) throws Exception {
        return connect(client, uri, label, ConnectionSettings.defaults());
    }

    static WireClient connect(WebSocketClient client, URI uri, String label, ConnectionSettings settings) throws Exception {
        WireClient c = new WireClient(label);
        c.socket = client.connect(uri, c, settings).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return c;
    }

    WebSocket<Void> socket() {
        return socket;
    }

    @Override
    public void onText(WebSocket<Void> ws, ByteBuffer utf8, boolean last) {
        received.add(StandardCharsets.UTF_8.decode(utf8).toString());
    }

    @Override
    public void onBinary(WebSocket<Void> ws, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        received.add("binary:" + new String(bytes, StandardCharsets.ISO_8859_1));
    }

    @Override
    public void onClose(WebSocket<Void> ws, int code, String reason, boolean clean) {
        closeCode.complete(code);
    }

    void send(String text) {
        socket.sendText(text);
    }

    /** The next text message, within 5 s. */
    String next() throws InterruptedException {
        String m = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(m, label + " received nothing within " + WAIT_SECONDS + " s");
        return m;
    }

    JsonNode nextJson() throws InterruptedException, IOException {
        return JSON.readTree(next());
    }

    /** The next message is exactly {@code json}. */
    void expect(String json) throws InterruptedException {
        assertEquals(json, next(), label);
    }

    /** The next message is an error with this code (and, when given, request). */
    JsonNode expectError(String code, String request) throws InterruptedException, IOException {
        JsonNode error = nextJson();
        assertEquals("error", error.path("type").asText(), label + ": " + error);
        assertEquals(code, error.path("code").asText(), label + ": " + error);
        assertEquals(request == null, !error.has("request"), label + ": " + error);
        if (request != null) {
            assertEquals(request, error.get("request").asText(), label + ": " + error);
        }
        return error;
    }

    /**
     * Proves nothing else is queued for this connection: an unknown request is answered in order
     * after everything sent to it before, so its error must come next.
     */
    void expectNothingElse() throws InterruptedException, IOException {
        send("{\"type\":\"barrier\"}");
        JsonNode error = nextJson();
        assertEquals("unknown-type", error.path("code").asText(), label + " got something unexpected: " + error);
    }

    int awaitClose() throws Exception {
        return closeCode.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    void close() {
        socket.close();
    }
}
