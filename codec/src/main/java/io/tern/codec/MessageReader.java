package io.tern.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns the frames of one connection into messages and enforces the protocol rules that span
 * frames: fragmentation, the message size limit, UTF-8 of text messages and close reasons, and
 * the contents of close frames (RFC 6455 §5.4, §5.5, §7.4, §8.1).
 *
 * <p>Bytes go in through {@link #read(ByteBuffer)}; messages, pings, pongs and the close frame come
 * out through the {@link MessageListener}. Framing rules are checked by the {@link FrameDecoder}
 * inside. A broken rule ends reading with a close code and reason
 * ({@link #failureCode()}, {@link #failureReason()}) that the caller sends in its close frame:
 * <ul>
 *   <li>a continuation frame with no message to continue, or a new text/binary frame while a
 *       fragmented message is incomplete → 1002;</li>
 *   <li>a message larger than the limit, counted over its fragments → 1009, as soon as the frame
 *       header that crosses the limit is read;</li>
 *   <li>a message of more frames than {@link ReaderSettings#maxFragments()} (empty ones included)
 *       → 1008, as soon as the header of the frame one too many is read;</li>
 *   <li>text that is not UTF-8 → 1007, as soon as the first invalid byte is read, or at the end of
 *       the message when it stops inside a code point;</li>
 *   <li>a close frame with a one-byte payload or an invalid code → 1002; with a reason that is not
 *       UTF-8 → 1007.</li>
 * </ul>
 * Control frames may arrive between the fragments of a message and are delivered at once.
 *
 * <p>Whole-message delivery hands a message that arrived as one frame in one read straight from the
 * input buffer; other messages are assembled in a buffer borrowed from the {@link BufferPool} and
 * returned right after delivery. Fragment delivery never copies. No allocation happens per frame or
 * per message apart from the pool's, and nothing is thrown for bad input.
 *
 * <p>Memory follows the bytes that actually arrived, never what a frame header declares. The first
 * assembly buffer is sized from the first piece of the message (at least {@value #MIN_ASSEMBLY}
 * bytes); when a piece does not fit, the buffer is replaced by one twice as large (or as large as
 * the piece needs), capped at the message limit (in the final frame: at the message's declared
 * total), and the old one goes back to the pool at once. A message of {@code n} bytes therefore
 * costs O(log n) borrowings and less than {@code 4 * max(n, }{@value #MIN_ASSEMBLY}{@code )} bytes
 * borrowed in all (before the pool's rounding), however many fragments it comes in; a peer can
 * make a reader hold at most
 * one assembly buffer of at most the limit (plus the pool's rounding), and two only while one is
 * copied into the next. A compressed message is inflated the same way; in fragment mode its
 * inflated bytes pass through one scratch buffer of {@value #INFLATE_CHUNK} bytes that is borrowed
 * only within a {@link #read} call, so a reader holds nothing between reads unless a whole message
 * is being assembled.
 *
 * <p>Not thread-safe: one reader per connection, used by one thread at a time.
 *
 * <pre>{@code
 * MessageReader reader = new MessageReader(Role.SERVER, ReaderSettings.defaults(), listener,
 *         BufferPool.unpooled());
 * switch (reader.read(readBuffer)) {
 *     case MessageReader.FAILED -> sendCloseAndShutdown(reader.failureCode(), reader.failureReason());
 *     case MessageReader.CLOSE_RECEIVED -> answerClose();
 *     default -> { }  // NEED_MORE or PAUSED
 * }
 * }</pre>
 *
 * <p>Why one class of some 650 lines: fragmentation, the size limits, fail-fast UTF-8, inflation
 * and the close rules act on the same per-message state in one resumable pass; each rule stays
 * next to the state it reads, and the RFC section is named where it is enforced.
 */
public final class MessageReader {

    /** {@link #read} result: all input was consumed; read again when more arrives. */
    public static final int NEED_MORE = 0;
    /** {@link #read} result: {@link #pause()} was called; unconsumed input is left in the buffer. */
    public static final int PAUSED = 1;
    /** {@link #read} result: the peer's close frame was read; later bytes are left unread. */
    public static final int CLOSE_RECEIVED = 2;
    /** {@link #read} result: a protocol rule was broken; see {@link #failureCode()}. */
    public static final int FAILED = 3;

    private static final int NO_MESSAGE = -1;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Inflated bytes per delivery in fragment mode, and the least assembly size when inflating. */
    private static final int INFLATE_CHUNK = 16 * 1024;
    /** The least size of an assembly buffer for a message that arrives in pieces. */
    private static final int MIN_ASSEMBLY = 4 * 1024;
    /** Bytes inflated to learn whether a full whole-mode buffer must grow. */
    private static final int PROBE = 64;

    private final FrameDecoder frames;
    private final MessageListener listener;
    private final BufferPool pool;
    private final long maxMessageSize;
    private final int maxFragments;
    private final boolean wholeMessages;
    private final Utf8Validator textValidator = new Utf8Validator();
    private final FrameEvents events = new FrameEvents();

    // The frame being read.
    private int frameOpcode;
    private boolean frameFin;
    private long frameLength;
    private long frameRead;

    // The data message being read.
    private int messageOpcode = NO_MESSAGE;
    private long messageLength;
    private int messageFrames;
    private ByteBuffer assembly;           // whole-message mode, when a message spans chunks

    // Compression (permessage-deflate), when enabled.
    private MessageInflater inflater;
    private boolean compressedMessage;
    private long inflatedLength;
    private long maxCompressedSize;
    private ByteBuffer inflateScratch;     // fragment mode: inflated bytes on their way out, one read() long
    private ByteBuffer inflateProbe;       // whole mode: is there more for a full buffer? allocated on first use

    // The control frame being read, when its payload arrives in pieces.
    private ByteBuffer controlPayload;     // 125 bytes, allocated on first use
    private boolean controlDone;

    private boolean paused;
    private boolean closeReceived;
    private long framesRead;
    private int failureCode;
    private String failureReason;

    /**
     * Creates a reader for the messages that an endpoint of the given role receives.
     *
     * @param role     the role of the endpoint that owns this reader
     * @param settings limits and delivery mode
     * @param listener receives messages and control frames
     * @param pool     lends the buffers used to assemble messages that arrive in pieces
     */
    public MessageReader(Role role, ReaderSettings settings, MessageListener listener, BufferPool pool) {
        this.frames = new FrameDecoder(role, settings.maxFrameSize());
        this.listener = listener;
        this.pool = pool;
        this.maxMessageSize = settings.maxMessageSize();
        this.maxFragments = settings.maxFragments();
        this.wholeMessages = settings.delivery() == ReaderSettings.Delivery.WHOLE_MESSAGES;
    }

    /**
     * Lets frames carry reserved bits that a negotiated extension defines.
     *
     * @param rsvBits a combination of {@link Rsv} constants
     * @see FrameDecoder#allowReservedBits(int)
     */
    public void allowReservedBits(int rsvBits) {
        frames.allowReservedBits(rsvBits);
    }

    /**
     * Turns on decompression of messages whose first frame carries {@link Rsv#RSV1}, as negotiated
     * by permessage-deflate. From then on RSV1 is accepted on the first frame of a data message;
     * on a continuation or control frame it is still a protocol error (1002). The message size
     * limit applies to the inflated size and is enforced while inflating, so a small message that
     * would inflate to gigabytes is stopped once it passes the limit. Corrupt compressed data fails
     * with 1007. The first rule broken in the order of the inflated bytes decides the close code
     * and the reason (invalid UTF-8 or corrupt data before the limit: 1007; a byte past the limit:
     * 1009), however the input was split. Compressed frames and messages may exceed the frame and message limits on the
     * wire by an eighth plus 1 KiB, since DEFLATE can grow incompressible data slightly.
     *
     * @param inflater decompresses message payloads; released with {@link #releaseBuffers()}
     */
    public void enableCompression(MessageInflater inflater) {
        this.inflater = inflater;
        frames.allowReservedBits(Rsv.RSV1);
        frames.setMaxFramePayload(withCompressionAllowance(frames.maxFramePayload()));
        maxCompressedSize = withCompressionAllowance(maxMessageSize);
    }

    /**
     * The most compressed bytes accepted for a limit of {@code limit} inflated bytes: DEFLATE can
     * make incompressible data slightly larger (stored blocks add 5 bytes per 64 KiB; small windows
     * and cheap encoders lose a few percent), so a message at the limit must still fit on the wire.
     * An eighth plus 1 KiB more covers every encoder seen in practice and still bounds a stream of
     * empty blocks that inflates to nothing.
     */
    static long withCompressionAllowance(long limit) {
        long allowed = limit + (limit >>> 3) + 1024;
        return allowed < 0 ? Long.MAX_VALUE : allowed;
    }

    /**
     * Consumes received bytes (position to limit of {@code in}) and delivers what they complete.
     * Payload bytes are unmasked in place.
     *
     * @param in the received bytes; its position is advanced past what was consumed
     * @return {@link #NEED_MORE}, {@link #PAUSED}, {@link #CLOSE_RECEIVED} or {@link #FAILED}; once
     *     the close frame was received or a rule broken, every later call returns the same
     *     without consuming anything
     */
    public int read(ByteBuffer in) {
        if (failureCode != 0) {
            return FAILED;
        }
        if (closeReceived) {
            return CLOSE_RECEIVED;
        }
        paused = false;
        int status = frames.decode(in, events);
        releaseScratch();
        if (status == FrameDecoder.FAILED) {
            return fail(frames.failureCode(), frames.failureReason());
        }
        if (status == FrameDecoder.STOPPED) {
            if (failureCode != 0) {
                return FAILED;
            }
            return closeReceived ? CLOSE_RECEIVED : PAUSED;
        }
        return NEED_MORE;
    }

    /**
     * Asks {@link #read} to return {@link #PAUSED} after the current delivery, leaving the rest of
     * its input unconsumed. Meant to be called from inside a listener method, for flow control.
     * A chunk of a compressed message is inflated and delivered in full before reading pauses,
     * because the inflater must consume it while it is valid.
     */
    public void pause() {
        paused = true;
    }

    /**
     * The close code for the broken rule (1002, 1007, 1008 or 1009).
     *
     * @return the code, or 0 when nothing failed
     */
    public int failureCode() {
        return failureCode;
    }

    /**
     * A short description of the broken rule, for the close frame's reason and for logs; always
     * ASCII and at most 123 bytes, so it fits in a close frame as it is.
     *
     * @return the reason, or {@code null} when nothing failed
     */
    public String failureReason() {
        return failureReason;
    }

    /**
     * How many frame headers this reader has read, for counters.
     *
     * @return frames read so far
     */
    public long framesRead() {
        return framesRead;
    }

    /**
     * Whether a data message has started and not yet ended.
     *
     * @return {@code true} between the first and the final fragment of a message
     */
    public boolean isInsideMessage() {
        return messageOpcode != NO_MESSAGE;
    }

    /**
     * Returns any borrowed buffer to the pool and releases the inflater, if any. Call when the
     * connection is done with; the reader must not be used afterwards. (It happens by itself when
     * a rule is broken or the close frame arrives.)
     */
    public void releaseBuffers() {
        if (assembly != null) {
            pool.release(assembly);
            assembly = null;
        }
        releaseScratch();
        if (inflater != null) {
            inflater.release();
            inflater = null;
        }
    }

    /**
     * Gives the fragment-mode inflate scratch buffer back. Everything inflated into it has been
     * delivered by the time {@link #read} returns, so it is held for one read call, however many
     * compressed messages that call inflates: one borrowing per read instead of per message, and
     * nothing held while the connection is idle or a fragmented message waits for its next frame.
     */
    private void releaseScratch() {
        if (inflateScratch != null) {
            pool.release(inflateScratch);
            inflateScratch = null;
        }
    }

    private int fail(int code, String reason) {
        if (failureCode == 0) {
            failureCode = code;
            failureReason = reason;
        }
        releaseBuffers();
        return FAILED;
    }

    /** Receives frames from the decoder; kept private so the listener methods are not API. */
    private final class FrameEvents implements FrameListener {

        @Override
        public boolean onFrameHeader(boolean fin, int rsv, int opcode, long payloadLength) {
            framesRead++;
            frameOpcode = opcode;
            frameFin = fin;
            frameLength = payloadLength;
            frameRead = 0;
            if (rsv != 0 && (Opcode.isControl(opcode) || opcode == Opcode.CONTINUATION)) {
                // Only a negotiated extension lets RSV bits through the frame decoder, and
                // permessage-deflate defines RSV1 for the first frame of a data message only.
                fail(CloseCodes.PROTOCOL_ERROR, Opcode.isControl(opcode)
                        ? "reserved bit set on a control frame" : "reserved bit set on a continuation frame");
                return false;
            }
            if (Opcode.isControl(opcode)) {
                controlDone = false;
                if (controlPayload != null) {
                    controlPayload.clear();
                }
                return true;
            }
            if (opcode == Opcode.CONTINUATION) {
                if (messageOpcode == NO_MESSAGE) {
                    fail(CloseCodes.PROTOCOL_ERROR, "continuation frame without a message to continue");
                    return false;
                }
                if (++messageFrames > maxFragments) {
                    // Bounds the frames (and fragment deliveries) a message costs, which its size
                    // limit does not: empty continuations would never reach it.
                    fail(CloseCodes.POLICY_VIOLATION, "message spans more frames than the configured maximum fragments");
                    return false;
                }
            } else {
                if (messageOpcode != NO_MESSAGE) {
                    fail(CloseCodes.PROTOCOL_ERROR, "new data frame before the fragmented message ended");
                    return false;
                }
                messageOpcode = opcode;
                messageLength = 0;
                messageFrames = 1;
                textValidator.reset();
                compressedMessage = (rsv & Rsv.RSV1) != 0;
                if (compressedMessage && inflater == null) {
                    // RSV1 let through by allowReservedBits for an extension other than ours.
                    fail(CloseCodes.PROTOCOL_ERROR, "RSV1 set but no compression was negotiated");
                    return false;
                }
                inflatedLength = 0;
            }
            // A compressed message is held to the limit after inflation; on the wire it gets the
            // compression allowance, which still bounds what a peer can make us read.
            long wireLimit = compressedMessage ? maxCompressedSize : maxMessageSize;
            if (payloadLength > wireLimit - messageLength) {
                fail(CloseCodes.MESSAGE_TOO_BIG, "message larger than the configured maximum");
                return false;
            }
            messageLength += payloadLength;
            return true;
        }

        @Override
        public boolean onFramePayload(ByteBuffer payload) {
            int n = payload.remaining();
            if (Opcode.isControl(frameOpcode)) {
                if (frameRead == 0 && n == frameLength) {
                    // The whole control payload is here: deliver it from the input, no copy.
                    frameRead = n;
                    controlDone = true;
                    return control(payload);
                }
                if (controlPayload == null) {
                    controlPayload = ByteBuffer.allocate(FrameDecoder.MAX_CONTROL_PAYLOAD);
                }
                controlPayload.put(payload);
                frameRead += n;
                return true;
            }
            return data(payload, n);
        }

        @Override
        public boolean onFrameEnd() {
            if (Opcode.isControl(frameOpcode)) {
                if (controlDone) {
                    return !paused;
                }
                ByteBuffer p = controlPayload == null ? EMPTY : controlPayload.flip();
                return control(p);
            }
            if (frameLength == 0 && frameFin) {
                // An empty final frame: the message ends here, with no chunk to carry `last`.
                return data(EMPTY, 0);
            }
            return !paused;
        }
    }

    private boolean data(ByteBuffer chunk, int n) {
        if (compressedMessage) {
            return compressedData(chunk, n);
        }
        boolean text = messageOpcode == Opcode.TEXT;
        if (text && textValidator.validate(chunk) >= 0) {
            fail(CloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
            return false;
        }
        frameRead += n;
        boolean last = frameFin && frameRead == frameLength;
        if (last && text && !textValidator.isComplete()) {
            fail(CloseCodes.INVALID_PAYLOAD, "text message ends inside a UTF-8 sequence");
            return false;
        }
        if (!wholeMessages) {
            deliver(text, chunk, last);
        } else if (last && assembly == null) {
            // Single frame, single read: hand the input window over as it is.
            deliver(text, chunk, true);
        } else {
            append(chunk);
            if (last) {
                ByteBuffer whole = assembly.flip();
                assembly = null;
                deliver(text, whole, true);
                pool.release(whole);
            }
        }
        if (last) {
            messageOpcode = NO_MESSAGE;
        }
        return !paused;
    }

    /**
     * A chunk of a compressed message: inflate it all now (the chunk is only valid during this
     * call), checking the inflated size against the limit and text against UTF-8 as bytes come
     * out; at the end of the message, inflate the tail and deliver.
     */
    private boolean compressedData(ByteBuffer chunk, int n) {
        frameRead += n;
        boolean last = frameFin && frameRead == frameLength;
        boolean text = messageOpcode == Opcode.TEXT;
        if (n > 0) {
            inflater.setInput(chunk);
            if (!inflateAll(text, false, n)) {
                return false;
            }
        }
        if (!last) {
            return !paused;
        }
        // A compressed message of zero bytes carries no DEFLATE data at all: appending the tail
        // would leave the inflater inside a stored-block header and break the next message.
        if (messageLength > 0) {
            inflater.finishInput();
            if (!inflateAll(text, true, 0)) {
                return false;
            }
        }
        if (text && !textValidator.isComplete()) {
            fail(CloseCodes.INVALID_PAYLOAD, "text message ends inside a UTF-8 sequence");
            return false;
        }
        inflater.endMessage();
        messageOpcode = NO_MESSAGE;
        compressedMessage = false;
        if (wholeMessages) {
            ByteBuffer whole = assembly == null ? EMPTY : assembly.flip();
            assembly = null;
            deliver(text, whole, true);
            if (whole != EMPTY) {
                pool.release(whole);
            }
        } else {
            deliver(text, EMPTY, true);
        }
        return !paused;
    }

    /**
     * Inflates until the inflater has consumed its input and has nothing more to give; whole mode
     * into the assembly buffer. A full whole-mode buffer is grown only for output that exists: a
     * few bytes are inflated into a small probe first, and the buffer grows only if some came out,
     * so a message that fills its buffer exactly costs no doubling. Before the end of the message,
     * a whole-mode buffer filled while the inflater {@linkplain MessageInflater#needsInput() needs
     * input} ends the call at once: whatever the inflater still holds comes out with the next chunk
     * (nobody sees it before the message ends anyway). In fragment mode the scratch buffer is
     * delivered and inflated into again until nothing comes out, so every byte the input received
     * so far decodes to reaches the listener now, not when the peer sends more.
     *
     * @param compressedBytes the size of the chunk just supplied, to size a first assembly buffer
     */
    private boolean inflateAll(boolean text, boolean finalInput, int compressedBytes) {
        while (true) {
            if (wholeMessages && assembly != null && !assembly.hasRemaining()) {
                if (!probedMore(text)) {
                    return failureCode == 0;
                }
                continue;
            }
            ByteBuffer out = inflateTarget(compressedBytes);
            int start = out.position();
            int limit = out.limit();
            out.limit((int) Math.min(limit, start + allowance()));
            int produced = inflater.inflate(out);
            boolean full = !out.hasRemaining();
            out.limit(limit);
            if (!inflated(text, out, start, produced)) {
                return false;
            }
            if (!full) {
                // Room left: the inflater stopped for want of input (or at the end of its stream),
                // so nothing is pending; one more call confirms when it is not sure.
                if (produced == 0 || inflater.needsInput()) {
                    return true;
                }
            } else if (wholeMessages && !finalInput && inflater.needsInput()) {
                return true; // full, but the rest (if any) comes out with the next chunk
            }
        }
    }

    /**
     * Inflates a few bytes into the probe when the whole-mode assembly buffer is full and, if there
     * were any, grows the buffer (geometrically, as always, but never past the limit plus one byte)
     * and moves them in. Output past the limit fails with 1009 before anything grows.
     *
     * @return whether there was more output and reading goes on; {@code false} when the buffer was
     *     exactly full or a rule was broken
     */
    private boolean probedMore(boolean text) {
        if (inflateProbe == null) {
            inflateProbe = ByteBuffer.allocate(PROBE);
        }
        int more = inflater.inflate(inflateProbe.clear().limit((int) Math.min(PROBE, allowance())));
        if (more == 0) {
            return false;
        }
        if (more > 0 && inflatedLength + more <= maxMessageSize) {
            int start = assembly.position();
            grow((long) start + more, maxMessageSize + 1);
            assembly.put(inflateProbe.flip());
            return inflated(text, assembly, start, more);
        }
        // Corrupt data, or output past the limit: the message fails and nothing grows. The probe's
        // own bytes are the ones checked, since those up to the limit may hold invalid UTF-8, the
        // first rule broken (they are not in the full assembly buffer).
        return inflated(text, inflateProbe, 0, more);
    }

    /**
     * How many bytes one inflate call may produce: up to one past the message limit, which is all
     * it takes to know the limit was passed; inflating further would only spend work on a message
     * that fails.
     */
    private long allowance() {
        return maxMessageSize - inflatedLength + 1;
    }

    /**
     * Accounts for {@code produced} bytes just inflated into {@code out} from {@code start}: checks
     * them against corruption, the limit and UTF-8, and in fragment mode delivers them.
     *
     * @return whether reading goes on
     */
    private boolean inflated(boolean text, ByteBuffer out, int start, int produced) {
        if (produced == MessageInflater.CORRUPT) {
            fail(CloseCodes.INVALID_PAYLOAD, "compressed data is corrupt");
            return false;
        }
        if (produced == 0) {
            return true;
        }
        inflatedLength += produced;
        if (inflatedLength > maxMessageSize) {
            // The bytes up to the limit come first: invalid UTF-8 among them is the first rule broken.
            int withinLimit = (int) (produced - (inflatedLength - maxMessageSize));
            if (text && withinLimit > 0 && textValidator.validate(out, start, start + withinLimit) >= 0) {
                fail(CloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
                return false;
            }
            fail(CloseCodes.MESSAGE_TOO_BIG, "message larger than the configured maximum after inflation");
            return false;
        }
        if (text && textValidator.validate(out, start, start + produced) >= 0) {
            fail(CloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
            return false;
        }
        if (!wholeMessages) {
            deliver(text, out.flip(), false);
        }
        return true;
    }

    /**
     * Where the next inflated bytes go: in whole mode the assembly buffer, first sized from the
     * compressed chunk at hand (never from the declared length) and grown by {@link #probedMore}; in
     * fragment mode a cleared scratch buffer.
     */
    private ByteBuffer inflateTarget(int compressedBytes) {
        if (!wholeMessages) {
            if (inflateScratch == null) {
                inflateScratch = pool.acquire(INFLATE_CHUNK);
            }
            return inflateScratch.clear();
        }
        if (assembly == null) {
            assembly = pool.acquire((int) Math.min(maxMessageSize + 1, Math.max(INFLATE_CHUNK, compressedBytes)));
        }
        return assembly;
    }

    private void deliver(boolean text, ByteBuffer bytes, boolean last) {
        if (text) {
            listener.onText(bytes, last);
        } else {
            listener.onBinary(bytes, last);
        }
    }

    /**
     * Copies a piece of an uncompressed message into the assembly buffer. The first buffer is sized
     * from this piece, not from the frame's declared length, which a peer can set to the limit and
     * then never send; later pieces that do not fit double it. Growth stops at the limit, and in the
     * final frame at the message's declared total, which is then known and checked against the
     * limit: doubling past it would only borrow bytes that cannot be filled.
     */
    private void append(ByteBuffer chunk) {
        int n = chunk.remaining();
        long cap = frameFin ? messageLength : maxMessageSize;
        if (assembly == null) {
            assembly = pool.acquire((int) Math.min(cap, Math.max(n, MIN_ASSEMBLY)));
        } else if (assembly.remaining() < n) {
            grow((long) assembly.position() + n, cap);
        }
        assembly.put(chunk);
    }

    /**
     * Replaces the assembly buffer by one of at least {@code needed} bytes and, growth being
     * geometric, at least twice the old capacity unless {@code cap} says less; copies the bytes
     * assembled so far and returns the old buffer to the pool.
     *
     * @param needed the least capacity, at most {@code cap}
     * @param cap    the most worth borrowing: the message limit (plus one byte when inflating)
     */
    private void grow(long needed, long cap) {
        long doubled = Math.min(cap, 2L * assembly.capacity());
        ByteBuffer bigger = pool.acquire((int) Math.max(needed, doubled));
        bigger.put(assembly.flip());
        pool.release(assembly);
        assembly = bigger;
    }

    private boolean control(ByteBuffer payload) {
        switch (frameOpcode) {
            case Opcode.PING:
                listener.onPing(payload);
                return !paused;
            case Opcode.PONG:
                listener.onPong(payload);
                return !paused;
            default:
                return close(payload);
        }
    }

    private boolean close(ByteBuffer payload) {
        int length = payload.remaining();
        int code;
        String reason;
        if (length == 0) {
            code = CloseCodes.NO_STATUS_RECEIVED;
            reason = "";
        } else if (length == 1) {
            fail(CloseCodes.PROTOCOL_ERROR, "close frame with a one-byte payload");
            return false;
        } else {
            int at = payload.position();
            code = ((payload.get(at) & 0xFF) << 8) | (payload.get(at + 1) & 0xFF);
            if (!CloseCodes.isValidOnWire(code)) {
                fail(CloseCodes.PROTOCOL_ERROR, "invalid close code " + code);
                return false;
            }
            if (!Utf8Validator.isValid(payload, at + 2, payload.limit())) {
                fail(CloseCodes.INVALID_PAYLOAD, "close reason is not valid UTF-8");
                return false;
            }
            byte[] bytes = new byte[length - 2];
            payload.get(at + 2, bytes);
            reason = new String(bytes, StandardCharsets.UTF_8);
        }
        closeReceived = true;
        releaseBuffers();
        listener.onClose(code, reason);
        return false;
    }
}
