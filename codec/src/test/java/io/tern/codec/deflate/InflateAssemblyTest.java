package io.tern.codec.deflate;

import static io.tern.codec.deflate.PmdSupport.params;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.Bytes;
import io.tern.codec.CountingPool;
import io.tern.codec.Feeding;
import io.tern.codec.Frames;
import io.tern.codec.MessageReader;
import io.tern.codec.ReaderSettings;
import io.tern.codec.RecordingListener;
import io.tern.codec.Role;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How a reader borrows buffers for compressed messages: the whole-message buffer is sized from the
 * compressed bytes at hand and doubled only for output that exists (a message that fills it
 * exactly costs no doubling), and the fragment-mode scratch buffer is held only within a read.
 */
class InflateAssemblyTest {

    private static final int KEY = 0x600dcafe;
    private static final int FIRST = 16 * 1024;
    private static final ZStreamPool STREAMS = new ZStreamPool();

    /** Collects the bytes of each delivered message and checks every buffer is given back. */
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

    private static MessageReader reader(ReaderSettings settings, Collector listener, CountingPool pool) {
        MessageReader reader = new MessageReader(Role.SERVER, settings, listener, pool);
        reader.enableCompression(new PerMessageInflater(params(false, false, 15, 15), Role.SERVER, STREAMS));
        return reader;
    }

    /** A compressed binary message in masked frames of {@code fragment} compressed bytes. */
    private static byte[] wire(byte[] compressed, int fragment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        do {
            int n = Math.min(fragment, compressed.length - at);
            int b0 = (at + n == compressed.length ? 0x80 : 0) | (at == 0 ? 0x42 : 0x00);
            out.writeBytes(Frames.masked(b0, Arrays.copyOfRange(compressed, at, at + n), KEY));
            at += n;
        } while (at < compressed.length);
        return out.toByteArray();
    }

    private static void read(MessageReader reader, byte[] wire, Feeding feeding, CountingPool pool) {
        for (ByteBuffer chunk : feeding.chunks(wire)) {
            assertEquals(MessageReader.NEED_MORE, reader.read(chunk), () -> reader.failureReason());
            assertEquals(0, pool.errors.size(), () -> pool.errors.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void aMessageThatFillsItsBufferExactlyIsNotDoubled(Feeding feeding) {
        int[][] cases = {
            {FIRST, FIRST},                  // exactly full: one buffer
            {FIRST + 1, FIRST, 2 * FIRST},   // one byte more: doubled once
            {2 * FIRST, FIRST, 2 * FIRST},   // exactly full again after one doubling
        };
        for (int[] c : cases) {
            byte[] message = PmdSupport.text(c[0], c[0]);
            CountingPool pool = new CountingPool();
            Collector listener = new Collector();
            MessageReader reader = reader(ReaderSettings.defaults(), listener, pool);
            read(reader, Frames.masked(0xC2, PmdSupport.jdkCompress(message), KEY), feeding, pool);
            assertArrayEquals(message, listener.messages.get(0));
            List<Integer> expected = new ArrayList<>();
            for (int i = 1; i < c.length; i++) {
                expected.add(c[i]);
            }
            assertEquals(expected, pool.acquired, c[0] + "-byte message");
            assertEquals(0, pool.lent());
        }
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void aFragmentedCompressedMessageGrowsGeometrically(Feeding feeding) {
        int n = 300_000;
        byte[] message = PmdSupport.text(n, 11);
        CountingPool pool = new CountingPool();
        Collector listener = new Collector();
        MessageReader reader = reader(ReaderSettings.defaults(), listener, pool);
        read(reader, wire(PmdSupport.jdkCompress(message), 1000), feeding, pool);
        assertArrayEquals(message, listener.messages.get(0));
        String pattern = "capacities asked: " + pool.acquired;
        assertEquals("", pool.nonGeometricSteps(ReaderSettings.DEFAULT_MAX_MESSAGE_SIZE + 1), pattern);
        assertTrue(pool.acquired.size() <= 32 - Integer.numberOfLeadingZeros(n / FIRST) + 2, pattern);
        assertTrue(pool.acquiredBytes() < 4L * n, pattern);
        assertTrue(pool.mostLent() <= 2, pattern);
        assertEquals(0, pool.lent());
    }

    /** A header may declare the limit in compressed bytes; the first buffer follows what came. */
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void aDeclaredCompressedLengthBorrowsForTheBytesThatCame(Feeding feeding) {
        long declared = 16L << 20;
        ReaderSettings settings = ReaderSettings.defaults().withMaxFrameSize(declared).withMaxMessageSize(declared);
        byte[] start = Arrays.copyOf(PmdSupport.jdkCompress(PmdSupport.random(4000, 5)), 1000);
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.write(0xC2);
        in.write(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8) {
            in.write((int) (declared >>> shift));
        }
        in.writeBytes(new byte[] {0, 0, 0, 0}); // mask key 0: the payload goes as it is
        in.writeBytes(start);
        CountingPool pool = new CountingPool();
        MessageReader reader = reader(settings, new Collector(), pool);
        read(reader, in.toByteArray(), feeding, pool);
        assertTrue(reader.isInsideMessage());
        assertEquals(List.of(FIRST), pool.acquired, "borrowed for 1000 compressed bytes, not for " + declared);
        reader.releaseBuffers();
        assertEquals(0, pool.lent());
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void theFragmentModeScratchBufferIsHeldOnlyWithinARead(Feeding feeding) {
        byte[] message = PmdSupport.text(100_000, 17);
        byte[] one = wire(PmdSupport.jdkCompress(message), 700);
        CountingPool pool = new CountingPool();
        Collector listener = new Collector();
        MessageReader reader = reader(ReaderSettings.defaults().withDelivery(ReaderSettings.Delivery.FRAGMENTS),
                listener, pool);
        for (ByteBuffer chunk : feeding.chunks(Bytes.concat(one, one))) {
            assertEquals(MessageReader.NEED_MORE, reader.read(chunk));
            assertEquals(0, pool.lent(), "nothing held between reads");
        }
        assertEquals(2, listener.messages.size());
        assertArrayEquals(message, listener.messages.get(0));
        assertArrayEquals(message, listener.messages.get(1));
        assertTrue(pool.acquired.stream().allMatch(c -> c == FIRST), "scratch buffers only: " + pool.acquired.size());
        assertEquals(List.of(), pool.errors);
    }
}
