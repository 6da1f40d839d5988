package io.tern.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientHandshakeTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    private static final String OK_HEAD = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + ACCEPT + "\r\n";

    private static ClientHandshake.Builder builder(String uri) {
        return ClientHandshake.builder(URI.create(uri)).key(KEY);
    }

    private static String requestText(ClientHandshake handshake) {
        return new String(handshake.toBytes(), StandardCharsets.ISO_8859_1);
    }

    private static String target(String uri) {
        return builder(uri).build().requestHead().requestTarget();
    }

    private static String host(String uri) {
        return builder(uri).build().requestHead().headers().first("Host");
    }

    private static ClientHandshakeResult validate(ClientHandshake handshake, String response) {
        return handshake.validate(Feeder.response(response).response());
    }

    private static String failure(ClientHandshake handshake, String response) {
        ClientHandshakeResult result = validate(handshake, response);
        assertFalse(result.isSuccess(), () -> "unexpected success: " + result);
        assertThrows(IllegalStateException.class, result::subprotocol);
        assertThrows(IllegalStateException.class, result::extensions);
        return result.failureReason();
    }

    private static final ClientHandshake SIMPLE = builder("ws://server.example.com/chat").build();
    private static final ClientHandshake OFFERING = builder("ws://server.example.com/chat")
            .subprotocols("chat", "superchat")
            .extensions(List.of(Extension.of("permessage-deflate", ExtensionParam.of("client_max_window_bits"))))
            .build();

    @Test
    void rfc6455ExampleRequestBytes() {
        ClientHandshake handshake = builder("ws://server.example.com/chat")
                .subprotocols("chat", "superchat")
                .header("Origin", "http://example.com")
                .build();
        assertEquals("GET /chat HTTP/1.1\r\n"
                + "Host: server.example.com\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: chat, superchat\r\n"
                + "Origin: http://example.com\r\n"
                + "\r\n", requestText(handshake));
        ClientHandshakeResult result = validate(handshake, HttpResponseParserTest.RFC_RESPONSE);
        assertTrue(result.isSuccess(), result::toString);
        assertEquals("chat", result.subprotocol());
        assertEquals(List.of(), result.extensions());
        assertNull(result.failureReason());
    }

    @Test
    void extensionOffersAndExtraHeadersComeLast() {
        ClientHandshake handshake = builder("wss://example.com:8443/a%20b?x=1&y")
                .extensions(List.of(Extension.of("permessage-deflate", ExtensionParam.of("client_max_window_bits")),
                        Extension.of("permessage-deflate")))
                .header("Origin", "https://example.com")
                .header("Cookie", "a=b")
                .build();
        assertEquals("GET /a%20b?x=1&y HTTP/1.1\r\n"
                + "Host: example.com:8443\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, permessage-deflate\r\n"
                + "Origin: https://example.com\r\n"
                + "Cookie: a=b\r\n"
                + "\r\n", requestText(handshake));
        assertTrue(handshake.isSecure());
        assertEquals("example.com", handshake.host());
        assertEquals(8443, handshake.port());
    }

    @Test
    void requestTargetFromPathAndQuery() {
        assertEquals("/", target("ws://example.com"));
        assertEquals("/", target("ws://example.com/"));
        assertEquals("/?x=1", target("ws://example.com?x=1"));
        assertEquals("/a/b?", target("ws://example.com/a/b?"));
        assertEquals("/p%2Fq?r=%20", target("ws://example.com/p%2Fq?r=%20"));
        assertEquals("/caf%C3%A9", ClientHandshake.builder(URI.create("ws://example.com/caf\u00e9")).build()
                .requestHead().requestTarget());
    }

    @Test
    void hostHeaderOmitsDefaultPortsAndBracketsIpv6() {
        assertEquals("example.com", host("ws://example.com/"));
        assertEquals("example.com", host("ws://example.com:80/"));
        assertEquals("example.com:443", host("ws://example.com:443/"));
        assertEquals("example.com", host("wss://example.com/"));
        assertEquals("example.com", host("wss://example.com:443/"));
        assertEquals("example.com:80", host("wss://example.com:80/"));
        assertEquals("example.com:9000", host("WS://example.com:9000/"));
        assertEquals("[::1]:9000", host("ws://[::1]:9000/x"));
        assertEquals("[2001:db8::7]", host("ws://[2001:db8::7]/"));
        assertEquals("192.0.2.1:8080", host("ws://192.0.2.1:8080"));
        ClientHandshake ipv6 = builder("ws://[::1]:9000/x").build();
        assertEquals("::1", ipv6.host());
        assertEquals(9000, ipv6.port());
        assertFalse(ipv6.isSecure());
        assertEquals(80, builder("ws://h/").build().port());
        assertEquals(443, builder("wss://h/").build().port());
    }

    @Test
    void invalidUrisAreRejected() {
        for (String uri : List.of("http://example.com/", "example.com/chat", "ws:/chat", "ws:chat",
                "ws://example.com/#frag", "ws://user@example.com/", "ws:///chat", "ws://example.com:0/",
                "ws://example.com:70000/")) {
            assertThrows(IllegalArgumentException.class, () -> ClientHandshake.builder(URI.create(uri)).build(), uri);
        }
    }

    @Test
    void invalidOptionsAreRejected() {
        ClientHandshake.Builder b = builder("ws://h/");
        assertThrows(IllegalArgumentException.class, () -> b.subprotocols("a b"));
        assertThrows(IllegalArgumentException.class, () -> b.subprotocols("x", "x"));
        assertThrows(IllegalArgumentException.class, () -> b.key("short"));
        for (String reserved : List.of("Host", "upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
                "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions", "Sec-WebSocket-Accept", "Content-Length")) {
            assertThrows(IllegalArgumentException.class, () -> b.header(reserved, "x"), reserved);
        }
        assertThrows(IllegalArgumentException.class, () -> b.header("X", "a\r\nHost: evil"));
    }

    @Test
    void generatedKeyIsFreshAndValid() {
        ClientHandshake first = ClientHandshake.builder(URI.create("ws://h/")).build();
        ClientHandshake second = ClientHandshake.builder(URI.create("ws://h/")).build();
        assertTrue(WebSocketAccept.isValidKey(first.key()));
        assertNotEquals(first.key(), second.key());
        assertEquals(first.key(), first.requestHead().headers().first("Sec-WebSocket-Key"));
    }

    @Test
    void successIsCaseInsensitiveWhereTheRfcSaysSo() {
        ClientHandshakeResult result = validate(SIMPLE, "HTTP/1.1 101 Whatever\r\nupgrade: WebSocket\r\n"
                + "CONNECTION: keep-alive, UPGRADE\r\nsec-websocket-accept: " + ACCEPT + "\r\n\r\n");
        assertTrue(result.isSuccess(), result::toString);
        assertNull(result.subprotocol());
        assertEquals(List.of(), result.extensions());
    }

    @Test
    void acceptedSubprotocolAndExtensionsAreReturned() {
        ClientHandshakeResult result = validate(OFFERING, OK_HEAD + "Sec-WebSocket-Protocol: superchat\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=15;"
                + " server_no_context_takeover\r\n\r\n");
        assertTrue(result.isSuccess(), result::toString);
        assertEquals("superchat", result.subprotocol());
        assertEquals(List.of(Extension.of("permessage-deflate", ExtensionParam.of("client_max_window_bits", "15"),
                ExtensionParam.of("server_no_context_takeover"))), result.extensions());
    }

    @Test
    void failsOnStatusOtherThan101() {
        assertEquals("server answered with status 200 OK instead of 101 Switching Protocols",
                failure(SIMPLE, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assertEquals("server answered with status 403 Forbidden instead of 101 Switching Protocols",
                failure(SIMPLE, "HTTP/1.1 403 Forbidden\r\n\r\n"));
        assertEquals("server answered with status 426 instead of 101 Switching Protocols",
                failure(SIMPLE, "HTTP/1.1 426 \r\nSec-WebSocket-Version: 13\r\n\r\n"));
    }

    @Test
    void failsOnOtherHttpVersion() {
        assertEquals("101 response has version HTTP/1.0 instead of HTTP/1.1",
                failure(SIMPLE, OK_HEAD.replace("HTTP/1.1", "HTTP/1.0") + "\r\n"));
    }

    @Test
    void failsWithoutUpgradeHeader() {
        assertEquals("response lacks the Upgrade header",
                failure(SIMPLE, OK_HEAD.replace("Upgrade: websocket\r\n", "") + "\r\n"));
    }

    @Test
    void failsWhenUpgradeIsNotWebsocket() {
        for (String upgrade : List.of("h2c", "websocket, h2c", "websockets", "")) {
            assertEquals("response Upgrade header is not websocket",
                    failure(SIMPLE, OK_HEAD.replace("Upgrade: websocket", "Upgrade: " + upgrade) + "\r\n"), upgrade);
        }
        assertEquals("response Upgrade header is not websocket",
                failure(SIMPLE, OK_HEAD + "Upgrade: websocket\r\n\r\n"));
    }

    @Test
    void failsWithoutConnectionHeader() {
        assertEquals("response lacks the Connection header",
                failure(SIMPLE, OK_HEAD.replace("Connection: Upgrade\r\n", "") + "\r\n"));
    }

    @Test
    void failsWhenConnectionLacksUpgrade() {
        assertEquals("response Connection header does not list upgrade",
                failure(SIMPLE, OK_HEAD.replace("Connection: Upgrade", "Connection: keep-alive") + "\r\n"));
    }

    @Test
    void failsWithoutAccept() {
        assertEquals("response lacks Sec-WebSocket-Accept",
                failure(SIMPLE, OK_HEAD.replace("Sec-WebSocket-Accept: " + ACCEPT + "\r\n", "") + "\r\n"));
    }

    @Test
    void failsOnWrongAccept() {
        assertEquals("wrong Sec-WebSocket-Accept: expected " + ACCEPT + " but got ICX+Yqv66kxgM0FcWaLWlFLwTAI=",
                failure(SIMPLE, OK_HEAD.replace(ACCEPT, "ICX+Yqv66kxgM0FcWaLWlFLwTAI=") + "\r\n"));
        assertEquals("wrong Sec-WebSocket-Accept: expected " + ACCEPT + " but got S3PPLMBITXAQ9KYGZZHZRBK+XOO=",
                failure(SIMPLE, OK_HEAD.replace(ACCEPT, "S3PPLMBITXAQ9KYGZZHZRBK+XOO=") + "\r\n"));
    }

    @Test
    void failsOnRepeatedAccept() {
        assertEquals("response repeats Sec-WebSocket-Accept",
                failure(SIMPLE, OK_HEAD + "Sec-WebSocket-Accept: " + ACCEPT + "\r\n\r\n"));
    }

    @Test
    void failsOnSubprotocolNotOffered() {
        assertEquals("server selected subprotocol mqtt which was not offered",
                failure(OFFERING, OK_HEAD + "Sec-WebSocket-Protocol: mqtt\r\n\r\n"));
        assertEquals("server selected subprotocol Chat which was not offered",
                failure(OFFERING, OK_HEAD + "Sec-WebSocket-Protocol: Chat\r\n\r\n"));
        assertEquals("server selected subprotocol chat which was not offered",
                failure(SIMPLE, OK_HEAD + "Sec-WebSocket-Protocol: chat\r\n\r\n"));
    }

    @Test
    void failsOnSeveralSubprotocols() {
        String reason = "response Sec-WebSocket-Protocol must name exactly one subprotocol";
        assertEquals(reason, failure(OFFERING, OK_HEAD + "Sec-WebSocket-Protocol: chat, superchat\r\n\r\n"));
        assertEquals(reason, failure(OFFERING, OK_HEAD + "Sec-WebSocket-Protocol: chat\r\n"
                + "Sec-WebSocket-Protocol: chat\r\n\r\n"));
        assertEquals(reason, failure(OFFERING, OK_HEAD + "Sec-WebSocket-Protocol:\r\n\r\n"));
    }

    @Test
    void failsOnMalformedExtensions() {
        assertEquals("malformed Sec-WebSocket-Extensions in response: unexpected character '=' at position 43"
                + " where value of parameter client_max_window_bits was expected in Sec-WebSocket-Extensions",
                failure(OFFERING, OK_HEAD + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=="
                        + "\r\n\r\n"));
    }

    @Test
    void failsOnExtensionNotOffered() {
        assertEquals("server accepted extension x-webkit-deflate-frame which was not offered",
                failure(OFFERING, OK_HEAD + "Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n\r\n"));
        assertEquals("server accepted extension permessage-deflate which was not offered",
                failure(SIMPLE, OK_HEAD + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n"));
    }
}
