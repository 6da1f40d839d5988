package io.tern.transport;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

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
 * so the caller may reuse its buffer at once; the buffer's position and limit are not changed.
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
     * @param code   a code valid on the wire (1000–1003, 1007–1014, 3000–4999)
     * @param reason at most 123 UTF-8 bytes
     * @throws IllegalArgumentException for a code that must not be sent or a reason too long
     */
    void close(int code, String reason);

    /** Closes the TCP connection at once, without a closing handshake; the peer sees 1006. */
    void abort();

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
