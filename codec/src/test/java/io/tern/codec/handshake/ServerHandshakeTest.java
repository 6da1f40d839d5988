package io.tern.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerHandshakeTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    private static final List<String> BASE = List.of("Host: server.example.com", "Upgrade: websocket",
            "Connection: Upgrade", "Sec-WebSocket-Key: " + KEY, "Sec-WebSocket-Version: 13");

    private final ServerHandshake plain = ServerHandshake.create();

    /** Builds a request from the base headers, dropping those named in {@code drop} and appending {@code add}. */
    private static HttpRequestHead request(String requestLine, List<String> drop, String... add) {
        StringBuilder text = new StringBuilder(requestLine).append("\r\n");
        for (String line : BASE) {
            String name = line.substring(0, line.indexOf(':'));
            if (!drop.contains(name)) {
                text.append(line).append("\r\n");
            }
        }
        for (String line : add) {
            text.append(line).append("\r\n");
        }
        return Feeder.request(text.append("\r\n").toString()).request();
    }

    private static HttpRequestHead withHeaders(String... add) {
        return request("GET /chat HTTP/1.1", List.of(), add);
    }

    private static HttpRequestHead replacing(String name, String... add) {
        return request("GET /chat HTTP/1.1", List.of(name), add);
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private HandshakeAcceptance accepted(ServerHandshake handshake, HttpRequestHead request) {
        ServerHandshakeResult result = handshake.handle(request);
        assertTrue(result.isAccepted(), () -> "rejected: " + result);
        assertEquals(101, result.status());
        return (HandshakeAcceptance) result;
    }

    private HandshakeAcceptance accepted(HttpRequestHead request) {
        return accepted(plain, request);
    }

    private HandshakeRejection rejected(int status, String message, HttpRequestHead request) {
        ServerHandshakeResult result = plain.handle(request);
        HandshakeRejection rejection = assertInstanceOf(HandshakeRejection.class, result);
        assertFalse(result.isAccepted());
        assertEquals(status, rejection.status());
        assertEquals(message, rejection.message());
        return rejection;
    }

    @Test
    void rfc6455ExampleProducesTheExactResponse() {
        HttpRequestHead request = Feeder.request(HttpRequestParserTest.RFC_REQUEST).request();
        HandshakeAcceptance acceptance = accepted(ServerHandshake.supporting(List.of("chat")), request);
        assertEquals(ACCEPT, acceptance.acceptValue());
        assertEquals("chat", acceptance.subprotocol());
        assertEquals(List.of(), acceptance.offeredExtensions());
        assertEquals(request, acceptance.request());
        assertEquals(HttpResponseParserTest.RFC_RESPONSE, latin1(acceptance.toBytes()));
    }

    @Test
    void minimalRequestIsAcceptedWithoutOptionalHeaders() {
        HandshakeAcceptance acceptance = accepted(withHeaders());
        assertNull(acceptance.subprotocol());
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ACCEPT + "\r\n\r\n", latin1(acceptance.toBytes()));
    }

    @Test
    void isUpgradeRequestRoutesPlainHttp() {
        assertTrue(ServerHandshake.isUpgradeRequest(withHeaders()));
        assertTrue(ServerHandshake.isUpgradeRequest(replacing("Upgrade", "upgrade: h2c, WebSocket")));
        assertFalse(ServerHandshake.isUpgradeRequest(replacing("Upgrade")));
        assertFalse(ServerHandshake.isUpgradeRequest(replacing("Upgrade", "Upgrade: h2c")));
        assertFalse(ServerHandshake.isUpgradeRequest(Feeder.request("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n")
                .request()));
    }

    @Test
    void methodMustBeGet() {
        HandshakeRejection rejection = rejected(405, "method POST not allowed for a WebSocket handshake, use GET",
                request("POST /chat HTTP/1.1", List.of()));
        assertEquals("GET", rejection.extraHeaders().first("Allow"));
        String body = "method POST not allowed for a WebSocket handshake, use GET";
        assertEquals("HTTP/1.1 405 Method Not Allowed\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "Connection: close\r\n"
                + "Allow: GET\r\n"
                + "\r\n" + body, latin1(rejection.toBytes()));
        rejected(405, "method get not allowed for a WebSocket handshake, use GET",
                request("get /chat HTTP/1.1", List.of()));
        rejected(405, "method HEAD not allowed for a WebSocket handshake, use GET",
                request("HEAD /chat HTTP/1.1", List.of()));
    }

    @Test
    void versionMustBeHttp11() {
        HttpRequestHead old = new HttpRequestHead("GET", "/chat", "HTTP/1.0", withHeaders().headers());
        rejected(505, "HTTP version HTTP/1.0 not supported, only HTTP/1.1", old);
    }

    @Test
    void requestTargetMustBeAResourceName() {
        accepted(request("GET / HTTP/1.1", List.of()));
        accepted(request("GET /a/b?c=d&e HTTP/1.1", List.of()));
        accepted(request("GET http://server.example.com/chat HTTP/1.1", List.of()));
        accepted(request("GET HTTPS://server.example.com:8443/chat?x HTTP/1.1", List.of()));
        String message = "request-target is neither an absolute path nor an absolute http/https URI";
        rejected(400, message, request("GET * HTTP/1.1", List.of()));
        rejected(400, message, request("GET chat HTTP/1.1", List.of()));
        rejected(400, message, request("GET server.example.com:80 HTTP/1.1", List.of()));
        rejected(400, message, request("GET ws://server.example.com/chat HTTP/1.1", List.of()));
        rejected(400, message, request("GET http:/chat HTTP/1.1", List.of()));
    }

    @Test
    void hostMustBePresentOnce() {
        rejected(400, "missing Host header", replacing("Host"));
        rejected(400, "repeated Host header", withHeaders("host: other.example.com"));
        rejected(400, "empty Host header", replacing("Host", "Host:"));
        accepted(replacing("Host", "HOST: [::1]:8080"));
    }

    @Test
    void hostMustBeUriHostWithAnOptionalPort() {
        String message = "malformed Host header: not uri-host [\":\" port]";
        for (String host : List.of("a, b", "exa mple.com", "example.com:http", "user@example.com", "[::1",
                "[::1]x", "example.com/chat", "[fe80::1%25eth0]", ":80")) {
            rejected(400, message, replacing("Host", "Host: " + host));
        }
        for (String host : List.of("example.com", "example.com:8080", "127.0.0.1:9001", "[::1]", "[v1.a]:1",
                "ex%41mple.com")) {
            accepted(replacing("Host", "Host: " + host));
        }
        HandshakeRejection rejection = rejected(400, message, replacing("Host", "Host: a, b"));
        assertEquals("HTTP/1.1 400 Bad Request\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + message.length() + "\r\n"
                + "Connection: close\r\n"
                + "\r\n" + message, latin1(rejection.toBytes()));
    }

    @Test
    void checkRequestAppliesTheHostRuleToAnyRequest() {
        HttpRequestHead plainGet = Feeder.request("GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n").request();
        assertTrue(ServerHandshake.checkRequest(plainGet).isEmpty());
        HttpRequestHead post = Feeder.request("POST / HTTP/1.1\r\nHost: exa mple.com\r\n\r\n").request();
        assertEquals("400 Bad Request: malformed Host header: not uri-host [\":\" port]",
                ServerHandshake.checkRequest(post).orElseThrow().toString());
        HttpRequestHead none = Feeder.request("GET / HTTP/1.1\r\n\r\n").request();
        assertEquals("missing Host header", ServerHandshake.checkRequest(none).orElseThrow().message());
        HttpRequestHead two = Feeder.request("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n").request();
        assertEquals("repeated Host header", ServerHandshake.checkRequest(two).orElseThrow().message());
        HttpRequestHead empty = Feeder.request("GET / HTTP/1.1\r\nHost:\r\n\r\n").request();
        assertEquals("empty Host header", ServerHandshake.checkRequest(empty).orElseThrow().message());
    }

    @Test
    void upgradeAndConnectionMustBeWellFormedLists() {
        rejected(400, "malformed Upgrade header: not a list of protocol names",
                replacing("Upgrade", "Upgrade: websocket, h2 c"));
        rejected(400, "malformed Upgrade header: not a list of protocol names",
                replacing("Upgrade", "Upgrade: websocket, foo/"));
        rejected(400, "malformed Upgrade header: not a list of protocol names",
                replacing("Upgrade", "Upgrade: \"websocket\""));
        rejected(400, "malformed Connection header: not a list of tokens",
                replacing("Connection", "Connection: Upgrade, keep alive"));
        rejected(400, "malformed Connection header: not a list of tokens",
                replacing("Connection", "Connection: Upgrade/1"));
        accepted(replacing("Upgrade", "Upgrade: ,websocket, foo/2,"));
        accepted(replacing("Connection", "Connection: ,Upgrade,,"));
    }

    @Test
    void originMustBeOneSerializedOriginOrNull() {
        accepted(withHeaders("Origin: http://example.com"));
        accepted(withHeaders("Origin: https://example.com:8443"));
        accepted(withHeaders("Origin: null"));
        String message = "malformed Origin header: not a serialized origin or null";
        for (String origin : List.of("example.com", "http://example.com/", "http://a.com http://b.com", "NULL",
                "http://user@example.com", "http://example.com:http", "")) {
            rejected(400, message, withHeaders("Origin: " + origin));
        }
        rejected(400, "repeated Origin header", withHeaders("Origin: http://a.com", "origin: http://a.com"));
    }

    @Test
    void subprotocolsMustBeDistinct() {
        rejected(400, "subprotocol chat offered twice in Sec-WebSocket-Protocol",
                withHeaders("Sec-WebSocket-Protocol: chat, superchat, chat"));
        rejected(400, "subprotocol chat offered twice in Sec-WebSocket-Protocol",
                withHeaders("Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Protocol: chat"));
        assertNull(accepted(withHeaders("Sec-WebSocket-Protocol: chat, Chat")).subprotocol());
    }

    @Test
    void upgradeMustListWebsocket() {
        rejected(400, "missing Upgrade header", replacing("Upgrade"));
        rejected(400, "Upgrade header does not list websocket", replacing("Upgrade", "Upgrade: h2c"));
        rejected(400, "Upgrade header does not list websocket", replacing("Upgrade", "Upgrade: websocket/13"));
        rejected(400, "Upgrade header does not list websocket", replacing("Upgrade", "Upgrade:"));
        accepted(replacing("Upgrade", "Upgrade: WebSocket"));
        accepted(replacing("Upgrade", "upgrade: WEBSOCKET"));
        accepted(replacing("Upgrade", "Upgrade: foo/2, websocket"));
        accepted(replacing("Upgrade", "Upgrade: foo", "Upgrade:  websocket "));
    }

    @Test
    void connectionMustListUpgrade() {
        rejected(400, "missing Connection header", replacing("Connection"));
        rejected(400, "Connection header does not list upgrade", replacing("Connection", "Connection: keep-alive"));
        rejected(400, "Connection header does not list upgrade", replacing("Connection", "Connection: upgraded"));
        accepted(replacing("Connection", "Connection: keep-alive, Upgrade"));
        accepted(replacing("Connection", "connection: UPGRADE"));
        accepted(replacing("Connection", "Connection: keep-alive", "Connection: upgrade"));
        accepted(replacing("Connection", "Connection:upgrade,keep-alive"));
    }

    @Test
    void missingVersionIs426() {
        HandshakeRejection rejection = rejected(426, "missing Sec-WebSocket-Version header, this server speaks"
                + " version 13", replacing("Sec-WebSocket-Version"));
        assertEquals("13", rejection.extraHeaders().first("Sec-WebSocket-Version"));
        String body = rejection.message();
        assertEquals("HTTP/1.1 426 Upgrade Required\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "Connection: Upgrade, close\r\n"
                + "Upgrade: websocket\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n" + body, latin1(rejection.toBytes()));
    }

    @Test
    void otherVersionIs426() {
        for (String version : List.of("8", "12", "14", "13, 8", "013", "")) {
            HandshakeRejection rejection = rejected(426, "unsupported Sec-WebSocket-Version " + version
                    + ", this server speaks version 13",
                    replacing("Sec-WebSocket-Version", "Sec-WebSocket-Version: " + version));
            assertEquals(List.of("13"), rejection.extraHeaders().all("Sec-WebSocket-Version"));
        }
    }

    @Test
    void repeatedVersionIs400() {
        rejected(400, "repeated Sec-WebSocket-Version header", withHeaders("Sec-WebSocket-Version: 13"));
        rejected(400, "repeated Sec-WebSocket-Version header", withHeaders("sec-websocket-version: 8"));
    }

    @Test
    void versionHeaderNameIsCaseInsensitive() {
        accepted(replacing("Sec-WebSocket-Version", "SEC-WEBSOCKET-VERSION: 13"));
    }

    @Test
    void keyMustBeBase64Of16Bytes() {
        rejected(400, "missing Sec-WebSocket-Key header", replacing("Sec-WebSocket-Key"));
        rejected(400, "repeated Sec-WebSocket-Key header", withHeaders("Sec-WebSocket-Key: " + KEY));
        String message = "Sec-WebSocket-Key is not the base64 encoding of 16 bytes";
        for (String key : List.of("", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25j", "AAAAAAAAAAAAAAAAAAAAAAA=",
                "dGhlIHNhbXBsZSBub25jZ!==", "dGhlIHNhbXBsZSBub25jZQ==dGhl", "not a key at all")) {
            rejected(400, message, replacing("Sec-WebSocket-Key", "Sec-WebSocket-Key: " + key));
        }
        HandshakeAcceptance acceptance = accepted(replacing("Sec-WebSocket-Key", "sec-websocket-key:  " + KEY + " "));
        assertEquals(ACCEPT, acceptance.acceptValue());
    }

    @Test
    void defaultSelectorPicksFirstSupportedInClientOrder() {
        ServerHandshake server = ServerHandshake.supporting(List.of("superchat", "chat"));
        assertEquals("chat", accepted(server, withHeaders("Sec-WebSocket-Protocol: chat, superchat")).subprotocol());
        assertEquals("superchat", accepted(server, withHeaders("Sec-WebSocket-Protocol: v2.other, superchat"))
                .subprotocol());
        assertEquals("superchat", accepted(server, withHeaders("Sec-WebSocket-Protocol: other",
                "sec-websocket-protocol: superchat, chat")).subprotocol());
        assertEquals("chat", accepted(server, withHeaders("Sec-WebSocket-Protocol: , ,chat,")).subprotocol());
    }

    @Test
    void subprotocolNamesAreCaseSensitive() {
        ServerHandshake server = ServerHandshake.supporting(List.of("chat"));
        assertNull(accepted(server, withHeaders("Sec-WebSocket-Protocol: Chat")).subprotocol());
    }

    @Test
    void noMatchingSubprotocolAcceptsWithoutHeader() {
        HandshakeAcceptance acceptance = accepted(ServerHandshake.supporting(List.of("mqtt")),
                withHeaders("Sec-WebSocket-Protocol: chat, superchat"));
        assertNull(acceptance.subprotocol());
        assertFalse(latin1(acceptance.toBytes()).contains("Sec-WebSocket-Protocol"));
        assertNull(accepted(withHeaders("Sec-WebSocket-Protocol: chat")).subprotocol());
    }

    @Test
    void customSelectorSeesTheOfferInOrder() {
        List<List<String>> seen = new ArrayList<>();
        ServerHandshake server = ServerHandshake.withSelector(offered -> {
            seen.add(offered);
            return offered.get(offered.size() - 1);
        });
        HandshakeAcceptance acceptance = accepted(server, withHeaders("Sec-WebSocket-Protocol: a, b",
                "Sec-WebSocket-Protocol: c"));
        assertEquals("c", acceptance.subprotocol());
        assertEquals(List.of(List.of("a", "b", "c")), seen);
        assertTrue(latin1(acceptance.toBytes()).contains("\r\nSec-WebSocket-Protocol: c\r\n"));
        assertNull(accepted(server, withHeaders()).subprotocol());
        assertEquals(1, seen.size(), "the selector is not consulted without an offer");
    }

    @Test
    void selectorReturningAnUnofferedNameIsAProgrammingError() {
        ServerHandshake server = ServerHandshake.withSelector(offered -> "mqtt");
        assertThrows(IllegalStateException.class, () -> server.handle(withHeaders("Sec-WebSocket-Protocol: chat")));
    }

    @Test
    void malformedSubprotocolListIs400() {
        rejected(400, "invalid subprotocol name in Sec-WebSocket-Protocol",
                withHeaders("Sec-WebSocket-Protocol: ch@t"));
        rejected(400, "invalid subprotocol name in Sec-WebSocket-Protocol",
                withHeaders("Sec-WebSocket-Protocol: chat superchat"));
        rejected(400, "invalid subprotocol name in Sec-WebSocket-Protocol",
                withHeaders("Sec-WebSocket-Protocol: \"chat\""));
        rejected(400, "empty Sec-WebSocket-Protocol header", withHeaders("Sec-WebSocket-Protocol:"));
        rejected(400, "empty Sec-WebSocket-Protocol header", withHeaders("Sec-WebSocket-Protocol: , ,"));
    }

    @Test
    void extensionOffersAreExposedAndTheChoiceIsWritten() {
        HandshakeAcceptance acceptance = accepted(withHeaders(
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, permessage-deflate",
                "sec-websocket-extensions: x-webkit-deflate-frame"));
        List<Extension> offers = List.of(
                Extension.of("permessage-deflate", ExtensionParam.of("client_max_window_bits")),
                Extension.of("permessage-deflate"), Extension.of("x-webkit-deflate-frame"));
        assertEquals(offers, acceptance.offeredExtensions());
        List<Extension> chosen = List.of(Extension.of("permessage-deflate",
                ExtensionParam.of("client_max_window_bits", "10"), ExtensionParam.of("server_no_context_takeover")));
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ACCEPT + "\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10;"
                + " server_no_context_takeover\r\n"
                + "Server: tern\r\nX-Trace: 1\r\n\r\n",
                latin1(acceptance.toBytes(chosen, HttpHeaders.of("Server", "tern", "X-Trace", "1"))));
        assertEquals(latin1(acceptance.toBytes()), latin1(acceptance.toBytes(List.of(), HttpHeaders.empty())));
    }

    @Test
    void responseOrderIsProtocolThenExtensionsThenExtraHeaders() {
        HandshakeAcceptance acceptance = accepted(ServerHandshake.supporting(List.of("chat")),
                withHeaders("Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Extensions: foo"));
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ACCEPT + "\r\nSec-WebSocket-Protocol: chat\r\n"
                + "Sec-WebSocket-Extensions: foo\r\nX: y\r\n\r\n",
                latin1(acceptance.toBytes(List.of(Extension.of("foo")), HttpHeaders.of("X", "y"))));
    }

    @Test
    void acceptingAnUnofferedExtensionOrAReservedHeaderIsAProgrammingError() {
        HandshakeAcceptance acceptance = accepted(withHeaders("Sec-WebSocket-Extensions: foo"));
        assertThrows(IllegalArgumentException.class,
                () -> acceptance.toBytes(List.of(Extension.of("bar")), HttpHeaders.empty()));
        for (String reserved : List.of("Upgrade", "connection", "Sec-WebSocket-Accept", "Sec-WebSocket-Protocol",
                "Sec-WebSocket-Extensions")) {
            assertThrows(IllegalArgumentException.class,
                    () -> acceptance.toBytes(List.of(), HttpHeaders.of(reserved, "x")), reserved);
        }
    }

    @Test
    void malformedExtensionsAre400() {
        rejected(400, "malformed Sec-WebSocket-Extensions: unterminated quoted-string in Sec-WebSocket-Extensions",
                withHeaders("Sec-WebSocket-Extensions: foo; bar=\"baz"));
        rejected(400, "malformed Sec-WebSocket-Extensions: missing parameter name at end in"
                + " Sec-WebSocket-Extensions", withHeaders("Sec-WebSocket-Extensions: foo;"));
        rejected(400, "malformed Sec-WebSocket-Extensions: no extension in Sec-WebSocket-Extensions",
                withHeaders("Sec-WebSocket-Extensions:"));
    }

    @Test
    void checksHappenInDocumentedOrder() {
        HttpRequestHead everythingWrong = Feeder.request("PUT * HTTP/1.1\r\n\r\n").request();
        assertEquals(405, plain.handle(everythingWrong).status());
        HttpRequestHead onlyGet = Feeder.request("GET /chat HTTP/1.1\r\nSec-WebSocket-Version: 8\r\n\r\n").request();
        rejected(400, "missing Host header", onlyGet);
        rejected(426, "unsupported Sec-WebSocket-Version 8, this server speaks version 13",
                replacing("Sec-WebSocket-Version", "Sec-WebSocket-Version: 8", "Sec-WebSocket-Protocol: @"));
    }
}
