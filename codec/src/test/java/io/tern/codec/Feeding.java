package io.tern.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The ways a test feeds bytes to a decoder: whole, one byte at a time, and split at random points
 * (seeded, so a failure can be reproduced), each on heap and direct buffers.
 */
public enum Feeding {
    WHOLE_HEAP(0, false),
    WHOLE_DIRECT(0, true),
    BYTE_BY_BYTE_HEAP(1, false),
    BYTE_BY_BYTE_DIRECT(1, true),
    RANDOM_SPLITS_SEED_1(-1, false),
    RANDOM_SPLITS_SEED_2(-2, true),
    RANDOM_SPLITS_SEED_3(-3, false),
    RANDOM_SPLITS_SEED_4(-4, true);

    private final int mode;
    private final boolean direct;

    Feeding(int mode, boolean direct) {
        this.mode = mode;
        this.direct = direct;
    }

    /** All feedings, for {@code @MethodSource}/{@code @EnumSource}. */
    public static Stream<Feeding> all() {
        return Stream.of(values());
    }

    /** Whether this feeding uses direct buffers. */
    public boolean direct() {
        return direct;
    }

    /**
     * Splits {@code input} into chunks. Each chunk is a fresh buffer holding only its bytes
     * (position 0, limit = length), as a socket read would give them.
     */
    public List<ByteBuffer> chunks(byte[] input) {
        List<ByteBuffer> out = new ArrayList<>();
        if (mode == 0) {
            out.add(buffer(input, 0, input.length));
        } else if (mode == 1) {
            for (int i = 0; i < input.length; i++) {
                out.add(buffer(input, i, 1));
            }
        } else {
            Random random = new Random(-mode * 7919L + input.length);
            int i = 0;
            while (i < input.length) {
                int n = 1 + random.nextInt(Math.min(input.length - i, 1 + random.nextInt(40)));
                out.add(buffer(input, i, n));
                i += n;
            }
        }
        return out;
    }

    /** Feeds {@code input} chunk by chunk to {@code sink}. */
    public void feed(byte[] input, Consumer<ByteBuffer> sink) {
        for (ByteBuffer chunk : chunks(input)) {
            sink.accept(chunk);
        }
    }

    private ByteBuffer buffer(byte[] input, int from, int length) {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(length) : ByteBuffer.allocate(length);
        b.put(input, from, length).flip();
        return b;
    }
}
