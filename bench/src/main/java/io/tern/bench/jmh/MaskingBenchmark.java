package io.tern.bench.jmh;

import io.tern.codec.Masking;
import java.nio.ByteBuffer;
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
 * Unmasking alone (RFC 6455 §5.3) against the memory-bandwidth limit: Tern's {@link Masking}
 * XORs a direct buffer in place, eight bytes at a time; the peer is a plain bulk copy of the same
 * number of bytes from one direct buffer to another ({@link ByteBuffer#put(ByteBuffer)}, which
 * the JDK turns into a memory copy). Both touch every byte once for reading and once for writing.
 * The target: unmasking 64 KiB at 70% or more of the copy's speed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MaskingBenchmark {

    /** Bytes per operation. */
    @Param({"125", "1024", "65536", "1048576"})
    public int size;

    private ByteBuffer source;
    private ByteBuffer target;
    private int key;

    /** Allocates the buffers. */
    @Setup(Level.Trial)
    public void setUp() {
        source = ByteBuffer.allocateDirect(size);
        target = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            source.put(i, (byte) i);
        }
        key = 0x5a3c9e17;
    }

    /** Nothing to release: direct buffers go with the fork. */
    @TearDown(Level.Trial)
    public void tearDown() {
        source = null;
        target = null;
    }

    /**
     * Tern unmasks the buffer in place (masking twice restores it, so every call does the same work).
     *
     * @return the first byte, observed
     */
    @Benchmark
    public byte tern_unmask() {
        Masking.apply(target, 0, size, key, 0);
        return size == 0 ? 0 : target.get(0);
    }

    /**
     * A bulk copy of the same number of bytes.
     *
     * @return the first byte, observed
     */
    @Benchmark
    public byte bulkCopy_unmask() {
        target.clear();
        target.put(source.clear());
        return size == 0 ? 0 : target.get(0);
    }
}
