package io.tern.codec.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data built so that the only long matches lie exactly at, just inside or just beyond the window
 * edge: the encoder must take every match within 2^bits and none beyond.
 */
class WindowLimitTest {

    @ParameterizedTest(name = "windowBits={0}")
    @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
    void repeatedBlockAtTheWindowEdge(int bits) throws Exception {
        int w = 1 << bits;
        int length = 600;
        int[] inside = {w / 2, w - 100, w - 1, w};
        int[] outside = {w + 1, w + 2, w + 3, w + 7, w + 258, w + 600, 2 * w, 2 * w + 1, 3 * w};
        long seed = 77L * bits;
        for (int distance : inside) {
            byte[] data = TestData.tempting(distance, length, ++seed);
            byte[] z = Codec.message(new WindowedDeflater(bits), data);
            StrictInflater strict = Codec.verify(data, z, bits);
            // The repeated block must have been found and coded as references at that distance.
            assertTrue(strict.matchedBytesAt(distance) >= length - 8,
                    "distance " + distance + ": only " + strict.matchedBytesAt(distance) + " bytes matched");
            assertTrue(z.length < data.length - length / 2,
                    "distance " + distance + ": " + z.length + " bytes for " + data.length);
        }
        for (int distance : outside) {
            byte[] data = TestData.tempting(distance, length, ++seed);
            byte[] z = Codec.message(new WindowedDeflater(bits), data);
            Codec.verify(data, z, bits);
            // The only repetition is out of reach, so nothing beats coding literals alone.
            byte[] literalsOnly = Codec.jdkDeflate(data, 1, Deflater.HUFFMAN_ONLY, Deflater.SYNC_FLUSH);
            assertTrue(z.length > literalsOnly.length * 0.97 && z.length > data.length * 0.9,
                    "distance " + distance + ": " + z.length + " vs " + literalsOnly.length);
        }
    }

    @ParameterizedTest(name = "windowBits={0}")
    @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
    void periodicDataJustBeyondAndAtTheWindow(int bits) throws Exception {
        int w = 1 << bits;
        Random r = new Random(bits);
        for (int period : new int[] {w, w + 1, w + 5}) {
            byte[] unit = new byte[period];
            r.nextBytes(unit);
            int total = Math.max(200_000, 5 * period);
            byte[] data = new byte[total];
            for (int i = 0; i < total; i++) {
                data[i] = unit[i % period];
            }
            byte[] z = Codec.message(new WindowedDeflater(bits), data);
            StrictInflater strict = Codec.verify(data, z, bits);
            if (period <= w) {
                assertEquals(w, strict.maxDistance(), "period " + period);
                assertTrue(strict.matchedBytesAt(period) >= total - period - 8, "period " + period + ": " + strict.matchedBytesAt(period) + " of " + (total - period) + " matched");
                assertTrue(z.length < period * 1.1 + total / 100, "period " + period + " compresses: " + z.length);
            } else {
                // Only literal coding is possible (a random unit still has a skewed byte histogram,
                // so compare with zlib's Huffman-only output rather than with the input size).
                byte[] literalsOnly = Codec.jdkDeflate(data, 1, Deflater.HUFFMAN_ONLY, Deflater.SYNC_FLUSH);
                assertTrue(z.length > literalsOnly.length * 0.97,
                        "period " + period + " is out of reach: " + z.length + " vs " + literalsOnly.length);
            }
        }
    }

    @ParameterizedTest(name = "windowBits={0}")
    @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
    void referencesAcrossMessagesStayInsideTheWindow(int bits) throws Exception {
        int w = 1 << bits;
        int length = Math.min(300, w / 2);
        long seed = 991L * bits;
        for (int gap : new int[] {w - length, w - length + 1}) {
            // Message 1: a random block then random filler; message 2: the block again. The block's
            // start is exactly 'length + gap' bytes before message 2 starts.
            byte[] block = TestData.random(length, ++seed);
            byte[] filler = TestData.random(gap, ++seed);
            byte[] m1 = new byte[length + gap];
            System.arraycopy(block, 0, m1, 0, length);
            System.arraycopy(filler, 0, m1, length, gap);
            WindowedDeflater d = new WindowedDeflater(bits);
            byte[] z1 = Codec.message(d, m1);
            byte[] z2 = Codec.message(d, block);
            StrictInflater strict = new StrictInflater();
            Inflater inf = new Inflater(true);
            assertArrayEquals(m1, strict.inflate(z1));
            assertArrayEquals(block, strict.inflate(z2));
            assertArrayEquals(m1, Codec.jdkInflate(inf, z1));
            assertArrayEquals(block, Codec.jdkInflate(inf, z2));
            inf.end();
            assertTrue(strict.maxDistance() <= w);
            int distance = length + gap;
            if (distance <= w) {
                assertEquals(w, strict.maxDistance());
                assertTrue(strict.matchedBytesAt(w) >= length - 8);
                assertTrue(z2.length < 30, "message 2 refers to message 1: " + z2.length);
            } else {
                assertTrue(z2.length > length, "message 2 cannot refer to message 1: " + z2.length);
            }
        }
    }
}
