package io.tern.demo;

import io.tern.pubsub.PubSub;
import io.tern.transport.PreparedMessage;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import java.nio.ByteBuffer;

/**
 * The {@code /broadcast} route, the benchmark's contract: every data message from any connection
 * of the route goes to every connection of the route, the sender included, as it came (text stays
 * text, binary stays binary). Each message is framed once ({@link PreparedMessage}) and fanned out
 * by the pub/sub layer with one task per event loop; messages from one sender arrive everywhere in
 * the order it sent them. A receiver that falls behind meets its slow-consumer policy and never
 * slows the others.
 *
 * <p>Threading contract: one instance serves every connection; its callbacks run on the
 * connections' loops and share only the thread-safe {@link PubSub}.
 */
final class Broadcast implements WebSocketHandler<Void> {

    /** The one topic every connection of the route subscribes to. */
    static final String TOPIC = "broadcast";

    private final PubSub pubsub = PubSub.create();

    /**
     * The route's pub/sub, for counts and statistics.
     *
     * @return the pub/sub
     */
    PubSub pubsub() {
        return pubsub;
    }

    @Override
    public void onOpen(WebSocket<Void> ws) {
        pubsub.subscribe(ws, TOPIC);
    }

    @Override
    public void onText(WebSocket<Void> ws, ByteBuffer utf8, boolean last) {
        pubsub.publish(TOPIC, PreparedMessage.text(utf8));
    }

    @Override
    public void onBinary(WebSocket<Void> ws, ByteBuffer data, boolean last) {
        pubsub.publish(TOPIC, PreparedMessage.binary(data));
    }
}
