package io.tern.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpHeadersTest {

    private final HttpHeaders headers = HttpHeaders.of(
            "Connection", "keep-alive, Upgrade",
            "Accept", "a",
            "connection", ",close,,",
            "ACCEPT", "b");

    @Test
    void lookupIgnoresCase() {
        assertEquals("keep-alive, Upgrade", headers.first("CONNECTION"));
        assertEquals(List.of("a", "b"), headers.all("accept"));
        assertEquals(2, headers.count("Accept"));
        assertTrue(headers.contains("aCcEpT"));
        assertFalse(headers.contains("Host"));
        assertNull(headers.first("Host"));
        assertEquals(List.of(), headers.all("Host"));
        assertEquals(0, headers.count("Host"));
    }

    @Test
    void tokensSpanAllLinesAndDropEmptyElements() {
        HttpHeaders h = HttpHeaders.of("Connection", "keep-alive,\tUpgrade", "connection", ",, close ,");
        assertEquals(List.of("keep-alive", "Upgrade", "close"), h.tokens("Connection"));
        assertEquals(List.of(), h.tokens("Missing"));
        assertTrue(h.containsToken("connection", "UPGRADE"));
        assertTrue(h.containsToken("Connection", "close"));
        assertFalse(h.containsToken("Connection", "upgrade2"));
        assertFalse(h.containsToken("Connection", "keep"));
    }

    @Test
    void caseInsensitivityIsAsciiOnly() {
        HttpHeaders h = HttpHeaders.of("X", "\u00e9");
        assertFalse(h.containsToken("X", "\u00c9"));
        assertFalse(HttpHeaders.of("X", "k").containsToken("X", "\u212a"));
    }

    @Test
    void keepsOrderAndIterates() {
        List<String> names = new ArrayList<>();
        for (HeaderField field : headers) {
            names.add(field.name());
        }
        assertEquals(List.of("Connection", "Accept", "connection", "ACCEPT"), names);
        assertEquals(4, headers.size());
        assertEquals(headers, headers.toBuilder().build());
        assertNotEquals(headers, headers.toBuilder().add("X", "y").build());
        assertTrue(HttpHeaders.empty().isEmpty());
        assertEquals(HttpHeaders.empty(), HttpHeaders.builder().build());
    }

    @Test
    void rejectsInvalidFields() {
        HttpHeaders.Builder b = HttpHeaders.builder();
        assertThrows(IllegalArgumentException.class, () -> b.add("Bad Name", "v"));
        assertThrows(IllegalArgumentException.class, () -> b.add("", "v"));
        assertThrows(IllegalArgumentException.class, () -> b.add("Name:", "v"));
        assertThrows(IllegalArgumentException.class, () -> b.add("X", "a\r\nInjected: yes"));
        assertThrows(IllegalArgumentException.class, () -> b.add("X", "a\u0000"));
        assertThrows(IllegalArgumentException.class, () -> b.add("X", " leading"));
        assertThrows(IllegalArgumentException.class, () -> b.add("X", "trailing\t"));
        assertThrows(IllegalArgumentException.class, () -> b.add("X", "\u0100"));
        assertThrows(NullPointerException.class, () -> b.add("X", null));
        assertThrows(NullPointerException.class, () -> b.add(null, "v"));
        assertThrows(IllegalArgumentException.class, () -> HttpHeaders.of("odd"));
        assertEquals(0, b.build().size());
    }

    @Test
    void acceptsTabsSpacesAndObsTextInside() {
        HttpHeaders h = HttpHeaders.of("X", "a \t b\u00ff", "Empty", "");
        assertEquals("a \t b\u00ff", h.first("x"));
        assertEquals("", h.first("empty"));
    }

    @Test
    void headsSerializeExactly() {
        HttpRequestHead request = new HttpRequestHead("GET", "/a?b", "HTTP/1.1", HttpHeaders.of("Host", "h"));
        assertEquals("GET /a?b HTTP/1.1\r\nHost: h\r\n\r\n",
                new String(request.toBytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
        HttpResponseHead response = new HttpResponseHead("HTTP/1.1", 204, "", HttpHeaders.empty());
        assertEquals("HTTP/1.1 204 \r\n\r\n",
                new String(response.toBytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThrows(IllegalArgumentException.class, () -> new HttpRequestHead("G T", "/", "HTTP/1.1",
                HttpHeaders.empty()));
        assertThrows(IllegalArgumentException.class, () -> new HttpRequestHead("GET", "/ x", "HTTP/1.1",
                HttpHeaders.empty()));
        assertThrows(IllegalArgumentException.class, () -> new HttpRequestHead("GET", "/", "HTTP/1",
                HttpHeaders.empty()));
        assertThrows(IllegalArgumentException.class, () -> new HttpResponseHead("HTTP/1.1", 99, "",
                HttpHeaders.empty()));
        assertThrows(IllegalArgumentException.class, () -> new HttpResponseHead("HTTP/1.1", 200, "a\r\n",
                HttpHeaders.empty()));
    }
}
