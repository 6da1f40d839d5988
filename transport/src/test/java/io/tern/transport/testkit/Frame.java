package io.tern.transport.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One WebSocket frame (RFC 6455 §5.2) as the raw peers of this kit write and read it, built and
 * parsed here, independently of the codec and the transport. The payload is always unmasked;
 * {@code masked} tells whether it was masked on the wire.
 *
 * <p><b>{@code rsv}</b> is the 3-bit value of the reserved bits with RSV1 as its highest bit:
 * {@link #RSV1} = 4, {@link #RSV2} = 2, {@link #RSV3} = 1, so a compressed frame of RFC 7692 has
 * {@code rsv == RSV1}. On the wire it sits at bits 6..4 of the first header byte
 * ({@code rsv << 4}). This is not the in-place mask of {@code io.tern.codec.Rsv} (0x40, 0x20,
 * 0x10).
 *
 * @param fin     the FIN bit
 * @param rsv     RSV1..RSV3 as a 3-bit value (see above)
 * @param opcode  the 4-bit opcode
 * @param masked  whether the frame carried a mask key
 * @param payload the payload, unmasked
 */
public record Frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {

    /** RSV1 in {@link #rsv()}: "compressed" under permessage-deflate (RFC 7692 §6). */
    public static final int RSV1 = 0b100;
    /** RSV2 in {@link #rsv()}. */
    public static final int RSV2 = 0b010;
    /** RSV3 in {@link #rsv()}. */
    public static final int RSV3 = 0b001;

    /** The one mask key of every masked frame built here, so that each test's bytes are reproducible. */
    public static final int MASK = 0x5a3c96e1;

    /** The longest payload a test reads: 64 MiB; a longer length field means the stream is out of step. */
    public static final long MAX_PAYLOAD = 64L << 20;

    // ------------------------------------------------------------------ building

    /**
     * The bytes of a frame, with the shortest length encoding and, when {@code masked}, the key
     * {@link #MASK}.
     *
     * @param fin     the FIN bit
     * @param rsv     RSV1..RSV3 as a 3-bit value ({@link #RSV1} = 4)
     * @param opcode  the opcode, 0..15
     * @param masked  whether to mask (as a client must)
     * @param payload the payload, unmasked
     * @return the frame's bytes
     */
    public static byte[] encode(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(payload.length + 14);
        b.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            b.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            b.write(maskBit | 126);
            b.write(payload.length >>> 8);
            b.write(payload.length);
        } else {
            b.write(maskBit | 127);
            long n = payload.length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                b.write((int) (n >>> shift));
            }
        }
        if (masked) {
            byte[] key = {(byte) (MASK >>> 24), (byte) (MASK >>> 16), (byte) (MASK >>> 8), (byte) MASK};
            b.write(key, 0, 4);
            for (int i = 0; i < payload.length; i++) {
                b.write(payload[i] ^ key[i & 3]);
            }
        } else {
            b.write(payload, 0, payload.length);
        }
        return b.toByteArray();
    }

    /** A masked, final client frame without reserved bits. */
    public static byte[] clientFrame(int opcode, byte[] payload) {
        return encode(true, 0, opcode, true, payload);
    }

    /** This frame's bytes again, masked with {@link #MASK} when it was masked. */
    public byte[] encode() {
        return encode(fin, rsv, opcode, masked, payload);
    }

    /** The payload of a close frame (RFC 6455 §5.5.1): the code, big-endian, then the reason in UTF-8. */
    public static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }

    // ------------------------------------------------------------------ parsing

    /**
     * Reads one frame and unmasks its payload: {@code null} when the stream ends before the frame,
     * {@link EOFException} when it ends inside it.
     */
    public static Frame read(InputStream in) throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = readByte(in);
        long length = b1 & 0x7f;
        if (length == 126) {
            length = (readByte(in) << 8) | readByte(in);
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte(in);
            }
        }
        long n = length;
        assertTrue(n >= 0 && n <= MAX_PAYLOAD, () -> "implausible frame length " + n);
        boolean masked = (b1 & 0x80) != 0;
        byte[] key = masked ? readFully(in, 4) : null;
        byte[] payload = readFully(in, (int) length);
        if (masked) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= key[i & 3];
            }
        }
        return new Frame((b0 & 0x80) != 0, (b0 >>> 4) & 7, b0 & 0x0f, masked, payload);
    }

    /** The complete frames in {@code bytes}; a truncated frame at the end is left out. */
    public static List<Frame> parseAll(byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        try {
            for (Frame f; (f = read(in)) != null; ) {
                frames.add(f);
            }
        } catch (EOFException truncated) {
            // the tail is not a whole frame
        } catch (IOException e) {
            throw new IllegalStateException("a byte array cannot fail to read", e);
        }
        return frames;
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("stream ended inside a frame header");
        }
        return b;
    }

    private static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new EOFException("stream ended inside a frame after " + bytes.length + " of " + n + " bytes");
        }
        return bytes;
    }

    // ------------------------------------------------------------------ reading the payload

    /** The code of a close frame; fails when this is not a close frame or it has no code. */
    public int closeCode() {
        assertEquals(0x8, opcode, () -> "expected a close frame, got " + this);
        assertTrue(payload.length >= 2, "close frame without a code");
        return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }

    /** The reason of a close frame, decoded as UTF-8. */
    public String closeReason() {
        return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }

    /** The payload decoded as UTF-8. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Frame[fin=" + fin + ", rsv=" + rsv + ", opcode=" + opcode + ", masked=" + masked
                + ", length=" + payload.length + "]";
    }
}
