package io.tern.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Frames outgoing messages and control frames while keeping the sending side of the protocol
 * right: fragments of one message go out as a first frame and continuations; a new message does
 * not start before the previous one ended; control frames may go between fragments; and nothing
 * at all is sent after this endpoint's close frame (RFC 6455 §5.4, §5.5.1).
 *
 * <p>Each method writes a header into {@code header} (which needs
 * {@link FrameEncoder#MAX_HEADER_SIZE} bytes remaining) and, for a client, masks the payload in
 * place; the caller then sends the header followed by the payload. Close frames are small and
 * rare, so {@link #writeClose} writes the whole frame into one buffer.
 *
 * <p>Writes that race with the end of the connection are expected and are answered with
 * {@link #REFUSED_CLOSING}, not an exception. Programming errors — a control payload over 125
 * bytes, a binary fragment inside a text message, a close code that must not be sent — throw.
 * The caller is responsible for text payloads being valid UTF-8.
 *
 * <p>Not thread-safe: one writer per connection, used by its thread.
 *
 * <pre>{@code
 * ClosingHandshake closing = new ClosingHandshake();
 * MessageWriter writer = new MessageWriter(new FrameEncoder(Role.SERVER, null), closing);
 * if (writer.writeText(header, payload, true) == MessageWriter.WRITTEN) {
 *     channel.write(new ByteBuffer[] {header.flip(), payload});
 * }
 * }</pre>
 */
public final class MessageWriter {

    /** Result: the frame was written. */
    public static final int WRITTEN = 0;
    /** Result: nothing was written, because this endpoint has already sent its close frame. */
    public static final int REFUSED_CLOSING = 1;

    /** The longest close reason: 125 payload bytes minus the 2-byte code. */
    public static final int MAX_CLOSE_REASON_BYTES = 123;
    /** The largest whole close frame: a 14-byte header and a 125-byte payload. */
    public static final int MAX_CLOSE_FRAME_SIZE = FrameEncoder.MAX_HEADER_SIZE + FrameDecoder.MAX_CONTROL_PAYLOAD;

    private static final int NO_MESSAGE = -1;

    private final FrameEncoder encoder;
    private final ClosingHandshake closing;
    private int messageOpcode = NO_MESSAGE;
    private int lastMaskKey;

    /**
     * Creates a writer.
     *
     * @param encoder frames headers and masks for the endpoint's role
     * @param closing the connection's closing handshake, which this writer consults and updates
     */
    public MessageWriter(FrameEncoder encoder, ClosingHandshake closing) {
        this.encoder = encoder;
        this.closing = closing;
    }

    /**
     * Writes a text message, or one fragment of it.
     *
     * @param header  receives the frame header
     * @param payload UTF-8 bytes, position to limit; masked in place for a client
     * @param last    {@code true} for a whole message or its final fragment
     * @return {@link #WRITTEN} or {@link #REFUSED_CLOSING}
     * @throws IllegalStateException if a binary message is still open
     */
    public int writeText(ByteBuffer header, ByteBuffer payload, boolean last) {
        return writeData(Opcode.TEXT, Rsv.NONE, header, payload, last);
    }

    /**
     * Writes a binary message, or one fragment of it.
     *
     * @param header  receives the frame header
     * @param payload the bytes, position to limit; masked in place for a client
     * @param last    {@code true} for a whole message or its final fragment
     * @return {@link #WRITTEN} or {@link #REFUSED_CLOSING}
     * @throws IllegalStateException if a text message is still open
     */
    public int writeBinary(ByteBuffer header, ByteBuffer payload, boolean last) {
        return writeData(Opcode.BINARY, Rsv.NONE, header, payload, last);
    }

    /**
     * Writes a data frame with explicit reserved bits, for extensions (for example RSV1 on the
     * first frame of a compressed message).
     *
     * @param opcode  {@link Opcode#TEXT} or {@link Opcode#BINARY}: the type of the message
     * @param rsv     reserved bits for this frame
     * @param header  receives the frame header
     * @param payload the bytes, position to limit; masked in place for a client
     * @param last    {@code true} for a whole message or its final fragment
     * @return {@link #WRITTEN} or {@link #REFUSED_CLOSING}
     * @throws IllegalArgumentException if {@code opcode} is not text or binary
     * @throws IllegalStateException if a message of the other type is still open
     */
    public int writeData(int opcode, int rsv, ByteBuffer header, ByteBuffer payload, boolean last) {
        int frameOpcode = nextDataOpcode(opcode, rsv);
        if (frameOpcode < 0) {
            return REFUSED_CLOSING;
        }
        encoder.encode(header, payload, last, rsv, frameOpcode);
        messageOpcode = last ? NO_MESSAGE : opcode;
        return WRITTEN;
    }

    /** Nothing goes out after our close frame, nor once the connection was aborted. */
    private boolean refusing() {
        return closing.isCloseSent() || closing.isClosed();
    }

    /** The opcode of the next frame of a message of this type, or -1 after our close frame. */
    private int nextDataOpcode(int opcode, int rsv) {
        if (opcode != Opcode.TEXT && opcode != Opcode.BINARY) {
            throw new IllegalArgumentException("data opcode must be TEXT or BINARY: " + Opcode.name(opcode));
        }
        if (refusing()) {
            return -1;
        }
        if (messageOpcode == NO_MESSAGE) {
            return opcode;
        }
        if (messageOpcode == opcode) {
            if (rsv != Rsv.NONE) {
                // RFC 7692 §6.1: the "Per-Message Compressed" bit is set on a message's first frame only.
                throw new IllegalArgumentException("reserved bits on a continuation frame: " + rsv);
            }
            return Opcode.CONTINUATION;
        }
        throw new IllegalStateException("cannot send " + Opcode.name(opcode) + " while a "
                + Opcode.name(messageOpcode) + " message is unfinished");
    }

    /**
     * Writes only the header of a data frame, for a caller that places the payload itself — for
     * example a transport that copies it into its output buffer right after the header. For the
     * client role the caller must then mask its copy of the payload with {@link #lastMaskKey()}
     * (see {@link Masking#apply(ByteBuffer, int, int, int, long)}); the caller's original bytes are
     * never touched.
     *
     * @param opcode        {@link Opcode#TEXT} or {@link Opcode#BINARY}: the type of the message
     * @param rsv           reserved bits for this frame
     * @param header        receives the frame header
     * @param payloadLength the length of the payload that will follow the header
     * @param last          {@code true} for a whole message or its final fragment
     * @return {@link #WRITTEN} or {@link #REFUSED_CLOSING}
     * @throws IllegalArgumentException if {@code opcode} is not text or binary
     * @throws IllegalStateException if a message of the other type is still open
     */
    public int writeDataHeader(int opcode, int rsv, ByteBuffer header, long payloadLength, boolean last) {
        int frameOpcode = nextDataOpcode(opcode, rsv);
        if (frameOpcode < 0) {
            return REFUSED_CLOSING;
        }
        lastMaskKey = encoder.writeHeader(header, last, rsv, frameOpcode, payloadLength);
        messageOpcode = last ? NO_MESSAGE : opcode;
        return WRITTEN;
    }

    /**
     * Writes only the header of a ping or pong whose payload the caller places and masks itself,
     * as {@link #writeDataHeader}.
     *
     * @param opcode        {@link Opcode#PING} or {@link Opcode#PONG}
     * @param header        receives the frame header
     * @param payloadLength at most 125
     * @return {@link #WRITTEN} or {@link #REFUSED_CLOSING}
     * @throws IllegalArgumentException for another opcode or a payload over 125 bytes
     */
    public int writeControlHeader(int opcode, ByteBuffer header, int payloadLength) {
        if (opcode != Opcode.PING && opcode != Opcode.PONG) {
            throw new IllegalArgumentException("control header for PING or PONG only: " + Opcode.name(opcode));
        }
        if (refusing()) {
            return REFUSED_CLOSING;
        }
        lastMaskKey = encoder.writeHeader(header, true, Rsv.NONE, opcode, payloadLength);
        return WRITTEN;
    }

    /**
     * The mask key of the last header written by {@link #writeDataHeader} or
     * {@link #writeControlHeader}: 0 for the server role.
     *
     * @return the key the payload must be masked with
     */
    public int lastMaskKey() {
        return lastMaskKey;
    }

    /**
     * Masks, in place, the payload bytes a caller placed behind the header it just wrote with
     * {@link #writeDataHeader} or {@link #writeControlHeader} (RFC 6455 §5.3). Does nothing for the
     * server role, whose frames are not masked. This is the one place the transport masks what it
     * copied; the caller's own buffers are never masked.
     *
     * @param frame the buffer holding header and payload
     * @param start index of the payload's first byte
     * @param end   index after the payload's last byte
     */
    public void maskPayload(ByteBuffer frame, int start, int end) {
        maskPayload(frame, start, end, lastMaskKey);
    }

    private void maskPayload(ByteBuffer frame, int start, int end, int key) {
        if (encoder.masks()) {
            Masking.apply(frame, start, end, key, 0);
        }
    }

    /**
     * Accounts for a whole data message that was framed elsewhere (for example once for many
     * connections) and is sent as is: checks the same rules as {@link #writeDataHeader} for an
     * unfragmented message, without writing anything.
     *
     * @param opcode {@link Opcode#TEXT} or {@link Opcode#BINARY}
     * @return {@link #WRITTEN} if the frame may follow, or {@link #REFUSED_CLOSING}
     * @throws IllegalArgumentException if {@code opcode} is not text or binary
     * @throws IllegalStateException if a fragmented message is still open (RFC 6455 §5.4: its
     *     fragments must not be interleaved with another data message)
     */
    public int claimWholeMessage(int opcode) {
        int frameOpcode = nextDataOpcode(opcode, Rsv.NONE);
        if (frameOpcode < 0) {
            return REFUSED_CLOSING;
        }
        if (frameOpcode == Opcode.CONTINUATION) {
            throw new IllegalStateException("cannot send a whole " + Opcode.name(opcode)
                    + " message while one is unfinished");
        }
        return WRITTEN;
    }

    /**
     * Writes a ping.
     *
     * @param header  receives the frame header
     * @param payload at most 125 bytes; masked in place for a client
     * @return {@link #WRITTEN} or {@link #REFUSED_CLOSING}
     * @throws IllegalArgumentException if the payload is longer than 125 bytes
     */
    public int writePing(ByteBuffer header, ByteBuffer payload) {
        return writeControl(Opcode.PING, header, payload);
    }

    /**
     * Writes a pong, in answer to a ping (with its payload) or unsolicited.
     *
     * @param header  receives the frame header
     * @param payload at most 125 bytes; masked in place for a client
     * @return {@link #WRITTEN} or {@link #REFUSED_CLOSING}
     * @throws IllegalArgumentException if the payload is longer than 125 bytes
     */
    public int writePong(ByteBuffer header, ByteBuffer payload) {
        return writeControl(Opcode.PONG, header, payload);
    }

    private int writeControl(int opcode, ByteBuffer header, ByteBuffer payload) {
        if (refusing()) {
            return REFUSED_CLOSING;
        }
        encoder.encode(header, payload, true, Rsv.NONE, opcode);
        return WRITTEN;
    }

    /**
     * Writes this endpoint's close frame — header and payload — into {@code frame}, and records it
     * in the closing handshake. Use it both to start closing and to answer the peer's close (see
     * {@link ClosingHandshake#replyCode()}).
     *
     * @param frame  receives the whole frame; needs {@link #MAX_CLOSE_FRAME_SIZE} bytes remaining
     * @param code   a code valid on the wire ({@link CloseCodes#isValidOnWire}), or
     *               {@link CloseCodes#NO_STATUS_RECEIVED} for a close frame with no payload
     * @param reason a reason of at most 123 UTF-8 bytes, or empty; ignored with 1005
     * @return {@link #WRITTEN} or {@link #REFUSED_CLOSING} when a close frame was already sent
     * @throws IllegalArgumentException for a code that must not be sent or a reason that is too long
     */
    public int writeClose(ByteBuffer frame, int code, String reason) {
        boolean empty = code == CloseCodes.NO_STATUS_RECEIVED;
        byte[] reasonBytes = empty ? new byte[0] : CloseCodes.checkSendable(code, reason);
        if (refusing()) {
            return REFUSED_CLOSING;
        }
        int payloadLength = empty ? 0 : 2 + reasonBytes.length;
        int key = encoder.writeHeader(frame, true, Rsv.NONE, Opcode.CLOSE, payloadLength);
        int start = frame.position();
        if (!empty) {
            frame.put((byte) (code >>> 8)).put((byte) code).put(reasonBytes);
        }
        maskPayload(frame, start, frame.position(), key);
        closing.closeSent(code);
        return WRITTEN;
    }

    /**
     * The type of the fragmented message being sent.
     *
     * @return {@link Opcode#TEXT} or {@link Opcode#BINARY} between a non-final fragment and the
     *     final one, otherwise -1
     */
    public int openMessageOpcode() {
        return messageOpcode;
    }

    /**
     * Whether a fragmented message has been started and not finished.
     *
     * @return {@code true} between a non-final fragment and the final one
     */
    public boolean isInsideMessage() {
        return messageOpcode != NO_MESSAGE;
    }
}
