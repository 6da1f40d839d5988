package io.tern.codec;

/**
 * Close status codes of RFC 6455 §7.4 and the rules for which of them may appear on the wire.
 *
 * <p>Codes 1005, 1006 and 1015 are reserved for reporting a state locally and must never be sent
 * in a close frame. A received close frame with a code outside 1000–1003, 1007–1014 or 3000–4999
 * is a protocol error (1002).
 */
public final class CloseCodes {
    /** 1000: the purpose of the connection was fulfilled. */
    public static final int NORMAL_CLOSURE = 1000;
    /** 1001: the endpoint is going away (server shutting down, page navigated away). */
    public static final int GOING_AWAY = 1001;
    /** 1002: the peer broke the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: the endpoint received a data type it cannot accept. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** 1005: reported locally when a close frame carried no status code; never sent. */
    public static final int NO_STATUS_RECEIVED = 1005;
    /** 1006: reported locally when the connection ended without a close frame; never sent. */
    public static final int ABNORMAL_CLOSURE = 1006;
    /** 1007: a message's payload was not consistent with its type (for example invalid UTF-8). */
    public static final int INVALID_PAYLOAD = 1007;
    /** 1008: a message violated the endpoint's policy. */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a frame or message was too big to process. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1010: the client expected an extension that the server did not negotiate. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** 1011: the server met an unexpected condition. */
    public static final int INTERNAL_ERROR = 1011;
    /** 1012: the service is restarting. */
    public static final int SERVICE_RESTART = 1012;
    /** 1013: try again later (temporary overload). */
    public static final int TRY_AGAIN_LATER = 1013;
    /** 1014: a gateway received an invalid response from upstream. */
    public static final int BAD_GATEWAY = 1014;
    /** 1015: reported locally when the TLS handshake failed; never sent. */
    public static final int TLS_HANDSHAKE_FAILURE = 1015;

    private CloseCodes() {
    }

    /**
     * Whether a code may appear in a close frame on the wire, in either direction.
     *
     * <p>Valid: 1000–1003, 1007–1014 (registered codes), 3000–4999 (libraries, frameworks and
     * applications). Everything else — 0–999, 1004–1006, 1015–2999, 5000 and above — is invalid.
     *
     * @param code a status code
     * @return {@code true} when the code may be sent and must be accepted when received
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }

    /**
     * The one check of what may go in a close frame (RFC 6455 §5.5.1, §7.4): the code must be
     * valid on the wire and the reason must fit the frame's 125 bytes after the code. Used by
     * {@link MessageWriter#writeClose} for every close frame, echoes of the peer's code included.
     *
     * @param code   the status code to send
     * @param reason the reason, {@code null} for none
     * @return the reason's UTF-8 bytes (empty for {@code null})
     * @throws IllegalArgumentException for a code that must not be sent, or a reason over 123
     *     UTF-8 bytes
     */
    public static byte[] checkSendable(int code, String reason) {
        if (!isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " must not be sent");
        }
        byte[] bytes = reason == null || reason.isEmpty()
                ? NO_BYTES : reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length > MessageWriter.MAX_CLOSE_REASON_BYTES) {
            throw new IllegalArgumentException("close reason longer than 123 UTF-8 bytes: " + bytes.length);
        }
        return bytes;
    }

    /**
     * {@link #checkSendable(int, String)} for a close this side starts: also, a server must not
     * start a close with 1010, the client's code for an extension the server did not agree to
     * (RFC 6455 §7.4.1). (Echoing a client's 1010 in the reply stays allowed.)
     *
     * @param role   the side that starts the close
     * @param code   the status code to send
     * @param reason the reason, {@code null} for none
     * @throws IllegalArgumentException for a code that {@code role} must not send, or a reason
     *     over 123 UTF-8 bytes
     */
    public static void checkInitiated(Role role, int code, String reason) {
        if (code == MANDATORY_EXTENSION && role == Role.SERVER) {
            throw new IllegalArgumentException("close code 1010 is sent by clients only (RFC 6455 §7.4.1)");
        }
        checkSendable(code, reason);
    }

    private static final byte[] NO_BYTES = new byte[0];
}
