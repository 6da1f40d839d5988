package io.tern.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.deflate.DeflateOptions;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketHandshakeException;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.HttpHead;
import io.tern.transport.testkit.RawPeer;
import io.tern.transport.testkit.RawServer;
import io.tern.transport.testkit.Recorder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tern's client against a raw server: the responses it must refuse, and its side of the protocol. */
@ExtendWith(NoLeakedLoops.class)
@Timeout(30)
class TernClientWireTest {

    private static final ConnectionSettings PLAIN = ConnectionSettings.defaults();
    private static final ConnectionSettings OFFERS = ConnectionSettings.defaults()
            .withSubprotocols(List.of("a"))
            .withDeflate(DeflateOptions.defaults().withServerMaxWindowBits(10));

    private static URI uri(RawServer server) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/c");
    }

    static Stream<Arguments> badResponses() {
        String ok = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
        Function<HttpHead, String> acc = r -> "Sec-WebSocket-Accept: " + RawServer.acceptFor(r.single("Sec-WebSocket-Key")) + "\r\n";
        return Stream.of(
                Arguments.of("wrong accept value", PLAIN, (Function<HttpHead, String>) r -> ok
                        + "Sec-WebSocket-Accept: " + RawPeer.RFC_ACCEPT + "\r\n\r\n", 101),
                Arguments.of("no accept value", PLAIN, (Function<HttpHead, String>) r -> ok + "\r\n", 101),
                Arguments.of("no Upgrade header", PLAIN, (Function<HttpHead, String>) r ->
                        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n" + acc.apply(r) + "\r\n", 101),
                Arguments.of("Connection without upgrade", PLAIN, (Function<HttpHead, String>) r ->
                        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n"
                                + acc.apply(r) + "\r\n", 101),
                Arguments.of("subprotocol never offered", PLAIN, (Function<HttpHead, String>) r -> ok
                        + acc.apply(r) + "Sec-WebSocket-Protocol: chat\r\n\r\n", 101),
                Arguments.of("subprotocol outside the offer", OFFERS, (Function<HttpHead, String>) r -> ok
                        + acc.apply(r) + "Sec-WebSocket-Protocol: b\r\n\r\n", 101),
                Arguments.of("extension never offered", PLAIN, (Function<HttpHead, String>) r -> ok
                        + acc.apply(r) + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n", 101),
                Arguments.of("requested server window not answered", OFFERS, (Function<HttpHead, String>) r -> ok
                        + acc.apply(r) + "Sec-WebSocket-Protocol: a\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n", 101),
                Arguments.of("server window above the request", OFFERS, (Function<HttpHead, String>) r -> ok
                        + acc.apply(r) + "Sec-WebSocket-Protocol: a\r\n"
                        + "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=12\r\n\r\n", 101),
                Arguments.of("permessage-deflate accepted twice", OFFERS, (Function<HttpHead, String>) r -> ok
                        + acc.apply(r) + "Sec-WebSocket-Protocol: a\r\nSec-WebSocket-Extensions: "
                        + "permessage-deflate; server_max_window_bits=10, permessage-deflate; server_max_window_bits=10\r\n\r\n", 101),
                Arguments.of("200 OK", PLAIN, (Function<HttpHead, String>) r ->
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 200),
                Arguments.of("403", PLAIN, (Function<HttpHead, String>) r ->
                        "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", 403));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badResponses")
    void refusesABadHandshakeResponseAndHangsUp(String what, ConnectionSettings settings,
                                                Function<HttpHead, String> response, int status) throws Exception {
        Recorder handler = new Recorder();
        try (WebSocketClient client = WebSocketClient.create();
             RawServer server = RawServer.open()) {
            CompletableFuture<WebSocket<Object>> future = client.connect(uri(server), handler, settings);
            HttpHead req = server.acceptRequest();
            server.writeAscii(response.apply(req));
            ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS));
            assertEquals(status, assertInstanceOf(WebSocketHandshakeException.class, e.getCause()).status(),
                    () -> "message: " + e.getCause().getMessage());
            server.expectEof();
            assertFalse(handler.opened.isDone(), "onOpen must not run for a refused handshake");
        }
    }

    private static WebSocket<Object> open(WebSocketClient client, RawServer server, Recorder handler,
                                          ConnectionSettings settings, String afterHead) throws Exception {
        CompletableFuture<WebSocket<Object>> future = client.connect(uri(server), handler, settings);
        HttpHead req = server.acceptRequest();
        server.writeAscii(RawServer.switching(req) + afterHead);
        return future.get(5, TimeUnit.SECONDS);
    }

    @Test
    void maskedFrameFromTheServerFailsWith1002() throws Exception {
        Recorder handler = new Recorder();
        try (WebSocketClient client = WebSocketClient.create(); RawServer server = RawServer.open()) {
            open(client, server, handler, PLAIN, "");
            server.write(Frame.encode(true, 0, 0x1, true, Payloads.utf8("masked")));
            Frame close = server.readFrame();
            assertEquals(0x8, close.opcode());
            assertTrue(close.masked(), "a client masks its close frame too");
            assertEquals(1002, close.closeCode());
            assertEquals(1002, handler.awaitClose(5).code());
            assertTrue(handler.messages.isEmpty());
        }
    }

    @Test
    void invalidUtf8FromTheServerFailsWith1007() throws Exception {
        Recorder handler = new Recorder();
        try (WebSocketClient client = WebSocketClient.create(); RawServer server = RawServer.open()) {
            open(client, server, handler, PLAIN, "");
            server.write(Frame.encode(true, 0, 0x1, false, new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}));
            Frame close = server.readFrame();
            assertEquals(1007, close.closeCode());
            assertEquals(1007, handler.awaitClose(5).code());
        }
    }

    @Test
    void framesRightBehindThe101AreDeliveredAndTheClientWaitsForTheServerToCloseTcp() throws Exception {
        Recorder handler = new Recorder();
        try (WebSocketClient client = WebSocketClient.create(); RawServer server = RawServer.open()) {
            String frames = new String(Frame.encode(true, 0, 0x1, false, Payloads.utf8("welcome")), StandardCharsets.ISO_8859_1)
                    + new String(Frame.encode(true, 0, 0x8, false, Frame.closePayload(1000, "bye")), StandardCharsets.ISO_8859_1);
            WebSocket<Object> ws = open(client, server, handler, PLAIN, frames);
            assertEquals("welcome", new String(handler.nextMessage(5).data(), StandardCharsets.UTF_8));
            Frame reply = server.readFrame();
            assertTrue(reply.masked());
            assertEquals(1000, reply.closeCode());
            assertEquals("", reply.closeReason());
            assertFalse(ws.isOpen());
            Thread.sleep(300);
            assertFalse(handler.closed.isDone(), "the client waits for the server to close TCP (RFC 6455 §7.1.1)");
            server.hangUp();
            assertEquals(new Recorder.Closed(1000, "bye", true), handler.awaitClose(5));
        }
    }

    @Test
    void clientClosesTcpItselfAfterTheClosingTimeout() throws Exception {
        Recorder handler = new Recorder();
        try (WebSocketClient client = WebSocketClient.create(); RawServer server = RawServer.open()) {
            WebSocket<Object> ws = open(client, server, handler, PLAIN.withClosingTimeout(Duration.ofMillis(300)), "");
            ws.close(4000, "leaving");
            Frame close = server.readFrame();
            assertEquals(4000, close.closeCode());
            assertEquals("leaving", close.closeReason());
            server.write(Frame.encode(true, 0, 0x8, false, Frame.closePayload(4000, "")));
            // the raw server never closes: the client must, after its closing timeout
            server.expectEof();
            assertEquals(new Recorder.Closed(4000, "", true), handler.awaitClose(5));
        }
    }

    @Test
    void serverPingIsAnsweredWithAMaskedPongBetweenFragments() throws Exception {
        Recorder handler = new Recorder();
        try (WebSocketClient client = WebSocketClient.create(); RawServer server = RawServer.open()) {
            open(client, server, handler, PLAIN, "");
            server.write(Frame.encode(false, 0, 0x2, false, new byte[] {1, 2}));
            server.write(Frame.encode(true, 0, 0x9, false, Payloads.utf8("are you there")));
            Frame pong = server.readFrame();
            assertEquals(0xA, pong.opcode());
            assertTrue(pong.masked());
            assertEquals("are you there", pong.text());
            server.write(Frame.encode(true, 0, 0x0, false, new byte[] {3}));
            assertEquals("010203", HexFormat.of().formatHex(handler.nextMessage(5).data()));
        }
    }
}
