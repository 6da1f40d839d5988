package io.tern.transport;

import java.nio.ByteBuffer;

/**
 * Sees every inbound data message (or fragment, when the connection delivers fragments) before
 * the handler does, and decides what happens to it: pass it on unchanged, pass on something else
 * (transform), or stop it here — after replying through the socket, closing it, or just dropping
 * the message. Interceptors run in the order they were configured
 * ({@link ConnectionSettings#withMessageInterceptors}); a stopped message reaches neither later
 * interceptors nor the handler. Control frames are not intercepted.
 *
 * <p>An interceptor is made per connection by its {@link Factory}, so it may keep per-connection
 * state (a rate limiter's buckets) without locks: like the handler, it runs on the connection's
 * loop thread, one call at a time. It must not block. If it throws, the connection is closed with
 * 1011, as for a handler. Passing a message through must not allocate: the hot path stays
 * allocation-free.
 *
 * <pre>{@code
 * MessageInterceptor.Factory noEmpty = socket -> (ws, text, payload, last) -> {
 *     if (payload.hasRemaining() || !last) {
 *         return payload;                       // pass
 *     }
 *     ws.sendText("{\"error\":\"empty message\"}"); // reply, and stop the message here
 *     return null;
 * };
 * }</pre>
 */
@FunctionalInterface
public interface MessageInterceptor {

    /**
     * Inspects one inbound message or fragment.
     *
     * @param socket  the connection it arrived on
     * @param text    {@code true} for a text message, {@code false} for binary
     * @param payload the bytes, position to limit; valid only during the call
     * @param last    whether this ends the message
     * @return the bytes to hand on (the same buffer, or another one valid until the handler
     *     returns; a text message must stay valid UTF-8), or {@code null} to stop the message here
     */
    ByteBuffer onMessage(WebSocket<?> socket, boolean text, ByteBuffer payload, boolean last);

    /**
     * Makes the interceptor of one connection, when it opens (on its loop thread).
     */
    @FunctionalInterface
    interface Factory {
        /**
         * Creates the interceptor for a connection that just opened.
         *
         * @param socket the connection
         * @return its interceptor; may be shared by all connections if it keeps no state
         */
        MessageInterceptor create(WebSocket<?> socket);
    }
}
