package io.tern.codec.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.deflate.Codec.Feed;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round trips for every window size, data kind and size, with input fed whole, byte by byte and in
 * random pieces, and output buffers of one byte, a few bytes and many bytes.
 */
class RoundTripTest {

    private static byte[] generate(String kind, int size, long seed) {
        switch (kind) {
            case "random":
                return TestData.random(size, seed);
            case "repetitive":
                return TestData.repetitive(size, seed);
            case "text":
                return TestData.text(size, seed);
            case "json":
                return TestData.json(size, seed);
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    @ParameterizedTest(name = "windowBits={0}")
    @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
    void roundTrips(int bits) throws Exception {
        int w = 1 << bits;
        int[] sizes = {0, 1, 2, 3, 257, 258, 259, w - 1, w, w + 1, 65536, 1 << 20};
        String[] kinds = {"random", "repetitive", "text", "json"};
        long seed = bits * 1000L;
        int dynamicBlocks = 0;
        for (String kind : kinds) {
            for (int size : sizes) {
                seed++;
                byte[] data = generate(kind, size, seed);
                String what = kind + " size " + size + " bits " + bits;

                byte[] reference = Codec.message(new WindowedDeflater(bits), data);
                StrictInflater strict = Codec.verify(data, reference, bits);
                dynamicBlocks += strict.dynamicBlocks();
                if (size >= 1024 && !kind.equals("random")) {
                    assertTrue(reference.length < size * 0.6, what + " compresses: " + reference.length);
                }
                if (kind.equals("random")) {
                    // Incompressible: stored blocks keep the overhead tiny.
                    assertTrue(reference.length <= size + 5 * (size / 4000 + 2), what + ": " + reference.length);
                }

                // The output must not depend on how input is cut or how output is drained.
                boolean big = size > 65536;
                assertArrayEquals(reference,
                        Codec.message(new WindowedDeflater(bits), data, Feed.RANDOM_SPLIT, big ? 13 : 1, true, seed),
                        what + " random split, tiny direct output");
                assertArrayEquals(reference,
                        Codec.message(new WindowedDeflater(bits), data, Feed.RANDOM_SPLIT, 4099, false, seed + 1),
                        what + " random split, small heap output");
                if (!big) {
                    assertArrayEquals(reference,
                            Codec.message(new WindowedDeflater(bits), data, Feed.WHOLE, 1, false, seed),
                            what + " whole, 1-byte output");
                }
                if (size <= w + 1) {
                    assertArrayEquals(reference,
                            Codec.message(new WindowedDeflater(bits), data, Feed.BYTEWISE, 7, false, seed),
                            what + " byte by byte");
                }
            }
        }
        assertTrue(dynamicBlocks > 0, "dynamic Huffman blocks are produced");
    }
}
