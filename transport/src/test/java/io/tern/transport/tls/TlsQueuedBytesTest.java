package io.tern.transport.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.Opcode;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.TlsCerts;
import io.tern.transport.testkit.TlsRawClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A TLS peer that stops reading: the records the server has wrapped but cannot write yet (up to
 * 64 KiB) count toward the connection's queued bytes, its limits and the server's outbound total,
 * like every byte queued for the peer.
 *
 * <p>The check: once the socket is full, with {@code P} frame bytes sent, {@code W} ciphertext
 * bytes written and {@code Q} reported as queued, {@code Q + W - P} is the record overhead of what
 * has been wrapped so far, which is the whole message's record overhead (measured once it is all
 * written) times {@code W / P}, within a few hundred bytes. Were the records waiting for the
 * socket left out of {@code Q}, {@code Q + W - P} would fall short by them: kilobytes, unless the
 * socket happened to fill with almost nothing left waiting.
 */
@Timeout(180) // the first TLS test of a run makes the test certificates with keytool
class TlsQueuedBytesTest {

    private static final int PAYLOAD = 8 << 20;
    private static final int FRAME = PAYLOAD + 10; // 127 + 8-byte length

    private static <T> T onLoop(WebSocket<Object> ws, Callable<T> task) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        ws.executor().execute(() -> {
            try {
                done.complete(task.call());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done.get(20, TimeUnit.SECONDS);
    }

    @Test
    void recordsWaitingForTheSocketCountAsQueuedBytes() throws Exception {
        CompletableFuture<WebSocket<Object>> opened = new CompletableFuture<>();
        WebSocketHandler<Object> handler = new WebSocketHandler<>() {
            @Override
            public void onOpen(WebSocket<Object> ws) {
                opened.complete(ws);
            }
        };
        byte[] payload = new byte[PAYLOAD];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 13 + (i >>> 16));
        }
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .tls(TlsCerts.server())
                .route("/q", handler, ConnectionSettings.defaults().withOutboundLimits(64 * 1024, 256 * 1024, 64L << 20))
                .build().start();
             TlsRawClient peer = TlsRawClient.connect(server.port(), TlsCerts.clientContext(), "TLSv1.3")) {
            assertTrue(peer.upgrade("/q").startsWith("HTTP/1.1 101"));
            WebSocket<Object> ws = opened.get(10, TimeUnit.SECONDS);
            Thread.sleep(100); // let the 101 and the session tickets leave
            long written0 = onLoop(ws, () -> {
                assertEquals(0, ws.queuedBytes());
                return server.stats().bytesOut();
            });
            assertEquals(SendStatus.QUEUED_ABOVE_HIGH_WATERMARK, onLoop(ws, () -> ws.sendBinary(ByteBuffer.wrap(payload))));

            // The peer reads nothing: wait until the server's socket is full and nothing moves.
            long[] last = {-1, -1};
            int still = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (still < 4 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                long[] now = onLoop(ws, () -> new long[] {ws.queuedBytes(), server.stats().bytesOut() - written0,
                        server.outboundBytes()});
                still = now[0] == last[0] && now[1] == last[1] ? still + 1 : 0;
                last = new long[] {now[0], now[1]};
                assertEquals(now[0], now[2], "the server's total is this connection's queue");
            }
            long queued = last[0];
            long written = last[1];
            assertTrue(queued > 0 && written > 0, "blocked with " + queued + " queued, " + written + " written");
            long overheadSoFar = queued + written - FRAME;
            // The peer reads it all: the message is whole and every count goes back to zero.
            Frame f = peer.readFrame();
            assertEquals(Opcode.BINARY, f.opcode());
            assertArrayEquals(payload, f.payload());
            long deadline2 = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long left;
            do {
                left = onLoop(ws, ws::queuedBytes);
            } while (left != 0 && System.nanoTime() < deadline2);
            assertEquals(0, left);
            assertEquals(0, server.outboundBytes());

            // All records written now: their overhead over the frame, per frame byte, is what the
            // records wrapped by the time of the snapshot cost, give or take the last record.
            long overheadAll = onLoop(ws, () -> server.stats().bytesOut() - written0) - FRAME;
            double expected = overheadAll * (double) written / FRAME;
            System.out.printf("TLS peer not reading: %d bytes queued, %d ciphertext bytes written; record overhead"
                    + " %d accounted, %.0f expected (%d for the whole message)%n", queued, written, overheadSoFar,
                    expected, overheadAll);
            assertTrue(overheadAll > 0 && overheadAll < FRAME / 100, "record overhead of the whole message: " + overheadAll);
            assertTrue(Math.abs(overheadSoFar - expected) <= 512,
                    "queued + written - frame must be the overhead of the records wrapped so far (" + expected
                    + "); it is " + overheadSoFar + ": records waiting for the socket are missing from the queue");
        }
    }
}
