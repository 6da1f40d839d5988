package io.tern.autobahn.deflate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One element of a {@code Sec-WebSocket-Extensions} header: an extension token and its parameters
 * in order (RFC 6455 §9.1). A parameter without a value maps to {@code null}; a quoted-string
 * value is given unquoted. A parameter that occurs twice is kept twice, so RFC 7692's "at most
 * once" rule can be checked by the caller.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param name the extension token, as sent
 * @param params parameter names with their values (possibly {@code null}), in header order
 */
public record ExtensionElement(String name, List<Map.Entry<String, String>> params) {

    /**
     * Copies {@code params}.
     *
     * @param name the extension token
     * @param params the parameters in header order
     */
    public ExtensionElement {
        params = List.copyOf(params);
    }

    /**
     * Parses a header value (several header lines joined with {@code ","}) into its elements.
     *
     * @param headerValue the value, not null
     * @return the elements in order; empty for a blank value
     * @throws NegotiationException if the value breaks the RFC 6455 §9.1 grammar (tokens,
     *     {@code ;} parameters, {@code =} token or quoted-string values, {@code ,} between elements)
     */
    public static List<ExtensionElement> parseHeader(String headerValue) throws NegotiationException {
        List<ExtensionElement> result = new ArrayList<>();
        Cursor c = new Cursor(headerValue);
        c.skipSpace();
        if (c.atEnd()) {
            return Collections.emptyList();
        }
        for (;;) {
            String name = c.token("extension name");
            List<Map.Entry<String, String>> params = new ArrayList<>();
            c.skipSpace();
            while (c.peek() == ';') {
                c.pos++;
                c.skipSpace();
                String param = c.token("parameter name");
                c.skipSpace();
                String value = null;
                if (c.peek() == '=') {
                    c.pos++;
                    c.skipSpace();
                    value = c.peek() == '"' ? c.quoted() : c.token("value of " + param);
                    c.skipSpace();
                }
                params.add(new java.util.AbstractMap.SimpleImmutableEntry<>(param, value));
            }
            result.add(new ExtensionElement(name, params));
            if (c.atEnd()) {
                return result;
            }
            if (c.peek() != ',') {
                throw c.fail("expected ',' or ';'");
            }
            c.pos++;
            c.skipSpace();
        }
    }

    /** @return the parameters as a map of name to all its values, in header order */
    public Map<String, List<String>> paramsByName() {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : params) {
            map.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(p.getValue());
        }
        return map;
    }

    /** @return the element as it would be sent, e.g. {@code permessage-deflate; client_max_window_bits=9} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name);
        for (Map.Entry<String, String> p : params) {
            sb.append("; ").append(p.getKey());
            if (p.getValue() != null) {
                sb.append('=').append(p.getValue());
            }
        }
        return sb.toString();
    }

    private static final class Cursor {
        private static final String SEPARATORS = "()<>@,;:\\\"/[]?={} \t";
        final String s;
        int pos;

        Cursor(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return atEnd() ? '\0' : s.charAt(pos);
        }

        void skipSpace() {
            while (!atEnd() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
                pos++;
            }
        }

        String token(String what) throws NegotiationException {
            int start = pos;
            while (!atEnd() && isTokenChar(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw fail("expected a token for the " + what);
            }
            return s.substring(start, pos);
        }

        String quoted() throws NegotiationException {
            pos++;
            StringBuilder sb = new StringBuilder();
            while (!atEnd() && s.charAt(pos) != '"') {
                char ch = s.charAt(pos++);
                if (ch == '\\') {
                    if (atEnd()) {
                        break;
                    }
                    ch = s.charAt(pos++);
                }
                sb.append(ch);
            }
            if (atEnd()) {
                throw fail("unterminated quoted-string");
            }
            pos++;
            // RFC 6455 §9.1: a quoted value must be a token once unquoted
            if (sb.length() == 0 || !sb.chars().allMatch(ch -> isTokenChar((char) ch))) {
                throw fail("quoted value \"" + sb + "\" is not a token");
            }
            return sb.toString();
        }

        static boolean isTokenChar(char ch) {
            return ch > 32 && ch < 127 && SEPARATORS.indexOf(ch) < 0;
        }

        NegotiationException fail(String what) {
            return new NegotiationException("Sec-WebSocket-Extensions: " + what + " at index " + pos + " of \"" + s + "\"");
        }
    }
}
