package io.tern.autobahn.runner;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;

/**
 * The runner's own frame encoding and decoding (RFC 6455 §5.2), independent of Tern's codec. Encoding
 * writes exactly what an {@link OutFrame} asks for, valid or not; decoding reads any frame structure
 * and leaves the protocol rules to the engine.
 *
 * <p>Thread-safe: no state but a {@link SecureRandom}, which is thread-safe.
 */
final class FrameCodec {

    /** Frames with a longer payload are refused (the largest case message is 16 MiB). */
    static final long MAX_PAYLOAD = 64L << 20;

    private final SecureRandom random = new SecureRandom();

    /** Draws a masking key (RFC 6455 §5.3). */
    byte[] newMaskKey() {
        byte[] key = new byte[4];
        random.nextBytes(key);
        return key;
    }

    /**
     * Encodes a frame: header, masking key if masked, payload masked if masked.
     *
     * @param key the masking key, or null for an unmasked frame
     */
    static byte[] encode(boolean fin, int rsv, int opcode, byte[] payload, byte[] key) {
        int len = payload.length;
        int headerLen = 2 + (len <= 125 ? 0 : len <= 0xFFFF ? 2 : 8) + (key == null ? 0 : 4);
        byte[] out = new byte[headerLen + len];
        out[0] = (byte) ((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int at = 2;
        int maskBit = key == null ? 0 : 0x80;
        if (len <= 125) {
            out[1] = (byte) (maskBit | len);
        } else if (len <= 0xFFFF) {
            out[1] = (byte) (maskBit | 126);
            out[2] = (byte) (len >>> 8);
            out[3] = (byte) len;
            at = 4;
        } else {
            out[1] = (byte) (maskBit | 127);
            long l = len;
            for (int i = 0; i < 8; i++) {
                out[2 + i] = (byte) (l >>> (56 - 8 * i));
            }
            at = 10;
        }
        if (key != null) {
            System.arraycopy(key, 0, out, at, 4);
            at += 4;
            for (int i = 0; i < len; i++) {
                out[at + i] = (byte) (payload[i] ^ key[i & 3]);
            }
        } else {
            System.arraycopy(payload, 0, out, at, len);
        }
        return out;
    }

    /** Raised for a frame that cannot be read at all (64-bit length with the high bit set, too large). */
    static final class BadFrameException extends IOException {
        private static final long serialVersionUID = 1L;

        BadFrameException(String message) {
            super(message);
        }
    }

    /**
     * Reads one frame, blocking.
     *
     * @return the frame, or null if the stream ended exactly at a frame boundary
     * @throws EOFException      if the stream ended inside a frame
     * @throws BadFrameException if the length field is impossible or above {@link #MAX_PAYLOAD}
     */
    static InFrame read(InputStream in) throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = readByte(in);
        boolean masked = (b1 & 0x80) != 0;
        long len = b1 & 0x7F;
        if (len == 126) {
            len = ((long) readByte(in) << 8) | readByte(in);
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | readByte(in);
            }
            if (len < 0) {
                throw new BadFrameException("64-bit payload length with the most significant bit set");
            }
        }
        if (len > MAX_PAYLOAD) {
            throw new BadFrameException("frame payload of " + len + " bytes exceeds the runner's limit of " + MAX_PAYLOAD);
        }
        byte[] key = null;
        if (masked) {
            key = in.readNBytes(4);
            if (key.length < 4) {
                throw new EOFException("stream ended inside a masking key");
            }
        }
        byte[] payload = in.readNBytes((int) len);
        if (payload.length < len) {
            throw new EOFException("stream ended inside a frame payload (" + payload.length + " of " + len + " bytes)");
        }
        if (key != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= key[i & 3];
            }
        }
        return new InFrame((b0 & 0x80) != 0, (b0 >>> 4) & 7, b0 & 0xF, masked, key, payload);
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("stream ended inside a frame header");
        }
        return b;
    }
}
