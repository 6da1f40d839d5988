package io.tern.codec.handshake;

import java.util.ArrayList;
import java.util.List;

/**
 * Character classes and small lexical helpers from RFC 7230 (HTTP/1.1 message syntax).
 * All comparisons that the RFCs call "case-insensitive" are ASCII-only here.
 */
final class HttpSyntax {

    /** The only HTTP version this package speaks. */
    static final String HTTP_1_1 = "HTTP/1.1";

    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

    private HttpSyntax() {
    }

    /** tchar = "!" / "#" / ... / DIGIT / ALPHA (RFC 7230 §3.2.6). */
    static boolean isTchar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || (c < 0x80 && c > 0x20 && TCHAR_SYMBOLS.indexOf(c) >= 0);
    }

    /** token = 1*tchar. */
    static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTchar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** VCHAR: visible US-ASCII. */
    static boolean isVchar(int c) {
        return c >= 0x21 && c <= 0x7E;
    }

    /** obs-text = %x80-FF. */
    static boolean isObsText(int c) {
        return c >= 0x80 && c <= 0xFF;
    }

    /** OWS element: SP or HTAB. */
    static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t';
    }

    /** A character allowed somewhere inside a field-value or reason-phrase: HTAB / SP / VCHAR / obs-text. */
    static boolean isTextChar(int c) {
        return isWhitespace(c) || isVchar(c) || isObsText(c);
    }

    /** True when every character is HTAB / SP / VCHAR / obs-text. */
    static boolean isText(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isTextChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** field-value as it is stored after OWS trimming: text without leading or trailing whitespace. */
    static boolean isFieldValue(String s) {
        if (!isText(s)) {
            return false;
        }
        return s.isEmpty() || (!isWhitespace(s.charAt(0)) && !isWhitespace(s.charAt(s.length() - 1)));
    }

    /** request-target as accepted here: 1*VCHAR. */
    static boolean isRequestTarget(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isVchar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** HTTP-version = "HTTP/" DIGIT "." DIGIT (case-sensitive, RFC 7230 §2.6). */
    static boolean isHttpVersion(String s) {
        return s.length() == 8 && s.startsWith("HTTP/") && isDigit(s.charAt(5)) && s.charAt(6) == '.'
                && isDigit(s.charAt(7));
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** Removes leading and trailing SP / HTAB. */
    static String trimOws(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** ASCII case-insensitive equality; non-ASCII characters must match exactly. */
    static boolean equalsIgnoreAsciiCase(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            if (toLowerAscii(a.charAt(i)) != toLowerAscii(b.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static char toLowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /**
     * Splits one comma-separated list value into its elements (RFC 7230 §7), trimming OWS
     * and dropping empty elements. Quoted strings are not recognised.
     */
    static void splitList(String value, List<String> into) {
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            String element = trimOws(value.substring(start, end));
            if (!element.isEmpty()) {
                into.add(element);
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
    }

    /** Splits a comma-separated list value into a new list. */
    static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        splitList(value, out);
        return out;
    }

    /** Throws IllegalArgumentException unless {@code name} is a token. */
    static String requireToken(String name, String what) {
        if (name == null) {
            throw new NullPointerException(what);
        }
        if (!isToken(name)) {
            throw new IllegalArgumentException(what + " is not an RFC 7230 token: \"" + name + "\"");
        }
        return name;
    }

    /**
     * Throws IllegalArgumentException if {@code headers} contains a field whose name is one of
     * {@code reserved}; used to stop callers from overriding fields this package writes itself.
     */
    static void requireNoneOf(HttpHeaders headers, List<String> reserved) {
        for (HeaderField field : headers) {
            for (String name : reserved) {
                if (field.hasName(name)) {
                    throw new IllegalArgumentException("header " + field.name()
                            + " is written by the handshake itself and cannot be an extra header");
                }
            }
        }
    }
}
