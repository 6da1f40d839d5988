package io.tern.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class HttpRequestParserTest {

    static final String RFC_REQUEST = "GET /chat HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Origin: http://example.com\r\n"
            + "Sec-WebSocket-Protocol: chat, superchat\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";

    private static final String LINE = "GET / HTTP/1.1\r\n";

    private static HeadParseError error(String input) {
        return Feeder.request(input).failure();
    }

    private static void assertError(int status, String reason, String input) {
        assertEquals(new HeadParseError(status, reason), error(input));
    }

    @Test
    void parsesRfc6455Example() {
        Feeder.Outcome outcome = Feeder.request(RFC_REQUEST);
        HttpRequestHead head = outcome.request();
        assertEquals("GET", head.method());
        assertEquals("/chat", head.requestTarget());
        assertEquals("HTTP/1.1", head.version());
        assertEquals(HttpHeaders.of("Host", "server.example.com", "Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Origin", "http://example.com",
                "Sec-WebSocket-Protocol", "chat, superchat", "Sec-WebSocket-Version", "13"), head.headers());
        assertEquals("", outcome.rest());
        assertEquals(RFC_REQUEST.length(), outcome.consumed());
        assertArrayEquals(Feeder.latin1(RFC_REQUEST), head.toBytes());
    }

    @Test
    void leavesBytesAfterTheHeadInTheBuffer() {
        String trailing = "\u0081\u0005hello\r\n\r\nGET / HTTP/1.1\r\n";
        Feeder.Outcome outcome = Feeder.request(RFC_REQUEST + trailing);
        assertEquals("/chat", outcome.request().requestTarget());
        assertEquals(trailing, outcome.rest());
        assertEquals(RFC_REQUEST.length(), outcome.consumed());
    }

    @Test
    void incompleteHeadNeedsMoreAndConsumesEverything() {
        for (String partial : List.of("", "GET", LINE, LINE + "Host: x\r\n", LINE + "Host: x\r\n\r")) {
            Feeder.Outcome outcome = Feeder.request(partial);
            assertEquals(HttpHeadParser.FeedResult.NEED_MORE, outcome.result(), partial);
            assertEquals(partial.length(), outcome.consumed());
            assertNull(outcome.error());
        }
    }

    @Test
    void headWithoutHeaders() {
        HttpRequestHead head = Feeder.request(LINE + "\r\n").request();
        assertEquals(HttpHeaders.empty(), head.headers());
    }

    @Test
    void trimsOptionalWhitespaceAroundValues() {
        HttpHeaders headers = Feeder.request(LINE + "Host:example.com\r\nA: \t spaced  out \t\r\nEmpty:\r\n"
                + "Blank:   \r\nTab:\tx\ty\r\n\r\n").request().headers();
        assertEquals(HttpHeaders.of("Host", "example.com", "A", "spaced  out", "Empty", "", "Blank", "",
                "Tab", "x\ty"), headers);
    }

    @Test
    void keepsObsTextInValuesAsLatin1() {
        HttpHeaders headers = Feeder.request(LINE + "Host: caf\u00e9\u00ff\r\n\r\n").request().headers();
        assertEquals("caf\u00e9\u00ff", headers.first("Host"));
    }

    @Test
    void namesAreCaseInsensitiveAndRepeatsKeepOrder() {
        HttpHeaders headers = Feeder.request(LINE + "host: a\r\nX-Thing: 1\r\nHOST: b\r\nx-thing: 2\r\n\r\n")
                .request().headers();
        assertEquals("a", headers.first("Host"));
        assertEquals(List.of("a", "b"), headers.all("HoSt"));
        assertEquals(List.of("1", "2"), headers.all("X-THING"));
        assertEquals("host", headers.fields().get(0).name());
    }

    @Test
    void ignoresEmptyLinesBeforeTheRequestLine() {
        Feeder.Outcome outcome = Feeder.request("\r\n\r\n" + LINE + "Host: x\r\n\r\n");
        assertEquals("/", outcome.request().requestTarget());
        assertEquals(4 + LINE.length() + 9 + 2, outcome.consumed());
    }

    @Test
    void acceptsAnyTokenMethodAndAbsoluteTarget() {
        HttpRequestHead head = Feeder.request("M-SEARCH http://example.com/a?b=c HTTP/1.1\r\n\r\n").request();
        assertEquals("M-SEARCH", head.method());
        assertEquals("http://example.com/a?b=c", head.requestTarget());
    }

    static Stream<Arguments> malformedRequestLines() {
        return Stream.of(
            Arguments.of("GET /chat", "request line is not 'method SP request-target SP HTTP-version'"),
            Arguments.of("GET", "request line is not 'method SP request-target SP HTTP-version'"),
            Arguments.of("", "request line is not 'method SP request-target SP HTTP-version'"),
            Arguments.of("G(T / HTTP/1.1", "invalid method in request line"),
            Arguments.of(" / HTTP/1.1", "invalid method in request line"),
            Arguments.of("GET  HTTP/1.1", "empty request-target in request line"),
            Arguments.of("GET  / HTTP/1.1", "invalid character in request-target"),
            Arguments.of("GET /a b HTTP/1.1", "invalid character in request-target"),
            Arguments.of("GET /caf\u00e9 HTTP/1.1", "invalid character in request-target"),
            Arguments.of("GET / HTTP/1.1 ", "invalid character in request-target"),
            Arguments.of("GET / http/1.1", "malformed HTTP version in request line"),
            Arguments.of("GET / HTTP/1.10", "malformed HTTP version in request line"),
            Arguments.of("GET / HTTP/11", "malformed HTTP version in request line"),
            Arguments.of("GET / FOO", "malformed HTTP version in request line"));
    }

    @ParameterizedTest
    @MethodSource("malformedRequestLines")
    void malformedRequestLineIs400(String requestLine, String reason) {
        assertError(400, reason, requestLine + "\r\nHost: x\r\n\r\n");
    }

    @ParameterizedTest
    @CsvSource({"HTTP/1.0", "HTTP/2.0", "HTTP/0.9", "HTTP/1.2"})
    void wellFormedOtherVersionIs505(String version) {
        assertError(505, "HTTP version " + version + " not supported, only HTTP/1.1",
                "GET / " + version + "\r\nHost: x\r\n\r\n");
    }

    @Test
    void headerLineWithoutColon() {
        assertError(400, "header line without colon", LINE + "Host example.com\r\n\r\n");
    }

    @Test
    void emptyHeaderName() {
        assertError(400, "empty header name", LINE + ": value\r\n\r\n");
    }

    @Test
    void whitespaceBeforeColon() {
        assertError(400, "whitespace between header name and colon", LINE + "Host : x\r\n\r\n");
        assertError(400, "whitespace between header name and colon", LINE + "Host\t: x\r\n\r\n");
    }

    @Test
    void invalidHeaderNameCharacters() {
        for (String name : List.of("Ho st", "Ho(st", "H\u00e9st", "Ho/st", "Host\"", "a{b}", " Host")) {
            String reason = name.startsWith(" ") ? "header line starts with whitespace (obsolete line folding)"
                    : "invalid character in header name";
            assertError(400, reason, LINE + name + ": x\r\n\r\n");
        }
    }

    @Test
    void obsoleteLineFoldingIsRejected() {
        String reason = "header line starts with whitespace (obsolete line folding)";
        assertError(400, reason, LINE + "X-Long: one\r\n two\r\n\r\n");
        assertError(400, reason, LINE + "X-Long: one\r\n\ttwo\r\n\r\n");
        assertError(400, reason, LINE + " Host: x\r\n\r\n");
    }

    @Test
    void bareLfIsRejected() {
        assertError(400, "LF without preceding CR", "GET / HTTP/1.1\nHost: x\r\n\r\n");
        assertError(400, "LF without preceding CR", LINE + "Host: x\n\r\n");
        assertError(400, "LF without preceding CR", LINE + "Host: x\r\n\n");
        assertError(400, "LF without preceding CR", "\n" + LINE + "\r\n");
    }

    @Test
    void bareCrIsRejected() {
        assertError(400, "CR not followed by LF", LINE + "Host: a\rb\r\n\r\n");
        assertError(400, "CR not followed by LF", LINE + "Host: x\r\n\r\r\n");
        assertError(400, "CR not followed by LF", "GET / HTTP/1.1\r\rHost: x\r\n\r\n");
    }

    @Test
    void errorStopsRightAfterTheOffendingByte() {
        Feeder.Outcome outcome = Feeder.request(LINE + "Host: a\rb\r\n\r\n");
        assertEquals("\r\n\r\n", outcome.rest());
    }

    @ParameterizedTest
    @CsvSource({"0, 00", "1, 01", "31, 1F", "127, 7F", "11, 0B"})
    void controlCharactersInValuesAreRejected(int code, String hex) {
        assertError(400, "control character 0x" + hex + " in value of header X-Test",
                LINE + "X-Test: a" + (char) code + "b\r\n\r\n");
    }

    @Test
    void headOfExactlyTheLimitIsAccepted() {
        String head = padToSize(LINE + "Host: x\r\nX-Pad: ", "\r\n\r\n", HttpHeadParser.DEFAULT_MAX_HEAD_BYTES);
        Feeder.Outcome outcome = Feeder.request(head + "frame");
        assertEquals(8192, outcome.consumed());
        assertEquals("frame", outcome.rest());
        assertEquals("x", outcome.request().headers().first("Host"));
    }

    @Test
    void headOneByteOverTheLimitIs431() {
        String head = padToSize(LINE + "Host: x\r\nX-Pad: ", "\r\n\r\n", HttpHeadParser.DEFAULT_MAX_HEAD_BYTES + 1);
        Feeder.Outcome outcome = Feeder.request(head + "frame");
        assertEquals(new HeadParseError(431, "request head larger than 8192 bytes"), outcome.failure());
        assertEquals(8193, outcome.consumed());
        assertEquals("frame", outcome.rest());
    }

    @Test
    void endlessLineIsCutOffAtTheLimit() {
        String endless = "GET /" + "a".repeat(20_000);
        Feeder.Outcome outcome = Feeder.parse(() -> HttpHeadParser.forRequest(1000, 10), Feeder.latin1(endless));
        assertEquals(new HeadParseError(431, "request head larger than 1000 bytes"), outcome.failure());
        assertEquals(1001, outcome.consumed());
    }

    @Test
    void customSizeLimit() {
        String head = padToSize(LINE + "X: ", "\r\n\r\n", 64);
        Feeder.Outcome ok = Feeder.parse(() -> HttpHeadParser.forRequest(64, 10), Feeder.latin1(head));
        assertEquals(64, ok.consumed());
        ok.request();
        Feeder.Outcome tooLarge = Feeder.parse(() -> HttpHeadParser.forRequest(63, 10), Feeder.latin1(head));
        assertEquals(new HeadParseError(431, "request head larger than 63 bytes"), tooLarge.failure());
    }

    @Test
    void headerCountLimit() {
        StringBuilder hundred = new StringBuilder(LINE);
        for (int i = 0; i < 100; i++) {
            hundred.append("X-").append(i).append(": v\r\n");
        }
        assertEquals(100, Feeder.request(hundred + "\r\n").request().headers().size());
        assertError(431, "request has more than 100 header fields", hundred + "X-100: v\r\n\r\n");

        Feeder.Outcome small = Feeder.parse(() -> HttpHeadParser.forRequest(8192, 2),
                Feeder.latin1(LINE + "A: 1\r\nB: 2\r\nC: 3\r\n\r\n"));
        assertEquals(new HeadParseError(431, "request has more than 2 header fields"), small.failure());
    }

    @Test
    void wrongAccessorsThrow() {
        HttpHeadParser parser = HttpHeadParser.forRequest();
        assertThrows(IllegalStateException.class, parser::requestHead);
        assertThrows(IllegalStateException.class, parser::responseHead);
        assertNull(parser.error());
        assertThrows(IllegalArgumentException.class, () -> HttpHeadParser.forRequest(0, 10));
        assertThrows(IllegalArgumentException.class, () -> HttpHeadParser.forRequest(10, -1));
        assertThrows(NullPointerException.class, () -> parser.feed(null));
    }

    /** Pads {@code prefix + 'a'* + suffix} to exactly {@code size} bytes. */
    static String padToSize(String prefix, String suffix, int size) {
        return prefix + "a".repeat(size - prefix.length() - suffix.length()) + suffix;
    }
}
