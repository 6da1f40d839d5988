package io.tern.autobahn.testee;

import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import java.nio.ByteBuffer;

/**
 * Sends every text and binary message back as one message of the same type, as both testees do.
 * The transport assembles fragmented messages (whole-message delivery), so a message sent in many
 * frames comes back in one; pings are answered by the transport's automatic pong.
 *
 * <p>Threading: callbacks run on the connection's event loop (see {@link WebSocketHandler}); the
 * handler keeps no state and serves any number of connections on any loops.
 *
 * @param <A> the connection's attachment type (unused)
 */
class Echo<A> implements WebSocketHandler<A> {

    @Override
    public void onText(WebSocket<A> socket, ByteBuffer utf8, boolean last) {
        socket.sendText(utf8);
    }

    @Override
    public void onBinary(WebSocket<A> socket, ByteBuffer data, boolean last) {
        socket.sendBinary(data);
    }
}
