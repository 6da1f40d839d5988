package io.tern.codec.deflate;

import java.nio.ByteBuffer;

/**
 * Packs bits least significant bit first (RFC 1951 section 3.1.1) into a fixed staging array from
 * which finished bytes are copied to the caller's buffer.
 *
 * <p>Up to 31 bits are held in an accumulator; whole 32-bit groups are moved to the staging array
 * as soon as they are complete. Writers must check {@link #room()} before writing: this class does
 * no bounds checking of its own beyond what the JVM does. Not thread-safe; never allocates after
 * construction.
 */
final class BitWriter {

    private final byte[] stage;
    /** Bytes of {@link #stage} that hold output. */
    private int length;
    /** Bytes of {@link #stage} already handed to the caller. */
    private int drained;
    private long accumulator;
    private int bitCount;

    /**
     * Creates a writer with the given staging capacity.
     *
     * @param capacity staging size in bytes, at least 64
     */
    BitWriter(int capacity) {
        stage = new byte[capacity];
    }

    /**
     * Appends the low {@code count} bits of {@code value}.
     *
     * @param value bits to write; must be below {@code 2^count}
     * @param count number of bits, 0..32
     */
    void put(int value, int count) {
        long acc = accumulator | ((value & 0xFFFF_FFFFL) << bitCount);
        int n = bitCount + count;
        if (n >= 32) {
            int at = length;
            stage[at] = (byte) acc;
            stage[at + 1] = (byte) (acc >>> 8);
            stage[at + 2] = (byte) (acc >>> 16);
            stage[at + 3] = (byte) (acc >>> 24);
            length = at + 4;
            acc >>>= 32;
            n -= 32;
        }
        accumulator = acc;
        bitCount = n;
    }

    /** Pads with zero bits up to the next byte boundary and moves every pending bit to the stage. */
    void alignToByte() {
        long acc = accumulator;
        for (int n = bitCount; n > 0; n -= 8) {
            stage[length++] = (byte) acc;
            acc >>>= 8;
        }
        accumulator = 0;
        bitCount = 0;
    }

    /**
     * Appends one byte; only valid right after {@link #alignToByte()}.
     *
     * @param value the byte, in the low 8 bits
     */
    void putAlignedByte(int value) {
        stage[length++] = (byte) value;
    }

    /**
     * Appends bytes verbatim; only valid right after {@link #alignToByte()}.
     *
     * @param src source array
     * @param offset first byte to copy
     * @param count number of bytes, at most {@link #room()}
     */
    void putAlignedBytes(byte[] src, int offset, int count) {
        System.arraycopy(src, offset, stage, length, count);
        length += count;
    }

    /**
     * Returns the number of bytes that may still be written to the stage.
     *
     * @return free staging bytes
     */
    int room() {
        return stage.length - length;
    }

    /**
     * Returns the number of bits written since the last byte boundary.
     *
     * @return 0..7
     */
    int bitOffset() {
        return bitCount & 7;
    }

    /**
     * Returns the number of staged bytes not yet handed to the caller.
     *
     * @return pending bytes
     */
    int pending() {
        return length - drained;
    }

    /**
     * Copies as many staged bytes as fit into {@code out}; the stage is rewound once empty.
     *
     * @param out destination; its position advances
     */
    void drainTo(ByteBuffer out) {
        int n = Math.min(length - drained, out.remaining());
        if (n > 0) {
            out.put(stage, drained, n);
            drained += n;
        }
        if (drained == length) {
            drained = 0;
            length = 0;
        }
    }

    /** Forgets all staged bytes and pending bits. */
    void clear() {
        length = 0;
        drained = 0;
        accumulator = 0;
        bitCount = 0;
    }
}
