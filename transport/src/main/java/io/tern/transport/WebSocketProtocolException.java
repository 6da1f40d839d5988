package io.tern.transport;

/**
 * Reported to {@link WebSocketHandler#onError} when a connection is failed because a rule was
 * broken: by the peer (a protocol violation, invalid UTF-8, a message too big) or by policy (a slow
 * consumer, a heartbeat without pong). Carries the close code the connection is failed with.
 */
public final class WebSocketProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int closeCode;

    /**
     * Creates the exception.
     *
     * @param closeCode the close code the connection is failed with
     * @param message   what rule was broken
     */
    public WebSocketProtocolException(int closeCode, String message) {
        super(message, null, false, false);
        this.closeCode = closeCode;
    }

    /**
     * The close code the connection was failed with.
     *
     * @return the code
     */
    public int closeCode() {
        return closeCode;
    }
}
