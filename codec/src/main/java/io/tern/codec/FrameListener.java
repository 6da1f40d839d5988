package io.tern.codec;

import java.nio.ByteBuffer;

/**
 * Receives the frames a {@link FrameDecoder} reads, as a header, zero or more payload chunks, and
 * an end.
 *
 * <p>Each method returns whether decoding should go on. Returning {@code false} makes
 * {@link FrameDecoder#decode} return {@link FrameDecoder#STOPPED} right after the current event;
 * the decoder keeps its place and the next call continues from there. A listener uses this to
 * pause reading or to stop at a protocol violation of its own.
 */
public interface FrameListener {

    /**
     * A frame header has been read and passed every framing rule.
     *
     * @param fin           the FIN bit: this is the final fragment of its message
     * @param rsv           the reserved bits as they sit in the first header byte (see {@link Rsv})
     * @param opcode        the opcode (see {@link Opcode})
     * @param payloadLength the payload length in bytes
     * @return {@code true} to go on decoding
     */
    boolean onFrameHeader(boolean fin, int rsv, int opcode, long payloadLength);

    /**
     * A chunk of the current frame's payload, already unmasked. The chunk is the readable region
     * (position to limit) of the decoder's input buffer: no bytes are copied. It is valid only
     * during this call; copy it or {@code slice()} it to keep it. The listener may move the
     * buffer's position while reading; the decoder restores position and limit afterwards.
     *
     * <p>A frame's payload arrives in as many chunks as the input was split into; a frame whose
     * payload is empty gets no chunk.
     *
     * @param payload the unmasked bytes, position to limit
     * @return {@code true} to go on decoding
     */
    boolean onFramePayload(ByteBuffer payload);

    /**
     * The current frame is complete: all of its payload has been delivered.
     *
     * @return {@code true} to go on decoding
     */
    boolean onFrameEnd();
}
