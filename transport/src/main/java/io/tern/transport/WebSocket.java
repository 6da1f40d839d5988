package io.tern.transport;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

/**
 * One open WebSocket connection, as a handler sees it.
 *
 * <p>Every method is safe to call from any thread. A connection belongs to one event loop for
 * life; calls made on that loop's thread (for example from inside a {@link WebSocketHandler}
 * callback) act at once and allocate nothing, while calls from other threads copy the payload and
 * hand the work to the loop, which is woken at most once per batch. Messages sent from one thread
 * go out in the order they were sent.
 *
 * <p>Sending never blocks and never throws for a busy or closing connection: it returns a
 * {@link SendStatus}. The payload's bytes are copied (or compressed) before the method returns,
 * so the caller may reuse its buffer at once; when it returns, the buffer's position and limit are
 * as they were (while it runs, compression reads the buffer by moving its position: do not hand one
 * buffer object to sends running at once on several threads — a {@link PreparedMessage} is the way
 * to send one payload to many connections).
 *
 * <pre>{@code
 * public void onText(WebSocket<User> ws, ByteBuffer utf8, boolean last) {
 *     if (ws.sendText(utf8) == SendStatus.QUEUED_ABOVE_HIGH_WATERMARK) {
 *         ws.pauseReading();          // resume in onDrain
 *     }
 * }
 * }</pre>
 *
 * @param <A> the type of the per-connection attachment chosen at the upgrade
 */
public interface WebSocket<A> {

    /**
     * This connection's id: unique among the connections of this process (server and client
     * alike), never reused, cheap to read; printable as a number, e.g. as a key in logs or maps.
     *
     * @return a positive id
     */
    long id();

    /**
     * The event loop this connection belongs to, as an {@link Executor}: a task given to it runs
     * on the connection's own thread, where callbacks run and sends need no copy. Use it to hop
     * onto the connection's thread, or to group connections by loop (one task per loop for a
     * fan-out, see {@link #send(PreparedMessage)}).
     *
     * @return the owning loop; the same object for every connection of that loop
     */
    Executor executor();

    /**
     * Sends a whole text message.
     *
     * @param text the text; encoded to UTF-8 straight into the output buffer (lone surrogates
     *             become U+FFFD)
     * @return what became of the message
     */
    SendStatus sendText(CharSequence text);

    /**
     * Sends a whole text message given as UTF-8 bytes. The caller vouches that they are valid UTF-8.
     *
     * @param utf8 the bytes, position to limit
     * @return what became of the message
     */
    SendStatus sendText(ByteBuffer utf8);

    /**
     * Sends a whole binary message.
     *
     * @param data the bytes, position to limit
     * @return what became of the message
     */
    SendStatus sendBinary(ByteBuffer data);

    /**
     * Sends one fragment of a text message; the first call starts the message, the call with
     * {@code last} ends it. No other data message may be sent in between (control frames may).
     *
     * @param utf8 the fragment's bytes (a fragment may split a UTF-8 sequence)
     * @param last whether this fragment ends the message
     * @return what became of the fragment
     * @throws IllegalStateException if a binary message is unfinished (on the loop thread; from
     *     other threads the connection is closed with 1011 instead)
     */
    SendStatus sendTextFragment(ByteBuffer utf8, boolean last);

    /**
     * Sends one fragment of a binary message, as {@link #sendTextFragment}.
     *
     * @param data the fragment's bytes
     * @param last whether this fragment ends the message
     * @return what became of the fragment
     * @throws IllegalStateException if a text message is unfinished (on the loop thread)
     */
    SendStatus sendBinaryFragment(ByteBuffer data, boolean last);

    /**
     * Sends a message framed once for many connections (see {@link PreparedMessage}). On the
     * connection's loop thread nothing is copied and nothing allocated: the connection queues a
     * reference to the shared frame (or to the shared compressed frame, when permessage-deflate
     * without context takeover was agreed; with context takeover it compresses its own copy; a
     * client masks its own copy). From another thread one task is posted. Limits, slow-consumer
     * policy and ordering are those of every other send.
     *
     * @param message the prepared message
     * @return what became of the message
     * @throws IllegalStateException if a fragmented message is unfinished (on the loop thread;
     *     from other threads the connection is closed with 1011 instead)
     */
    SendStatus send(PreparedMessage message);

    /**
     * Sends a ping.
     *
     * @param payload at most 125 bytes
     * @return what became of the ping
     * @throws IllegalArgumentException if the payload is longer than 125 bytes
     */
    SendStatus sendPing(ByteBuffer payload);

    /**
     * Sends a pong (unsolicited, or as the answer of a handler that turned automatic pongs off).
     *
     * @param payload at most 125 bytes
     * @return what became of the pong
     * @throws IllegalArgumentException if the payload is longer than 125 bytes
     */
    SendStatus sendPong(ByteBuffer payload);

    /**
     * Starts the closing handshake with 1000 (normal closure).
     */
    void close();

    /**
     * Starts the closing handshake: sends a close frame, then waits for the peer's close frame
     * (and, on a client, for the server to close TCP) up to the closing timeout. Does nothing once
     * a close frame has been sent.
     *
     * @param code   a code valid on the wire (1000–1003, 1007–1014, 3000–4999; 1010 from clients
     *               only, RFC 6455 §7.4.1)
     * @param reason at most 123 UTF-8 bytes
     * @throws IllegalArgumentException for a code that must not be sent by this side or a reason
     *     too long
     */
    void close(int code, String reason);

    /** Closes the TCP connection at once, without a closing handshake; the peer sees 1006. */
    void abort();

    /**
     * Adds a listener told when this connection closes, after the handler's {@code onClose}; any
     * number of parties may add one (a pub/sub layer dropping subscriptions, metrics). Safe from
     * any thread; a listener added after the close is told at once (on the loop).
     *
     * @param listener its {@link ConnectionListener#onClose} is called exactly once
     */
    void addCloseListener(ConnectionListener listener);

    /**
     * Stops reading from the peer until {@link #resumeReading()}: TCP flow control then slows the
     * peer down. Bytes already read are kept and delivered after resuming.
     */
    void pauseReading();

    /** Resumes reading after {@link #pauseReading()}. */
    void resumeReading();

    /**
     * The object the upgrade hook attached to this connection (for example the authenticated user).
     *
     * @return the attachment, possibly {@code null}
     */
    A attachment();

    /**
     * The negotiated subprotocol.
     *
     * @return the subprotocol, or {@code null} when none was agreed
     */
    String subprotocol();

    /**
     * Whether permessage-deflate was negotiated for this connection.
     *
     * @return {@code true} when messages may be compressed
     */
    boolean isCompressed();

    /**
     * Whether messages can still be sent: the connection is open and this side has not sent its
     * close frame.
     *
     * @return {@code true} while open
     */
    boolean isOpen();

    /**
     * The request path this connection was upgraded on (client: the path it asked for).
     *
     * @return the path, e.g. {@code /echo}
     */
    String path();

    /**
     * The peer's address.
     *
     * @return the remote address
     */
    SocketAddress remoteAddress();

    /**
     * Bytes accepted by {@code send} and not yet written to the socket.
     *
     * @return queued bytes
     */
    long queuedBytes();
}
