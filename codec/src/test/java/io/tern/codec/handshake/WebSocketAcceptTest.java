package io.tern.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebSocketAcceptTest {

    @Test
    void rfc6455Example() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketAccept.forKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void otherKnownValue() {
        // SHA-1 of "AAAAAAAAAAAAAAAAAAAAAA==" + GUID, computed independently with sha1sum | base64
        assertEquals("ICX+Yqv66kxgM0FcWaLWlFLwTAI=", WebSocketAccept.forKey("AAAAAAAAAAAAAAAAAAAAAA=="));
    }

    @Test
    void generatedKeysAreBase64Of16RandomBytes() {
        String first = WebSocketAccept.generateKey();
        String second = WebSocketAccept.generateKey();
        assertEquals(24, first.length());
        assertEquals(16, Base64.getDecoder().decode(first).length);
        assertTrue(WebSocketAccept.isValidKey(first));
        assertNotEquals(first, second);
        assertTrue(WebSocketAccept.isValidKey(WebSocketAccept.generateKey(new SecureRandom())));
    }

    @Test
    void keyValidation() {
        assertTrue(WebSocketAccept.isValidKey("dGhlIHNhbXBsZSBub25jZQ=="));
        assertTrue(WebSocketAccept.isValidKey("/////////////////////w=="));
        assertFalse(WebSocketAccept.isValidKey(null));
        assertFalse(WebSocketAccept.isValidKey(""));
        assertFalse(WebSocketAccept.isValidKey("dGhlIHNhbXBsZSBub25jZQ"), "padding is required");
        assertFalse(WebSocketAccept.isValidKey("dGhlIHNhbXBsZSBub25j"), "15 bytes");
        assertFalse(WebSocketAccept.isValidKey("dGhlIHNhbXBsZSBub25jZQ=A"));
        assertFalse(WebSocketAccept.isValidKey("AAAAAAAAAAAAAAAAAAAAAAA="), "17 bytes");
        assertFalse(WebSocketAccept.isValidKey("AAAAAAAAAAAAAAAAAAAAAAAA"), "18 bytes");
        assertFalse(WebSocketAccept.isValidKey("dGhlIHNhbXBsZSBub25jZ!=="));
        assertFalse(WebSocketAccept.isValidKey("dGhlIHNhbXBsZSBub25jZ-=="), "URL-safe alphabet is not base64");
        assertFalse(WebSocketAccept.isValidKey("AAAAAAAAAAAAAAAAAAAAA==="));
        assertFalse(WebSocketAccept.isValidKey(" dGhlIHNhbXBsZSBub25jZQ="));
    }
}
