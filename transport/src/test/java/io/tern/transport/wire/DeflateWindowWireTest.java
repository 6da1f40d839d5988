package io.tern.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.deflate.DeflateOptions;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.DeflateReference;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.HttpHead;
import io.tern.transport.testkit.RawPeer;
import io.tern.transport.testkit.RawServer;
import io.tern.transport.testkit.Recorder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The window sizes agreed for permessage-deflate, checked on the wire: every back-reference in
 * what the server (or the Tern client) compresses stays within 2^bits bytes, also across messages.
 */
@ExtendWith(NoLeakedLoops.class)
@Timeout(30)
class DeflateWindowWireTest {

    /** Messages built from a few repeated segments, so they refer back over many distances. */
    static List<String> messages() {
        SplittableRandom rnd = new SplittableRandom(42);
        String[] segments = new String[8];
        for (int i = 0; i < segments.length; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < 150; k++) {
                b.append((char) ('!' + rnd.nextInt(90)));
            }
            segments[i] = b.toString();
        }
        List<String> out = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < 40; k++) {
                b.append(segments[rnd.nextInt(segments.length)]).append(k % 7 == 0 ? "ü" : "");
            }
            out.add(b.toString());
        }
        return out;
    }

    static Stream<Arguments> serverWindows() {
        List<Arguments> all = new ArrayList<>();
        for (int bits : new int[] {8, 9, 10, 11, 12, 15}) {
            all.add(Arguments.of(bits, false));
            all.add(Arguments.of(bits, true));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "server_max_window_bits={0} no_context_takeover={1}")
    @MethodSource("serverWindows")
    void serverKeepsWithinTheWindowTheClientAskedFor(int bits, boolean noContext) throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/z", serverSide, ConnectionSettings.defaults().withDeflate(DeflateOptions.defaults()))
                .build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            String offer = "permessage-deflate" + (noContext ? "; server_no_context_takeover" : "")
                    + "; server_max_window_bits=" + bits;
            HttpHead head = peer.upgrade("/z", "Sec-WebSocket-Extensions: " + offer);
            assertEquals(offer, head.single("Sec-WebSocket-Extensions"));
            DeflateReference inflater = new DeflateReference();
            for (String m : messages()) {
                peer.sendFrame(0x1, Payloads.utf8(m)); // sent uncompressed; the echo comes back compressed
                Frame echo = peer.readFrame();
                assertEquals(Frame.RSV1, echo.rsv(), "the echo is compressed");
                if (noContext) {
                    inflater.resetHistory(); // and then any reference into an earlier message fails
                }
                assertEquals(m, new String(inflater.inflateMessage(echo.payload()), StandardCharsets.UTF_8));
            }
            assertTrue(inflater.maxDistance() > 0, "the server did compress with back-references");
            assertTrue(inflater.maxDistance() <= 1 << bits,
                    () -> "a back-reference of " + inflater.maxDistance() + " bytes exceeds the agreed window of "
                            + (1 << bits));
        }
    }

    static Stream<Arguments> clientWindows() {
        return Stream.of(8, 9, 10, 12, 15).map(Arguments::of);
    }

    @ParameterizedTest(name = "client_max_window_bits={0}")
    @MethodSource("clientWindows")
    void ternClientKeepsWithinTheWindowTheServerImposed(int bits) throws Exception {
        try (RawServer server = RawServer.open();
             WebSocketClient client = WebSocketClient.create()) {
            CompletableFuture<WebSocket<Object>> future = client.connect(
                    URI.create("ws://127.0.0.1:" + server.port() + "/z"), new Recorder(),
                    ConnectionSettings.defaults().withDeflate(DeflateOptions.defaults()));
            HttpHead req = server.acceptRequest();
            assertEquals("permessage-deflate; client_max_window_bits", req.single("Sec-WebSocket-Extensions"));
            server.writeAscii(RawServer.switching(req,
                    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=" + bits));
            WebSocket<Object> ws = future.get(5, TimeUnit.SECONDS);
            assertTrue(ws.isCompressed());
            DeflateReference inflater = new DeflateReference();
            for (String m : messages()) {
                assertEquals(SendStatus.QUEUED, ws.sendText(m));
                Frame f = server.readFrame();
                assertTrue(f.masked(), "a client masks every frame");
                assertEquals(0x1, f.opcode());
                assertEquals(Frame.RSV1, f.rsv(), "the client compresses");
                assertEquals(m, new String(inflater.inflateMessage(f.payload()), StandardCharsets.UTF_8));
            }
            assertTrue(inflater.maxDistance() > 0, "the client did compress with back-references");
            assertTrue(inflater.maxDistance() <= 1 << bits,
                    () -> "a back-reference of " + inflater.maxDistance() + " bytes exceeds the imposed window of "
                            + (1 << bits));
            ws.abort();
        }
    }
}
