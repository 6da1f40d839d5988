package io.tern.codec;

import java.nio.ByteBuffer;

/**
 * Decompresses the payload of compressed messages (frames whose first frame carries
 * {@link Rsv#RSV1}) for a {@link MessageReader}. permessage-deflate provides the implementation;
 * the interface keeps the reader free of any particular compression scheme.
 *
 * <p>For each compressed message the reader calls {@link #setInput} once per payload chunk and
 * then {@link #inflate} until it returns 0 with room left in the output, so each chunk is consumed
 * before the reader returns; after the last chunk it calls {@link #finishInput()} and inflates the
 * rest; finally {@link #endMessage()}. Used by one thread at a time.
 */
public interface MessageInflater {

    /** {@link #inflate} result: the compressed data is corrupt. */
    int CORRUPT = -1;

    /**
     * Supplies the next chunk of the current message's compressed payload. The inflater reads it
     * during the following {@link #inflate} calls and must not keep it afterwards.
     *
     * @param compressed compressed bytes, position to limit
     */
    void setInput(ByteBuffer compressed);

    /**
     * Signals that the message's compressed payload is complete (for permessage-deflate: append
     * the {@code 00 00 ff ff} tail that the sender removed).
     */
    void finishInput();

    /**
     * Inflates into {@code out} from its position, advancing it.
     *
     * @param out where inflated bytes go
     * @return the number of bytes written (0 when more input is needed), or {@link #CORRUPT}
     */
    int inflate(ByteBuffer out);

    /** Ends the current message: resets the stream when the peer does not keep its context. */
    void endMessage();

    /** Frees the native memory behind this inflater; it must not be used afterwards. */
    void release();
}
