package io.tern.codec;

import java.io.ByteArrayOutputStream;

/**
 * Builds raw frames byte by byte for tests, including frames that break the rules (a test
 * encoder independent of {@link FrameEncoder}, so the two can check each other).
 */
public final class Frames {
    private Frames() {
    }

    /** A client-to-server frame: masked with {@code key}, minimal length encoding. */
    public static byte[] masked(int b0, byte[] payload, int key) {
        return raw(b0, payload, true, key, -1);
    }

    /** A server-to-client frame: unmasked, minimal length encoding. */
    public static byte[] unmasked(int b0, byte[] payload) {
        return raw(b0, payload, false, 0, -1);
    }

    /**
     * Any frame. {@code lengthForm} forces the length encoding: 7 (7-bit), 16, 64, or -1 for the
     * minimal form. {@code b0} is the whole first byte (FIN, RSV, opcode).
     */
    public static byte[] raw(int b0, byte[] payload, boolean masked, int key, int lengthForm) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b0);
        int n = payload.length;
        int form = lengthForm != -1 ? lengthForm : n < 126 ? 7 : n <= 0xFFFF ? 16 : 64;
        int maskBit = masked ? 0x80 : 0;
        if (form == 7) {
            out.write(maskBit | n);
        } else if (form == 16) {
            out.write(maskBit | 126);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(maskBit | 127);
            long len = n;
            for (int s = 56; s >= 0; s -= 8) {
                out.write((int) (len >>> s));
            }
        }
        if (masked) {
            out.write(key >>> 24);
            out.write(key >>> 16);
            out.write(key >>> 8);
            out.write(key);
            for (int i = 0; i < n; i++) {
                out.write(payload[i] ^ (key >>> (24 - 8 * (i & 3))));
            }
        } else {
            out.write(payload, 0, n);
        }
        return out.toByteArray();
    }

    /** A close payload: 2-byte code and UTF-8 reason. */
    public static byte[] closePayload(int code, String reason) {
        return Bytes.concat(new byte[] {(byte) (code >>> 8), (byte) code}, Bytes.utf8(reason));
    }
}
