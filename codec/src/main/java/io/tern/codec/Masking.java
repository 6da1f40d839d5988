package io.tern.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The XOR masking of RFC 6455 §5.3, applied in place, eight bytes at a time.
 *
 * <p>The mask key is a 32-bit {@code int} in wire order: its most significant byte is the first
 * key byte on the wire. Payload byte {@code j} (counting from the start of the frame's payload) is
 * XORed with key byte {@code j % 4}. Because a payload may arrive in pieces, each call says where
 * in the payload its first byte sits ({@code payloadOffset}); the key is rotated to that offset,
 * so any split of a payload gives the same result as masking it whole.
 *
 * <p>Masking and unmasking are the same operation. The bulk loop reads and writes {@code long}s
 * at absolute indexes (the JIT turns these into plain unaligned loads and stores on heap and
 * direct buffers alike); the key is spread over a {@code long} in the buffer's own byte order, so
 * no byte swapping happens per word.
 */
public final class Masking {

    private Masking() {
    }

    /**
     * XORs bytes {@code from} (inclusive) to {@code to} (exclusive) of {@code buf} with the mask.
     * The buffer's position and limit are not used or changed.
     *
     * @param buf           the bytes to mask or unmask, heap or direct, not read-only
     * @param from          absolute index of the first byte
     * @param to            absolute index one past the last byte
     * @param maskKey       the four key bytes, first wire byte most significant
     * @param payloadOffset the offset of {@code buf[from]} within the frame's payload
     */
    public static void apply(ByteBuffer buf, int from, int to, int maskKey, long payloadOffset) {
        // Rotate so that the key byte due at `from` is the most significant byte.
        int key = Integer.rotateLeft(maskKey, ((int) payloadOffset & 3) << 3);
        int i = from;
        if (to - i >= 8) {
            long wide = (key & 0xFFFF_FFFFL) | ((long) key << 32);
            if (buf.order() == ByteOrder.LITTLE_ENDIAN) {
                wide = Long.reverseBytes(wide);
            }
            int end = to - 7;
            for (; i < end; i += 8) {
                buf.putLong(i, buf.getLong(i) ^ wide);
            }
            // Eight bytes is two whole key periods: the rotation still holds at i.
        }
        for (int shift = 24; i < to; i++) {
            buf.put(i, (byte) (buf.get(i) ^ (key >>> shift)));
            shift = (shift - 8) & 31;
        }
    }

    /**
     * XORs the remaining bytes of {@code buf} (position to limit) with the mask, as the payload
     * of a frame that starts at the buffer's position. The position is not moved.
     *
     * @param buf     the payload
     * @param maskKey the four key bytes, first wire byte most significant
     */
    public static void apply(ByteBuffer buf, int maskKey) {
        apply(buf, buf.position(), buf.limit(), maskKey, 0);
    }
}
