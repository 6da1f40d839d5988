package io.tern.transport;

import io.tern.codec.Opcode;
import io.tern.transport.internal.Prepared;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A whole data message framed once — header and payload, as a server sends it (unmasked) — into a
 * read-only direct buffer that any number of connections, on any loops, send with
 * {@link WebSocket#send(PreparedMessage)} without a copy, a task or an allocation per connection.
 * The building block of broadcast and pub/sub fan-out.
 *
 * <p>With permessage-deflate, connections that agreed on no context takeover for what the server
 * sends ({@code server_no_context_takeover}) and on the same window and level share one
 * compressed frame, made by the first of them that needs it; connections with context takeover
 * compress their own copy; client connections (which must mask) frame their own copy.
 *
 * <p>Memory: the frame lives as long as the message is referenced (a direct buffer freed by the
 * garbage collector), plus each loop's small view of it made on its first send.
 *
 * <p>Threading: immutable; safe to share and send from any thread.
 *
 * <pre>{@code
 * PreparedMessage tick = PreparedMessage.text("{\"price\":42}");
 * for (WebSocket<?> ws : subscribersOnThisLoop) {   // on that loop's thread: no copy, no task
 *     ws.send(tick);
 * }
 * }</pre>
 */
public final class PreparedMessage {

    static {
        Prepared.registerAccess(wrapper -> ((PreparedMessage) wrapper).engine);
    }

    private final Prepared engine;

    private PreparedMessage(Prepared engine) {
        this.engine = engine;
    }

    /**
     * Prepares a text message from characters (lone surrogates become U+FFFD).
     *
     * @param text the text
     * @return the prepared message
     */
    public static PreparedMessage text(CharSequence text) {
        return new PreparedMessage(Prepared.text(Objects.requireNonNull(text, "text")));
    }

    /**
     * Prepares a text message from UTF-8 bytes; the caller vouches that they are valid UTF-8.
     *
     * @param utf8 the bytes, position to limit (not changed)
     * @return the prepared message
     */
    public static PreparedMessage text(ByteBuffer utf8) {
        return new PreparedMessage(Prepared.frame(Opcode.TEXT, Objects.requireNonNull(utf8, "utf8")));
    }

    /**
     * Prepares a binary message.
     *
     * @param data the bytes, position to limit (not changed)
     * @return the prepared message
     */
    public static PreparedMessage binary(ByteBuffer data) {
        return new PreparedMessage(Prepared.frame(Opcode.BINARY, Objects.requireNonNull(data, "data")));
    }

    /**
     * Whether this is a text message.
     *
     * @return {@code true} for text, {@code false} for binary
     */
    public boolean isText() {
        return engine.opcode() == Opcode.TEXT;
    }

    /**
     * The payload's length.
     *
     * @return bytes, uncompressed
     */
    public int payloadLength() {
        return engine.payloadLength();
    }

    /**
     * The frame as sent uncompressed by a server: header and payload.
     *
     * @return a new read-only buffer over the shared bytes
     */
    public ByteBuffer frame() {
        return engine.frame();
    }
}
