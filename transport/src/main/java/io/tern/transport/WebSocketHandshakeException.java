package io.tern.transport;

import java.io.IOException;

/**
 * A client's opening handshake failed: the server answered with something other than a valid
 * 101 response, or the connection ended or timed out first.
 */
public final class WebSocketHandshakeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * Creates the exception.
     *
     * @param status  the HTTP status the server answered with, or 0 when there was no response
     * @param message what went wrong
     */
    public WebSocketHandshakeException(int status, String message) {
        super(message);
        this.status = status;
    }

    /**
     * Creates the exception with its cause (such as the TLS engine's
     * {@link javax.net.ssl.SSLHandshakeException} for a certificate that was refused).
     *
     * @param status  the HTTP status the server answered with, or 0 when there was no response
     * @param message what went wrong
     * @param cause   the underlying exception, or {@code null}
     */
    public WebSocketHandshakeException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /**
     * The HTTP status of the server's response.
     *
     * @return the status, or 0 when no response was read
     */
    public int status() {
        return status;
    }
}
