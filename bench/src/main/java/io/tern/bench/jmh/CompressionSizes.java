package io.tern.bench.jmh;

import io.tern.bench.Payloads;
import io.tern.codec.deflate.WindowedDeflater;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * The compression calls of {@link WindowedDeflaterBenchmark}, and the output size each makes on
 * each corpus: the size half of that comparison, reported as a table beside JMH's speeds.
 */
public final class CompressionSizes {

    private CompressionSizes() {
    }

    /**
     * The benchmark's input.
     *
     * @param corpus {@code json} or {@code random}
     * @param size   bytes
     * @return the bytes
     */
    public static byte[] corpus(String corpus, int size) {
        switch (corpus) {
            case "json":
                return Payloads.json(size, 5);
            case "random":
                return Payloads.random(size, 5);
            default:
                throw new IllegalArgumentException("unknown corpus: " + corpus + " (json or random)");
        }
    }

    /**
     * Compresses one message with Tern's encoder and resets it, as a no-context-takeover sender.
     *
     * @param deflater the encoder
     * @param input    the message, position to limit
     * @param output   room for the output, large enough for it
     * @return bytes written, including the {@code 00 00 ff ff} tail of the flush
     */
    public static int windowed(WindowedDeflater deflater, ByteBuffer input, ByteBuffer output) {
        int start = output.position();
        deflater.setInput(input);
        while (!deflater.needsInput()) {
            deflater.deflate(output);
        }
        if (!deflater.flush(output)) {
            throw new IllegalStateException("output buffer too small");
        }
        deflater.reset();
        return output.position() - start;
    }

    /**
     * Compresses one message with zlib (raw, sync flush) and resets it.
     *
     * @param deflater a raw ({@code nowrap}) deflater
     * @param input    the message
     * @param output   room for the output
     * @return bytes written, including the flush's {@code 00 00 ff ff}
     */
    public static int zlib(Deflater deflater, ByteBuffer input, ByteBuffer output) {
        int start = output.position();
        deflater.setInput(input);
        while (!deflater.needsInput()) {
            deflater.deflate(output, Deflater.NO_FLUSH);
        }
        int n;
        do {
            n = deflater.deflate(output, Deflater.SYNC_FLUSH);
        } while (n > 0 && output.hasRemaining());
        deflater.reset();
        return output.position() - start;
    }

    /**
     * Output sizes of every compressor on every corpus, for the report.
     *
     * @param size message size in bytes
     * @return "corpus/compressor" to compressed bytes, in a stable order
     */
    public static Map<String, Integer> table(int size) {
        Map<String, Integer> out = new LinkedHashMap<>();
        ByteBuffer output = ByteBuffer.allocate(size + size / 8 + 1024);
        for (String corpus : new String[] {"json", "random"}) {
            byte[] bytes = corpus(corpus, size);
            for (int bits : new int[] {15, 10}) {
                out.put(corpus + "/tern-windowed-" + bits, windowed(new WindowedDeflater(bits), ByteBuffer.wrap(bytes), output.clear()));
            }
            for (int level : new int[] {1, 6}) {
                Deflater d = new Deflater(level, true);
                try {
                    out.put(corpus + "/zlib-level-" + level, zlib(d, ByteBuffer.wrap(bytes), output.clear()));
                } finally {
                    d.end();
                }
            }
        }
        return out;
    }
}
