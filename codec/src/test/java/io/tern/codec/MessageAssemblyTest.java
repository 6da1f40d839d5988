package io.tern.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How a reader borrows the buffers it assembles messages in: geometric growth from the bytes that
 * arrived (never from a declared length), every buffer given back, and a total cost that is a small
 * constant factor of the message, however many fragments it comes in and however the bytes are
 * split into reads.
 */
class MessageAssemblyTest {

    private static final int KEY = 0x1b2c3d4e;
    private static final int MIN_ASSEMBLY = 4096;

    /** Collects the bytes of each delivered message. */
    private static final class Collector extends RecordingListener {
        final List<byte[]> messages = new ArrayList<>();
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();

        @Override
        public void onBinary(ByteBuffer data, boolean last) {
            current.writeBytes(Bytes.remaining(data));
            if (last) {
                messages.add(current.toByteArray());
                current.reset();
            }
        }
    }

    static Stream<Arguments> fragmentations() {
        List<Arguments> all = new ArrayList<>();
        for (Feeding f : Feeding.values()) {
            for (int fragment : new int[] {0, 1, 125, 16 * 1024}) {
                all.add(Arguments.of(f, fragment));
            }
        }
        return all.stream();
    }

    /** The message as masked binary frames of {@code fragment} bytes (0: one frame). */
    private static byte[] wire(byte[] message, int fragment) {
        int step = fragment == 0 ? message.length : fragment;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        do {
            int n = Math.min(step, message.length - at);
            int b0 = (at + n == message.length ? 0x80 : 0) | (at == 0 ? Opcode.BINARY : Opcode.CONTINUATION);
            byte[] piece = new byte[n];
            System.arraycopy(message, at, piece, 0, n);
            out.writeBytes(Frames.masked(b0, piece, KEY));
            at += n;
        } while (at < message.length);
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0}, fragments of {1}")
    @MethodSource("fragmentations")
    void assemblyGrowsGeometricallyAndGivesEveryBufferBack(Feeding feeding, int fragment) {
        int n = 100_003;
        byte[] message = Bytes.pattern(n, 5);
        CountingPool pool = new CountingPool();
        Collector listener = new Collector();
        // 1-byte fragments make 100,003 frames: far past the default fragment limit, lifted here.
        MessageReader reader = new MessageReader(Role.SERVER,
                ReaderSettings.defaults().withMaxFragments(Integer.MAX_VALUE), listener, pool);
        for (ByteBuffer chunk : feeding.chunks(wire(message, fragment))) {
            assertEquals(MessageReader.NEED_MORE, reader.read(chunk));
        }
        assertEquals(1, listener.messages.size());
        assertArrayEquals(message, listener.messages.get(0));
        assertEquals(List.of(), pool.errors);
        assertEquals(0, pool.lent(), "every buffer is given back after delivery");
        if (fragment == 0 && (feeding == Feeding.WHOLE_HEAP || feeding == Feeding.WHOLE_DIRECT)) {
            assertEquals(List.of(), pool.acquired, "one frame in one read is delivered from the input");
            return;
        }
        String pattern = "capacities asked: " + pool.acquired;
        assertEquals("", pool.nonGeometricSteps(n), pattern);
        // 4 KiB, 8, 16, 32, 64, 128 KiB: at most log2(n / 4 KiB) + 2 buffers.
        assertTrue(pool.acquired.size() <= 32 - Integer.numberOfLeadingZeros(n / MIN_ASSEMBLY) + 2, pattern);
        assertTrue(pool.acquiredBytes() < 4L * n, pattern);
        assertTrue(pool.mostLent() <= 2, "at most the old and the new buffer while copying; " + pattern);
        assertTrue(pool.mostLentBytes() < 3L * n, pattern);
    }

    @ParameterizedTest(name = "fragments of {0}")
    @MethodSource("fragmentSizes")
    void growthStopsAtTheLimit(int fragment) {
        int limit = 70_000;
        byte[] message = Bytes.pattern(limit, 3);
        CountingPool pool = new CountingPool();
        Collector listener = new Collector();
        MessageReader reader = new MessageReader(Role.SERVER,
                ReaderSettings.defaults().withMaxMessageSize(limit).withMaxFragments(Integer.MAX_VALUE), listener, pool);
        Feeding.RANDOM_SPLITS_SEED_1.feed(wire(message, fragment), reader::read);
        assertArrayEquals(message, listener.messages.get(0));
        for (int capacity : pool.acquired) {
            assertTrue(capacity <= limit, "never more than the limit: " + pool.acquired);
        }
        assertEquals(0, pool.lent());
    }

    static Stream<Integer> fragmentSizes() {
        return Stream.of(1, 125, 4096, 16 * 1024, 65_000);
    }

    /**
     * A 64-bit header may declare the whole limit; the reader borrows for the bytes that came,
     * so a peer that declares 16 MiB and sends a thousand bytes costs 4 KiB, not 16 MiB.
     */
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void aDeclaredLengthBorrowsNothingUntilTheBytesArrive(Feeding feeding) {
        long declared = 16L << 20;
        ReaderSettings settings = ReaderSettings.defaults().withMaxFrameSize(declared).withMaxMessageSize(declared);
        for (int b0 : new int[] {0x82, 0x02}) { // the final frame of a message, and the first of several
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            in.write(b0);
            in.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                in.write((int) (declared >>> shift));
            }
            in.writeBytes(new byte[] {1, 2, 3, 4});   // mask key
            in.writeBytes(Bytes.pattern(1000, 7));    // the only payload bytes that ever come
            CountingPool pool = new CountingPool();
            MessageReader reader = new MessageReader(Role.SERVER, settings, new Collector(), pool);
            feeding.feed(in.toByteArray(), reader::read);
            assertTrue(reader.isInsideMessage());
            assertEquals(List.of(MIN_ASSEMBLY), pool.acquired, "borrowed for 1000 bytes, not for " + declared);
            reader.releaseBuffers();
            assertEquals(0, pool.lent());
        }
    }
}
