package io.tern.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Host (RFC 9110 §7.2 over RFC 3986 §3.2.2) and Origin (RFC 6454 §7.1) by their ABNF. */
class HeaderSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "example.com:8080", "example.com:", "EXAMPLE.com", "localhost",
        "127.0.0.1", "127.0.0.1:9001", "999.1.1.1", "a", "a,b", "xn--nxasmq6b.example", "ex%41mple.com",
        "sub_delims!$&'()*+,;=.example", "-._~", "[::1]", "[::1]:443", "[::]", "[1:2:3:4:5:6:7:8]",
        "[1::]", "[1:2:3:4:5:6:7::]", "[::1:2:3:4:5:6:7]", "[::ffff:192.0.2.1]", "[1:2:3:4:5:6:192.0.2.1]:80",
        "[2001:DB8::0:1]", "[::1]:", "[v1.x]", "[V1f.a:b!]:1"})
    void validHosts(String host) {
        assertTrue(HeaderSyntax.isHost(host), host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a, b", "exa mple.com", "example.com:http", "user@example.com", "[::1",
        "::1", "[::1]x", "example.com:80:80", ":80", "ex%4mple.com", "ex%zzmple.com", "exa\tmple",
        "example.com/", "example.com?", "exam\"ple", "[1:2:3:4:5:6:7:8:9]", "[1:2:3:4:5:6:7]", "[1::2::3]",
        "[:::1]", "[1:2:3:4:5:6:7:8::]", "[12345::]", "[::g]", "[::1.2.3]", "[::1.2.3.256]", "[::01.2.3.4]",
        "[1.2.3.4::]", "[fe80::1%25eth0]", "[v.x]", "[v1.]", "[v1x]", "[]", "é.example", "a]b", "a[b"})
    void invalidHosts(String host) {
        assertFalse(HeaderSyntax.isHost(host), host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "http://example.com", "https://example.com:8443", "HTTP://Example.COM",
        "chrome-extension://abcdef", "http://[::1]:80", "http://127.0.0.1", "a+b.c-d://x"})
    void validOrigins(String origin) {
        assertTrue(HeaderSyntax.isOrigin(origin), origin);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "NULL", "Null", "null ", "example.com", "http://", "http://example.com/",
        "http://example.com/path", "http://user@example.com", "http://example.com:http", "://example.com",
        "1http://example.com", "http:/example.com", "http://a.com http://b.com", "http://exa mple.com",
        "http://example.com?q", "http://example.com#f", "ht tp://example.com"})
    void invalidOrigins(String origin) {
        assertFalse(HeaderSyntax.isOrigin(origin), origin);
    }
}
