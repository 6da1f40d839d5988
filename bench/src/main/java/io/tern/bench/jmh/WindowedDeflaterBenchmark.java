package io.tern.bench.jmh;

import io.tern.bench.Payloads;
import io.tern.codec.deflate.WindowedDeflater;
import java.nio.ByteBuffer;
import java.util.zip.Deflater;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tern's own DEFLATE encoder ({@link WindowedDeflater}, which permessage-deflate uses for windows
 * below 15 bits) against {@code java.util.zip}'s zlib at level 1 and level 6, raw DEFLATE with a
 * sync flush at the end of each message, on a realistic JSON corpus and on random bytes. Speed
 * here; the output sizes are a separate table ({@link CompressionSizes}), computed from the same
 * inputs by the same calls.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WindowedDeflaterBenchmark {

    /** Message size in bytes. */
    @Param({"16384"})
    public int size;

    /** {@code json} or {@code random}. */
    @Param({"json", "random"})
    public String corpus;

    /** Window of Tern's encoder (zlib always uses 15). */
    @Param({"15", "10"})
    public int windowBits;

    private ByteBuffer input;
    private ByteBuffer output;
    private WindowedDeflater windowed;
    private Deflater level1;
    private Deflater level6;

    /** Builds the encoders and the input. */
    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = CompressionSizes.corpus(corpus, size);
        input = ByteBuffer.allocateDirect(size);
        input.put(bytes).flip();
        output = ByteBuffer.allocateDirect(size + size / 8 + 1024);
        windowed = new WindowedDeflater(windowBits);
        level1 = new Deflater(1, true);
        level6 = new Deflater(6, true);
    }

    /** Frees zlib's native memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        level1.end();
        level6.end();
    }

    /**
     * Tern's windowed encoder compresses one message (no context kept).
     *
     * @return compressed bytes
     */
    @Benchmark
    public int tern_deflate() {
        return CompressionSizes.windowed(windowed, input.position(0), output.clear());
    }

    /**
     * zlib level 1 compresses the same message.
     *
     * @return compressed bytes
     */
    @Benchmark
    public int zlib1_deflate() {
        return CompressionSizes.zlib(level1, input.position(0), output.clear());
    }

    /**
     * zlib level 6 compresses the same message.
     *
     * @return compressed bytes
     */
    @Benchmark
    public int zlib6_deflate() {
        return CompressionSizes.zlib(level6, input.position(0), output.clear());
    }
}
