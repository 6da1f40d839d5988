package io.tern.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExtensionHeaderTest {

    private static final Extension PMD = Extension.of("permessage-deflate");

    private static List<Extension> parse(String value) {
        ExtensionHeader.Result result = ExtensionHeader.parse(value);
        assertTrue(result.isValid(), () -> "unexpected error: " + result.error());
        assertNull(result.error());
        return result.extensions();
    }

    private static String error(String value) {
        ExtensionHeader.Result result = ExtensionHeader.parse(value);
        assertFalse(result.isValid(), () -> "unexpectedly valid: " + result);
        assertThrows(IllegalStateException.class, result::extensions);
        return result.error();
    }

    @Test
    void singleToken() {
        assertEquals(List.of(PMD), parse("permessage-deflate"));
    }

    @Test
    void parametersWithAndWithoutValues() {
        assertEquals(List.of(Extension.of("permessage-deflate", ExtensionParam.of("client_max_window_bits", "10"),
                ExtensionParam.of("server_no_context_takeover"), ExtensionParam.of("client_max_window_bits"))),
                parse("permessage-deflate; client_max_window_bits=10; server_no_context_takeover;"
                        + " client_max_window_bits"));
    }

    @Test
    void quotedValuesAreUnquotedAndUnescaped() {
        assertEquals(List.of(Extension.of("x", ExtensionParam.of("a", "10"), ExtensionParam.of("b", "10"),
                ExtensionParam.of("c", "t"), ExtensionParam.of("d", "!#$%&'*+-.^_`|~"))),
                parse("x; a=\"10\"; b=\"1\\0\"; c=\"\\t\"; d=\"!#$%&'*+-.^_`|~\""));
    }

    @Test
    void quotedValuesMayContainSeparatorsWhenEscapedButMustBeTokens() {
        assertEquals("quoted value of parameter a is not a token in Sec-WebSocket-Extensions",
                error("x; a=\"b\\\"c\""));
        assertEquals("quoted value of parameter a is not a token in Sec-WebSocket-Extensions",
                error("x; a=\"1, 2\""));
        assertEquals("quoted value of parameter a is not a token in Sec-WebSocket-Extensions",
                error("x; a=\"\""));
        assertEquals("quoted value of parameter a is not a token in Sec-WebSocket-Extensions",
                error("x; a=\"caf\u00e9\""));
    }

    @Test
    void severalOffersInOrder() {
        assertEquals(List.of(Extension.of("permessage-deflate", ExtensionParam.of("client_max_window_bits")),
                PMD, Extension.of("x-foo", ExtensionParam.of("bar", "1"))),
                parse("permessage-deflate; client_max_window_bits, permessage-deflate,x-foo;bar=1"));
    }

    @Test
    void toleratesOptionalWhitespaceEverywhere() {
        assertEquals(List.of(Extension.of("a", ExtensionParam.of("x", "1"), ExtensionParam.of("y", "z")),
                Extension.of("b")),
                parse(" \ta \t; x \t= \t1 ;y=\t\"z\"\t ,\t b \t"));
    }

    @Test
    void emptyListElementsAreSkipped() {
        assertEquals(List.of(Extension.of("a"), Extension.of("b")), parse(", a, , ,b ,,"));
    }

    @Test
    void duplicateParametersAndCaseArePreserved() {
        assertEquals(List.of(Extension.of("PerMessage-Deflate", ExtensionParam.of("X", "1"),
                ExtensionParam.of("x", "2"), ExtensionParam.of("X", "1"))),
                parse("PerMessage-Deflate; X=1; x=2; X=1"));
    }

    @Test
    void severalHeaderLinesFormOneList() {
        ExtensionHeader.Result result = ExtensionHeader.parse(List.of("a; x=1", "", "b, c"));
        assertEquals(List.of(Extension.of("a", ExtensionParam.of("x", "1")), Extension.of("b"), Extension.of("c")),
                result.extensions());
        assertEquals("unterminated quoted-string in Sec-WebSocket-Extensions",
                ExtensionHeader.parse(List.of("a", "b; x=\"1")).error());
    }

    @Test
    void fromHeadersAbsentMeansNoOffers() {
        assertEquals(List.of(), ExtensionHeader.parse(HttpHeaders.of("Host", "x")).extensions());
        assertEquals(List.of(Extension.of("a"), Extension.of("b")), ExtensionHeader.parse(HttpHeaders.of(
                "sec-websocket-extensions", "a", "Host", "x", "SEC-WEBSOCKET-EXTENSIONS", "b")).extensions());
        assertEquals("no extension in Sec-WebSocket-Extensions",
                ExtensionHeader.parse(HttpHeaders.of("Sec-WebSocket-Extensions", "")).error());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
            Arguments.of("", "no extension in Sec-WebSocket-Extensions"),
            Arguments.of(" , ,\t", "no extension in Sec-WebSocket-Extensions"),
            Arguments.of("; x=1", "unexpected character ';' at position 0 where extension name was expected"
                    + " in Sec-WebSocket-Extensions"),
            Arguments.of("a, =1", "unexpected character '=' at position 3 where extension name was expected"
                    + " in Sec-WebSocket-Extensions"),
            Arguments.of("\"a\"", "unexpected character '\"' at position 0 where extension name was expected"
                    + " in Sec-WebSocket-Extensions"),
            Arguments.of("a;", "missing parameter name at end in Sec-WebSocket-Extensions"),
            Arguments.of("a; x;", "missing parameter name at end in Sec-WebSocket-Extensions"),
            Arguments.of("a;;x", "unexpected character ';' at position 2 where parameter name was expected"
                    + " in Sec-WebSocket-Extensions"),
            Arguments.of("a; ,b", "unexpected character ',' at position 3 where parameter name was expected"
                    + " in Sec-WebSocket-Extensions"),
            Arguments.of("a; x=", "missing value of parameter x at end in Sec-WebSocket-Extensions"),
            Arguments.of("a; x= ", "missing value of parameter x at end in Sec-WebSocket-Extensions"),
            Arguments.of("a; x=; y", "unexpected character ';' at position 5 where value of parameter x was"
                    + " expected in Sec-WebSocket-Extensions"),
            Arguments.of("a; x=, b", "unexpected character ',' at position 5 where value of parameter x was"
                    + " expected in Sec-WebSocket-Extensions"),
            Arguments.of("a; x=\"10", "unterminated quoted-string in Sec-WebSocket-Extensions"),
            Arguments.of("a; x=\"10\\", "unterminated quoted-string in Sec-WebSocket-Extensions"),
            Arguments.of("a; x=\"10\\\"", "unterminated quoted-string in Sec-WebSocket-Extensions"),
            Arguments.of("a; x=\"1\u00010\"", "control character 0x01 in quoted-string in Sec-WebSocket-Extensions"),
            Arguments.of("a; x=\"1\\\u007f\"", "control character 0x7F in quoted-string in Sec-WebSocket-Extensions"),
            Arguments.of("a; x=\"1 0\"", "quoted value of parameter x is not a token in Sec-WebSocket-Extensions"),
            Arguments.of("a@b", "unexpected character '@' at position 1 after extension in Sec-WebSocket-Extensions"),
            Arguments.of("a b", "unexpected character 'b' at position 2 after extension in Sec-WebSocket-Extensions"),
            Arguments.of("a; x y", "unexpected character 'y' at position 5 after extension"
                    + " in Sec-WebSocket-Extensions"),
            Arguments.of("a; x=1=2", "unexpected character '=' at position 6 after extension"
                    + " in Sec-WebSocket-Extensions"),
            Arguments.of("a; x=1 2", "unexpected character '2' at position 7 after extension"
                    + " in Sec-WebSocket-Extensions"),
            Arguments.of("a; x=\"1\"2", "unexpected character '2' at position 8 after extension"
                    + " in Sec-WebSocket-Extensions"),
            Arguments.of("a; x=(1)", "unexpected character '(' at position 5 where value of parameter x was"
                    + " expected in Sec-WebSocket-Extensions"),
            Arguments.of("a; x/y=1", "unexpected character '/' at position 4 after extension"
                    + " in Sec-WebSocket-Extensions"),
            Arguments.of("caf\u00e9", "unexpected character 0xE9 at position 3 after extension"
                    + " in Sec-WebSocket-Extensions"),
            Arguments.of("a\u0000", "unexpected character 0x00 at position 1 after extension"
                    + " in Sec-WebSocket-Extensions"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedHeaders(String value, String expectedError) {
        assertEquals(expectedError, error(value));
    }

    @Test
    void formatsCanonically() {
        List<Extension> list = List.of(Extension.of("permessage-deflate", ExtensionParam.of("client_max_window_bits",
                "10"), ExtensionParam.of("server_no_context_takeover")), Extension.of("x-other"));
        String formatted = ExtensionHeader.format(list);
        assertEquals("permessage-deflate; client_max_window_bits=10; server_no_context_takeover, x-other", formatted);
        assertEquals(list, parse(formatted));
        assertEquals("permessage-deflate; client_max_window_bits=10; server_no_context_takeover",
                list.get(0).toString());
        assertThrows(IllegalArgumentException.class, () -> ExtensionHeader.format(List.of()));
    }

    @Test
    void modelValidatesSyntax() {
        assertThrows(IllegalArgumentException.class, () -> Extension.of("bad name"));
        assertThrows(IllegalArgumentException.class, () -> ExtensionParam.of("x", "1 0"));
        assertThrows(IllegalArgumentException.class, () -> ExtensionParam.of("x=", "1"));
        assertThrows(NullPointerException.class, () -> ExtensionParam.of("x", null));
        assertThrows(NullPointerException.class, () -> new Extension("a", null));
        assertTrue(ExtensionParam.of("x", "1").hasValue());
        assertFalse(ExtensionParam.of("x").hasValue());
    }
}
