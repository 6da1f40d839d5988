package io.tern.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.DeflateReference;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.JdkPeer;
import io.tern.transport.testkit.RawPeer;
import io.tern.transport.testkit.Recorder;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The closing handshake over real sockets, started by either side with every class of code, and
 * the server failing connections that break the protocol.
 */
@ExtendWith(NoLeakedLoops.class)
@Timeout(30)
class CloseWireTest {

    static IntStream codes() {
        return IntStream.of(1000, 1001, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999);
    }

    private static String reasonFor(int code) {
        return "bye ✓ " + code;
    }

    private static WebSocketServer.Builder server() {
        return WebSocketServer.builder().address("127.0.0.1", 0).loops(1);
    }

    private static URI uri(WebSocketServer s) {
        return URI.create("ws://127.0.0.1:" + s.port() + "/echo");
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** The exact bytes a server sends as close frame: unmasked, FIN, opcode 8. */
    private static byte[] serverClose(byte[] payload) {
        return Frame.encode(true, 0, 0x8, false, payload);
    }

    // ------------------------------------------------------------------ Tern client and server

    @ParameterizedTest(name = "client closes with {0}")
    @MethodSource("codes")
    void ternClientStartsTheClose(int code) throws Exception {
        Recorder serverSide = new Recorder(true);
        Recorder clientSide = new Recorder();
        try (WebSocketServer s = server().route("/echo", serverSide).build().start();
             WebSocketClient client = WebSocketClient.create()) {
            WebSocket<Object> ws = client.connect(uri(s), clientSide).get(5, TimeUnit.SECONDS);
            WebSocket<Object> atServer = serverSide.awaitOpen(5);
            ws.close(code, reasonFor(code));
            assertEquals(new Recorder.Closed(code, reasonFor(code), true), serverSide.awaitClose(5), "server's onClose");
            assertEquals(new Recorder.Closed(code, "", true), clientSide.awaitClose(5), "client's onClose (the echo)");
            assertFalse(ws.isOpen());
            assertFalse(atServer.isOpen());
            Thread.sleep(50);
            assertEquals(1, serverSide.closeCalls.get());
            assertEquals(1, clientSide.closeCalls.get());
            assertTrue(serverSide.errors.isEmpty(), () -> "server errors: " + serverSide.errors);
            assertTrue(clientSide.errors.isEmpty(), () -> "client errors: " + clientSide.errors);
            assertTrue(Payloads.waitUntil(2000, () -> s.openConnections() == 0));
            assertEquals(1, s.stats().closes(code));
        }
    }

    @ParameterizedTest(name = "server closes with {0}")
    @MethodSource("codesAServerMaySend")
    void serverStartsTheCloseWithTheTernClient(int code) throws Exception {
        Recorder serverSide = new Recorder(true);
        Recorder clientSide = new Recorder();
        try (WebSocketServer s = server().route("/echo", serverSide).build().start();
             WebSocketClient client = WebSocketClient.create()) {
            WebSocket<Object> ws = client.connect(uri(s), clientSide).get(5, TimeUnit.SECONDS);
            serverSide.awaitOpen(5).close(code, reasonFor(code));
            assertEquals(new Recorder.Closed(code, reasonFor(code), true), clientSide.awaitClose(5), "client's onClose");
            assertEquals(new Recorder.Closed(code, "", true), serverSide.awaitClose(5), "server's onClose (the echo)");
            assertFalse(ws.isOpen());
            Thread.sleep(50);
            assertEquals(1, serverSide.closeCalls.get());
            assertEquals(1, clientSide.closeCalls.get());
        }
    }

    @ParameterizedTest(name = "JDK client closes with {0}")
    @ValueSource(ints = {1000, 3000, 4999})
    void jdkClientStartsTheClose(int code) throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = server().route("/echo", serverSide).build().start()) {
            JdkPeer listener = new JdkPeer();
            java.net.http.WebSocket ws = JdkPeer.open(uri(s), listener);
            try {
                ws.sendClose(code, reasonFor(code)).get(5, TimeUnit.SECONDS);
                assertEquals(new Recorder.Closed(code, reasonFor(code), true), serverSide.awaitClose(5));
                assertEquals(code, listener.closed.get(5, TimeUnit.SECONDS).code(), "the JDK client sees the echo");
            } finally {
                ws.abort();
            }
        }
    }

    /** Every code but 1010: a server must not start a close with it (RFC 6455 §7.4.1). */
    static IntStream codesAServerMaySend() {
        return codes().filter(c -> c != 1010);
    }

    @Test
    void aServerRefusesToStartACloseWith1010ButEchoesAClientsOwn() throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = server().route("/echo", serverSide).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.upgrade("/echo");
            WebSocket<Object> ws = serverSide.awaitOpen(5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ws.close(1010, ""));
            assertTrue(e.getMessage().contains("1010"), e.getMessage());
            assertTrue(ws.isOpen(), "a refused close changes nothing");
            peer.sendFrame(0x8, Frame.closePayload(1010, "need ext"));
            Frame echo = peer.readFrame();
            assertEquals(hex(serverClose(Frame.closePayload(1010, ""))), hex(echo.encode()));
        }
    }

    /** Every code but 1010, which the JDK client refuses to receive from a server (RFC 6455 §7.4.1 calls it a client's code). */
    static IntStream codesAJdkClientAccepts() {
        return codes().filter(c -> c != 1010);
    }

    @ParameterizedTest(name = "server closes the JDK client with {0}")
    @MethodSource("codesAJdkClientAccepts")
    void serverStartsTheCloseWithTheJdkClient(int code) throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = server().route("/echo", serverSide).build().start()) {
            JdkPeer listener = new JdkPeer();
            java.net.http.WebSocket ws = JdkPeer.open(uri(s), listener);
            try {
                serverSide.awaitOpen(5).close(code, reasonFor(code));
                Recorder.Closed atJdk = listener.closed.get(5, TimeUnit.SECONDS);
                assertEquals(code, atJdk.code());
                assertEquals(reasonFor(code), atJdk.reason());
                Recorder.Closed atServer = serverSide.awaitClose(5);
                assertTrue(atServer.clean(), () -> "server's onClose: " + atServer);
                assertEquals(code, atServer.code(), "the JDK client echoes the code");
            } finally {
                ws.abort();
            }
        }
    }

    // ------------------------------------------------------------------ raw client: exact bytes, who closes TCP

    @ParameterizedTest(name = "raw client closes with {0}")
    @MethodSource("codes")
    void rawClientCloseIsEchoedAndTheServerClosesTcpFirst(int code) throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = server().route("/echo", serverSide).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.upgrade("/echo");
            peer.sendFrame(0x8, Frame.closePayload(code, reasonFor(code)));
            Frame reply = peer.readFrame();
            assertEquals(hex(serverClose(Frame.closePayload(code, ""))), hex(reply.encode()), "the close reply");
            peer.expectEof(); // the raw client never closed: the server did
            assertEquals(new Recorder.Closed(code, reasonFor(code), true), serverSide.awaitClose(5));
        }
    }

    @ParameterizedTest(name = "server closes the raw client with {0}")
    @MethodSource("codesAServerMaySend")
    void serverCloseIsAnsweredAndTheServerClosesTcp(int code) throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = server().route("/echo", serverSide).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.upgrade("/echo");
            serverSide.awaitOpen(5).close(code, reasonFor(code));
            Frame close = peer.readFrame();
            assertEquals(hex(serverClose(Frame.closePayload(code, reasonFor(code)))), hex(close.encode()));
            peer.sendFrame(0x8, Frame.closePayload(code, "ack"));
            peer.expectEof();
            assertEquals(new Recorder.Closed(code, "ack", true), serverSide.awaitClose(5));
        }
    }

    @Test
    void emptyCloseFromTheClientIsReportedAs1005AndAnsweredEmpty() throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = server().route("/echo", serverSide).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.upgrade("/echo");
            peer.sendFrame(0x8, new byte[0]);
            Frame reply = peer.readFrame();
            assertEquals("8800", hex(reply.encode()), "an empty close is answered with an empty close");
            peer.expectEof();
            assertEquals(new Recorder.Closed(1005, "", true), serverSide.awaitClose(5));
        }
    }

    @Test
    void emptyCloseReplyToTheServersCloseIsReportedAs1005() throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = server().route("/echo", serverSide).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.upgrade("/echo");
            serverSide.awaitOpen(5).close(4000, "");
            assertEquals(hex(serverClose(Frame.closePayload(4000, ""))), hex(peer.readFrame().encode()));
            peer.sendFrame(0x8, new byte[0]);
            peer.expectEof();
            assertEquals(new Recorder.Closed(1005, "", true), serverSide.awaitClose(5));
        }
    }

    @Test
    void serverIgnoresDataAfterTheClientsCloseFrame() throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = server().route("/echo", serverSide).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.upgrade("/echo");
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(Frame.clientFrame(0x8, Frame.closePayload(1000, "")));
            b.writeBytes(Frame.clientFrame(0x1, Payloads.utf8("too late")));
            peer.write(b.toByteArray());
            assertEquals(hex(serverClose(Frame.closePayload(1000, ""))), hex(peer.readFrame().encode()));
            peer.expectEof();
            assertTrue(serverSide.messages.isEmpty(), "no message after the close frame");
        }
    }

    // ------------------------------------------------------------------ protocol violations

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    static Stream<Arguments> violations() {
        byte[] nonMinimal = {(byte) 0x81, (byte) 0xfe, 0x00, 0x05, 0, 0, 0, 0, 'h', 'e', 'l', 'l', 'o'};
        return Stream.of(
                Arguments.of("unmasked text frame", Frame.encode(true, 0, 0x1, false, Payloads.utf8("hello")), 1002),
                Arguments.of("reserved opcode 0x3", Frame.clientFrame(0x3, Payloads.utf8("x")), 1002),
                Arguments.of("reserved control opcode 0xB", Frame.clientFrame(0xB, new byte[0]), 1002),
                Arguments.of("RSV1 without an extension", Frame.encode(true, Frame.RSV1, 0x1, true, Payloads.utf8("x")), 1002),
                Arguments.of("invalid UTF-8 text", Frame.clientFrame(0x1, new byte[] {(byte) 0xc3, 0x28}), 1007),
                Arguments.of("text ending inside a code point", Frame.clientFrame(0x1, new byte[] {'a', (byte) 0xe2, (byte) 0x82}), 1007),
                Arguments.of("encoded surrogate", Frame.clientFrame(0x1, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}), 1007),
                Arguments.of("invalid UTF-8 across fragments", concat(
                        Frame.encode(false, 0, 0x1, true, Payloads.utf8("ok ")),
                        Frame.encode(true, 0, 0x0, true, new byte[] {(byte) 0xff})), 1007),
                Arguments.of("1-byte close payload", Frame.clientFrame(0x8, new byte[] {0x03}), 1002),
                Arguments.of("close code 1005 on the wire", Frame.clientFrame(0x8, Frame.closePayload(1005, "")), 1002),
                Arguments.of("close code 999", Frame.clientFrame(0x8, Frame.closePayload(999, "")), 1002),
                Arguments.of("close code 5000", Frame.clientFrame(0x8, Frame.closePayload(5000, "")), 1002),
                Arguments.of("close reason not UTF-8", Frame.clientFrame(0x8, new byte[] {0x03, (byte) 0xe8, (byte) 0xff}), 1007),
                Arguments.of("ping without FIN", Frame.encode(false, 0, 0x9, true, Payloads.utf8("p")), 1002),
                Arguments.of("ping over 125 bytes", Frame.clientFrame(0x9, new byte[126]), 1002),
                Arguments.of("continuation without a message", Frame.encode(true, 0, 0x0, true, Payloads.utf8("x")), 1002),
                Arguments.of("new message inside a fragmented one", concat(
                        Frame.encode(false, 0, 0x1, true, Payloads.utf8("a")),
                        Frame.encode(true, 0, 0x1, true, Payloads.utf8("b"))), 1002),
                Arguments.of("non-minimal length", nonMinimal, 1002),
                Arguments.of("frame over the frame limit", Frame.clientFrame(0x2, new byte[1025]), 1009),
                Arguments.of("message over the message limit", concat(
                        Frame.encode(false, 0, 0x2, true, new byte[1000]),
                        Frame.encode(true, 0, 0x0, true, new byte[1000])), 1009));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("violations")
    void protocolViolationGetsTheExactCloseCodeThenEofAndOthersKeepWorking(String what, byte[] wire, int expected)
            throws Exception {
        Recorder serverSide = new Recorder(true);
        ConnectionSettings limits = ConnectionSettings.defaults().withMaxFrameSize(1024).withMaxMessageSize(1536);
        try (WebSocketServer s = server().route("/echo", serverSide, limits).build().start();
             WebSocketClient client = WebSocketClient.create()) {
            Recorder before = new Recorder();
            WebSocket<Object> early = client.connect(uri(s), before).get(5, TimeUnit.SECONDS);
            early.sendText("before");
            assertEquals("before", new String(before.nextMessage(5).data(), StandardCharsets.UTF_8));

            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/echo");
                peer.write(wire);
                Frame close = peer.readFrame();
                assertEquals(0x8, close.opcode(), () -> "expected a close frame, got " + close);
                assertTrue(close.fin());
                assertEquals(0, close.rsv());
                assertFalse(close.masked());
                assertEquals(expected, close.closeCode(), () -> "reason: " + close.closeReason());
                assertTrue(close.payload().length <= 125);
                assertEquals(close.closeReason(), new String(close.payload(), 2, close.payload().length - 2,
                        StandardCharsets.UTF_8));
                peer.expectEof();
            }

            early.sendText("after");
            assertEquals("after", new String(before.nextMessage(5).data(), StandardCharsets.UTF_8));
            Recorder late = new Recorder();
            WebSocket<Object> fresh = client.connect(uri(s), late).get(5, TimeUnit.SECONDS);
            fresh.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {9, 8, 7}));
            assertEquals("090807", hex(late.nextMessage(5).data()));
            assertTrue(Payloads.waitUntil(2000, () -> s.stats().closes(expected) == 1),
                    () -> "server stats for " + expected + ": " + s.stats().closes(expected));
        }
    }

    @Test
    void oversizedMessageFarLargerThanOneReadGets1009ThenEof() throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = server().route("/echo", serverSide).build().start(); // default limit: 1 MiB
             RawPeer peer = RawPeer.connect(s.port(), 4 << 20, 0)) {
            peer.upgrade("/echo");
            byte[] frame = Frame.clientFrame(0x2, new byte[2 << 20]);
            try {
                for (int off = 0; off < frame.length; off += 64 * 1024) {
                    peer.write(java.util.Arrays.copyOfRange(frame, off, Math.min(frame.length, off + 64 * 1024)));
                }
            } catch (java.io.IOException serverHungUp) {
                // expected once the server has failed the connection and stopped reading
            }
            Frame close = peer.readFrame();
            assertEquals(1009, close.closeCode(), () -> "reason: " + close.closeReason());
            peer.expectEof();
            assertEquals(1009, serverSide.awaitClose(5).code());
        }
    }

    static Stream<Arguments> compressedViolations() {
        byte[] hello = {(byte) 0xf2, 0x48, (byte) 0xcd, (byte) 0xc9, (byte) 0xc9, 0x07, 0x00};
        return Stream.of(
                Arguments.of("RSV1 on a continuation frame", concat(
                        Frame.encode(false, Frame.RSV1, 0x1, true, hello),
                        Frame.encode(true, Frame.RSV1, 0x0, true, new byte[] {0x00})), 1002),
                Arguments.of("RSV1 on a ping", Frame.encode(true, Frame.RSV1, 0x9, true, hello), 1002),
                Arguments.of("RSV2 on a text frame", Frame.encode(true, Frame.RSV2, 0x1, true, Payloads.utf8("x")), 1002),
                Arguments.of("corrupt DEFLATE data (reserved block type)",
                        Frame.encode(true, Frame.RSV1, 0x2, true, new byte[] {(byte) 0xff, (byte) 0xff, 0x00}), 1007),
                Arguments.of("inflates to invalid UTF-8", Frame.encode(true, Frame.RSV1, 0x1, true,
                        new byte[] {0x00, 0x02, 0x00, (byte) 0xfd, (byte) 0xff, (byte) 0xc3, 0x28, 0x00}), 1007),
                Arguments.of("inflates past the message limit", Frame.encode(true, Frame.RSV1, 0x2, true,
                        DeflateReference.compressMessage(new byte[2 << 20])), 1009));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("compressedViolations")
    void compressedConnectionViolationGetsTheExactCloseCode(String what, byte[] wire, int expected) throws Exception {
        Recorder serverSide = new Recorder(true);
        ConnectionSettings settings = ConnectionSettings.defaults()
                .withDeflate(io.tern.codec.deflate.DeflateOptions.defaults());
        try (WebSocketServer s = server().route("/echo", serverSide, settings).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            assertEquals("permessage-deflate",
                    peer.upgrade("/echo", "Sec-WebSocket-Extensions: permessage-deflate").single("Sec-WebSocket-Extensions"));
            peer.write(wire);
            Frame close = peer.readFrame();
            assertEquals(0x8, close.opcode(), () -> "expected a close frame, got " + close);
            assertEquals(expected, close.closeCode(), () -> "reason: " + close.closeReason());
            peer.expectEof();
            assertTrue(serverSide.messages.isEmpty(), "nothing may be delivered from a failing message");
        }
    }

    @Test
    void closeReasonOfTheMaximumLengthIsDeliveredWhole() throws Exception {
        Recorder serverSide = new Recorder(true);
        String reason = "é".repeat(61) + "x"; // 123 UTF-8 bytes
        assertEquals(123, Payloads.utf8(reason).length);
        try (WebSocketServer s = server().route("/echo", serverSide).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.upgrade("/echo");
            peer.sendFrame(0x8, Frame.closePayload(4321, reason));
            assertEquals(hex(serverClose(Frame.closePayload(4321, ""))), hex(peer.readFrame().encode()));
            peer.expectEof();
            assertEquals(new Recorder.Closed(4321, reason, true), serverSide.awaitClose(5));
        }
    }

    @Test
    void failedConnectionIsReportedToTheServerHandler() throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = server().route("/echo", serverSide).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.upgrade("/echo");
            peer.sendFrame(0x1, new byte[] {(byte) 0xc0, (byte) 0x80});
            assertEquals(1007, peer.readFrame().closeCode());
            peer.expectEof();
            Recorder.Closed closed = serverSide.awaitClose(5);
            assertEquals(1007, closed.code());
            assertFalse(closed.clean(), "the server failed the connection without a closing handshake");
            assertFalse(serverSide.errors.isEmpty(), "onError tells the application about the violation");
        }
    }
}
