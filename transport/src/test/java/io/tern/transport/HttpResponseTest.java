package io.tern.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tern.codec.handshake.HttpHeaders;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** HttpResponse byte for byte: fixed fields, extra headers, bodies, HEAD and the statuses without a body. */
class HttpResponseTest {

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void textResponseBytes() {
        HttpResponse r = HttpResponse.text(404, "not here ✗").withHeader("Cache-Control", "no-store");
        String body = new String("not here ✗".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertEquals("HTTP/1.1 404 Not Found\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 12\r\n"
                + "Connection: close\r\n"
                + "Cache-Control: no-store\r\n"
                + "\r\n" + body, latin1(r.toBytes(true)));
        assertEquals("HTTP/1.1 404 Not Found\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 12\r\n"
                + "Connection: close\r\n"
                + "Cache-Control: no-store\r\n"
                + "\r\n", latin1(r.toBytes(false)), "HEAD: same head, no body");
    }

    @Test
    void binaryBodyAndCustomReason() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        HttpResponse r = HttpResponse.ok("image/png", png).withReasonPhrase("Fine");
        assertEquals("HTTP/1.1 200 Fine\r\nContent-Type: image/png\r\nContent-Length: 4\r\nConnection: close\r\n\r\n"
                + "\u0089PNG", latin1(r.toBytes(true)));
        png[0] = 0;
        assertEquals((byte) 0x89, r.body()[0], "the body was copied in");
        r.body()[1] = 0;
        assertEquals('P', r.body()[1], "and is copied out");
        assertEquals("image/png", r.contentType());
        assertEquals(200, r.status());
        assertEquals("Fine", r.reasonPhrase());
    }

    @Test
    void anUpgradeHeaderIsNamedInConnection() {
        HttpResponse r = HttpResponse.text(426, "x").withHeader("Upgrade", "websocket");
        assertEquals("HTTP/1.1 426 Upgrade Required\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 1\r\n"
                + "Connection: Upgrade, close\r\nUpgrade: websocket\r\n\r\nx", latin1(r.toBytes(true)));
    }

    @Test
    void noContentAndNotModifiedHaveNoBodyAndNoLength() {
        assertEquals("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n",
                latin1(HttpResponse.of(204, null, new byte[0]).toBytes(true)));
        assertEquals("HTTP/1.1 304 \r\nConnection: close\r\nETag: \"1\"\r\n\r\n",
                latin1(HttpResponse.of(304, null, new byte[0]).withHeader("ETag", "\"1\"").toBytes(true)));
        assertThrows(IllegalArgumentException.class, () -> HttpResponse.of(204, "text/plain", new byte[1]));
        HttpResponse empty = HttpResponse.of(200, null, new byte[0]);
        assertNull(empty.contentType());
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", latin1(empty.toBytes(true)));
    }

    @Test
    void invalidResponsesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> HttpResponse.text(101, "x"));
        assertThrows(IllegalArgumentException.class, () -> HttpResponse.text(600, "x"));
        assertThrows(IllegalArgumentException.class, () -> HttpResponse.of(200, null, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> HttpResponse.of(200, "text/plain\r\nX: y", new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> HttpResponse.text(200, "x").withReasonPhrase("O\nK"));
        for (String reserved : new String[] {"Content-Type", "content-length", "Connection", "Transfer-Encoding"}) {
            assertThrows(IllegalArgumentException.class, () -> HttpResponse.text(200, "x").withHeader(reserved, "1"),
                    reserved);
        }
        assertThrows(IllegalArgumentException.class, () -> HttpResponse.text(200, "x").withHeader("X", "a\u0001"));
        assertThrows(IllegalArgumentException.class,
                () -> HttpResponse.resource(HttpResponseTest.class, "/no/such/resource", "text/plain"));
        HttpResponse r = HttpResponse.text(200, "x");
        assertEquals(r, r.withHeaders(HttpHeaders.empty()));
    }

    @Test
    void aResourceIsReadOnce() {
        HttpResponse page = HttpResponse.resource(HttpResponseTest.class, "/static/chat.html", "text/html");
        assertArrayEquals(page.body(), page.body());
        assertEquals("text/html", page.responseHead().headers().first("Content-Type"));
    }
}
