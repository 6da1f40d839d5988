package io.tern.transport;

import java.nio.ByteBuffer;

/**
 * Application callbacks for the connections of one route (server) or one connect call (client).
 *
 * <p>All callbacks of a connection run on its event loop's thread, one at a time, so per-connection
 * state needs no locks. Buffers passed in are valid only during the call (they are windows on the
 * loop's read buffer or pooled buffers): copy what you keep. Callbacks must not block: a blocked
 * callback stalls every connection of the loop.
 *
 * <p>An exception thrown by a callback closes only that connection, with 1011, and is logged
 * through {@link System.Logger}; the loop goes on. Every method has a default, so a handler
 * overrides only what it needs.
 *
 * <pre>{@code
 * WebSocketHandler<Void> echo = new WebSocketHandler<>() {
 *     public void onText(WebSocket<Void> ws, ByteBuffer utf8, boolean last) { ws.sendText(utf8); }
 *     public void onBinary(WebSocket<Void> ws, ByteBuffer data, boolean last) { ws.sendBinary(data); }
 * };
 * }</pre>
 *
 * @param <A> the type of the per-connection attachment
 */
public interface WebSocketHandler<A> {

    /**
     * Decides whether to accept an upgrade request that passed the protocol checks (server only).
     * Runs on the loop: check tokens or origins here, but do not block.
     *
     * @param request the request
     * @return {@link UpgradeDecision#accept(Object)} with the connection's attachment, or a rejection
     */
    default UpgradeDecision<A> onUpgrade(UpgradeRequest request) {
        return UpgradeDecision.accept(null);
    }

    /**
     * The connection is open: the 101 response went out (server) or was accepted (client).
     *
     * @param socket the connection
     */
    default void onOpen(WebSocket<A> socket) {
    }

    /**
     * A text message, or a piece of one when the connection delivers fragments.
     *
     * @param socket the connection
     * @param utf8   valid UTF-8 (a piece may end inside a code point), position to limit
     * @param last   whether this ends the message
     */
    default void onText(WebSocket<A> socket, ByteBuffer utf8, boolean last) {
    }

    /**
     * A binary message, or a piece of one when the connection delivers fragments.
     *
     * @param socket the connection
     * @param data   the bytes, position to limit
     * @param last   whether this ends the message
     */
    default void onBinary(WebSocket<A> socket, ByteBuffer data, boolean last) {
    }

    /**
     * A ping arrived. With automatic pongs (the default, see
     * {@link ConnectionSettings#withAutoPong(boolean)}) the pong has already been queued.
     *
     * @param socket  the connection
     * @param payload the ping's payload
     */
    default void onPing(WebSocket<A> socket, ByteBuffer payload) {
    }

    /**
     * A pong arrived.
     *
     * @param socket  the connection
     * @param payload the pong's payload
     */
    default void onPong(WebSocket<A> socket, ByteBuffer payload) {
    }

    /**
     * The connection is closed, once and for all; called exactly once for every opened connection.
     *
     * @param socket the connection
     * @param code   the peer's close code; or the code this side failed the connection with; or
     *               1006 (abnormal closure) when no close frame was exchanged
     * @param reason the matching reason, possibly empty
     * @param clean  whether both close frames crossed (the closing handshake completed)
     */
    default void onClose(WebSocket<A> socket, int code, String reason, boolean clean) {
    }

    /**
     * The outbound queue fell back below the low watermark after a send returned
     * {@link SendStatus#QUEUED_ABOVE_HIGH_WATERMARK}.
     *
     * @param socket the connection
     */
    default void onDrain(WebSocket<A> socket) {
    }

    /**
     * Something went wrong on this connection that the application may want to know of: an I/O
     * error, a protocol violation by the peer, or an exception from another callback. The
     * connection is closing; {@link #onClose} follows.
     *
     * @param socket the connection
     * @param error  what happened
     */
    default void onError(WebSocket<A> socket, Throwable error) {
    }
}
