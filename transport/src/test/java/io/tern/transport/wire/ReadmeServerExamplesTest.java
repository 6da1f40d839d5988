package io.tern.transport.wire;

import static io.tern.transport.testkit.ReadmeBlocks.between;
import static io.tern.transport.testkit.ReadmeBlocks.dedent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.AddressLimits;
import io.tern.transport.BearerTokenAuth;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.HttpFallback;
import io.tern.transport.HttpResponse;
import io.tern.transport.OriginAllowList;
import io.tern.transport.UpgradeDecision;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.HttpHead;
import io.tern.transport.testkit.RawPeer;
import io.tern.transport.testkit.Recorder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keeps the README's interceptor and fallback examples compiling and true: the code between the
 * markers below must be exactly the README's code blocks, and it must do what the README says,
 * over real sockets.
 */
@ExtendWith(NoLeakedLoops.class)
@Timeout(30)
class ReadmeServerExamplesTest {

    /** The application class the fallback example reads its page next to. */
    static final class App {
    }

    /** The session store the interceptor example asks, off the loop. */
    static final class Sessions {
        private final Map<String, String> users;

        Sessions(Map<String, String> users) {
            this.users = users;
        }

        CompletionStage<String> lookup(String token) {
            return CompletableFuture.supplyAsync(() -> users.get(token));
        }
    }

    @Test
    void interceptorExampleWorks() throws Exception {
        WebSocketHandler<String> chat = new WebSocketHandler<>() {
            @Override
            public void onText(WebSocket<String> ws, ByteBuffer utf8, boolean last) {
                ws.sendText(ws.attachment() + ": " + StandardCharsets.UTF_8.decode(utf8));
            }
        };
        Sessions sessions = new Sessions(Map.of("t0k3n", "alice"));
        // README-INTERCEPTOR-BEGIN
        WebSocketServer server = WebSocketServer.builder()
                .address("127.0.0.1", 0)
                .intercept(AddressLimits.of(20, 4))            // per client address: 429 beyond
                .intercept(OriginAllowList.of(List.of("https://chat.example")))       // else 403
                .route("/chat", chat, ConnectionSettings.defaults(), List.of(
                        BearerTokenAuth.verifyingAsync((token, request) -> sessions.lookup(token))
                                .withQueryParameter("access_token"),  // the user, or 401
                        request -> request.query() != null && request.query().contains("room=")
                                ? UpgradeDecision.pass()                 // your own rule
                                : UpgradeDecision.reject(400, "which room?")))
                .build()
                .start();
        // README-INTERCEPTOR-END
        try (server) {
            try (RawPeer peer = RawPeer.connect(server.port())) {
                peer.upgrade("/chat?room=1&access_token=t0k3n", "Origin: https://chat.example");
                peer.sendFrame(0x1, Payloads.utf8("hi"));
                assertEquals("alice: hi", peer.readFrame().text());
            }
            String[][] refusals = {
                {"/chat?room=1&access_token=t0k3n", "Origin: https://evil.example", "HTTP/1.1 403 Forbidden"},
                {"/chat?room=1", "Origin: https://chat.example", "HTTP/1.1 401 Unauthorized"},
                {"/chat?room=1&access_token=stolen", "Origin: https://chat.example", "HTTP/1.1 401 Unauthorized"},
                {"/chat?access_token=t0k3n", "Origin: https://chat.example", "HTTP/1.1 400 Bad Request"},
            };
            for (String[] r : refusals) {
                try (RawPeer peer = RawPeer.connect(server.port())) {
                    peer.writeAscii(peer.upgradeRequest(r[0], r[1]));
                    assertEquals(r[2], peer.readResponse().head().startLine(), r[0] + " " + r[1]);
                    peer.expectEof();
                }
            }
        }
    }

    @Test
    void fallbackExampleWorks() throws Exception {
        // README-FALLBACK-BEGIN
        HttpResponse page = HttpResponse.resource(App.class, "/static/chat.html", "text/html; charset=utf-8");
        HttpFallback site = request -> switch (request.path()) {
            case "/" -> page;                                   // HEAD / gets its head only
            case "/health" -> HttpResponse.text(200, "ok from " + request.remoteAddress());
            default -> null;                                    // 404; POST and others get 405
        };
        // README-FALLBACK-END
        byte[] html;
        try (InputStream in = App.class.getResourceAsStream("/static/chat.html")) {
            html = in.readAllBytes();
        }
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/chat", new Recorder()).fallback(site).build().start()) {
            try (RawPeer peer = RawPeer.connect(server.port())) {
                peer.writeAscii("GET / HTTP/1.1\r\nHost: " + peer.host() + "\r\n\r\n");
                HttpHead head = peer.readHead();
                assertEquals("HTTP/1.1 200 OK", head.startLine());
                assertEquals("text/html; charset=utf-8", head.single("Content-Type"));
                assertTrue(java.util.Arrays.equals(html, peer.readBytes(Integer.parseInt(head.single("Content-Length")))));
                peer.expectEof();
            }
            try (RawPeer peer = RawPeer.connect(server.port())) {
                peer.writeAscii("HEAD / HTTP/1.1\r\nHost: " + peer.host() + "\r\n\r\n");
                assertEquals(Integer.toString(html.length), peer.readHead().single("Content-Length"));
                peer.expectEof();
            }
            try (RawPeer peer = RawPeer.connect(server.port())) {
                peer.writeAscii("GET /health HTTP/1.1\r\nHost: " + peer.host() + "\r\n\r\n");
                HttpHead head = peer.readHead();
                String body = new String(peer.readBytes(Integer.parseInt(head.single("Content-Length"))),
                        StandardCharsets.UTF_8);
                assertEquals("ok from /127.0.0.1:" + peer.localPort(), body);
            }
            String[][] others = {{"GET /nope", "HTTP/1.1 404 Not Found"}, {"POST /", "HTTP/1.1 405 Method Not Allowed"},
                {"GET /chat", "HTTP/1.1 426 Upgrade Required"}};
            for (String[] o : others) {
                try (RawPeer peer = RawPeer.connect(server.port())) {
                    peer.writeAscii(o[0] + " HTTP/1.1\r\nHost: " + peer.host() + "\r\nContent-Length: 0\r\n\r\n");
                    assertEquals(o[1], peer.readHead().startLine(), o[0]);
                }
            }
        }
    }

    @Test
    void readmeShowsExactlyTheseExamples() throws IOException {
        String test = Files.readString(Path.of("src/test/java/io/tern/transport/wire/ReadmeServerExamplesTest.java"));
        String readme = Files.readString(Path.of("../README.md"));
        assertEquals(dedent(between(test, "// README-INTERCEPTOR-BEGIN\n", "        // README-INTERCEPTOR-END")),
                dedent(between(readme, "<!-- interceptor-example -->\n```java\n", "```")),
                "README.md's interceptor example must match ReadmeServerExamplesTest");
        assertEquals(dedent(between(test, "// README-FALLBACK-BEGIN\n", "        // README-FALLBACK-END")),
                dedent(between(readme, "<!-- fallback-example -->\n```java\n", "```")),
                "README.md's fallback example must match ReadmeServerExamplesTest");
    }
}
