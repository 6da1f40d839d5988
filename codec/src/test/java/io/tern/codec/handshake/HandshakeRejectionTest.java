package io.tern.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeRejectionTest {

    @Test
    void buildsAnyStatusWithExactBytes() {
        HandshakeRejection notFound = HandshakeRejection.of(404, "no WebSocket endpoint at /nope");
        assertEquals("HTTP/1.1 404 Not Found\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 30\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + "no WebSocket endpoint at /nope", new String(notFound.toBytes(), StandardCharsets.ISO_8859_1));
        assertEquals(404, notFound.status());
        assertEquals("Not Found", notFound.reasonPhrase());
    }

    @Test
    void extraHeadersFollowTheFixedOnes() {
        HandshakeRejection busy = HandshakeRejection.of(503, "try later", HttpHeaders.of("Retry-After", "120"));
        assertEquals("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 9\r\nConnection: close\r\nRetry-After: 120\r\n\r\ntry later",
                new String(busy.toBytes(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void contentLengthCountsUtf8Bytes() {
        HandshakeRejection forbidden = new HandshakeRejection(403, "Go Away", "verboten \u00fc\u20ac",
                HttpHeaders.empty());
        byte[] body = "verboten \u00fc\u20ac".getBytes(StandardCharsets.UTF_8);
        assertEquals(14, body.length);
        assertArrayEquals(body, forbidden.body());
        byte[] bytes = forbidden.toBytes();
        String head = "HTTP/1.1 403 Go Away\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 14\r\n"
                + "Connection: close\r\n\r\n";
        assertEquals(head, new String(bytes, 0, head.length(), StandardCharsets.ISO_8859_1));
        assertEquals(head.length() + 14, bytes.length);
    }

    @Test
    void theBytesParseBackAsAResponse() {
        HandshakeRejection rejection = HandshakeRejection.of(400, "bad", HttpHeaders.of("X-A", "b"));
        Feeder.Outcome outcome = Feeder.parse(HttpHeadParser::forResponse, rejection.toBytes());
        assertEquals(rejection.responseHead(), outcome.response());
        assertEquals("bad", outcome.rest());
    }

    @Test
    void standardPhrases() {
        for (int status : List.of(400, 403, 404, 405, 426, 431, 500, 503, 505)) {
            assertEquals(false, HandshakeRejection.standardReasonPhrase(status).isEmpty(), "status " + status);
        }
        assertEquals("Request Header Fields Too Large", HandshakeRejection.standardReasonPhrase(431));
        assertEquals("", HandshakeRejection.standardReasonPhrase(499));
        assertEquals("HTTP/1.1 499 \r\n", new String(HandshakeRejection.of(499, "").toBytes(),
                StandardCharsets.ISO_8859_1).substring(0, 15));
    }

    @Test
    void invalidArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> HandshakeRejection.of(101, "x"));
        assertThrows(IllegalArgumentException.class, () -> HandshakeRejection.of(600, "x"));
        assertThrows(IllegalArgumentException.class, () -> new HandshakeRejection(400, "Bad\r\n", "x",
                HttpHeaders.empty()));
        for (String reserved : List.of("Content-Length", "content-type", "Connection", "Transfer-Encoding")) {
            assertThrows(IllegalArgumentException.class,
                    () -> HandshakeRejection.of(400, "x", HttpHeaders.of(reserved, "1")), reserved);
        }
        assertThrows(NullPointerException.class, () -> HandshakeRejection.of(400, null));
    }
}
