package io.tern.codec;

import java.nio.ByteBuffer;

/**
 * Receives what a {@link MessageReader} reads: data messages, pings, pongs and the close frame.
 *
 * <p>Every buffer handed to a listener is valid only during the call (it is usually a window on
 * the read buffer, or a pooled buffer returned right after); copy it, or {@code slice()} and copy,
 * to keep its bytes. A listener may move the buffer's position while reading it.
 *
 * <p>With {@link ReaderSettings.Delivery#WHOLE_MESSAGES} each message arrives in one call with
 * {@code last == true}. With {@link ReaderSettings.Delivery#FRAGMENTS} a message arrives in as
 * many calls as its bytes arrived in pieces, the final one with {@code last == true}; a text chunk
 * may then end in the middle of a UTF-8 sequence, though the message as a whole is always checked
 * and a message is never delivered past its first invalid byte.
 */
public interface MessageListener {

    /**
     * A text message, or a piece of one: valid UTF-8 so far.
     *
     * @param utf8 the text's bytes, position to limit
     * @param last whether this completes the message
     */
    void onText(ByteBuffer utf8, boolean last);

    /**
     * A binary message, or a piece of one.
     *
     * @param data the bytes, position to limit
     * @param last whether this completes the message
     */
    void onBinary(ByteBuffer data, boolean last);

    /**
     * A ping frame; the application (or the transport for it) should answer with a pong carrying
     * the same payload (RFC 6455 §5.5.2).
     *
     * @param payload the ping's payload, at most 125 bytes
     */
    void onPing(ByteBuffer payload);

    /**
     * A pong frame, solicited or not.
     *
     * @param payload the pong's payload, at most 125 bytes
     */
    void onPong(ByteBuffer payload);

    /**
     * The peer's close frame, already checked: a valid code and a UTF-8 reason. The reader stops
     * after it; bytes that follow on the wire are not read.
     *
     * @param code   the status code, or {@link CloseCodes#NO_STATUS_RECEIVED} (1005) when the frame
     *               carried no payload
     * @param reason the reason, empty when there was none
     */
    void onClose(int code, String reason);
}
