package io.tern.transport;

/**
 * Hears of connections opening and closing, beside their handler: any number of parties can
 * listen (the application, a pub/sub layer that must drop a closed connection's subscriptions,
 * metrics). Configure with {@link ConnectionSettings#withConnectionListeners}; for one connection,
 * {@link WebSocket#addCloseListener} adds a listener at run time.
 *
 * <p>Listeners run on the connection's loop thread, after the handler's own {@code onOpen} or
 * {@code onClose}, in the order they were added; they must not block. {@link #onClose} is called
 * exactly once for every connection whose {@link #onOpen} was called, whatever ended it (close
 * handshake, failure, reset, timeout, shutdown). A listener that throws is ignored: it cannot
 * stop others from hearing of the close.
 */
public interface ConnectionListener {

    /**
     * The connection opened.
     *
     * @param socket the connection
     */
    default void onOpen(WebSocket<?> socket) {
    }

    /**
     * The connection closed; see {@link WebSocketHandler#onClose} for the meaning of the values.
     *
     * @param socket the connection
     * @param code   the close code
     * @param reason the reason, possibly empty
     * @param clean  whether the closing handshake completed
     */
    default void onClose(WebSocket<?> socket, int code, String reason, boolean clean) {
    }
}
