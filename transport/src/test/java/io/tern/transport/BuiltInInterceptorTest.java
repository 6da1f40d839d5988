package io.tern.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.handshake.HttpHeadParser;
import io.tern.codec.handshake.RequestTarget;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in interceptors called directly, with hooks the test runs itself. */
class BuiltInInterceptorTest {

    /** Hooks that keep the actions for the test to run. */
    static final class Hooks implements UpgradeRequest.Hooks {
        final List<Runnable> ends = new ArrayList<>();
        final List<Runnable> closes = new ArrayList<>();

        @Override
        public void whenHandshakeEnds(Runnable action) {
            ends.add(action);
        }

        @Override
        public void whenClosed(Runnable action) {
            closes.add(action);
        }
    }

    static UpgradeRequest request(String target, String address, Hooks hooks, String... headerLines) {
        StringBuilder head = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: h\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        HttpHeadParser parser = HttpHeadParser.forRequest();
        parser.feed(ByteBuffer.wrap(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1)));
        HttpRequest http = new HttpRequest(parser.requestHead(), RequestTarget.parse(target).orElseThrow(),
                new InetSocketAddress(address, 40000));
        return new UpgradeRequest(http, null, null, hooks);
    }

    @Test
    void originsCompareLikeRfc6454() {
        OriginAllowList list = OriginAllowList.of(List.of("https://Chat.Example", "http://localhost:8080",
                "http://[::1]:80", "wss://x.example:443"));
        assertTrue(list.allows("https://chat.example"));
        assertTrue(list.allows("https://chat.example:443"));
        assertTrue(list.allows("HTTPS://CHAT.EXAMPLE"));
        assertTrue(list.allows("http://localhost:8080"));
        assertTrue(list.allows("http://[::1]"));
        assertTrue(list.allows("wss://x.example"));
        assertFalse(list.allows("http://chat.example"));
        assertFalse(list.allows("https://chat.example:8443"));
        assertFalse(list.allows("http://localhost"));
        assertFalse(list.allows("null"));
        assertFalse(list.allows(null));
        assertFalse(list.allows("https://chat.example/"));
        assertThrows(IllegalArgumentException.class, () -> OriginAllowList.of(List.of("null")));
    }

    @Test
    void addressLimitsMayRefuseWith503AndNothingElse() throws Exception {
        AddressLimits limits = AddressLimits.of(1, 1).retryAfter(java.time.Duration.ofSeconds(5)).refuseWith(503);
        assertTrue(limits.intercept(request("/", "192.0.2.1", new Hooks())).isAccepted());
        UpgradeDecision<?> busy = limits.intercept(request("/", "192.0.2.1", new Hooks()));
        assertEquals(503, busy.status());
        assertEquals("too many connections from your address", busy.body());
        assertEquals("5", busy.headers().first("Retry-After"));
        AddressLimits back = AddressLimits.of(1, 1).refuseWith(503).refuseWith(429);
        assertTrue(back.intercept(request("/", "192.0.2.1", new Hooks())).isAccepted());
        assertEquals(429, back.intercept(request("/", "192.0.2.1", new Hooks())).status());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> limits.refuseWith(500));
        assertEquals("AddressLimits refuses with 429 or 503, not 500", e.getMessage());
    }

    @Test
    void addressLimitsCountPerAddressAndForgetAnAddressAtZero() throws Exception {
        AddressLimits limits = AddressLimits.of(2, 1);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        Hooks first = new Hooks();
        assertTrue(limits.intercept(request("/", "192.0.2.1", first)).isAccepted());
        UpgradeDecision<?> busy = limits.intercept(request("/", "192.0.2.1", new Hooks()));
        assertEquals(429, busy.status());
        assertEquals("too many handshakes in progress from your address", busy.body());
        assertEquals("1", busy.headers().first("Retry-After"));
        assertTrue(limits.intercept(request("/", "192.0.2.2", new Hooks())).isAccepted(), "another address");
        first.ends.forEach(Runnable::run);
        assertEquals(0, limits.handshakesInProgress(a));
        assertEquals(1, limits.connections(a));
        Hooks second = new Hooks();
        assertTrue(limits.intercept(request("/", "192.0.2.1", second)).isAccepted());
        second.ends.forEach(Runnable::run);
        UpgradeDecision<?> full = limits.intercept(request("/", "192.0.2.1", new Hooks()));
        assertEquals("too many connections from your address", full.body());
        first.closes.forEach(Runnable::run);
        second.closes.forEach(Runnable::run);
        assertEquals(0, limits.connections(a));
        assertEquals(1, limits.trackedAddresses(), "only 192.0.2.2 is left");
        assertEquals(1, limits.connections(b));
        AddressLimits strict = AddressLimits.of(1, 1).retryAfter(Duration.ofSeconds(30));
        assertTrue(strict.intercept(request("/", "192.0.2.3", new Hooks())).isAccepted());
        assertEquals("30", strict.intercept(request("/", "192.0.2.3", new Hooks())).headers().first("Retry-After"));
        assertThrows(IllegalArgumentException.class, () -> AddressLimits.of(0, 1));
        assertThrows(IllegalArgumentException.class, () -> limits.retryAfter(Duration.ofMillis(500)));
    }

    @Test
    void bearerTokenSyntaxAndQueryDecoding() {
        assertTrue(BearerTokenAuth.isB64Token("abc-._~+/XYZ09=="));
        assertFalse(BearerTokenAuth.isB64Token(""));
        assertFalse(BearerTokenAuth.isB64Token("=="));
        assertFalse(BearerTokenAuth.isB64Token("a=b"));
        assertFalse(BearerTokenAuth.isB64Token("a b"));
        assertFalse(BearerTokenAuth.isB64Token("a,b"));
        assertEquals(List.of("a b+/"), BearerTokenAuth.parameter("x=1&access_token=a+b%2B%2F&y", "access_token"));
        assertEquals(List.of("", "2"), BearerTokenAuth.parameter("t&t=2", "t"));
        assertEquals(List.of(), BearerTokenAuth.parameter("", "t"));
        assertThrows(IllegalArgumentException.class, () -> BearerTokenAuth.parameter("t=%zz", "t"));
    }

    @Test
    void bearerTokenVerifierSeesTheTokenAndTheRequest() {
        List<String> seen = new ArrayList<>();
        BearerTokenAuth auth = BearerTokenAuth.verifying((token, request) -> {
            seen.add(token + " " + request.path());
            return token.equals("good") ? "user" : null;
        });
        UpgradeDecision<?> ok = auth.intercept(request("/chat", "192.0.2.1", new Hooks(), "Authorization: BEARER good"));
        assertTrue(ok.isAccepted());
        assertEquals("user", ok.attachment());
        UpgradeDecision<?> two = auth.intercept(request("/chat", "192.0.2.1", new Hooks(),
                "Authorization: Bearer good", "Authorization: Bearer good"));
        assertEquals(400, two.status());
        assertEquals("more than one Authorization header", two.body());
        assertEquals(List.of("good /chat"), seen);
        assertThrows(IllegalArgumentException.class, () -> auth.withRealm("a\"b"));
        assertThrows(IllegalArgumentException.class, () -> auth.withQueryParameter(""));
    }
}
