package io.tern.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.deflate.DeflateOptions;
import io.tern.codec.handshake.HttpHeaders;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.HttpFallback;
import io.tern.transport.HttpResponse;
import io.tern.transport.UpgradeDecision;
import io.tern.transport.UpgradeRequest;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketHandshakeException;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.HttpHead;
import io.tern.transport.testkit.JdkPeer;
import io.tern.transport.testkit.RawPeer;
import io.tern.transport.testkit.RawServer;
import io.tern.transport.testkit.Recorder;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The opening handshake over real sockets: what the server answers, byte for byte, and that it hangs up after a refusal. */
@ExtendWith({NoLeakedLoops.class, QuietWarnings.class})
@Timeout(30)
class HandshakeWireTest {

    private static WebSocketServer.Builder server() {
        return WebSocketServer.builder().address("127.0.0.1", 0).loops(1);
    }

    private static String request(String requestLine, String... lines) {
        StringBuilder b = new StringBuilder(requestLine).append("\r\n");
        for (String l : lines) {
            b.append(l).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    /** Reads a refusal, checks its fixed headers and body length, and that the server then closes. */
    private static RawPeer.Response expectRefusal(RawPeer peer, String statusLine, String connection) throws IOException {
        RawPeer.Response r = peer.readResponse();
        assertEquals(statusLine, r.head().startLine(), () -> "whole response: " + r.head().raw() + r.body());
        assertEquals("text/plain; charset=utf-8", r.head().single("Content-Type"));
        assertEquals(connection, r.head().single("Connection"));
        assertEquals(r.body().getBytes(StandardCharsets.UTF_8).length, Integer.parseInt(r.head().single("Content-Length")));
        assertNull(r.head().single("Sec-WebSocket-Accept"), "a refusal must not carry an accept value");
        peer.expectEof();
        return r;
    }

    private static void expectEchoWorks(RawPeer peer, String text) throws IOException {
        peer.sendFrame(0x1, Payloads.utf8(text));
        Frame f = peer.readFrame();
        assertEquals(0x1, f.opcode());
        assertTrue(f.fin());
        assertFalse(f.masked(), "a server must not mask");
        assertEquals(text, f.text());
    }

    // ------------------------------------------------------------------ accepted

    @Test
    void acceptsTheRfcExampleKeyWithTheExactAcceptValue() throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = server().route("/echo", serverSide).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            HttpHead head = peer.upgrade("/echo");
            assertEquals(3, head.fields().size(), () -> "only Upgrade, Connection and Sec-WebSocket-Accept expected: " + head.raw());
            assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", head.raw());
            WebSocket<Object> ws = serverSide.awaitOpen(5);
            assertEquals("/echo", ws.path());
            assertNull(ws.subprotocol());
            assertFalse(ws.isCompressed());
            expectEchoWorks(peer, "first message ✓");
        }
    }

    @Test
    void acceptsAFrameSentInTheSameWriteAsTheRequest() throws Exception {
        try (WebSocketServer s = server().route("/echo", new Recorder(true)).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            byte[] req = peer.upgradeRequest("/echo").getBytes(StandardCharsets.ISO_8859_1);
            byte[] frame = Frame.clientFrame(0x2, new byte[] {1, 2, 3, (byte) 0xff});
            byte[] both = new byte[req.length + frame.length];
            System.arraycopy(req, 0, both, 0, req.length);
            System.arraycopy(frame, 0, both, req.length, frame.length);
            peer.write(both);
            assertEquals("HTTP/1.1 101 Switching Protocols", peer.readHead().startLine());
            Frame echo = peer.readFrame();
            assertEquals(0x2, echo.opcode());
            assertEquals("010203ff", java.util.HexFormat.of().formatHex(echo.payload()));
        }
    }

    static Stream<Arguments> acceptableVariants() {
        String key = "Sec-WebSocket-Key: " + RawPeer.RFC_KEY;
        return Stream.of(
                Arguments.of("lower-case names and mixed-case tokens", "GET /echo HTTP/1.1",
                        new String[] {"host: 127.0.0.1", "upgrade: WebSocket", "connection: UPGRADE",
                            "sec-websocket-key: " + RawPeer.RFC_KEY, "sec-websocket-version: 13"}),
                Arguments.of("Connection listing several tokens", "GET /echo HTTP/1.1",
                        new String[] {"Host: 127.0.0.1", "Upgrade: websocket", "Connection: keep-alive, Upgrade",
                            key, "Sec-WebSocket-Version: 13"}),
                Arguments.of("optional whitespace around values", "GET /echo HTTP/1.1",
                        new String[] {"Host:127.0.0.1", "Upgrade:   websocket  ", "Connection: Upgrade\t",
                            "Sec-WebSocket-Key:    " + RawPeer.RFC_KEY + "   ", "Sec-WebSocket-Version:13"}),
                Arguments.of("query string", "GET /echo?room=1&x=%20 HTTP/1.1",
                        new String[] {"Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade", key,
                            "Sec-WebSocket-Version: 13"}),
                Arguments.of("absolute-form target", "GET http://127.0.0.1/echo HTTP/1.1",
                        new String[] {"Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade", key,
                            "Sec-WebSocket-Version: 13"}),
                Arguments.of("extra headers and an Origin", "GET /echo HTTP/1.1",
                        new String[] {"Host: 127.0.0.1", "Origin: http://example.com", "Upgrade: websocket",
                            "Connection: Upgrade", key, "Sec-WebSocket-Version: 13", "User-Agent: raw",
                            "Cookie: a=b"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptableVariants")
    void acceptsEveryValidSpellingOfTheRequest(String what, String requestLine, String[] lines) throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = server().route("/echo", serverSide).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.writeAscii(request(requestLine, lines));
            HttpHead head = peer.readHead();
            assertEquals("HTTP/1.1 101 Switching Protocols", head.startLine(), () -> "whole head: " + head.raw());
            assertEquals(RawPeer.RFC_ACCEPT, head.single("Sec-WebSocket-Accept"));
            assertEquals("/echo", serverSide.awaitOpen(5).path());
            expectEchoWorks(peer, "variant ok");
        }
    }

    @Test
    void acceptsARequestArrivingOneByteAtATime() throws Exception {
        try (WebSocketServer s = server().route("/echo", new Recorder(true)).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            byte[] req = peer.upgradeRequest("/echo").getBytes(StandardCharsets.ISO_8859_1);
            peer.writeInPieces(req, 1);
            assertEquals("HTTP/1.1 101 Switching Protocols", peer.readHead().startLine());
            byte[] frame = Frame.clientFrame(0x1, Payloads.utf8("slow ✓"));
            peer.writeInPieces(frame, 1);
            Frame echo = peer.readFrame();
            assertEquals("slow ✓", echo.text());
        }
    }

    @Test
    void answers505ToHttp10() throws Exception {
        try (WebSocketServer s = server().route("/echo", new Recorder()).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.writeAscii(peer.upgradeRequest("/echo").replace(" HTTP/1.1\r\n", " HTTP/1.0\r\n"));
            expectRefusal(peer, "HTTP/1.1 505 HTTP Version Not Supported", "close");
        }
    }

    // ------------------------------------------------------------------ 400 and friends

    static Stream<Arguments> badRequests() {
        String host = "Host: 127.0.0.1";
        String up = "Upgrade: websocket";
        String conn = "Connection: Upgrade";
        String ver = "Sec-WebSocket-Version: 13";
        String key = "Sec-WebSocket-Key: " + RawPeer.RFC_KEY;
        return Stream.of(
                Arguments.of("missing Sec-WebSocket-Key", request("GET /echo HTTP/1.1", host, up, conn, ver)),
                Arguments.of("key of 5 bytes", request("GET /echo HTTP/1.1", host, up, conn, ver,
                        "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString("short".getBytes(StandardCharsets.US_ASCII)))),
                Arguments.of("key of 17 bytes", request("GET /echo HTTP/1.1", host, up, conn, ver,
                        "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[17]))),
                Arguments.of("key not base64", request("GET /echo HTTP/1.1", host, up, conn, ver,
                        "Sec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!==")),
                Arguments.of("two keys", request("GET /echo HTTP/1.1", host, up, conn, ver, key, key)),
                Arguments.of("missing Host", request("GET /echo HTTP/1.1", up, conn, ver, key)),
                Arguments.of("Connection without upgrade", request("GET /echo HTTP/1.1", host, up,
                        "Connection: keep-alive", ver, key)),
                Arguments.of("missing Connection", request("GET /echo HTTP/1.1", host, up, ver, key)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void answers400AndCloses(String what, String request) throws Exception {
        Recorder serverSide = new Recorder();
        try (WebSocketServer s = server().route("/echo", serverSide).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.writeAscii(request);
            RawPeer.Response r = expectRefusal(peer, "HTTP/1.1 400 Bad Request", "close");
            assertFalse(r.body().isEmpty(), "a refusal explains itself");
            assertFalse(serverSide.opened.isDone(), "the handler must not see a refused connection");
            assertEquals(1, s.stats().rejectedHandshakes());
        }
    }

    @Test
    void answers405ToPostWithAllowGet() throws Exception {
        try (WebSocketServer s = server().route("/echo", new Recorder()).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.writeAscii(peer.upgradeRequest("/echo").replaceFirst("^GET ", "POST "));
            RawPeer.Response r = expectRefusal(peer, "HTTP/1.1 405 Method Not Allowed", "close");
            assertEquals("GET", r.head().single("Allow"));
        }
    }

    @Test
    void answers426WithTheSupportedVersionToVersion8() throws Exception {
        try (WebSocketServer s = server().route("/echo", new Recorder()).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.writeAscii(peer.upgradeRequest("/echo").replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8"));
            RawPeer.Response r = expectRefusal(peer, "HTTP/1.1 426 Upgrade Required", "Upgrade, close");
            assertEquals("13", r.head().single("Sec-WebSocket-Version"));
            assertEquals("websocket", r.head().single("Upgrade"));
        }
    }

    /** A request head of exactly {@code total} bytes (padding in an X-Pad header). */
    private static String requestOfSize(RawPeer peer, int total) {
        String base = peer.upgradeRequest("/echo", "X-Pad: ");
        int pad = total - base.length();
        assertTrue(pad >= 0);
        return peer.upgradeRequest("/echo", "X-Pad: " + "p".repeat(pad));
    }

    @Test
    void answers431OneByteOverTheConfiguredHeadLimitAndAcceptsAtTheLimit() throws Exception {
        try (WebSocketServer s = server().maxHandshakeHeaderBytes(512).route("/echo", new Recorder(true)).build().start()) {
            try (RawPeer atLimit = RawPeer.connect(s.port())) {
                String req = requestOfSize(atLimit, 512);
                assertEquals(512, req.length());
                atLimit.writeAscii(req);
                assertEquals("HTTP/1.1 101 Switching Protocols", atLimit.readHead().startLine());
                expectEchoWorks(atLimit, "fits");
            }
            try (RawPeer over = RawPeer.connect(s.port())) {
                String req = requestOfSize(over, 513);
                assertEquals(513, req.length());
                over.writeAscii(req);
                expectRefusal(over, "HTTP/1.1 431 Request Header Fields Too Large", "close");
            }
            try (RawPeer wayOver = RawPeer.connect(s.port())) {
                wayOver.writeAscii(requestOfSize(wayOver, 4000));
                expectRefusal(wayOver, "HTTP/1.1 431 Request Header Fields Too Large", "close");
            }
        }
    }

    @Test
    void answers431ToAHeadFarLargerThanOneReadAndStillClosesCleanly() throws Exception {
        try (WebSocketServer s = server().route("/echo", new Recorder(true)).build().start();
             RawPeer peer = RawPeer.connect(s.port(), 4 << 20, 0)) {
            byte[] head = requestOfSize(peer, 256 * 1024).getBytes(StandardCharsets.ISO_8859_1);
            try {
                peer.writeInPieces(head, 16 * 1024);
            } catch (IOException serverHungUp) {
                // expected once the server has answered and stopped reading
            }
            expectRefusal(peer, "HTTP/1.1 431 Request Header Fields Too Large", "close");
        }
    }

    @Test
    void answers431OverTheDefaultLimitOf8192() throws Exception {
        try (WebSocketServer s = server().route("/echo", new Recorder(true)).build().start()) {
            try (RawPeer atLimit = RawPeer.connect(s.port())) {
                atLimit.writeAscii(requestOfSize(atLimit, 8192));
                assertEquals("HTTP/1.1 101 Switching Protocols", atLimit.readHead().startLine());
            }
            try (RawPeer over = RawPeer.connect(s.port())) {
                over.writeAscii(requestOfSize(over, 8193));
                expectRefusal(over, "HTTP/1.1 431 Request Header Fields Too Large", "close");
            }
        }
    }

    // ------------------------------------------------------------------ 404 and the fallback

    @Test
    void answers404ToAnUpgradeOnAnUnknownPath() throws Exception {
        try (WebSocketServer s = server().route("/echo", new Recorder()).build().start();
             WebSocketClient client = WebSocketClient.create()) {
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(peer.upgradeRequest("/nope?x=1"));
                RawPeer.Response r = expectRefusal(peer, "HTTP/1.1 404 Not Found", "close");
                assertEquals("no WebSocket endpoint at /nope", r.body());
            }
            ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect(
                    URI.create("ws://127.0.0.1:" + s.port() + "/nope"), new Recorder()).get(5, TimeUnit.SECONDS));
            assertEquals(404, assertInstanceOf(WebSocketHandshakeException.class, e.getCause()).status());
        }
    }

    @Test
    void defaultFallbackAnswers404ToAPlainGetOfAnUnknownPath() throws Exception {
        try (WebSocketServer s = server().route("/echo", new Recorder()).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.writeAscii(request("GET /other HTTP/1.1", "Host: " + peer.host(), "Accept: */*"));
            RawPeer.Response r = expectRefusal(peer, "HTTP/1.1 404 Not Found", "close");
            assertEquals("no WebSocket endpoint here; connect with an Upgrade: websocket request", r.body());
        }
    }

    @Test
    void plainGetOfAWebSocketRouteGets426WithUpgradeWebsocket() throws Exception {
        try (WebSocketServer s = server().route("/echo", new Recorder()).build().start()) {
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(request("GET /echo HTTP/1.1", "Host: " + peer.host(), "Accept: */*"));
                RawPeer.Response r = expectRefusal(peer, "HTTP/1.1 426 Upgrade Required", "Upgrade, close");
                assertEquals("websocket", r.head().single("Upgrade"));
                assertEquals("this is a WebSocket endpoint: send a GET with Upgrade: websocket", r.body());
            }
            try (RawPeer peer = RawPeer.connect(s.port())) { // an Upgrade to something else is no upgrade to us
                peer.writeAscii(request("GET /echo?x HTTP/1.1", "Host: " + peer.host(), "Upgrade: h2c",
                        "Connection: Upgrade, HTTP2-Settings", "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA"));
                expectRefusal(peer, "HTTP/1.1 426 Upgrade Required", "Upgrade, close");
            }
        }
    }

    @Test
    void otherMethodsOnAWebSocketRouteGet405WithAllowGet() throws Exception {
        try (WebSocketServer s = server().route("/echo", new Recorder()).build().start()) {
            for (String method : new String[] {"POST", "PUT", "DELETE", "OPTIONS", "get"}) {
                try (RawPeer peer = RawPeer.connect(s.port())) {
                    peer.writeAscii(request(method + " /echo HTTP/1.1", "Host: " + peer.host(), "Content-Length: 0"));
                    RawPeer.Response r = expectRefusal(peer, "HTTP/1.1 405 Method Not Allowed", "close");
                    assertEquals("GET", r.head().single("Allow"), method);
                }
            }
        }
    }

    @Test
    void methodsTheFallbackDoesNotServeGet405WithAllow() throws Exception {
        HttpFallback page = req -> HttpResponse.text(200, "page");
        HttpFallback form = HttpFallback.allowing(List.of("GET", "POST"), req -> HttpResponse.text(200, req.method()));
        try (WebSocketServer s = server().route("/echo", new Recorder()).fallback(page).build().start();
             WebSocketServer f = server().route("/echo", new Recorder()).fallback(form).build().start()) {
            for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"}) {
                try (RawPeer peer = RawPeer.connect(s.port())) {
                    peer.writeAscii(request(method + " / HTTP/1.1", "Host: " + peer.host(), "Content-Length: 0"));
                    RawPeer.Response r = expectRefusal(peer, "HTTP/1.1 405 Method Not Allowed", "close");
                    assertEquals("GET, HEAD", r.head().single("Allow"), method);
                    assertEquals("method " + method + " not allowed here", r.body());
                }
            }
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(request("OPTIONS * HTTP/1.1", "Host: " + peer.host()));
                assertEquals("GET, HEAD", expectRefusal(peer, "HTTP/1.1 405 Method Not Allowed", "close")
                        .head().single("Allow"));
            }
            try (RawPeer peer = RawPeer.connect(f.port())) {
                peer.writeAscii(request("POST /form HTTP/1.1", "Host: " + peer.host(), "Content-Length: 0"));
                assertEquals("POST", expectRefusal(peer, "HTTP/1.1 200 OK", "close").body());
            }
            try (RawPeer peer = RawPeer.connect(f.port())) {
                peer.writeAscii(request("PUT /form HTTP/1.1", "Host: " + peer.host(), "Content-Length: 0"));
                assertEquals("GET, HEAD, POST", expectRefusal(peer, "HTTP/1.1 405 Method Not Allowed", "close")
                        .head().single("Allow"));
            }
        }
    }

    /** Reads the head of an answer to HEAD: it must be followed by no body at all, then the close. */
    private static HttpHead expectHeadAnswer(RawPeer peer, String statusLine) throws IOException {
        HttpHead head = peer.readHead();
        assertEquals(statusLine, head.startLine(), head::raw);
        peer.expectEof();
        return head;
    }

    @Test
    void headGetsTheStatusAndHeadersOfGetWithoutTheBody() throws Exception {
        byte[] html = "<!doctype html><title>t</title>".getBytes(StandardCharsets.UTF_8);
        HttpFallback site = HttpFallback.serving(java.util.Map.of("/", HttpResponse.ok("text/html; charset=utf-8", html)));
        try (WebSocketServer s = server().route("/echo", new Recorder()).fallback(site).build().start()) {
            HttpHead get;
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(request("GET / HTTP/1.1", "Host: " + peer.host()));
                RawPeer.Response r = peer.readResponse();
                get = r.head();
                assertEquals("HTTP/1.1 200 OK", get.startLine());
                assertEquals(new String(html, StandardCharsets.UTF_8), r.body());
                peer.expectEof();
            }
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(request("HEAD / HTTP/1.1", "Host: " + peer.host()));
                HttpHead head = expectHeadAnswer(peer, "HTTP/1.1 200 OK");
                assertEquals(Integer.toString(html.length), head.single("Content-Length"));
                assertEquals("text/html; charset=utf-8", head.single("Content-Type"));
                assertEquals(withoutDate(get.raw()), withoutDate(head.raw()));
            }
            String[][] cases = {
                {"HEAD /missing HTTP/1.1", "HTTP/1.1 404 Not Found"},
                {"HEAD /echo HTTP/1.1", "HTTP/1.1 426 Upgrade Required"},
            };
            for (String[] c : cases) {
                try (RawPeer peer = RawPeer.connect(s.port())) {
                    peer.writeAscii(request(c[0], "Host: " + peer.host()));
                    HttpHead head = expectHeadAnswer(peer, c[1]);
                    assertTrue(Integer.parseInt(head.single("Content-Length")) > 0, "the length of the GET body");
                }
            }
            try (RawPeer peer = RawPeer.connect(s.port())) { // HEAD with the upgrade headers: 405, still no body
                peer.writeAscii(peer.upgradeRequest("/echo").replaceFirst("^GET ", "HEAD "));
                HttpHead head = expectHeadAnswer(peer, "HTTP/1.1 405 Method Not Allowed");
                assertEquals("GET", head.single("Allow"));
            }
        }
    }

    private static String withoutDate(String rawHead) {
        return rawHead.replaceAll("\r\nDate: [^\r]*", "");
    }

    @Test
    void everyHttpAnswerCarriesAnImfFixdate() throws Exception {
        try (WebSocketServer s = server().route("/echo", new Recorder()).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            long before = System.currentTimeMillis() / 1000 * 1000;
            peer.writeAscii(request("GET /x HTTP/1.1", "Host: " + peer.host()));
            String date = expectRefusal(peer, "HTTP/1.1 404 Not Found", "close").head().single("Date");
            assertTrue(date.matches("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
                    + " \\d{4} \\d\\d:\\d\\d:\\d\\d GMT"), date);
            long sent = java.time.ZonedDateTime.parse(date, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant().toEpochMilli();
            assertTrue(sent >= before && sent <= System.currentTimeMillis(), date);
        }
    }

    @Test
    void customFallbackAnswersWithItsOwnResponseTypeAndSeesTheRemoteAddress() throws Exception {
        java.util.concurrent.BlockingQueue<io.tern.transport.HttpRequest> seen = new java.util.concurrent.LinkedBlockingQueue<>();
        byte[] icon = {0, 0, 1, 0, (byte) 0xff, 0x7f};
        HttpFallback site = req -> {
            seen.add(req);
            switch (req.path()) {
                case "/health":
                    return HttpResponse.text(200, "ok from " + req.remoteAddress()).withHeader("Cache-Control", "no-store");
                case "/favicon.ico":
                    return HttpResponse.ok("image/x-icon", icon);
                case "/teapot":
                    return HttpResponse.text(418, "short and stout").withReasonPhrase("I'm a teapot");
                case "/empty":
                    return HttpResponse.of(204, null, new byte[0]);
                default:
                    return null; // the default 404
            }
        };
        try (WebSocketServer s = server().route("/echo", new Recorder(true)).fallback(site).build().start()) {
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(request("GET /health?verbose=1 HTTP/1.1", "Host: " + peer.host(), "X-Test: yes"));
                HttpHead head = peer.readHead();
                assertEquals("HTTP/1.1 200 OK", head.startLine());
                io.tern.transport.HttpRequest req = seen.poll(5, TimeUnit.SECONDS);
                assertEquals("GET", req.method());
                assertEquals("/health?verbose=1", req.requestTarget());
                assertEquals("/health", req.path());
                assertEquals("verbose=1", req.query());
                assertEquals("yes", req.header("x-test"));
                java.net.InetSocketAddress remote = (java.net.InetSocketAddress) req.remoteAddress();
                assertEquals("127.0.0.1", remote.getAddress().getHostAddress());
                assertEquals(peer.localPort(), remote.getPort());
                String body = new String(peer.readBytes(Integer.parseInt(head.single("Content-Length"))), StandardCharsets.UTF_8);
                assertEquals("ok from " + remote, body);
                assertEquals("no-store", head.single("Cache-Control"));
                assertEquals("text/plain; charset=utf-8", head.single("Content-Type"));
                assertEquals("close", head.single("Connection"));
                peer.expectEof();
            }
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(request("GET /favicon.ico HTTP/1.1", "Host: " + peer.host()));
                HttpHead head = peer.readHead();
                assertEquals("HTTP/1.1 200 OK", head.startLine());
                assertEquals("image/x-icon", head.single("Content-Type"));
                assertEquals("6", head.single("Content-Length"));
                assertEquals("00000100ff7f", java.util.HexFormat.of().formatHex(peer.readBytes(6)));
                peer.expectEof();
            }
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(request("GET /teapot HTTP/1.1", "Host: " + peer.host()));
                assertEquals("short and stout", expectRefusal(peer, "HTTP/1.1 418 I'm a teapot", "close").body());
            }
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(request("GET /empty HTTP/1.1", "Host: " + peer.host()));
                HttpHead head = peer.readHead();
                assertEquals("HTTP/1.1 204 No Content", head.startLine());
                assertNull(head.single("Content-Length"));
                assertNull(head.single("Content-Type"));
                peer.expectEof();
            }
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(request("GET /other HTTP/1.1", "Host: " + peer.host()));
                expectRefusal(peer, "HTTP/1.1 404 Not Found", "close");
            }
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/echo"); // upgrades still reach the route
                expectEchoWorks(peer, "still a WebSocket");
            }
        }
    }

    @Test
    void aResourceServedFromTheClasspathArrivesByteForByte() throws Exception {
        HttpResponse self = HttpResponse.resource(HandshakeWireTest.class, "HandshakeWireTest.class", "application/java-vm");
        byte[] expected;
        try (java.io.InputStream in = HandshakeWireTest.class.getResourceAsStream("HandshakeWireTest.class")) {
            expected = in.readAllBytes();
        }
        assertThrows(IllegalArgumentException.class,
                () -> HttpResponse.resource(HandshakeWireTest.class, "/no/such/thing.html", "text/html"));
        try (WebSocketServer s = server().route("/echo", new Recorder())
                .fallback(HttpFallback.serving(java.util.Map.of("/self", self))).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.writeAscii(request("GET /self?ignored HTTP/1.1", "Host: " + peer.host()));
            HttpHead head = peer.readHead();
            assertEquals("HTTP/1.1 200 OK", head.startLine());
            assertEquals("application/java-vm", head.single("Content-Type"));
            assertEquals(Integer.toString(expected.length), head.single("Content-Length"));
            assertTrue(java.util.Arrays.equals(expected, peer.readBytes(expected.length)));
            peer.expectEof();
        }
    }

    @Test
    void aThrowingFallbackGets500AndTheLoopGoesOn() throws Exception {
        HttpFallback flaky = req -> {
            if (req.path().equals("/boom")) {
                throw new IllegalStateException("fallback failed on purpose");
            }
            return HttpResponse.text(200, "fine");
        };
        try (WebSocketServer s = server().route("/echo", new Recorder(true)).fallback(flaky).build().start()) {
            for (int i = 0; i < 3; i++) {
                try (RawPeer peer = RawPeer.connect(s.port())) {
                    peer.writeAscii(request("GET /boom HTTP/1.1", "Host: " + peer.host()));
                    assertEquals("internal error", expectRefusal(peer, "HTTP/1.1 500 Internal Server Error", "close").body());
                }
                try (RawPeer peer = RawPeer.connect(s.port())) {
                    peer.writeAscii(request("GET /fine HTTP/1.1", "Host: " + peer.host()));
                    assertEquals("fine", expectRefusal(peer, "HTTP/1.1 200 OK", "close").body());
                }
            }
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/echo");
                expectEchoWorks(peer, "the loop is alive");
            }
        }
    }

    // ------------------------------------------------------------------ the syntax of what the handshake relies on

    static Stream<Arguments> invalidFieldValues() {
        return Stream.of(
                Arguments.of("Host: a, b", "malformed Host header: not uri-host [\":\" port]"),
                Arguments.of("Host: exa mple.com", "malformed Host header: not uri-host [\":\" port]"),
                Arguments.of("Host: example.com:http", "malformed Host header: not uri-host [\":\" port]"),
                Arguments.of("Host: user@example.com", "malformed Host header: not uri-host [\":\" port]"),
                Arguments.of("Host: [::1", "malformed Host header: not uri-host [\":\" port]"),
                Arguments.of("Host: [::1]:80:80", "malformed Host header: not uri-host [\":\" port]"),
                Arguments.of("Host: example.com/echo", "malformed Host header: not uri-host [\":\" port]"),
                Arguments.of("Host:", "empty Host header"),
                Arguments.of(null, "missing Host header"),
                Arguments.of("Host: 127.0.0.1\r\nHost: 127.0.0.1", "repeated Host header"),
                Arguments.of("Origin: example.com", "malformed Origin header: not a serialized origin or null"),
                Arguments.of("Origin: http://example.com/", "malformed Origin header: not a serialized origin or null"),
                Arguments.of("Origin: http://a.example http://b.example",
                        "malformed Origin header: not a serialized origin or null"),
                Arguments.of("Origin: NULL", "malformed Origin header: not a serialized origin or null"),
                Arguments.of("Origin: http://a.example\r\nOrigin: http://a.example", "repeated Origin header"),
                Arguments.of("Sec-WebSocket-Protocol: chat, super chat", "invalid subprotocol name in Sec-WebSocket-Protocol"),
                Arguments.of("Sec-WebSocket-Protocol: \"chat\"", "invalid subprotocol name in Sec-WebSocket-Protocol"),
                Arguments.of("Sec-WebSocket-Protocol: chat, chat", "subprotocol chat offered twice in Sec-WebSocket-Protocol"),
                Arguments.of("Sec-WebSocket-Protocol: , ", "empty Sec-WebSocket-Protocol header"),
                Arguments.of("Upgrade2: x\r\nConnection: Upgrade, keep alive",
                        "malformed Connection header: not a list of tokens"),
                Arguments.of("X-Control: a\u0001b", "control character 0x01 in value of header X-Control"),
                Arguments.of("X-Control: a\u007fb", "control character 0x7F in value of header X-Control"),
                Arguments.of("Origin: http://a.example\u0000", "control character 0x00 in value of header Origin"),
                Arguments.of("Sec-WebSocket-Protocol: chat\u001b", "control character 0x1B in value of header Sec-WebSocket-Protocol"));
    }

    /** The request for /echo with the RFC key, with {@code field} added (or replacing Host when it is a Host line). */
    private static String requestWith(RawPeer peer, String field) {
        String base = peer.upgradeRequest("/echo");
        if (field == null) {
            return base.replace("Host: " + peer.host() + "\r\n", "");
        }
        if (field.startsWith("Host:")) {
            return base.replace("Host: " + peer.host() + "\r\n", field + "\r\n");
        }
        if (field.startsWith("Upgrade2:")) { // replaces the Connection line instead
            return base.replace("Connection: Upgrade\r\n", field.substring(field.indexOf("\r\n") + 2) + "\r\n");
        }
        return base.replace("\r\n\r\n", "\r\n" + field + "\r\n\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFieldValues")
    void answers400ToAFieldThatBreaksItsGrammar(String field, String reason) throws Exception {
        Recorder serverSide = new Recorder();
        try (WebSocketServer s = server().route("/echo", serverSide,
                ConnectionSettings.defaults().withSubprotocols(List.of("chat"))).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.writeAscii(requestWith(peer, field));
            RawPeer.Response r = expectRefusal(peer, "HTTP/1.1 400 Bad Request", "close");
            assertEquals(reason, r.body());
            assertFalse(serverSide.opened.isDone());
        }
    }

    @ParameterizedTest(name = "host lines \"{0}\"")
    @ValueSource(strings = {"Host: a, b", "Host: exa mple.com", "Host: example.com:http", "Host: user@example.com",
        "Host: [::1", "Host:", "", "Host: a\r\nHost: a"})
    void answers400ToAPlainRequestWithABadHostBeforeTheFallbackSeesIt(String hostLines) throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        HttpFallback counting = req -> {
            calls.incrementAndGet();
            return HttpResponse.text(200, "served");
        };
        try (WebSocketServer s = server().route("/echo", new Recorder()).fallback(counting).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.writeAscii("GET / HTTP/1.1\r\n" + (hostLines.isEmpty() ? "" : hostLines + "\r\n") + "\r\n");
            RawPeer.Response r = expectRefusal(peer, "HTTP/1.1 400 Bad Request", "close");
            assertTrue(r.body().contains("Host header"), r.body());
            assertEquals(0, calls.get());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"example.com", "example.com:8080", "[::1]", "[::1]:9001", "192.0.2.7:1", "[v7.x]", "ex%41mple"})
    void acceptsEveryHostForm(String host) throws Exception {
        try (WebSocketServer s = server().route("/echo", new Recorder(true)).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.writeAscii(requestWith(peer, "Host: " + host));
            assertEquals("HTTP/1.1 101 Switching Protocols", peer.readHead().startLine());
            expectEchoWorks(peer, host);
        }
    }

    // ------------------------------------------------------------------ the upgrade hook

    @Test
    void upgradeHookRejectsWith403AndItsBodyOrAcceptsWithAnAttachment() throws Exception {
        Recorder serverSide = new Recorder(true) {
            @Override
            public UpgradeDecision<Object> onUpgrade(UpgradeRequest request) {
                return "Bearer good".equals(request.header("Authorization"))
                        ? UpgradeDecision.accept("alice")
                        : UpgradeDecision.reject(403, "token required ✗");
            }
        };
        try (WebSocketServer s = server().route("/echo", serverSide).build().start();
             WebSocketClient client = WebSocketClient.create()) {
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(peer.upgradeRequest("/echo", "Authorization: Bearer bad"));
                RawPeer.Response r = expectRefusal(peer, "HTTP/1.1 403 Forbidden", "close");
                assertEquals("token required ✗", r.body());
                assertEquals(Payloads.utf8("token required ✗").length, Integer.parseInt(r.head().single("Content-Length")));
            }
            assertFalse(serverSide.opened.isDone());
            ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect(
                    URI.create("ws://127.0.0.1:" + s.port() + "/echo"), new Recorder()).get(5, TimeUnit.SECONDS));
            assertEquals(403, assertInstanceOf(WebSocketHandshakeException.class, e.getCause()).status());
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/echo", "Authorization: Bearer good");
                assertEquals("alice", serverSide.awaitOpen(5).attachment());
                expectEchoWorks(peer, "authorised");
            }
        }
    }

    @Test
    void upgradeHookHeadersReachThe101AndTheRefusal() throws Exception {
        Recorder serverSide = new Recorder(true) {
            @Override
            public UpgradeDecision<Object> onUpgrade(UpgradeRequest request) {
                if (request.query() != null && request.query().equals("login")) {
                    return UpgradeDecision.accept(request.query(), HttpHeaders.of("Set-Cookie", "session=42; HttpOnly"));
                }
                return UpgradeDecision.reject(401, "who are you?", HttpHeaders.of("WWW-Authenticate", "Bearer"));
            }
        };
        try (WebSocketServer s = server().route("/echo", serverSide).build().start()) {
            try (RawPeer peer = RawPeer.connect(s.port())) {
                HttpHead head = peer.upgrade("/echo?login");
                assertEquals("session=42; HttpOnly", head.single("Set-Cookie"));
                assertEquals("login", serverSide.awaitOpen(5).attachment());
                expectEchoWorks(peer, "cookie set");
            }
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(peer.upgradeRequest("/echo"));
                RawPeer.Response r = expectRefusal(peer, "HTTP/1.1 401 Unauthorized", "close");
                assertEquals("Bearer", r.head().single("WWW-Authenticate"));
                assertEquals("who are you?", r.body());
            }
        }
    }

    @Test
    void failingHooksAndFallbacksAnswer500AndLeakNoSlot() throws Exception {
        Recorder throwing = new Recorder(true) {
            @Override
            public UpgradeDecision<Object> onUpgrade(UpgradeRequest request) {
                throw new IllegalStateException("hook failed on purpose");
            }
        };
        Recorder badHeaders = new Recorder(true) {
            @Override
            public UpgradeDecision<Object> onUpgrade(UpgradeRequest request) {
                return UpgradeDecision.accept(null, HttpHeaders.of("Sec-WebSocket-Accept", "forged"));
            }
        };
        Recorder nullDecision = new Recorder(true) {
            @Override
            public UpgradeDecision<Object> onUpgrade(UpgradeRequest request) {
                return null;
            }
        };
        HttpFallback brokenFallback = req -> {
            throw new IllegalStateException("fallback failed on purpose");
        };
        try (WebSocketServer s = server().maxConnections(1).route("/throw", throwing).route("/bad", badHeaders)
                .route("/null", nullDecision).fallback(brokenFallback).build().start()) {
            for (String path : new String[] {"/throw", "/bad", "/throw", "/bad"}) {
                try (RawPeer peer = RawPeer.connect(s.port())) {
                    peer.writeAscii(peer.upgradeRequest(path));
                    expectRefusal(peer, "HTTP/1.1 500 Internal Server Error", "close");
                }
            }
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(request("GET /status HTTP/1.1", "Host: " + peer.host()));
                expectRefusal(peer, "HTTP/1.1 500 Internal Server Error", "close");
            }
            assertEquals(0, s.openConnections(), "a refused upgrade must give its slot back");
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/null"); // a null decision accepts; the single slot is still free
                assertNull(nullDecision.awaitOpen(5).attachment());
                expectEchoWorks(peer, "the slot was free");
            }
        }
    }

    @Test
    void serverMessageSentInOnOpenFollowsThe101() throws Exception {
        Recorder greeting = new Recorder(true) {
            @Override
            public void onOpen(WebSocket<Object> socket) {
                super.onOpen(socket);
                socket.sendText("welcome, " + socket.path());
            }
        };
        try (WebSocketServer s = server().route("/hello", greeting).build().start();
             WebSocketClient client = WebSocketClient.create()) {
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/hello");
                assertEquals("welcome, /hello", peer.readFrame().text());
            }
            Recorder clientSide = new Recorder();
            client.connect(URI.create("ws://127.0.0.1:" + s.port() + "/hello"), clientSide).get(5, TimeUnit.SECONDS);
            assertEquals("welcome, /hello", new String(clientSide.nextMessage(5).data(), StandardCharsets.UTF_8));
            JdkPeer listener = new JdkPeer();
            java.net.http.WebSocket jdk = JdkPeer.open(URI.create("ws://127.0.0.1:" + s.port() + "/hello"), listener);
            try {
                assertEquals("welcome, /hello", new String(listener.nextMessage(5).data(), StandardCharsets.UTF_8));
            } finally {
                jdk.abort();
            }
        }
    }

    // ------------------------------------------------------------------ 503

    @Test
    void answers503AtMaxConnectionsAndAcceptsAgainAfterOneCloses() throws Exception {
        int max = 3;
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = server().maxConnections(max).route("/echo", serverSide).build().start();
             WebSocketClient client = WebSocketClient.create()) {
            List<RawPeer> open = new ArrayList<>();
            try {
                for (int i = 0; i < max; i++) {
                    RawPeer p = RawPeer.connect(s.port());
                    open.add(p);
                    p.upgrade("/echo");
                }
                assertEquals(max, s.openConnections());
                try (RawPeer extra = RawPeer.connect(s.port())) {
                    extra.writeAscii(extra.upgradeRequest("/echo"));
                    RawPeer.Response r = expectRefusal(extra, "HTTP/1.1 503 Service Unavailable", "close");
                    assertEquals("server at its connection limit", r.body());
                }
                ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect(
                        URI.create("ws://127.0.0.1:" + s.port() + "/echo"), new Recorder()).get(5, TimeUnit.SECONDS));
                assertEquals(503, assertInstanceOf(WebSocketHandshakeException.class, e.getCause()).status());
                assertEquals(max, s.openConnections(), "refused upgrades must not take or leak slots");

                RawPeer leaving = open.remove(0);
                leaving.sendFrame(0x8, Frame.closePayload(1000, ""));
                assertEquals(1000, leaving.readFrame().closeCode());
                leaving.expectEof();
                leaving.close();
                assertTrue(Payloads.waitUntil(5000, () -> s.openConnections() == max - 1),
                        () -> "open connections stayed at " + s.openConnections());

                RawPeer again = RawPeer.connect(s.port());
                open.add(again);
                again.upgrade("/echo");
                expectEchoWorks(again, "back in");
                for (RawPeer p : open) {
                    expectEchoWorks(p, "still here");
                }
            } finally {
                for (RawPeer p : open) {
                    p.close();
                }
            }
        }
    }

    // ------------------------------------------------------------------ subprotocols

    static Stream<Arguments> subprotocolOffers() {
        return Stream.of(
                Arguments.of("chat.v1, chat.v2", "chat.v1"),
                Arguments.of("chat.v2, chat.v1", "chat.v2"),
                Arguments.of("other, chat.v2", "chat.v2"),
                Arguments.of("other", null));
    }

    @ParameterizedTest(name = "offer \"{0}\" -> {1}")
    @MethodSource("subprotocolOffers")
    void selectsTheFirstOfferedSubprotocolTheRouteSpeaks(String offer, String expected) throws Exception {
        Recorder serverSide = new Recorder(true);
        ConnectionSettings settings = ConnectionSettings.defaults().withSubprotocols(List.of("chat.v2", "chat.v1"));
        try (WebSocketServer s = server().route("/chat", serverSide, settings).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            HttpHead head = peer.upgrade("/chat", "Sec-WebSocket-Protocol: " + offer);
            assertEquals(expected, head.single("Sec-WebSocket-Protocol"));
            assertEquals(expected, serverSide.awaitOpen(5).subprotocol());
            expectEchoWorks(peer, "hi");
        }
    }

    @Test
    void subprotocolIsVisibleOnBothSidesWithTheTernClient() throws Exception {
        Recorder serverSide = new Recorder(true);
        Recorder clientSide = new Recorder();
        try (WebSocketServer s = server().route("/chat", serverSide,
                        ConnectionSettings.defaults().withSubprotocols(List.of("chat.v2", "chat.v1"))).build().start();
             WebSocketClient client = WebSocketClient.create()) {
            WebSocket<Object> ws = client.connect(URI.create("ws://127.0.0.1:" + s.port() + "/chat"), clientSide,
                    ConnectionSettings.defaults().withSubprotocols(List.of("legacy", "chat.v1", "chat.v2")))
                    .get(5, TimeUnit.SECONDS);
            assertEquals("chat.v1", ws.subprotocol());
            assertEquals("chat.v1", serverSide.awaitOpen(5).subprotocol());

            WebSocket<Object> none = client.connect(URI.create("ws://127.0.0.1:" + s.port() + "/chat"), new Recorder(),
                    ConnectionSettings.defaults().withSubprotocols(List.of("legacy"))).get(5, TimeUnit.SECONDS);
            assertNull(none.subprotocol());
        }
    }

    @Test
    void subprotocolIsVisibleOnBothSidesWithTheJdkClient() throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = server().route("/chat", serverSide,
                ConnectionSettings.defaults().withSubprotocols(List.of("chat.v2", "chat.v1"))).build().start()) {
            JdkPeer listener = new JdkPeer();
            java.net.http.WebSocket ws = JdkPeer.open(URI.create("ws://127.0.0.1:" + s.port() + "/chat"), listener,
                    "chat.v2", "chat.v1");
            try {
                assertEquals("chat.v2", ws.getSubprotocol());
                assertEquals("chat.v2", serverSide.awaitOpen(5).subprotocol());
            } finally {
                ws.abort();
            }
        }
    }

    @Test
    void ternClientOffersExactlyWhatItsSettingsSay() throws Exception {
        try (RawServer server = RawServer.open();
             WebSocketClient client = WebSocketClient.create()) {
            var future = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/x?q=1"), new Recorder(),
                    ConnectionSettings.defaults().withSubprotocols(List.of("a", "b"))
                            .withDeflate(DeflateOptions.defaults().withServerMaxWindowBits(10)));
            HttpHead req = server.acceptRequest();
            assertEquals("GET /x?q=1 HTTP/1.1", req.startLine());
            assertEquals("127.0.0.1:" + server.port(), req.single("Host"));
            assertEquals("websocket", req.single("Upgrade").toLowerCase(java.util.Locale.ROOT));
            assertTrue(req.single("Connection").toLowerCase(java.util.Locale.ROOT).contains("upgrade"));
            assertEquals("13", req.single("Sec-WebSocket-Version"));
            assertEquals("a, b", req.single("Sec-WebSocket-Protocol"));
            assertEquals("permessage-deflate; server_max_window_bits=10; client_max_window_bits",
                    req.single("Sec-WebSocket-Extensions"));
            byte[] nonce = Base64.getDecoder().decode(req.single("Sec-WebSocket-Key"));
            assertEquals(16, nonce.length);
            server.writeAscii(RawServer.switching(req, "Sec-WebSocket-Protocol: b",
                    "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=9"));
            WebSocket<Object> ws = future.get(5, TimeUnit.SECONDS);
            assertEquals("b", ws.subprotocol());
            assertTrue(ws.isCompressed());
            ws.abort();
        }
    }

    // ------------------------------------------------------------------ permessage-deflate

    static Stream<Arguments> deflateOffers() {
        DeflateOptions d = DeflateOptions.defaults();
        return Stream.of(
                Arguments.of("plain", d, "permessage-deflate", "permessage-deflate"),
                Arguments.of("client bits without value", d, "permessage-deflate; client_max_window_bits", "permessage-deflate"),
                Arguments.of("client bits 8", d, "permessage-deflate; client_max_window_bits=8", "permessage-deflate"),
                Arguments.of("no context takeover both", d,
                        "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                        "permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
                Arguments.of("server bits requested", d, "permessage-deflate; server_max_window_bits=10",
                        "permessage-deflate; server_max_window_bits=10"),
                Arguments.of("first offer invalid", d,
                        "permessage-deflate; server_max_window_bits=16, permessage-deflate; client_max_window_bits",
                        "permessage-deflate"),
                Arguments.of("unknown extension first", d, "x-webkit-deflate-frame, permessage-deflate",
                        "permessage-deflate"),
                Arguments.of("server imposes no context takeover", d.withServerNoContextTakeover(true)
                        .withClientNoContextTakeover(true), "permessage-deflate",
                        "permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
                Arguments.of("server limits both windows", d.withServerMaxWindowBits(12).withClientMaxWindowBits(10),
                        "permessage-deflate; client_max_window_bits",
                        "permessage-deflate; server_max_window_bits=12; client_max_window_bits=10"),
                Arguments.of("client limit needs the client's consent", d.withClientMaxWindowBits(10),
                        "permessage-deflate", "permessage-deflate"),
                Arguments.of("server answers its smaller window", d.withServerMaxWindowBits(9),
                        "permessage-deflate; server_max_window_bits=12", "permessage-deflate; server_max_window_bits=9"),
                Arguments.of("unknown parameter declined", d, "permessage-deflate; foo=1", null),
                Arguments.of("server bits without value declined", d, "permessage-deflate; server_max_window_bits", null),
                Arguments.of("repeated parameter declined", d,
                        "permessage-deflate; server_no_context_takeover; server_no_context_takeover", null),
                Arguments.of("other extension only", d, "x-webkit-deflate-frame", null),
                Arguments.of("deflate off on the server", null, "permessage-deflate", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deflateOffers")
    void answersPermessageDeflateOffersExactly(String name, DeflateOptions serverOptions, String offer, String answer)
            throws Exception {
        Recorder serverSide = new Recorder();
        try (WebSocketServer s = server().route("/z", serverSide, ConnectionSettings.defaults().withDeflate(serverOptions))
                .build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            HttpHead head = peer.upgrade("/z", "Sec-WebSocket-Extensions: " + offer);
            assertEquals(answer, head.single("Sec-WebSocket-Extensions"));
            assertEquals(answer != null, serverSide.awaitOpen(5).isCompressed());
        }
    }

    @Test
    void ternClientAndServerBothReportCompression() throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = server()
                .route("/z", serverSide, ConnectionSettings.defaults().withDeflate(DeflateOptions.defaults()))
                .route("/plain", new Recorder(true)).build().start();
             WebSocketClient client = WebSocketClient.create()) {
            ConnectionSettings offering = ConnectionSettings.defaults()
                    .withDeflate(DeflateOptions.defaults().withClientNoContextTakeover(true).withServerMaxWindowBits(11));
            WebSocket<Object> ws = client.connect(URI.create("ws://127.0.0.1:" + s.port() + "/z"), new Recorder(), offering)
                    .get(5, TimeUnit.SECONDS);
            assertTrue(ws.isCompressed());
            assertTrue(serverSide.awaitOpen(5).isCompressed());

            WebSocket<Object> plain = client.connect(URI.create("ws://127.0.0.1:" + s.port() + "/plain"), new Recorder(),
                    offering).get(5, TimeUnit.SECONDS);
            assertFalse(plain.isCompressed(), "a route without deflate must not agree to it");

            WebSocket<Object> noOffer = client.connect(URI.create("ws://127.0.0.1:" + s.port() + "/z"), new Recorder())
                    .get(5, TimeUnit.SECONDS);
            assertFalse(noOffer.isCompressed(), "no offer, no compression");
        }
    }
}
