package io.tern.codec.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.deflate.Codec.Feed;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sequences of sync-flushed messages, with and without context takeover. */
class MessageStreamTest {

    private static byte[] strip(byte[] message) {
        assertTrue(Codec.endsWithTail(message));
        return Arrays.copyOf(message, message.length - 4);
    }

    private static byte[] withTail(byte[] payload) {
        byte[] b = Arrays.copyOf(payload, payload.length + 4);
        b[payload.length + 2] = (byte) 0xFF;
        b[payload.length + 3] = (byte) 0xFF;
        return b;
    }

    @Test
    void secondMessageRefersToTheFirst() throws Exception {
        byte[] m = TestData.json(3000, 5);
        WindowedDeflater d = new WindowedDeflater(15);
        byte[] z1 = Codec.message(d, m);
        byte[] z2 = Codec.message(d, m);
        assertTrue(z2.length < z1.length / 10, "with takeover: " + z1.length + " then " + z2.length);

        StrictInflater strict = new StrictInflater();
        assertArrayEquals(m, strict.inflate(z1));
        assertArrayEquals(m, strict.inflate(z2));
        assertTrue(strict.maxDistance() >= m.length / 2, "message 2 reaches back into message 1");

        // The concatenated stream (tails included) inflates in one go as well.
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(z1);
        both.write(z2);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(m);
        expected.write(m);
        assertArrayEquals(expected.toByteArray(), Codec.jdkInflate(both.toByteArray()));
    }

    @Test
    void resetMakesMessagesIndependent() throws Exception {
        byte[] m = TestData.json(3000, 5);
        WindowedDeflater d = new WindowedDeflater(15);
        byte[] z1 = Codec.message(d, m);
        d.reset();
        byte[] z2 = Codec.message(d, m);
        // A reset encoder behaves like a new one.
        assertArrayEquals(z1, z2);
        assertArrayEquals(z1, Codec.message(new WindowedDeflater(15), m));
        assertArrayEquals(m, Codec.jdkInflate(z2));
        assertArrayEquals(m, new StrictInflater().inflate(z2));
    }

    @ParameterizedTest(name = "windowBits={0}")
    @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
    void manyMessagesWithContextTakeover(int bits) throws Exception {
        Random r = new Random(bits);
        WindowedDeflater d = new WindowedDeflater(bits);
        Inflater receiver = new Inflater(true);
        StrictInflater strict = new StrictInflater();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteArrayOutputStream allCompressed = new ByteArrayOutputStream();
        long in = 0;
        long out = 0;
        for (int i = 0; i < 300; i++) {
            int size = r.nextInt(10) == 0 ? r.nextInt(70_000) : r.nextInt(2500);
            byte[] m = i % 7 == 3 ? TestData.random(size, i) : i % 2 == 0 ? TestData.json(size, i) : TestData.logs(size, i);
            Feed feed = i % 3 == 0 ? Feed.RANDOM_SPLIT : Feed.WHOLE;
            byte[] z = Codec.message(d, m, feed, i % 5 == 0 ? 1 : 1000, i % 4 == 0, i);
            // As a WebSocket receiver does it: the sender strips the tail, the receiver restores it.
            byte[] payload = strip(z);
            assertArrayEquals(m, Codec.jdkInflate(receiver, withTail(payload)), "message " + i);
            assertArrayEquals(m, strict.inflate(z), "message " + i);
            all.write(m);
            allCompressed.write(z);
            in += m.length;
            out += z.length;
        }
        receiver.end();
        assertTrue(strict.maxDistance() <= (1 << bits), "max distance " + strict.maxDistance());
        assertTrue(strict.maxDistance() > (1 << bits) * 0.9, "the window is used: " + strict.maxDistance());
        assertTrue(out < in * 0.6, "compresses: " + out + " of " + in);
        assertArrayEquals(all.toByteArray(), Codec.jdkInflate(allCompressed.toByteArray()));
    }

    @ParameterizedTest(name = "windowBits={0}")
    @ValueSource(ints = {8, 12, 15})
    void manyMessagesWithoutContextTakeover(int bits) throws Exception {
        Random r = new Random(bits);
        WindowedDeflater d = new WindowedDeflater(bits);
        for (int i = 0; i < 200; i++) {
            int size = r.nextInt(10) == 0 ? r.nextInt(70_000) : r.nextInt(2500);
            byte[] m = TestData.logs(size, i % 3); // repeated content: takeover would help
            byte[] z = Codec.message(d, m, Feed.RANDOM_SPLIT, 512, false, i);
            d.reset();
            // Each message inflates alone, with a fresh decoder.
            assertArrayEquals(m, Codec.jdkInflate(z), "message " + i);
            StrictInflater strict = new StrictInflater();
            assertArrayEquals(m, strict.inflate(z));
            assertTrue(strict.maxDistance() <= (1 << bits));
        }
    }

    @Test
    void emptyMessageIsOneEmptyStoredBlock() throws Exception {
        WindowedDeflater d = new WindowedDeflater(10);
        byte[] z = Codec.message(d, new byte[0]);
        // RFC 7692 section 7.2.3.6: after stripping the tail, an empty message is the single byte 00.
        assertArrayEquals(new byte[] {0, 0, 0, (byte) 0xFF, (byte) 0xFF}, z);
        assertArrayEquals(new byte[0], new StrictInflater().inflate(z));
        // Also between two non-empty messages, where the previous block ended mid-byte.
        byte[] a = Codec.message(d, "Hello".getBytes("US-ASCII"));
        byte[] e = Codec.message(d, new byte[0]);
        byte[] b = Codec.message(d, "Hello".getBytes("US-ASCII"));
        Inflater inf = new Inflater(true);
        assertArrayEquals("Hello".getBytes("US-ASCII"), Codec.jdkInflate(inf, a));
        assertArrayEquals(new byte[0], Codec.jdkInflate(inf, e));
        assertArrayEquals("Hello".getBytes("US-ASCII"), Codec.jdkInflate(inf, b));
        inf.end();
        assertArrayEquals(new byte[] {0, 0, 0, (byte) 0xFF, (byte) 0xFF}, e);
    }
}
