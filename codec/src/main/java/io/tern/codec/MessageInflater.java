package io.tern.codec;

import java.nio.ByteBuffer;

/**
 * Decompresses the payload of compressed messages (frames whose first frame carries
 * {@link Rsv#RSV1}) for a {@link MessageReader}. permessage-deflate provides the implementation;
 * the interface keeps the reader free of any particular compression scheme.
 *
 * <p>For each compressed message the reader calls {@link #setInput} once per payload chunk and
 * then {@link #inflate} until the output has room left after a call that returned 0 or after which
 * the inflater {@linkplain #needsInput() needs input}, so each chunk is consumed before the reader
 * returns. When a call fills the output exactly and the inflater needs input, the reader stops
 * there too (anything the inflater still holds comes out after the next {@code setInput}), so a
 * full buffer is not grown for output that may not exist. After the last chunk it calls
 * {@link #finishInput()} and inflates until a call returns 0 with room left; finally
 * {@link #endMessage()}. Used by one thread at a time.
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
     * <p>When the data turns out to be corrupt after this call produced some bytes, those bytes
     * are returned first, as if nothing were wrong; {@link #needsInput()} then answers
     * {@code false} and the next call returns {@link #CORRUPT}. So the reader checks every byte
     * that came before the corruption (against the message limit and UTF-8) in their order.
     *
     * @param out where inflated bytes go
     * @return the number of bytes written (0 when more input is needed), or {@link #CORRUPT}
     */
    int inflate(ByteBuffer out);

    /**
     * Whether all the input supplied by the last {@link #setInput} or {@link #finishInput()} has
     * been consumed, so that more output needs more input. The inflater may still hold output it
     * had no room for (the rest of a back-reference, say); the next {@link #inflate} delivers it,
     * after more input or without.
     *
     * @return {@code true} when no supplied input is left (also before any input)
     */
    boolean needsInput();

    /** Ends the current message: resets the stream when the peer does not keep its context. */
    void endMessage();

    /** Frees the native memory behind this inflater; it must not be used afterwards. */
    void release();
}
