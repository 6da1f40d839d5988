package io.tern.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.handshake.HttpHeaders;
import io.tern.transport.AddressLimits;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.UpgradeDecision;
import io.tern.transport.UpgradeInterceptor;
import io.tern.transport.UpgradeRequest;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.HttpHead;
import io.tern.transport.testkit.RawPeer;
import io.tern.transport.testkit.Recorder;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The upgrade chain over real sockets: interceptor order and the attachment rule, asynchronous
 * decisions (accept, reject, failure, arriving after the connection is gone), the route's
 * handshake timeout, and the per-address limits. The built-in origin and token interceptors have
 * their own test, {@link BuiltInInterceptorWireTest}.
 */
@ExtendWith({NoLeakedLoops.class, QuietWarnings.class})
@Timeout(30)
class UpgradeInterceptorWireTest {

    static final InetAddress LOCALHOST;

    static {
        try {
            LOCALHOST = InetAddress.getByName("127.0.0.1");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static WebSocketServer.Builder server() {
        return WebSocketServer.builder().address("127.0.0.1", 0).loops(1);
    }

    /** Reads a refusal, checks the body length, and that the server then closes. */
    static RawPeer.Response expectRefusal(RawPeer peer, String statusLine) throws IOException {
        RawPeer.Response r = peer.readResponse();
        assertEquals(statusLine, r.head().startLine(), () -> "whole response: " + r.head().raw() + r.body());
        assertEquals(r.body().getBytes(StandardCharsets.UTF_8).length, Integer.parseInt(r.head().single("Content-Length")));
        peer.expectEof();
        return r;
    }

    static void expectEchoWorks(RawPeer peer, String text) throws IOException {
        peer.sendFrame(0x1, Payloads.utf8(text));
        assertEquals(text, peer.readFrame().text());
    }

    /** An interceptor that writes down its name and the attachment it saw, then answers {@code decision}. */
    private static UpgradeInterceptor step(List<String> log, String name, UpgradeDecision<?> decision) {
        return request -> {
            log.add(name + " saw " + request.attachment());
            return decision;
        };
    }

    // ------------------------------------------------------------------ order and attachments

    @Test
    void interceptorsRunGlobalThenRouteThenOnUpgradeAndTheLastNonNullAttachmentWins() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        Recorder handler = new Recorder(true) {
            @Override
            public UpgradeDecision<Object> onUpgrade(UpgradeRequest request) {
                log.add("onUpgrade saw " + request.attachment());
                return super.onUpgrade(request); // the default: accept(null), which keeps the attachment
            }
        };
        Recorder other = new Recorder(true);
        try (WebSocketServer s = server()
                .intercept(step(log, "g1", UpgradeDecision.accept("a", HttpHeaders.of("X-G1", "1"))))
                .intercept(step(log, "g2", UpgradeDecision.pass()))
                .route("/chat", handler, ConnectionSettings.defaults(), List.of(
                        step(log, "r1", UpgradeDecision.accept("c", HttpHeaders.of("X-R1", "2"))),
                        step(log, "r2", null)))
                .route("/other", other)
                .build().start()) {
            try (RawPeer peer = RawPeer.connect(s.port())) {
                HttpHead head = peer.upgrade("/chat");
                assertEquals("1", head.single("X-G1"));
                assertEquals("2", head.single("X-R1"));
                assertTrue(head.raw().indexOf("X-G1") < head.raw().indexOf("X-R1"), "headers in chain order");
                assertEquals("c", handler.awaitOpen(5).attachment());
                assertEquals(List.of("g1 saw null", "g2 saw a", "r1 saw a", "r2 saw c", "onUpgrade saw c"), log);
                expectEchoWorks(peer, "chained");
            }
            log.clear();
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/other"); // only the server's interceptors apply to another route
                assertEquals("a", other.awaitOpen(5).attachment());
                assertEquals(List.of("g1 saw null", "g2 saw a"), log);
            }
        }
    }

    @Test
    void aRejectionStopsTheChainAndAnEarlierAcceptDoesNotSkipALaterCheck() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        Recorder handler = new Recorder(true);
        UpgradeInterceptor token = request -> {
            log.add("token");
            return UpgradeDecision.accept("alice");
        };
        UpgradeInterceptor gate = request -> {
            log.add("gate");
            return "closed".equals(request.query())
                    ? UpgradeDecision.reject(403, "gate closed", HttpHeaders.of("X-Why", "closed")) : null;
        };
        UpgradeInterceptor last = request -> {
            log.add("last");
            return UpgradeDecision.pass();
        };
        try (WebSocketServer s = server().intercept(token).intercept(gate)
                .route("/chat", handler, ConnectionSettings.defaults(), List.of(last)).build().start()) {
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(peer.upgradeRequest("/chat?closed"));
                RawPeer.Response r = expectRefusal(peer, "HTTP/1.1 403 Forbidden");
                assertEquals("gate closed", r.body());
                assertEquals("closed", r.head().single("X-Why"));
                assertEquals("text/plain; charset=utf-8", r.head().single("Content-Type"));
            }
            assertEquals(List.of("token", "gate"), log, "the steps after a rejection must not run");
            assertFalse(handler.opened.isDone());
            log.clear();
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/chat?open");
                assertEquals("alice", handler.awaitOpen(5).attachment());
                assertEquals(List.of("token", "gate", "last"), log);
            }
        }
    }

    @Test
    void aThrowingInterceptorGets500AndTheLoopGoesOn() throws Exception {
        UpgradeInterceptor broken = request -> {
            if (request.query() != null) {
                throw new IllegalStateException("interceptor failed on purpose");
            }
            return UpgradeDecision.pass();
        };
        UpgradeInterceptor badHeaders = request -> "/forged".equals(request.path())
                ? UpgradeDecision.reject(401, "x", HttpHeaders.of("Content-Length", "1")) : null;
        Recorder handler = new Recorder(true);
        try (WebSocketServer s = server().maxConnections(1).intercept(broken).intercept(badHeaders)
                .route("/echo", handler).route("/forged", new Recorder()).build().start()) {
            for (String target : new String[] {"/echo?boom", "/forged", "/echo?boom"}) {
                try (RawPeer peer = RawPeer.connect(s.port())) {
                    peer.writeAscii(peer.upgradeRequest(target));
                    assertEquals("internal error", expectRefusal(peer, "HTTP/1.1 500 Internal Server Error").body());
                }
            }
            assertEquals(0, s.openConnections());
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/echo");
                expectEchoWorks(peer, "still serving");
            }
        }
    }

    // ------------------------------------------------------------------ asynchronous decisions

    /** An interceptor whose every decision waits for a future the test completes. */
    static final class Pending implements UpgradeInterceptor {
        final BlockingQueue<CompletableFuture<UpgradeDecision<Object>>> waiting = new LinkedBlockingQueue<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public UpgradeDecision<?> intercept(UpgradeRequest request) {
            threads.add(Thread.currentThread().getName());
            CompletableFuture<UpgradeDecision<Object>> f = new CompletableFuture<>();
            waiting.add(f);
            return UpgradeDecision.async(f);
        }

        CompletableFuture<UpgradeDecision<Object>> next() throws InterruptedException {
            CompletableFuture<UpgradeDecision<Object>> f = waiting.poll(5, TimeUnit.SECONDS);
            assertTrue(f != null, "the interceptor was not called");
            return f;
        }
    }

    @Test
    void anAsynchronousAcceptCompletedOnAnotherThreadOpensTheConnectionOnItsLoop() throws Exception {
        Pending pending = new Pending();
        List<String> onUpgradeThreads = new CopyOnWriteArrayList<>();
        Recorder handler = new Recorder(true) {
            @Override
            public UpgradeDecision<Object> onUpgrade(UpgradeRequest request) {
                onUpgradeThreads.add(Thread.currentThread().getName() + " saw " + request.attachment());
                return UpgradeDecision.accept(null);
            }
        };
        try (WebSocketServer s = server().intercept(pending).route("/echo", handler).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.writeAscii(peer.upgradeRequest("/echo"));
            CompletableFuture<UpgradeDecision<Object>> decision = pending.next();
            peer.expectSilence(200); // nothing is answered while the decision is pending
            assertTrue(onUpgradeThreads.isEmpty(), "onUpgrade must wait for the interceptor");
            Thread completer = new Thread(() -> decision.complete(UpgradeDecision.accept("from-auth",
                    HttpHeaders.of("X-Auth", "ok"))), "test-completer");
            completer.start();
            completer.join(5000);
            HttpHead head = peer.readHead();
            assertEquals("HTTP/1.1 101 Switching Protocols", head.startLine(), head::raw);
            assertEquals("ok", head.single("X-Auth"));
            WebSocket<Object> ws = handler.awaitOpen(5);
            assertEquals("from-auth", ws.attachment());
            assertEquals(1, onUpgradeThreads.size());
            assertTrue(onUpgradeThreads.get(0).startsWith("tern-server-loop-"), onUpgradeThreads::toString);
            assertTrue(onUpgradeThreads.get(0).endsWith(" saw from-auth"), onUpgradeThreads::toString);
            expectEchoWorks(peer, "after an async accept");
        }
    }

    @Test
    void anAsynchronousRejectAndAFailedStageAreAnswered() throws Exception {
        Pending pending = new Pending();
        Recorder handler = new Recorder(true);
        try (WebSocketServer s = server().intercept(pending).route("/echo", handler).build().start()) {
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(peer.upgradeRequest("/echo"));
                pending.next().complete(UpgradeDecision.reject(401, "token expired",
                        HttpHeaders.of("WWW-Authenticate", "Bearer error=\"invalid_token\"")));
                RawPeer.Response r = expectRefusal(peer, "HTTP/1.1 401 Unauthorized");
                assertEquals("token expired", r.body());
                assertEquals("Bearer error=\"invalid_token\"", r.head().single("WWW-Authenticate"));
            }
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(peer.upgradeRequest("/echo"));
                pending.next().completeExceptionally(new IllegalStateException("auth service down, on purpose"));
                assertEquals("internal error", expectRefusal(peer, "HTTP/1.1 500 Internal Server Error").body());
            }
            try (RawPeer peer = RawPeer.connect(s.port())) { // a stage of null passes
                peer.writeAscii(peer.upgradeRequest("/echo"));
                pending.next().complete(null);
                assertEquals("HTTP/1.1 101 Switching Protocols", peer.readHead().startLine());
                expectEchoWorks(peer, "null passes");
            }
            try (RawPeer peer = RawPeer.connect(s.port())) { // a stage already complete when returned
                peer.writeAscii(peer.upgradeRequest("/echo"));
                pending.next().complete(UpgradeDecision.async(CompletableFuture.completedFuture(
                        UpgradeDecision.accept("nested"))));
                assertEquals("HTTP/1.1 101 Switching Protocols", peer.readHead().startLine());
                expectEchoWorks(peer, "nested async");
            }
        }
    }

    @Test
    void anAlreadyCompletedStageIsAppliedAtOnce() throws Exception {
        Recorder handler = new Recorder(true);
        UpgradeInterceptor quick = request -> UpgradeDecision.async(CompletableFuture.completedFuture(
                UpgradeDecision.accept("quick")));
        try (WebSocketServer s = server().intercept(quick).route("/echo", handler).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            // A frame in the same write as the request: with the decision applied at once it is
            // read as the first WebSocket frame, as without interceptors.
            byte[] req = peer.upgradeRequest("/echo").getBytes(StandardCharsets.ISO_8859_1);
            byte[] frame = Frame.clientFrame(0x1, Payloads.utf8("right behind"));
            byte[] both = new byte[req.length + frame.length];
            System.arraycopy(req, 0, both, 0, req.length);
            System.arraycopy(frame, 0, both, req.length, frame.length);
            peer.write(both);
            assertEquals("HTTP/1.1 101 Switching Protocols", peer.readHead().startLine());
            assertEquals("right behind", peer.readFrame().text());
            assertEquals("quick", handler.awaitOpen(5).attachment());
        }
    }

    @Test
    void dataSentWhileADecisionIsPendingGets400AndTheLateDecisionIsDropped() throws Exception {
        Pending pending = new Pending();
        Recorder handler = new Recorder(true);
        try (WebSocketServer s = server().intercept(pending).route("/echo", handler).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.writeAscii(peer.upgradeRequest("/echo"));
            CompletableFuture<UpgradeDecision<Object>> decision = pending.next();
            peer.sendFrame(0x1, Payloads.utf8("too early")); // RFC 6455 §4.1: wait for the response
            RawPeer.Response r = expectRefusal(peer, "HTTP/1.1 400 Bad Request");
            assertEquals("data received before the handshake response", r.body());
            decision.complete(UpgradeDecision.accept("late"));
            Thread.sleep(100); // give a wrongly applied decision the chance to show
            assertFalse(handler.opened.isDone());
            assertEquals(0, s.openConnections());
        }
    }

    // ------------------------------------------------------------------ timeouts

    /** Counts how often the hooks of the requests it sees run. */
    static final class HookCounter implements UpgradeInterceptor {
        final AtomicInteger handshakeEnds = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public UpgradeDecision<?> intercept(UpgradeRequest request) {
            request.whenHandshakeEnds(handshakeEnds::incrementAndGet);
            request.whenClosed(closes::incrementAndGet);
            return null;
        }
    }

    @Test
    void theRoutesHandshakeTimeoutClosesAConnectionWhoseDecisionNeverComesAndALateOneIsIgnored() throws Exception {
        Pending pending = new Pending();
        HookCounter hooks = new HookCounter();
        AddressLimits limits = AddressLimits.of(10, 10);
        Recorder handler = new Recorder(true);
        ConnectionSettings quick = ConnectionSettings.defaults().withHandshakeTimeout(Duration.ofMillis(300));
        try (WebSocketServer s = server().handshakeTimeout(Duration.ofSeconds(10)).intercept(limits).intercept(hooks)
                .route("/slow", handler, quick, List.of(pending)).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            long start = System.nanoTime();
            peer.writeAscii(peer.upgradeRequest("/slow"));
            CompletableFuture<UpgradeDecision<Object>> decision = pending.next();
            assertEquals(1, limits.handshakesInProgress(LOCALHOST));
            peer.expectEof(); // closed without an answer once the route's 300 ms are up
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMillis >= 250 && elapsedMillis < 3000,
                    () -> "closed after " + elapsedMillis + " ms, the route allows 300 ms");
            assertTrue(Payloads.waitUntil(5000, () -> hooks.closes.get() == 1));
            assertEquals(1, hooks.handshakeEnds.get());
            assertEquals(0, limits.connections(LOCALHOST));
            assertEquals(0, limits.handshakesInProgress(LOCALHOST));

            decision.complete(UpgradeDecision.accept("too late"));
            Thread.sleep(100); // give a wrongly applied decision the chance to show
            assertFalse(handler.opened.isDone(), "a late decision must not open anything");
            assertEquals(0, s.openConnections());
            assertEquals(1, hooks.handshakeEnds.get(), "hooks run exactly once");
            assertEquals(1, hooks.closes.get(), "hooks run exactly once");
            assertEquals(0, limits.trackedAddresses());
        }
    }

    @Test
    void theBuildersTimeoutAppliesUntilRoutingAndTheRoutesAfter() throws Exception {
        Pending pending = new Pending();
        Recorder handler = new Recorder(true);
        try (WebSocketServer s = server().handshakeTimeout(Duration.ofMillis(300))
                .route("/patient", handler, ConnectionSettings.defaults().withHandshakeTimeout(Duration.ofSeconds(10)),
                        List.of(pending)).build().start()) {
            try (RawPeer silent = RawPeer.connect(s.port())) {
                long start = System.nanoTime();
                silent.expectEof(); // no request at all: the builder's 300 ms
                long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(elapsedMillis >= 250 && elapsedMillis < 3000, () -> "closed after " + elapsedMillis + " ms");
            }
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(peer.upgradeRequest("/patient"));
                CompletableFuture<UpgradeDecision<Object>> decision = pending.next();
                peer.expectSilence(600); // past the builder's 300 ms: the route's 10 s apply now
                decision.complete(UpgradeDecision.pass());
                assertEquals("HTTP/1.1 101 Switching Protocols", peer.readHead().startLine());
                expectEchoWorks(peer, "patience");
            }
        }
    }

    @Test
    void aClientThatHangsUpWhileADecisionIsPendingReleasesEverything() throws Exception {
        Pending pending = new Pending();
        HookCounter hooks = new HookCounter();
        AddressLimits limits = AddressLimits.of(10, 10);
        Recorder handler = new Recorder(true);
        try (WebSocketServer s = server().intercept(limits).intercept(hooks).intercept(pending)
                .route("/echo", handler).build().start()) {
            CompletableFuture<UpgradeDecision<Object>> decision;
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.writeAscii(peer.upgradeRequest("/echo"));
                decision = pending.next();
                assertEquals(1, limits.connections(LOCALHOST));
            }
            assertTrue(Payloads.waitUntil(5000, () -> limits.trackedAddresses() == 0),
                    () -> "counts left: " + limits.connections(LOCALHOST) + "/" + limits.handshakesInProgress(LOCALHOST));
            decision.complete(UpgradeDecision.accept("gone"));
            Thread.sleep(100);
            assertFalse(handler.opened.isDone());
            assertEquals(1, hooks.handshakeEnds.get());
            assertEquals(1, hooks.closes.get());
            assertEquals(0, s.openConnections());
        }
    }

    // ------------------------------------------------------------------ per-address limits

    @Test
    void addressLimitsRefuseTheConnectionOverTheLimitWith429AndAdmitAgainAfterAClose() throws Exception {
        AddressLimits limits = AddressLimits.of(2, 5).retryAfter(Duration.ofSeconds(7));
        Recorder handler = new Recorder(true);
        List<RawPeer> open = new ArrayList<>();
        try (WebSocketServer s = server().intercept(limits).route("/echo", handler).build().start()) {
            try {
                for (int i = 0; i < 2; i++) {
                    RawPeer p = RawPeer.connect(s.port());
                    open.add(p);
                    p.upgrade("/echo");
                }
                assertEquals(2, limits.connections(LOCALHOST));
                assertEquals(0, limits.handshakesInProgress(LOCALHOST), "both handshakes are over");
                try (RawPeer extra = RawPeer.connect(s.port())) {
                    extra.writeAscii(extra.upgradeRequest("/echo"));
                    RawPeer.Response r = expectRefusal(extra, "HTTP/1.1 429 Too Many Requests");
                    assertEquals("7", r.head().single("Retry-After"));
                    assertEquals("too many connections from your address", r.body());
                }
                assertEquals(2, limits.connections(LOCALHOST), "a refused request takes no count");
                RawPeer leaving = open.remove(0);
                leaving.sendFrame(0x8, Frame.closePayload(1000, ""));
                assertEquals(1000, leaving.readFrame().closeCode());
                leaving.close();
                assertTrue(Payloads.waitUntil(5000, () -> limits.connections(LOCALHOST) == 1));
                RawPeer again = RawPeer.connect(s.port());
                open.add(again);
                again.upgrade("/echo");
                expectEchoWorks(again, "admitted again");
            } finally {
                for (RawPeer p : open) {
                    p.close();
                }
            }
            assertTrue(Payloads.waitUntil(5000, () -> limits.trackedAddresses() == 0),
                    () -> "left: " + limits.connections(LOCALHOST) + " connections");
        }
    }

    @Test
    void addressLimitsBoundHandshakesInProgressAndReleaseEachCountExactlyOnce() throws Exception {
        AddressLimits limits = AddressLimits.of(10, 2);
        Pending pending = new Pending();
        Recorder handler = new Recorder(true);
        UpgradeInterceptor refuseOnQuery = request -> request.query() != null ? UpgradeDecision.reject(403, "no") : null;
        List<RawPeer> peers = new ArrayList<>();
        try (WebSocketServer s = server().intercept(limits).intercept(refuseOnQuery).intercept(pending)
                .route("/echo", handler).build().start()) {
            try {
                List<CompletableFuture<UpgradeDecision<Object>>> decisions = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    RawPeer p = RawPeer.connect(s.port());
                    peers.add(p);
                    p.writeAscii(p.upgradeRequest("/echo"));
                    decisions.add(pending.next());
                }
                assertEquals(2, limits.handshakesInProgress(LOCALHOST));
                try (RawPeer extra = RawPeer.connect(s.port())) {
                    extra.writeAscii(extra.upgradeRequest("/echo"));
                    RawPeer.Response r = expectRefusal(extra, "HTTP/1.1 429 Too Many Requests");
                    assertEquals("too many handshakes in progress from your address", r.body());
                    assertEquals("1", r.head().single("Retry-After"));
                }
                decisions.get(0).complete(UpgradeDecision.accept("first"));
                assertEquals("HTTP/1.1 101 Switching Protocols", peers.get(0).readHead().startLine());
                assertTrue(Payloads.waitUntil(5000, () -> limits.handshakesInProgress(LOCALHOST) == 1));
                assertEquals(2, limits.connections(LOCALHOST));
                try (RawPeer refused = RawPeer.connect(s.port())) { // a later refusal releases both counts
                    refused.writeAscii(refused.upgradeRequest("/echo?x"));
                    expectRefusal(refused, "HTTP/1.1 403 Forbidden");
                }
                assertTrue(Payloads.waitUntil(5000, () -> limits.connections(LOCALHOST) == 2));
                assertEquals(1, limits.handshakesInProgress(LOCALHOST));
                RawPeer third = RawPeer.connect(s.port());
                peers.add(third);
                third.writeAscii(third.upgradeRequest("/echo"));
                decisions.add(pending.next());
                assertEquals(2, limits.handshakesInProgress(LOCALHOST));
                decisions.get(1).complete(UpgradeDecision.reject(403, "refused later"));
                expectRefusal(peers.get(1), "HTTP/1.1 403 Forbidden");
                peers.get(1).close(); // ends the server's linger after its refusal: the socket goes
                decisions.get(2).complete(UpgradeDecision.pass());
                assertEquals("HTTP/1.1 101 Switching Protocols", third.readHead().startLine());
                assertTrue(Payloads.waitUntil(5000, () -> limits.handshakesInProgress(LOCALHOST) == 0));
                assertTrue(Payloads.waitUntil(5000, () -> limits.connections(LOCALHOST) == 2),
                        () -> "the two open WebSockets, counted: " + limits.connections(LOCALHOST));
            } finally {
                for (RawPeer p : peers) {
                    p.close();
                }
            }
            // Released twice, a count would go below zero and the address would stay tracked.
            assertTrue(Payloads.waitUntil(5000, () -> limits.trackedAddresses() == 0),
                    () -> "left: " + limits.connections(LOCALHOST) + " connections, "
                            + limits.handshakesInProgress(LOCALHOST) + " handshakes");
            assertEquals(0, s.openConnections());
        }
    }
}
