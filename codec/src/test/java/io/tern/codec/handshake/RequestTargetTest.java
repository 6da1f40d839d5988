package io.tern.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** request-target forms of RFC 9112 §3.2 and the path and query a server routes by. */
class RequestTargetTest {

    private static String parsed(String target) {
        return RequestTarget.parse(target).map(RequestTarget::toString).orElse("invalid");
    }

    @Test
    void originForm() {
        assertEquals("ORIGIN /chat", parsed("/chat"));
        assertEquals("ORIGIN /chat?room=1&x=%20", parsed("/chat?room=1&x=%20"));
        assertEquals("ORIGIN /chat?", parsed("/chat?"));
        assertEquals("ORIGIN /a?b?c", parsed("/a?b?c"));
        assertEquals("ORIGIN //x", parsed("//x"));
        RequestTarget t = RequestTarget.parse("/p?").orElseThrow();
        assertEquals("/p", t.path());
        assertEquals("", t.query());
        assertEquals(null, RequestTarget.parse("/p").orElseThrow().query());
    }

    @Test
    void absoluteForm() {
        assertEquals("ABSOLUTE /echo", parsed("http://127.0.0.1/echo"));
        assertEquals("ABSOLUTE /echo?a=b", parsed("HTTPS://example.com:8443/echo?a=b"));
        assertEquals("ABSOLUTE /", parsed("http://example.com"));
        assertEquals("ABSOLUTE /?q", parsed("http://example.com?q"));
    }

    @Test
    void asteriskForm() {
        assertEquals(RequestTarget.Form.ASTERISK, RequestTarget.parse("*").orElseThrow().form());
        assertEquals("*", RequestTarget.parse("*").orElseThrow().path());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "chat", "example.com:443", "ws://example.com/chat", "ftp://example.com/",
        "http:/chat", "http://user@example.com/", "/chat#frag", "http://example.com/#f", "**", "mailto:a@b"})
    void refused(String target) {
        assertTrue(RequestTarget.parse(target).isEmpty(), target);
    }
}
