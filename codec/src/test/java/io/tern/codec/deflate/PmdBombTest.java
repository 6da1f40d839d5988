package io.tern.codec.deflate;

import static io.tern.codec.deflate.PmdSupport.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.BufferPool;
import io.tern.codec.Bytes;
import io.tern.codec.Feeding;
import io.tern.codec.Frames;
import io.tern.codec.MessageListener;
import io.tern.codec.MessageReader;
import io.tern.codec.ReaderSettings;
import io.tern.codec.Role;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decompression bombs: compressed messages far below the message limit whose inflated size is far
 * above it must fail with 1009 while inflating, quickly, without the reader ever holding much more
 * than the limit.
 */
class PmdBombTest {

    private static final long GIB = 1L << 30;
    private static final int LIMIT = (int) ReaderSettings.DEFAULT_MAX_MESSAGE_SIZE;
    private static final int CHUNK = 8 << 20;
    private static final ZStreamPool POOL = new ZStreamPool();

    /** Inflates to 1 GiB of zeros. DEFLATE cannot beat 1032:1, so this is about 1 MB, under the limit. */
    private static byte[] gigabyteBomb;
    /** A few KB that inflate to 8 MiB of zeros. */
    private static byte[] smallBomb;

    @BeforeAll
    static void buildBombs() throws Exception {
        // Deflater level 9 on zeros fed in 8 MiB chunks, sync-flushed after each chunk. After the
        // first chunk, a chunk's output only copies from earlier zeros, so it is valid after any
        // earlier chunk: the second chunk's output is repeated instead of compressing 1 GiB.
        Deflater deflater = new Deflater(9, true);
        byte[] zeros = new byte[CHUNK];
        byte[] first;
        byte[] next;
        try {
            first = syncFlushed(deflater, zeros);
            next = syncFlushed(deflater, zeros);
        } finally {
            deflater.end();
        }
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.writeBytes(first);
        for (long n = CHUNK; n < GIB; n += CHUNK) {
            bomb.writeBytes(next);
        }
        gigabyteBomb = stripTail(bomb.toByteArray());
        smallBomb = stripTail(first);

        // Prove the sizes with an independent inflater (without keeping the output).
        assertEquals(GIB, inflatedZeros(gigabyteBomb));
        assertEquals(CHUNK, inflatedZeros(smallBomb));
        assertTrue(gigabyteBomb.length < LIMIT, "bomb larger than the limit itself: " + gigabyteBomb.length);
        assertTrue(smallBomb.length < 16 * 1024, "small bomb: " + smallBomb.length);
    }

    @AfterAll
    static void closePool() {
        POOL.close();
    }

    private static byte[] syncFlushed(Deflater d, byte[] input) {
        d.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        while (!d.needsInput()) {
            out.write(buf, 0, d.deflate(buf, 0, buf.length, Deflater.NO_FLUSH));
        }
        while (true) {
            int n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
            if (n < buf.length) {
                return out.toByteArray();
            }
        }
    }

    private static byte[] stripTail(byte[] b) {
        assertTrue(Arrays.equals(PmdSupport.TAIL, Arrays.copyOfRange(b, b.length - 4, b.length)));
        return Arrays.copyOf(b, b.length - 4);
    }

    private static long inflatedZeros(byte[] compressed) throws Exception {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(Bytes.concat(compressed, PmdSupport.TAIL));
            byte[] out = new byte[1 << 20];
            long total = 0;
            while (true) {
                int n = inflater.inflate(out);
                if (n == 0) {
                    break;
                }
                total += n;
                assertEquals(0, out[n - 1] | out[n / 2] | out[0]);
            }
            assertEquals(0, inflater.getRemaining());
            return total;
        } finally {
            inflater.end();
        }
    }

    /** Records the largest buffer lent and the most bytes lent at once. */
    static final class MeasuringPool implements BufferPool {
        long largest;
        long outstanding;
        long mostOutstanding;
        int acquired;

        @Override
        public ByteBuffer acquire(int minCapacity) {
            ByteBuffer b = ByteBuffer.allocate(minCapacity);
            acquired++;
            largest = Math.max(largest, minCapacity);
            outstanding += minCapacity;
            mostOutstanding = Math.max(mostOutstanding, outstanding);
            return b;
        }

        @Override
        public void release(ByteBuffer buffer) {
            outstanding -= buffer.capacity();
        }
    }

    /** Counts what reaches the application. */
    static final class CountingListener implements MessageListener {
        long dataBytes;
        int messages;

        @Override
        public void onText(ByteBuffer utf8, boolean last) {
            dataBytes += utf8.remaining();
            messages += last ? 1 : 0;
        }

        @Override
        public void onBinary(ByteBuffer data, boolean last) {
            dataBytes += data.remaining();
            messages += last ? 1 : 0;
        }

        @Override
        public void onPing(ByteBuffer payload) {
        }

        @Override
        public void onPong(ByteBuffer payload) {
        }

        @Override
        public void onClose(int code, String reason) {
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (ReaderSettings.Delivery d : ReaderSettings.Delivery.values()) {
            for (Role r : Role.values()) {
                for (Feeding f : Feeding.values()) {
                    if (f != Feeding.BYTE_BY_BYTE_DIRECT) { // a million direct buffers, for nothing new
                        out.add(Arguments.of(d, r, f));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    @Timeout(20)
    void gigabyteBombFails1009(ReaderSettings.Delivery delivery, Role readerRole, Feeding feeding) {
        bomb(gigabyteBomb, delivery, readerRole, feeding, ReaderSettings.defaults());
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    @Timeout(20)
    void smallBombFails1009(ReaderSettings.Delivery delivery, Role readerRole, Feeding feeding) {
        bomb(smallBomb, delivery, readerRole, feeding, ReaderSettings.defaults());
    }

    /** The limit is what bounds the reader: a larger one lets it hold more, never more than it. */
    @Test
    @Timeout(20)
    void boundFollowsTheConfiguredLimit() {
        for (ReaderSettings.Delivery d : ReaderSettings.Delivery.values()) {
            // The compressed bytes count against the limit too, so it must exceed them.
            for (long limit : new long[] {10_000, 100_000}) {
                bomb(smallBomb, d, Role.CLIENT, Feeding.WHOLE_HEAP, ReaderSettings.defaults().withMaxMessageSize(limit));
            }
            for (long limit : new long[] {gigabyteBomb.length + 1, 3L << 20, 16L << 20}) {
                bomb(gigabyteBomb, d, Role.SERVER, Feeding.RANDOM_SPLITS_SEED_2,
                        ReaderSettings.defaults().withMaxMessageSize(limit));
            }
        }
    }

    private static void bomb(byte[] compressed, ReaderSettings.Delivery delivery, Role readerRole, Feeding feeding,
                             ReaderSettings base) {
        ReaderSettings settings = base.withDelivery(delivery).withMaxFrameSize(4L << 20);
        long limit = settings.maxMessageSize();
        byte[] wire = readerRole == Role.CLIENT ? Frames.unmasked(0xC2, compressed)
                : Frames.masked(0xC2, compressed, 0x5EED1234);
        MeasuringPool buffers = new MeasuringPool();
        CountingListener listener = new CountingListener();
        MessageReader reader = new MessageReader(readerRole, settings, listener, buffers);
        reader.enableCompression(new PerMessageInflater(params(false, false, 15, 15), readerRole, POOL));
        long start = System.nanoTime();
        int status = MessageReader.NEED_MORE;
        for (ByteBuffer chunk : feeding.chunks(wire)) {
            status = reader.read(chunk);
            if (status != MessageReader.NEED_MORE) {
                break;
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        String label = delivery + " " + readerRole + " " + feeding + " limit " + limit;
        assertEquals(MessageReader.FAILED, status, label);
        assertEquals(1009, reader.failureCode(), label);
        assertEquals("message larger than the configured maximum after inflation", reader.failureReason(), label);
        assertEquals(0, listener.messages, label);
        assertTrue(listener.dataBytes <= limit, label + ": delivered " + listener.dataBytes);
        if (delivery == ReaderSettings.Delivery.WHOLE_MESSAGES) {
            assertEquals(0, listener.dataBytes, label);
            assertTrue(buffers.largest <= limit + 1 + 16384, label + ": largest buffer " + buffers.largest);
        } else {
            assertTrue(buffers.largest <= 64 * 1024, label + ": largest buffer " + buffers.largest);
            assertTrue(buffers.mostOutstanding <= 64 * 1024, label + ": held " + buffers.mostOutstanding);
        }
        assertTrue(buffers.mostOutstanding <= 2 * limit + 2 + 64 * 1024, label + ": held " + buffers.mostOutstanding);
        assertEquals(0, buffers.outstanding, label + ": buffers kept after the failure");
        assertTrue(millis < 10_000, label + ": took " + millis + " ms");
    }
}
