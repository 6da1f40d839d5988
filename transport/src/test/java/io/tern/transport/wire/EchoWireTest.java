package io.tern.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.ReaderSettings;
import io.tern.codec.deflate.DeflateOptions;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.DeflateReference;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.HttpHead;
import io.tern.transport.testkit.JdkPeer;
import io.tern.transport.testkit.RawPeer;
import io.tern.transport.testkit.Recorder;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Echo over real sockets at every length-encoding boundary and at 16 MiB, whole and fragmented,
 * compressed and not, with Tern's client and the JDK's; content compared by SHA-256.
 */
@ExtendWith(NoLeakedLoops.class)
@Timeout(120)
class EchoWireTest {

    private static final int MIB = Payloads.MIB;

    private static ConnectionSettings big(boolean deflate) {
        ConnectionSettings s = ConnectionSettings.defaults()
                .withMaxFrameSize(32L * MIB)
                .withMaxMessageSize(32L * MIB)
                .withOutboundLimits(MIB, 64L * MIB, 128L * MIB);
        return deflate ? s.withDeflate(DeflateOptions.defaults()) : s;
    }

    private static URI uri(WebSocketServer s, String path) {
        return URI.create("ws://127.0.0.1:" + s.port() + path);
    }

    /** Fragment boundaries: three pieces, cut anywhere (also inside a UTF-8 sequence). */
    private static int[] cuts(int n) {
        return new int[] {0, n / 3, Math.min(n, 2 * n / 3 + 1), n};
    }

    private static Stream<Arguments> cases(boolean[] deflateValues) {
        List<Arguments> all = new ArrayList<>();
        for (boolean text : new boolean[] {true, false}) {
            for (int size : Payloads.SIZES) {
                for (boolean fragmented : new boolean[] {false, true}) {
                    for (boolean deflate : deflateValues) {
                        all.add(Arguments.of(text ? "text" : "binary", size, fragmented, deflate));
                    }
                }
            }
        }
        return all.stream();
    }

    static Stream<Arguments> bothDeflate() {
        return cases(new boolean[] {false, true});
    }

    private static byte[] expected(boolean text, int size) {
        return text ? Payloads.utf8(Payloads.text(size)) : Payloads.binary(size);
    }

    private static void assertSame(boolean text, int size, Recorder.Message got) {
        assertEquals(text, got.text(), "message type");
        assertEquals(size, got.data().length, "message length");
        assertEquals(Payloads.sha256(expected(text, size)), Payloads.sha256(got.data()), "content (SHA-256)");
    }

    /** Sends one message from the Tern client, whole or in three fragments. */
    private static void ternSend(WebSocket<Object> ws, boolean text, int size, boolean fragmented) {
        byte[] bytes = expected(text, size);
        if (!fragmented) {
            SendStatus st = text ? ws.sendText(Payloads.text(size)) : ws.sendBinary(ByteBuffer.wrap(bytes));
            assertEquals(SendStatus.QUEUED, st);
            return;
        }
        int[] c = cuts(size);
        for (int i = 0; i < 3; i++) {
            ByteBuffer piece = ByteBuffer.wrap(bytes, c[i], c[i + 1] - c[i]);
            boolean last = i == 2;
            SendStatus st = text ? ws.sendTextFragment(piece, last) : ws.sendBinaryFragment(piece, last);
            assertEquals(SendStatus.QUEUED, st, "fragment " + i);
        }
    }

    // ------------------------------------------------------------------ Tern client, whole-message server

    @ParameterizedTest(name = "tern {0} {1} B fragmented={2} deflate={3}")
    @MethodSource("bothDeflate")
    void ternClientEcho(String kind, int size, boolean fragmented, boolean deflate) throws Exception {
        boolean text = kind.equals("text");
        Recorder serverSide = new Recorder(true);
        Recorder clientSide = new Recorder();
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/echo", serverSide, big(deflate)).build().start();
             WebSocketClient client = WebSocketClient.create()) {
            WebSocket<Object> ws = client.connect(uri(s, "/echo"), clientSide, big(deflate)).get(5, TimeUnit.SECONDS);
            assertEquals(deflate, ws.isCompressed());
            assertEquals(deflate, serverSide.awaitOpen(5).isCompressed());
            ternSend(ws, text, size, fragmented);
            assertSame(text, size, serverSide.nextMessage(60));
            assertSame(text, size, clientSide.nextMessage(60));
            ws.close(1000, "done");
            assertEquals(new Recorder.Closed(1000, "done", true), serverSide.awaitClose(5));
            assertTrue(serverSide.errors.isEmpty(), () -> "server errors: " + serverSide.errors);
            assertTrue(clientSide.errors.isEmpty(), () -> "client errors: " + clientSide.errors);
        }
    }

    // ------------------------------------------------------------------ JDK client

    @ParameterizedTest(name = "jdk {0} {1} B fragmented={2} server-deflate={3}")
    @MethodSource("bothDeflate")
    void jdkClientEcho(String kind, int size, boolean fragmented, boolean serverDeflate) throws Exception {
        boolean text = kind.equals("text");
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/echo", serverSide, big(serverDeflate)).build().start()) {
            JdkPeer listener = new JdkPeer();
            java.net.http.WebSocket ws = JdkPeer.open(uri(s, "/echo"), listener);
            try {
                assertFalse(serverSide.awaitOpen(5).isCompressed(), "the JDK client never offers permessage-deflate");
                if (text) {
                    String t = Payloads.text(size);
                    if (!fragmented) {
                        ws.sendText(t, true).get(30, TimeUnit.SECONDS);
                    } else {
                        int a = t.length() / 3;
                        int b = 2 * t.length() / 3;
                        a += a < t.length() && Character.isLowSurrogate(t.charAt(a)) ? 1 : 0;
                        b += b < t.length() && Character.isLowSurrogate(t.charAt(b)) ? 1 : 0;
                        ws.sendText(t.substring(0, a), false).get(30, TimeUnit.SECONDS);
                        ws.sendText(t.substring(a, b), false).get(30, TimeUnit.SECONDS);
                        ws.sendText(t.substring(b), true).get(30, TimeUnit.SECONDS);
                    }
                } else {
                    byte[] bytes = Payloads.binary(size);
                    if (!fragmented) {
                        ws.sendBinary(ByteBuffer.wrap(bytes), true).get(30, TimeUnit.SECONDS);
                    } else {
                        int[] c = cuts(size);
                        for (int i = 0; i < 3; i++) {
                            ws.sendBinary(ByteBuffer.wrap(bytes, c[i], c[i + 1] - c[i]), i == 2).get(30, TimeUnit.SECONDS);
                        }
                    }
                }
                assertSame(text, size, serverSide.nextMessage(60));
                assertSame(text, size, listener.nextMessage(60));
                ws.sendClose(1000, "jdk done").get(5, TimeUnit.SECONDS);
                assertEquals(1000, listener.closed.get(5, TimeUnit.SECONDS).code());
                assertEquals(new Recorder.Closed(1000, "jdk done", true), serverSide.awaitClose(5));
            } finally {
                ws.abort();
            }
        }
    }

    // ------------------------------------------------------------------ fragment-delivering server

    /** Echoes every piece as it arrives, as a fragment. */
    static final class FragmentEcho extends Recorder {
        final AtomicInteger pieces = new AtomicInteger();
        final List<SendStatus> statuses = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onText(WebSocket<Object> socket, ByteBuffer utf8, boolean last) {
            pieces.incrementAndGet();
            statuses.add(socket.sendTextFragment(utf8, last));
        }

        @Override
        public void onBinary(WebSocket<Object> socket, ByteBuffer data, boolean last) {
            pieces.incrementAndGet();
            statuses.add(socket.sendBinaryFragment(data, last));
        }
    }

    @ParameterizedTest(name = "fragments {0} {1} B fragmented={2} deflate={3}")
    @MethodSource("bothDeflate")
    void fragmentDeliveringServerEchoesEachPieceAsAFragment(String kind, int size, boolean fragmented, boolean deflate)
            throws Exception {
        boolean text = kind.equals("text");
        FragmentEcho serverSide = new FragmentEcho();
        Recorder clientSide = new Recorder();
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/frag", serverSide, big(deflate).withDelivery(ReaderSettings.Delivery.FRAGMENTS)).build().start();
             WebSocketClient client = WebSocketClient.create()) {
            WebSocket<Object> ws = client.connect(uri(s, "/frag"), clientSide, big(deflate)).get(5, TimeUnit.SECONDS);
            ternSend(ws, text, size, fragmented);
            assertSame(text, size, clientSide.nextMessage(60));
            if (size >= 65536) {
                assertTrue(serverSide.pieces.get() > 1, "a large message arrives in several pieces");
            }
            for (SendStatus st : serverSide.statuses) {
                assertEquals(SendStatus.QUEUED, st);
            }
            assertTrue(serverSide.errors.isEmpty(), () -> "server errors: " + serverSide.errors);
        }
    }

    static Stream<Arguments> jdkFragmentCases() {
        // 16 MiB of text through the JDK client alone takes ~20 s: binary covers the large size here.
        return cases(new boolean[] {false}).filter(a -> !(a.get()[0].equals("text") && (int) a.get()[1] > 65536));
    }

    @ParameterizedTest(name = "fragments, jdk {0} {1} B fragmented={2}")
    @MethodSource("jdkFragmentCases")
    void fragmentDeliveringServerEchoesToTheJdkClient(String kind, int size, boolean fragmented, boolean unused)
            throws Exception {
        boolean text = kind.equals("text");
        FragmentEcho serverSide = new FragmentEcho();
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/frag", serverSide, big(false).withDelivery(ReaderSettings.Delivery.FRAGMENTS)).build().start()) {
            JdkPeer listener = new JdkPeer();
            java.net.http.WebSocket ws = JdkPeer.open(uri(s, "/frag"), listener);
            try {
                byte[] bytes = expected(text, size);
                int[] c = fragmented ? cuts(size) : new int[] {0, size};
                for (int i = 0; i + 1 < c.length; i++) {
                    boolean last = i + 2 == c.length;
                    if (text) {
                        // the JDK client takes characters: cut the text where the byte cuts fall, rounded to a character
                        String t = Payloads.text(size);
                        ws.sendText(charsBetween(t, c[i], c[i + 1]), last).get(30, TimeUnit.SECONDS);
                    } else {
                        ws.sendBinary(ByteBuffer.wrap(bytes, c[i], c[i + 1] - c[i]), last).get(30, TimeUnit.SECONDS);
                    }
                }
                assertSame(text, size, listener.nextMessage(60));
                assertTrue(serverSide.errors.isEmpty(), () -> "server errors: " + serverSide.errors);
            } finally {
                ws.abort();
            }
        }
    }

    /** The characters of {@code t} whose UTF-8 bytes start in [from, to): cuts that never split a character. */
    private static String charsBetween(String t, int from, int to) {
        StringBuilder b = new StringBuilder();
        int pos = 0;
        for (int i = 0; i < t.length(); ) {
            int cp = t.codePointAt(i);
            int n = Character.charCount(cp);
            if (pos >= from && pos < to) {
                b.appendCodePoint(cp);
            }
            pos += new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            i += n;
        }
        return b.toString();
    }

    @Test
    void fragmentDeliveringServerEchoesFramesOneForOneOnTheWire() throws Exception {
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/frag", new FragmentEcho(),
                        ConnectionSettings.defaults().withDelivery(ReaderSettings.Delivery.FRAGMENTS)).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.upgrade("/frag");
            byte[] all = Payloads.utf8("Hello, wörld €!");
            int split1 = 5;
            int split2 = 9; // inside the two bytes of "ö"
            assertEquals((byte) 0xc3, all[split2 - 1]);
            byte[][] parts = {
                java.util.Arrays.copyOfRange(all, 0, split1),
                java.util.Arrays.copyOfRange(all, split1, split2),
                java.util.Arrays.copyOfRange(all, split2, all.length)};
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            wire.writeBytes(Frame.encode(false, 0, 0x1, true, parts[0]));
            wire.writeBytes(Frame.encode(false, 0, 0x0, true, parts[1]));
            wire.writeBytes(Frame.encode(true, 0, 0x9, true, Payloads.utf8("mid")));
            wire.writeBytes(Frame.encode(true, 0, 0x0, true, parts[2]));
            peer.write(wire.toByteArray());

            int[][] expectedHeads = {{0, 0x1}, {0, 0x0}, {1, 0xA}, {1, 0x0}};
            byte[][] expectedPayloads = {parts[0], parts[1], Payloads.utf8("mid"), parts[2]};
            for (int i = 0; i < 4; i++) {
                Frame f = peer.readFrame();
                assertEquals(expectedHeads[i][0] == 1, f.fin(), "fin of frame " + i);
                assertEquals(expectedHeads[i][1], f.opcode(), "opcode of frame " + i);
                assertEquals(0, f.rsv());
                assertFalse(f.masked());
                assertEquals(HexFormat.of().formatHex(expectedPayloads[i]), HexFormat.of().formatHex(f.payload()),
                        "payload of frame " + i);
            }
        }
    }

    // ------------------------------------------------------------------ compression on the wire

    @Test
    void serverNoContextTakeoverMakesEveryEchoInflatableOnItsOwn() throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/z", serverSide, ConnectionSettings.defaults().withDeflate(DeflateOptions.defaults())).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            HttpHead head = peer.upgrade("/z",
                    "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover");
            assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                    head.single("Sec-WebSocket-Extensions"));
            String text = Payloads.text(2000);
            byte[] compressed = DeflateReference.compressMessage(Payloads.utf8(text));
            for (int i = 0; i < 3; i++) {
                peer.write(Frame.encode(true, Frame.RSV1, 0x1, true, compressed)); // each compressed on its own
                assertEquals(text, new String(serverSide.nextMessage(5).data(), StandardCharsets.UTF_8));
                Frame echo = peer.readFrame();
                assertEquals(Frame.RSV1, echo.rsv(), "echo " + i + " is compressed");
                byte[] inflated = new DeflateReference().inflateMessage(echo.payload());
                assertEquals(text, new String(inflated, StandardCharsets.UTF_8), "echo " + i + " must not refer to earlier messages");
            }
        }
    }

    @Test
    void compressedEchoOfTheRfc7692ExamplesWithContextTakeover() throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/z", serverSide, ConnectionSettings.defaults().withDeflate(DeflateOptions.defaults())).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            HttpHead head = peer.upgrade("/z", "Sec-WebSocket-Extensions: permessage-deflate");
            assertEquals("permessage-deflate", head.single("Sec-WebSocket-Extensions"));
            DeflateReference inflater = new DeflateReference();
            // RFC 7692 §7.2.3.1 and §7.2.3.2: "Hello", then "Hello" again using the shared window.
            byte[][] sent = {
                {(byte) 0xf2, 0x48, (byte) 0xcd, (byte) 0xc9, (byte) 0xc9, 0x07, 0x00},
                {(byte) 0xf2, 0x00, 0x11, 0x00, 0x01, 0x00},
                // §7.2.3.3: a stored (uncompressed) DEFLATE block
                {0x00, 0x05, 0x00, (byte) 0xfa, (byte) 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00}};
            for (byte[] payload : sent) {
                peer.write(Frame.encode(true, Frame.RSV1, 0x1, true, payload));
                assertEquals("Hello", new String(serverSide.nextMessage(5).data(), StandardCharsets.UTF_8));
                Frame echo = peer.readFrame();
                assertEquals(0x1, echo.opcode());
                assertTrue(echo.fin());
                assertEquals(Frame.RSV1, echo.rsv(), "the echo is compressed (RSV1)");
                assertEquals("Hello", new String(inflater.inflateMessage(echo.payload()), StandardCharsets.UTF_8));
            }
            // An uncompressed message is allowed on a compressed connection.
            peer.write(Frame.encode(true, 0, 0x1, true, Payloads.utf8("plain ✓")));
            assertEquals("plain ✓", new String(serverSide.nextMessage(5).data(), StandardCharsets.UTF_8));
            Frame echo = peer.readFrame();
            String back = echo.rsv() == Frame.RSV1 ? new String(inflater.inflateMessage(echo.payload()), StandardCharsets.UTF_8)
                    : echo.text();
            assertEquals("plain ✓", back);
        }
    }
}
