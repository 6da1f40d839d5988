package io.tern.autobahn.runner;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A frame a case sends exactly as specified, valid or not (RFC 6455 §5.2): any opcode, FIN, the
 * three RSV bits, any payload length (a short payload may be repeated up to a declared length, as the
 * official suite's {@code payload_len}), masking chosen by role or forced either way, an explicit
 * masking key, and how the encoded bytes are cut into TCP writes ({@code chopsize}) with an optional
 * pause between the pieces ({@code sync}).
 *
 * <p>Immutable: each {@code with}-style method returns a new frame.
 */
public final class OutFrame {

    /** Opcodes of RFC 6455 §5.2. Reserved ones (3–7, 11–15) are just numbers. */
    public static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;

    /** Masking decision: by the runner's role (client masks), always, or never. */
    public enum Masking { ROLE, MASKED, UNMASKED }

    private final int opcode;
    private final byte[] payload;
    private final long length;
    private final boolean fin;
    private final int rsv;
    private final Masking masking;
    private final byte[] maskKey;
    private final int chopSize;
    private final Duration chopDelay;
    private final boolean sync;

    private OutFrame(int opcode, byte[] payload, long length, boolean fin, int rsv, Masking masking, byte[] maskKey,
                     int chopSize, Duration chopDelay, boolean sync) {
        if (opcode < 0 || opcode > 15) {
            throw new IllegalArgumentException("opcode is 4 bits: " + opcode);
        }
        if (rsv < 0 || rsv > 7) {
            throw new IllegalArgumentException("rsv is 3 bits (RSV1=4, RSV2=2, RSV3=1): " + rsv);
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        if (maskKey != null && maskKey.length != 4) {
            throw new IllegalArgumentException("a masking key has 4 bytes");
        }
        this.opcode = opcode;
        this.payload = payload;
        this.length = length;
        this.fin = fin;
        this.rsv = rsv;
        this.masking = masking;
        this.maskKey = maskKey;
        this.chopSize = chopSize;
        this.chopDelay = chopDelay;
        this.sync = sync;
    }

    /** A final, unfragmented frame, RSV bits clear, masked by role, written in one piece. */
    public static OutFrame of(int opcode, byte[] payload) {
        return new OutFrame(opcode, payload.clone(), payload.length, true, 0, Masking.ROLE, null, 0, Duration.ZERO, false);
    }

    /** As {@link #of(int, byte[])} with the UTF-8 encoding of {@code text}. */
    public static OutFrame of(int opcode, String text) {
        return of(opcode, text.getBytes(StandardCharsets.UTF_8));
    }

    /** FIN bit (true: last fragment of its message, RFC 6455 §5.4). */
    public OutFrame fin(boolean value) {
        return new OutFrame(opcode, payload, length, value, rsv, masking, maskKey, chopSize, chopDelay, sync);
    }

    /** RSV bits as a 3-bit number: RSV1 = 4, RSV2 = 2, RSV3 = 1. */
    public OutFrame rsv(int bits) {
        return new OutFrame(opcode, payload, length, fin, bits, masking, maskKey, chopSize, chopDelay, sync);
    }

    /**
     * Declared payload length: the payload is repeated (and cut) to exactly this many bytes, as the
     * official suite's {@code payload_len}. With an empty payload, zeros are sent.
     */
    public OutFrame repeatTo(long payloadLength) {
        return new OutFrame(opcode, payload, payloadLength, fin, rsv, masking, maskKey, chopSize, chopDelay, sync);
    }

    /** Forces masking on or off regardless of role, or back to the role default. */
    public OutFrame masking(Masking value) {
        return new OutFrame(opcode, payload, length, fin, rsv, Objects.requireNonNull(value), maskKey, chopSize, chopDelay, sync);
    }

    /** Masks with this key (4 bytes); implies {@link Masking#MASKED}. */
    public OutFrame maskKey(byte[] key) {
        return new OutFrame(opcode, payload, length, fin, rsv, Masking.MASKED, key.clone(), chopSize, chopDelay, sync);
    }

    /**
     * Writes the encoded frame in pieces of {@code bytes} bytes, one socket write each, pausing
     * {@code delay} between pieces (zero: a pause of about 10 µs, as the official suite's queued writes,
     * so the pieces leave as separate TCP segments).
     * {@code bytes} 0 means the whole frame in one write.
     */
    public OutFrame chop(int bytes, Duration delay) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative chop size " + bytes);
        }
        return new OutFrame(opcode, payload, length, fin, rsv, masking, maskKey, bytes, Objects.requireNonNull(delay), sync);
    }

    /** Same as {@code chop(bytes, Duration.ZERO)}. */
    public OutFrame chop(int bytes) {
        return chop(bytes, Duration.ZERO);
    }

    /**
     * The official suite's {@code sync}: the frame goes out in its own socket write(s), flushed, followed
     * by a short pause (1 ms), so it is not coalesced with the next frame into one TCP segment.
     */
    public OutFrame sync(boolean value) {
        return new OutFrame(opcode, payload, length, fin, rsv, masking, maskKey, chopSize, chopDelay, value);
    }

    /** True if {@link #sync(boolean)} was set. */
    public boolean sync() { return sync; }

    public int opcode() { return opcode; }

    /** The payload as given (not repeated), a copy. */
    public byte[] payload() { return payload.clone(); }

    /** The length of the payload on the wire. */
    public long length() { return length; }

    public boolean fin() { return fin; }

    public int rsv() { return rsv; }

    public Masking masking() { return masking; }

    /** The explicit masking key, or null if the engine draws one. */
    public byte[] maskKey() { return maskKey == null ? null : maskKey.clone(); }

    public int chopSize() { return chopSize; }

    public Duration chopDelay() { return chopDelay; }

    /** The wire payload: the given payload repeated or cut to {@link #length()} bytes. */
    public byte[] wirePayload() {
        if (length == payload.length) {
            return payload.clone();
        }
        if (length > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("payload too large to build in memory: " + length);
        }
        byte[] out = new byte[(int) length];
        if (payload.length > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] = payload[i % payload.length];
            }
        }
        return out;
    }
}
