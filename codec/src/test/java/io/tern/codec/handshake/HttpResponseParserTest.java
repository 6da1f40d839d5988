package io.tern.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HttpResponseParserTest {

    static final String RFC_RESPONSE = "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "Sec-WebSocket-Protocol: chat\r\n"
            + "\r\n";

    private static void assertError(String reason, String input) {
        assertEquals(new HeadParseError(HeadParseError.NO_STATUS, reason), Feeder.response(input).failure());
    }

    @Test
    void parsesRfc6455ExampleAndKeepsFollowingFrames() {
        String frame = "\u0081\u0005Hello";
        Feeder.Outcome outcome = Feeder.response(RFC_RESPONSE + frame);
        HttpResponseHead head = outcome.response();
        assertEquals("HTTP/1.1", head.version());
        assertEquals(101, head.statusCode());
        assertEquals("Switching Protocols", head.reasonPhrase());
        assertEquals(HttpHeaders.of("Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "Sec-WebSocket-Protocol", "chat"),
                head.headers());
        assertEquals(frame, outcome.rest());
        assertEquals(RFC_RESPONSE.length(), outcome.consumed());
        assertEquals(RFC_RESPONSE, new String(head.toBytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void emptyAndUnusualReasonPhrases() {
        assertEquals("", Feeder.response("HTTP/1.1 101 \r\n\r\n").response().reasonPhrase());
        assertEquals("Weird \tphrase \u00e9 ", Feeder.response("HTTP/1.1 404 Weird \tphrase \u00e9 \r\n\r\n")
                .response().reasonPhrase());
    }

    @Test
    void otherWellFormedVersionsAreLeftToTheCaller() {
        assertEquals("HTTP/1.0", Feeder.response("HTTP/1.0 101 Switching Protocols\r\n\r\n").response().version());
    }

    static Stream<Arguments> malformedStatusLines() {
        return Stream.of(
            Arguments.of("HTTP/1.1 101", "status line is not 'HTTP-version SP status-code SP reason-phrase'"),
            Arguments.of("HTTP/1.1  101 X", "status line is not 'HTTP-version SP status-code SP reason-phrase'"),
            Arguments.of("HTTP/1.1 1010 X", "status line is not 'HTTP-version SP status-code SP reason-phrase'"),
            Arguments.of("HTTP/1.10 101 X", "status line is not 'HTTP-version SP status-code SP reason-phrase'"),
            Arguments.of("", "status line is not 'HTTP-version SP status-code SP reason-phrase'"),
            Arguments.of("HTTX/1.1 101 X", "malformed HTTP version in status line"),
            Arguments.of("http/1.1 101 X", "malformed HTTP version in status line"),
            Arguments.of("HTTP/1.1 1O1 X", "invalid status code in status line"),
            Arguments.of("HTTP/1.1 099 X", "invalid status code in status line"),
            Arguments.of("HTTP/1.1 -01 X", "invalid status code in status line"));
    }

    @ParameterizedTest
    @MethodSource("malformedStatusLines")
    void malformedStatusLine(String statusLine, String reason) {
        assertError(reason, statusLine + "\r\n\r\n");
    }

    @Test
    void controlCharacterInReasonPhrase() {
        assertError("control character in reason phrase", "HTTP/1.1 101 Switching\u0000Protocols\r\n\r\n");
    }

    @Test
    void headerErrorsCarryNoStatus() {
        assertError("header line without colon", "HTTP/1.1 101 OK\r\nUpgrade websocket\r\n\r\n");
        assertError("whitespace between header name and colon", "HTTP/1.1 101 OK\r\nUpgrade : websocket\r\n\r\n");
        assertError("header line starts with whitespace (obsolete line folding)",
                "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\n x\r\n\r\n");
        assertError("LF without preceding CR", "HTTP/1.1 101 OK\nUpgrade: websocket\r\n\r\n");
        assertError("CR not followed by LF", "HTTP/1.1 101 OK\r\nUpgrade: web\rsocket\r\n\r\n");
        assertError("control character 0x7F in value of header Upgrade", "HTTP/1.1 101 OK\r\nUpgrade: \u007f\r\n\r\n");
    }

    @Test
    void emptyLineBeforeStatusLineIsAnError() {
        assertError("status line is not 'HTTP-version SP status-code SP reason-phrase'",
                "\r\nHTTP/1.1 101 OK\r\n\r\n");
    }

    @Test
    void sizeAndCountLimits() {
        String exact = HttpRequestParserTest.padToSize("HTTP/1.1 101 OK\r\nX: ", "\r\n\r\n", 100);
        Feeder.Outcome ok = Feeder.parse(() -> HttpHeadParser.forResponse(100, 5), Feeder.latin1(exact));
        assertEquals(100, ok.consumed());
        ok.response();
        Feeder.Outcome tooLarge = Feeder.parse(() -> HttpHeadParser.forResponse(99, 5), Feeder.latin1(exact));
        assertEquals(new HeadParseError(0, "response head larger than 99 bytes"), tooLarge.failure());
        Feeder.Outcome tooMany = Feeder.parse(() -> HttpHeadParser.forResponse(100, 1),
                Feeder.latin1("HTTP/1.1 101 OK\r\nA: 1\r\nB: 2\r\n\r\n"));
        assertEquals(new HeadParseError(0, "response has more than 1 header fields"), tooMany.failure());
    }
}
