package io.tern.transport.wire;

import static io.tern.transport.wire.UpgradeInterceptorWireTest.expectEchoWorks;
import static io.tern.transport.wire.UpgradeInterceptorWireTest.expectRefusal;
import static io.tern.transport.wire.UpgradeInterceptorWireTest.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tern.transport.BearerTokenAuth;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.OriginAllowList;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.RawPeer;
import io.tern.transport.testkit.Recorder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The origin allow-list and the bearer-token check over real sockets: exact statuses and challenges. */
@ExtendWith({NoLeakedLoops.class, QuietWarnings.class})
@Timeout(30)
class BuiltInInterceptorWireTest {

    private static final Map<String, String> USERS = Map.of("t0k3n-alice", "alice", "bob/token+1==", "bob");

    // ------------------------------------------------------------------ origin allow-list

    @ParameterizedTest(name = "Origin {0} -> {1}")
    @CsvSource({
        "https://chat.example, 101",
        "HTTPS://Chat.Example, 101",
        "https://chat.example:443, 101",
        "http://localhost:8080, 101",
        "http://localhost, 403",
        "https://chat.example:8443, 403",
        "http://chat.example, 403",
        "https://evil.example, 403",
        "https://chat.example.evil.example, 403",
        "null, 403",
        "-, 101",
    })
    void originAllowListLetsListedOriginsThrough(String origin, int status) throws Exception {
        Recorder handler = new Recorder(true);
        OriginAllowList origins = OriginAllowList.of(List.of("https://chat.example", "http://localhost:8080"));
        try (WebSocketServer s = server().intercept(origins).route("/chat", handler).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            String[] extra = origin.equals("-") ? new String[0] : new String[] {"Origin: " + origin};
            if (status == 101) {
                peer.upgrade("/chat", extra);
                expectEchoWorks(peer, "from " + origin);
            } else {
                peer.writeAscii(peer.upgradeRequest("/chat", extra));
                RawPeer.Response r = expectRefusal(peer, "HTTP/1.1 403 Forbidden");
                assertEquals("origin not allowed: " + origin, r.body());
                assertFalse(handler.opened.isDone());
            }
        }
    }

    @Test
    void originAllowListCanRequireAnOriginPerRoute() throws Exception {
        OriginAllowList browsersOnly = OriginAllowList.of(List.of("https://chat.example")).requireOrigin();
        try (WebSocketServer s = server().route("/browser", new Recorder(true), ConnectionSettings.defaults(),
                List.of(browsersOnly)).route("/any", new Recorder(true)).build().start()) {
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(peer.upgradeRequest("/browser"));
                assertEquals("an Origin header is required", expectRefusal(peer, "HTTP/1.1 403 Forbidden").body());
            }
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/browser", "Origin: https://chat.example");
            }
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/any", "Origin: https://evil.example"); // not this route's interceptor
            }
        }
        assertThrows(IllegalArgumentException.class, () -> OriginAllowList.of(List.of("https://chat.example/")));
        assertThrows(IllegalArgumentException.class, () -> OriginAllowList.of(List.of("null")));
        assertThrows(IllegalArgumentException.class, () -> OriginAllowList.of(List.of("chat.example")));
    }

    // ------------------------------------------------------------------ bearer tokens

    private static WebSocketServer bearerServer(BearerTokenAuth auth, Recorder handler) throws Exception {
        return server().route("/chat", handler, ConnectionSettings.defaults(), List.of(auth)).build().start();
    }

    @Test
    void bearerTokenFromTheAuthorizationHeaderBecomesTheAttachment() throws Exception {
        Recorder handler = new Recorder(true);
        BearerTokenAuth auth = BearerTokenAuth.verifying((token, request) -> USERS.get(token));
        try (WebSocketServer s = bearerServer(auth, handler)) {
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/chat", "Authorization: Bearer t0k3n-alice");
                assertEquals("alice", handler.awaitOpen(5).attachment());
                expectEchoWorks(peer, "hello alice");
            }
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/chat", "Authorization: bearer   bob/token+1=="); // scheme in any case, 1*SP
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no Authorization | - | HTTP/1.1 401 Unauthorized | Bearer | a bearer token is required",
        "another scheme | Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l | HTTP/1.1 401 Unauthorized | Bearer"
            + " | a bearer token is required",
        "unknown token | Authorization: Bearer nobody | HTTP/1.1 401 Unauthorized | Bearer error=\"invalid_token\""
            + " | invalid bearer token",
        "token with a space | Authorization: Bearer two words | HTTP/1.1 400 Bad Request"
            + " | Bearer error=\"invalid_request\" | malformed bearer token in the Authorization header",
        "scheme without token | Authorization: Bearer | HTTP/1.1 400 Bad Request | Bearer error=\"invalid_request\""
            + " | malformed bearer token in the Authorization header",
        "bad token character | Authorization: Bearer a,b | HTTP/1.1 400 Bad Request"
            + " | Bearer error=\"invalid_request\" | malformed bearer token in the Authorization header",
    })
    void bearerTokenRefusalsCarryTheRfc6750Challenge(String what, String header, String statusLine, String challenge,
                                                     String body) throws Exception {
        Recorder handler = new Recorder(true);
        BearerTokenAuth auth = BearerTokenAuth.verifying((token, request) -> USERS.get(token));
        try (WebSocketServer s = bearerServer(auth, handler);
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.writeAscii(header.equals("-") ? peer.upgradeRequest("/chat") : peer.upgradeRequest("/chat", header));
            RawPeer.Response r = expectRefusal(peer, statusLine);
            assertEquals(challenge, r.head().single("WWW-Authenticate"));
            assertEquals(body, r.body());
            assertFalse(handler.opened.isDone());
        }
    }

    @Test
    void bearerTokenFromTheQueryParameterWhenConfigured() throws Exception {
        Recorder handler = new Recorder(true);
        BearerTokenAuth headerOnly = BearerTokenAuth.verifying((token, request) -> USERS.get(token));
        BearerTokenAuth withQuery = headerOnly.withQueryParameter("access_token").withRealm("chat");
        try (WebSocketServer s = bearerServer(withQuery, handler);
             WebSocketServer h = bearerServer(headerOnly, new Recorder(true))) {
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/chat?room=1&access_token=bob%2Ftoken%2B1%3D%3D");
                assertEquals("bob", handler.awaitOpen(5).attachment());
                expectEchoWorks(peer, "hello bob");
            }
            String[][] refusals = {
                {"/chat?access_token=t0k3n-alice&access_token=t0k3n-alice", "HTTP/1.1 400 Bad Request",
                    "Bearer realm=\"chat\", error=\"invalid_request\"", "query parameter access_token repeated"},
                {"/chat?access_token=%zz", "HTTP/1.1 400 Bad Request",
                    "Bearer realm=\"chat\", error=\"invalid_request\"", "badly encoded query"},
                {"/chat?access_token=", "HTTP/1.1 400 Bad Request",
                    "Bearer realm=\"chat\", error=\"invalid_request\"", "empty query parameter access_token"},
                {"/chat?access_token=wrong", "HTTP/1.1 401 Unauthorized",
                    "Bearer realm=\"chat\", error=\"invalid_token\"", "invalid bearer token"},
                {"/chat?token=t0k3n-alice", "HTTP/1.1 401 Unauthorized", "Bearer realm=\"chat\"",
                    "a bearer token is required"},
            };
            for (String[] c : refusals) {
                try (RawPeer peer = RawPeer.connect(s.port())) {
                    peer.writeAscii(peer.upgradeRequest(c[0]));
                    RawPeer.Response r = expectRefusal(peer, c[1]);
                    assertEquals(c[2], r.head().single("WWW-Authenticate"), c[0]);
                    assertEquals(c[3], r.body(), c[0]);
                }
            }
            try (RawPeer peer = RawPeer.connect(s.port())) { // RFC 6750 §2: one method per request
                peer.writeAscii(peer.upgradeRequest("/chat?access_token=t0k3n-alice", "Authorization: Bearer t0k3n-alice"));
                RawPeer.Response r = expectRefusal(peer, "HTTP/1.1 400 Bad Request");
                assertEquals("token sent both in the Authorization header and in the query", r.body());
            }
            try (RawPeer peer = RawPeer.connect(h.port())) { // not configured: the query is not read
                peer.writeAscii(peer.upgradeRequest("/chat?access_token=t0k3n-alice"));
                assertEquals("Bearer", expectRefusal(peer, "HTTP/1.1 401 Unauthorized").head().single("WWW-Authenticate"));
            }
        }
    }

    @Test
    void anAsynchronousVerifierAnswersFromAnotherThread() throws Exception {
        Recorder handler = new Recorder(true);
        Executor authService = CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS);
        BearerTokenAuth auth = BearerTokenAuth.verifyingAsync(
                (token, request) -> CompletableFuture.supplyAsync(() -> USERS.get(token), authService));
        try (WebSocketServer s = bearerServer(auth, handler)) {
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/chat", "Authorization: Bearer t0k3n-alice");
                assertEquals("alice", handler.awaitOpen(5).attachment());
                expectEchoWorks(peer, "async alice");
            }
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(peer.upgradeRequest("/chat", "Authorization: Bearer mallory"));
                RawPeer.Response r = expectRefusal(peer, "HTTP/1.1 401 Unauthorized");
                assertEquals("Bearer error=\"invalid_token\"", r.head().single("WWW-Authenticate"));
            }
        }
        BearerTokenAuth failing = BearerTokenAuth.verifyingAsync((token, request) ->
                CompletableFuture.failedFuture(new IllegalStateException("auth service down, on purpose")));
        try (WebSocketServer s = bearerServer(failing, new Recorder());
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.writeAscii(peer.upgradeRequest("/chat", "Authorization: Bearer t0k3n-alice"));
            expectRefusal(peer, "HTTP/1.1 500 Internal Server Error");
        }
    }
}
