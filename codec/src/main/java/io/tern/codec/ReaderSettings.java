package io.tern.codec;

/**
 * Limits and delivery choice for a {@link MessageReader}. Immutable; each {@code with} method
 * returns a changed copy.
 *
 * <pre>{@code
 * ReaderSettings settings = ReaderSettings.defaults()
 *         .withMaxMessageSize(4 << 20)
 *         .withDelivery(ReaderSettings.Delivery.FRAGMENTS);
 * }</pre>
 */
public final class ReaderSettings {

    /** How data messages reach the {@link MessageListener}. */
    public enum Delivery {
        /** One call per message with all its bytes; fragmented messages are assembled first. */
        WHOLE_MESSAGES,
        /** One call per piece of a message as it arrives; nothing is assembled or copied. */
        FRAGMENTS
    }

    /** Default largest frame payload: 1 MiB. */
    public static final long DEFAULT_MAX_FRAME_SIZE = 1 << 20;
    /** Default largest message, counted over all its fragments: 1 MiB. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 1 << 20;
    /**
     * The least default number of frames (first frame and continuations) one data message may
     * span: 1,024. The default is this or one frame per KiB of the message size limit, whichever
     * is larger (1,024 at the default 1 MiB limit, 16,384 at 16 MiB), until
     * {@link #withMaxFragments(int)} sets a number.
     *
     * <p>The message size limit bounds the bytes of a fragmented message but not its frames: a
     * message of a million 1-byte fragments costs a million frame headers and, with fragment
     * delivery, a million listener calls; a stream of empty continuation frames never completes a
     * message, never reaches any size limit, and keeps an idle timeout from firing. One frame per
     * KiB allowed is far above what real senders use (browsers never fragment what they send; the
     * JDK's client cuts large messages into 16 KiB frames; other libraries cut at 4 KiB or more)
     * and keeps the per-frame work of a message within a small multiple of its bytes.
     */
    public static final int DEFAULT_MAX_FRAGMENTS = 1024;
    /** The largest message that {@link Delivery#WHOLE_MESSAGES} can assemble in one buffer. */
    public static final long MAX_ASSEMBLED_MESSAGE_SIZE = Integer.MAX_VALUE - 16;

    private static final ReaderSettings DEFAULTS =
            new ReaderSettings(DEFAULT_MAX_FRAME_SIZE, DEFAULT_MAX_MESSAGE_SIZE, 0, Delivery.WHOLE_MESSAGES);

    private final long maxFrameSize;
    private final long maxMessageSize;
    /** Frames per message as set, or 0 for the default that follows the message size limit. */
    private final int maxFragments;
    private final Delivery delivery;

    private ReaderSettings(long maxFrameSize, long maxMessageSize, int maxFragments, Delivery delivery) {
        this.maxFrameSize = maxFrameSize;
        this.maxMessageSize = maxMessageSize;
        this.maxFragments = maxFragments;
        this.delivery = delivery;
    }

    /**
     * The defaults: 1 MiB frames, 1 MiB messages, 1,024 frames per message (one per KiB of the
     * message limit), whole messages.
     *
     * @return the default settings
     */
    public static ReaderSettings defaults() {
        return DEFAULTS;
    }

    /**
     * Sets the largest payload accepted in one frame; a larger frame fails with 1009 as soon as its
     * length has been read.
     *
     * @param bytes at least 125
     * @return changed settings
     * @throws IllegalArgumentException if {@code bytes} is below 125
     */
    public ReaderSettings withMaxFrameSize(long bytes) {
        if (bytes < FrameDecoder.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("max frame size must be at least 125: " + bytes);
        }
        return new ReaderSettings(bytes, maxMessageSize, maxFragments, delivery);
    }

    /**
     * Sets the largest message, summed over its fragments; a message that would grow past it fails
     * with 1009 as soon as the frame header that crosses the limit has been read.
     *
     * @param bytes at least 0; with whole-message delivery at most
     *              {@link #MAX_ASSEMBLED_MESSAGE_SIZE}
     * @return changed settings
     * @throws IllegalArgumentException if {@code bytes} is out of range
     */
    public ReaderSettings withMaxMessageSize(long bytes) {
        check(bytes, delivery);
        return new ReaderSettings(maxFrameSize, bytes, maxFragments, delivery);
    }

    /**
     * Sets the most frames one data message may span, its first frame and every continuation
     * frame counted, empty ones included (control frames between fragments are not counted). The
     * frame header that would exceed it fails the connection with 1008 (policy violation, RFC 6455
     * §7.4.1), before its payload is read. Default: one frame per KiB of the message size limit,
     * at least {@value #DEFAULT_MAX_FRAGMENTS}; once set here, the number no longer follows the
     * size limit.
     *
     * @param frames at least 1 (1 allows unfragmented messages only)
     * @return changed settings
     * @throws IllegalArgumentException if {@code frames} is below 1
     */
    public ReaderSettings withMaxFragments(int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("max fragments must be at least 1: " + frames);
        }
        return new ReaderSettings(maxFrameSize, maxMessageSize, frames, delivery);
    }

    /**
     * Chooses whole messages or fragments as they arrive.
     *
     * @param delivery the delivery mode
     * @return changed settings
     * @throws IllegalArgumentException if whole messages are chosen with a message limit above
     *     {@link #MAX_ASSEMBLED_MESSAGE_SIZE}
     */
    public ReaderSettings withDelivery(Delivery delivery) {
        check(maxMessageSize, delivery);
        return new ReaderSettings(maxFrameSize, maxMessageSize, maxFragments, delivery);
    }

    private static void check(long maxMessage, Delivery delivery) {
        if (maxMessage < 0) {
            throw new IllegalArgumentException("max message size must not be negative: " + maxMessage);
        }
        if (delivery == Delivery.WHOLE_MESSAGES && maxMessage > MAX_ASSEMBLED_MESSAGE_SIZE) {
            throw new IllegalArgumentException("whole-message delivery cannot assemble messages over "
                    + MAX_ASSEMBLED_MESSAGE_SIZE + " bytes; use Delivery.FRAGMENTS");
        }
    }

    /**
     * The largest frame payload accepted.
     *
     * @return bytes
     */
    public long maxFrameSize() {
        return maxFrameSize;
    }

    /**
     * The largest message accepted, summed over fragments.
     *
     * @return bytes
     */
    public long maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * The most frames one data message may span: as set, or by default one per KiB of the
     * message size limit and at least {@value #DEFAULT_MAX_FRAGMENTS}.
     *
     * @return frames, at least 1
     */
    public int maxFragments() {
        if (maxFragments > 0) {
            return maxFragments;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(DEFAULT_MAX_FRAGMENTS, maxMessageSize >>> 10));
    }

    /**
     * How messages are delivered.
     *
     * @return the delivery mode
     */
    public Delivery delivery() {
        return delivery;
    }

    @Override
    public String toString() {
        return "ReaderSettings[maxFrameSize=" + maxFrameSize + ", maxMessageSize=" + maxMessageSize
                + ", maxFragments=" + maxFragments() + ", delivery=" + delivery + "]";
    }
}
