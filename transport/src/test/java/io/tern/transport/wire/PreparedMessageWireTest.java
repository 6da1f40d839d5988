package io.tern.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tern.codec.Opcode;
import io.tern.transport.PreparedMessage;
import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.RawPeer;
import io.tern.transport.testkit.Recorder;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Prepared messages on one connection: repeated in one batch, among other sends, and from a client. */
@Timeout(30)
class PreparedMessageWireTest {

    @Test
    void theSameMessageQueuedSeveralTimesInOneBatchArrivesEachTimeInOrder() throws Exception {
        Recorder handler = new Recorder(false);
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/p", handler).build().start();
             RawPeer peer = RawPeer.upgraded(server.port(), "/p")) {
            WebSocket<Object> ws = handler.awaitOpen(5);
            PreparedMessage tick = PreparedMessage.text("tick");
            PreparedMessage big = PreparedMessage.binary(ByteBuffer.wrap(new byte[70_000]));
            CompletableFuture<List<SendStatus>> sent = new CompletableFuture<>();
            ws.executor().execute(() -> {
                List<SendStatus> s = new ArrayList<>();
                s.add(ws.send(tick));
                s.add(ws.send(tick));          // the same shared frame twice in a row
                s.add(ws.sendText("between"));
                s.add(ws.send(big));
                s.add(ws.send(tick));
                s.add(ws.send(big));           // a large one again: written across several writes
                sent.complete(s);
            });
            for (SendStatus s : sent.get(5, TimeUnit.SECONDS)) {
                assertEquals(true, s == SendStatus.QUEUED || s == SendStatus.QUEUED_ABOVE_HIGH_WATERMARK, s.toString());
            }
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Frame f = peer.readFrame();
                got.add(f.opcode() == Opcode.TEXT ? new String(f.payload(), StandardCharsets.UTF_8)
                        : "binary " + f.payload().length);
            }
            assertEquals(List.of("tick", "tick", "between", "binary 70000", "tick", "binary 70000"), got);
            assertEquals("8104" + "7469636b", hex(tick.frame()), "framed once, as a server sends it");
        }
    }

    @Test
    void aClientSendsItsOwnMaskedCopyAndAWholeMessageCannotInterruptAFragmentedOne() throws Exception {
        Recorder serverSide = new Recorder(false);
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/p", serverSide).build().start();
             WebSocketClient client = WebSocketClient.create(1)) {
            WebSocket<Object> ws = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/p"), new Recorder(false))
                    .get(5, TimeUnit.SECONDS);
            PreparedMessage hello = PreparedMessage.text("hello from a client");
            assertEquals(SendStatus.QUEUED, ws.send(hello));
            assertEquals("hello from a client", new String(serverSide.nextMessage(5).data(), StandardCharsets.UTF_8),
                    "the server accepts it: a client's frame is masked (RFC 6455 §5.3)");
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            ws.executor().execute(() -> {
                ws.sendTextFragment(ByteBuffer.wrap("part".getBytes(StandardCharsets.UTF_8)), false);
                refused.complete(assertThrows(IllegalStateException.class, () -> ws.send(hello)));
                ws.sendTextFragment(ByteBuffer.wrap(" two".getBytes(StandardCharsets.UTF_8)), true);
            });
            refused.get(5, TimeUnit.SECONDS);
            assertEquals("part two", new String(serverSide.nextMessage(5).data(), StandardCharsets.UTF_8),
                    "RFC 6455 §5.4: no other data message inside a fragmented one");
        }
    }

    private static String hex(ByteBuffer b) {
        StringBuilder s = new StringBuilder();
        for (int i = b.position(); i < b.limit(); i++) {
            s.append(String.format("%02x", b.get(i)));
        }
        return s.toString();
    }
}
