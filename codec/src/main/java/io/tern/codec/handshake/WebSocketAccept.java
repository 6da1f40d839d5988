package io.tern.codec.handshake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * The {@code Sec-WebSocket-Key} / {@code Sec-WebSocket-Accept} computations of RFC 6455 §4.
 */
public final class WebSocketAccept {

    /** The GUID that RFC 6455 appends to the key before hashing. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private static final int KEY_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebSocketAccept() {
    }

    /**
     * Computes {@code Sec-WebSocket-Accept}: base64(SHA-1(key + GUID)).
     *
     * @param secWebSocketKey the key exactly as sent by the client (whitespace already trimmed)
     * @return the accept value
     * @throws NullPointerException if the key is null
     */
    public static String forKey(String secWebSocketKey) {
        Objects.requireNonNull(secWebSocketKey, "secWebSocketKey");
        byte[] digest = sha1().digest((secWebSocketKey + GUID).getBytes(StandardCharsets.ISO_8859_1));
        return Base64.getEncoder().encodeToString(digest);
    }

    /**
     * Generates a fresh client key: 16 bytes from a shared {@link SecureRandom}, base64-encoded.
     *
     * @return a 24-character key
     */
    public static String generateKey() {
        return generateKey(RANDOM);
    }

    /**
     * Generates a client key from the given source: 16 random bytes, base64-encoded.
     *
     * @param random the source of the bytes
     * @return a 24-character key
     * @throws NullPointerException if random is null
     */
    public static String generateKey(SecureRandom random) {
        byte[] nonce = new byte[KEY_BYTES];
        random.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /**
     * Tells whether a {@code Sec-WebSocket-Key} value is base64 (with padding) of exactly 16 bytes.
     *
     * @param key the value to check; null yields false
     * @return true if the key is acceptable
     */
    public static boolean isValidKey(String key) {
        // 16 bytes encode to 22 significant characters plus "==".
        if (key == null || key.length() != 24 || !key.endsWith("==")) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == KEY_BYTES;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-1", e);
        }
    }
}
