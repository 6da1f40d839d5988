package io.tern.transport.internal;

import java.nio.ByteBuffer;

/**
 * The opening-handshake phase of a {@link Connection}, server or client side. Runs on the loop
 * thread; ends by calling {@link Connection#open} or by closing the connection.
 */
interface Handshake {

    /**
     * The channel finished (or failed) connecting; client side only.
     *
     * @param connection the connection
     */
    default void onConnectable(Connection connection) {
    }

    /**
     * Bytes arrived during the handshake. The handshake consumes what belongs to it and leaves any
     * bytes after the HTTP head in {@code input} for the WebSocket reader.
     *
     * @param connection the connection
     * @param input      received bytes
     */
    void onInput(Connection connection, ByteBuffer input);

    /**
     * The connection ended (or timed out) before it opened. May be called more than once; only
     * the first call counts.
     *
     * @param connection the connection
     * @param why        what happened
     */
    void onClosedEarly(Connection connection, String why);
}
