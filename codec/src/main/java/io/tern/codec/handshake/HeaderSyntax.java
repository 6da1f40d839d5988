package io.tern.codec.handshake;

/**
 * Syntax checks, by ABNF, of the request header fields a WebSocket server relies on beyond the
 * plain token lists: {@code Host} (RFC 9110 §7.2, RFC 9112 §3.2) and {@code Origin} (RFC 6454
 * §7.1, RFC 6455 §4.2.1 item 7). Pure functions of their argument; stateless and thread-safe.
 *
 * <p>Both fields are built from the URI components of RFC 3986 §3.2.2–3.2.3:
 * <pre>
 * host        = IP-literal / IPv4address / reg-name
 * IP-literal  = "[" ( IPv6address / IPvFuture ) "]"
 * IPvFuture   = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
 * reg-name    = *( unreserved / pct-encoded / sub-delims )
 * port        = *DIGIT
 * </pre>
 * Every IPv4address is also a reg-name, so it needs no separate rule here. An empty host is
 * refused: RFC 9110 §4.2.1 forbids an empty host identifier in {@code http} and {@code https}
 * URIs, which are the only ones a WebSocket server is reached by. IPv6 zone identifiers
 * (RFC 6874) are not part of the {@code Host} grammar and are refused.
 */
public final class HeaderSyntax {

    private static final String SUB_DELIMS = "!$&'()*+,;=";

    private HeaderSyntax() {
    }

    /**
     * Tells whether a value is an RFC 9110 §5.6.2 token ({@code 1*tchar}), the syntax of methods,
     * field names and list elements such as subprotocol names.
     *
     * @param value the value
     * @return true if the value is a non-empty token
     */
    public static boolean isToken(String value) {
        return HttpSyntax.isToken(value);
    }

    /**
     * Tells whether a {@code Host} field value is {@code uri-host [ ":" port ]} (RFC 9110 §7.2)
     * with a non-empty host. {@code Host: a, b}, {@code exa mple.com}, {@code example.com:http},
     * {@code user@example.com} and {@code [::1} all fail; {@code example.com:8080},
     * {@code 192.0.2.1}, {@code [::1]:443} and {@code [v1.x]} pass.
     *
     * @param value the field value, OWS already trimmed
     * @return true if the value matches the grammar
     */
    public static boolean isHost(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        int hostEnd;
        if (value.charAt(0) == '[') {
            int close = value.indexOf(']');
            if (close < 0 || !isIpLiteralBody(value.substring(1, close))) {
                return false;
            }
            hostEnd = close + 1;
        } else {
            int colon = value.indexOf(':');
            hostEnd = colon < 0 ? value.length() : colon;
            if (hostEnd == 0 || !isRegName(value, 0, hostEnd)) {
                return false;
            }
        }
        if (hostEnd == value.length()) {
            return true;
        }
        return value.charAt(hostEnd) == ':' && isPort(value, hostEnd + 1, value.length());
    }

    /**
     * Tells whether an {@code Origin} field value is what a WebSocket client may send: one
     * {@code serialized-origin} or the opaque origin {@code null} (RFC 6454 §7.1; case-sensitive,
     * since the grammar spells it {@code %x6E %x75 %x6C %x6C}).
     *
     * @param value the field value, OWS already trimmed
     * @return true if the value matches the grammar
     */
    public static boolean isOrigin(String value) {
        return "null".equals(value) || isSerializedOrigin(value);
    }

    /**
     * Tells whether a value is a {@code serialized-origin}: {@code scheme "://" host [ ":" port ]}
     * (RFC 6454 §7.1), such as {@code https://example.com} or {@code http://127.0.0.1:8080}. No
     * path, query, fragment or user information may follow.
     *
     * @param value the value
     * @return true if the value matches the grammar
     */
    public static boolean isSerializedOrigin(String value) {
        if (value == null) {
            return false;
        }
        int separator = value.indexOf("://");
        return separator > 0 && isScheme(value, 0, separator) && isHost(value.substring(separator + 3));
    }

    /** scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986 §3.1). */
    static boolean isScheme(String s, int from, int to) {
        if (from >= to || !isAlpha(s.charAt(from))) {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            char c = s.charAt(i);
            if (!isAlpha(c) && !HttpSyntax.isDigit(c) && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** reg-name over {@code s[from, to)}. */
    private static boolean isRegName(String s, int from, int to) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= to || !isHexDigit(s.charAt(i + 1)) || !isHexDigit(s.charAt(i + 2))) {
                    return false;
                }
                i += 3;
            } else if (isUnreserved(c) || isSubDelim(c)) {
                i++;
            } else {
                return false;
            }
        }
        return true;
    }

    /** port = *DIGIT over {@code s[from, to)}. */
    private static boolean isPort(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!HttpSyntax.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** What is between the brackets of an IP-literal: IPv6address / IPvFuture. */
    static boolean isIpLiteralBody(String s) {
        if (!s.isEmpty() && (s.charAt(0) == 'v' || s.charAt(0) == 'V')) {
            return isIpFuture(s);
        }
        return isIpv6(s);
    }

    private static boolean isIpFuture(String s) {
        int dot = s.indexOf('.');
        if (dot < 2 || dot == s.length() - 1) {
            return false;
        }
        for (int i = 1; i < dot; i++) {
            if (!isHexDigit(s.charAt(i))) {
                return false;
            }
        }
        for (int i = dot + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isUnreserved(c) && !isSubDelim(c) && c != ':') {
                return false;
            }
        }
        return true;
    }

    /**
     * IPv6address of RFC 3986 §3.2.2: eight h16 groups, or fewer around one {@code ::}, the last
     * 32 bits optionally written as an IPv4address.
     */
    static boolean isIpv6(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        if (gap < 0) {
            int groups = groups(s, true);
            return groups == 8;
        }
        String left = s.substring(0, gap);
        String right = s.substring(gap + 2);
        int leftGroups = left.isEmpty() ? 0 : groups(left, false);
        int rightGroups = right.isEmpty() ? 0 : groups(right, true);
        return leftGroups >= 0 && rightGroups >= 0 && leftGroups + rightGroups <= 7;
    }

    /**
     * Counts the 16-bit groups of a colon-separated run of h16 (the last one may be an IPv4
     * address, worth two groups, when {@code ipv4Last}); -1 if a piece is malformed.
     */
    private static int groups(String s, boolean ipv4Last) {
        String[] pieces = s.split(":", -1);
        int count = 0;
        for (int i = 0; i < pieces.length; i++) {
            String piece = pieces[i];
            if (ipv4Last && i == pieces.length - 1 && piece.indexOf('.') >= 0) {
                if (!isIpv4(piece)) {
                    return -1;
                }
                count += 2;
            } else if (isH16(piece)) {
                count++;
            } else {
                return -1;
            }
        }
        return count;
    }

    private static boolean isH16(String s) {
        if (s.isEmpty() || s.length() > 4) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isHexDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** IPv4address = dec-octet "." dec-octet "." dec-octet "." dec-octet, no leading zeros. */
    static boolean isIpv4(String s) {
        String[] octets = s.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || (octet.length() > 1 && octet.charAt(0) == '0')) {
                return false;
            }
            for (int i = 0; i < octet.length(); i++) {
                if (!HttpSyntax.isDigit(octet.charAt(i))) {
                    return false;
                }
            }
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUnreserved(char c) {
        return isAlpha(c) || HttpSyntax.isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static boolean isSubDelim(char c) {
        return SUB_DELIMS.indexOf(c) >= 0;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isHexDigit(char c) {
        return HttpSyntax.isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
