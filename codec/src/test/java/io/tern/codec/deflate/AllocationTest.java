package io.tern.codec.deflate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Steady-state compression must not allocate. */
class AllocationTest {

    private static final long BOUND = 64 * 1024;

    @Test
    void steadyStateDoesNotAllocate() {
        java.lang.management.ThreadMXBean plain = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(plain instanceof com.sun.management.ThreadMXBean,
                "com.sun.management.ThreadMXBean is not available on this JVM");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) plain;
        Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported(), "allocation counting not supported");
        if (!mx.isThreadAllocatedMemoryEnabled()) {
            mx.setThreadAllocatedMemoryEnabled(true);
        }

        // 64 different 1 KiB messages in one heap and one direct buffer, made up front.
        byte[] corpus = TestData.json(64 * 1024 + 1024, 42);
        ByteBuffer heapIn = ByteBuffer.wrap(corpus);
        ByteBuffer directIn = ByteBuffer.allocateDirect(corpus.length);
        directIn.put(corpus).clear();
        ByteBuffer out = ByteBuffer.allocate(512); // small: the resume path is exercised too

        for (int bits : new int[] {15, 8}) {
            WindowedDeflater takeover = new WindowedDeflater(bits);
            WindowedDeflater noTakeover = new WindowedDeflater(bits);
            long sink = 0;
            for (int i = 0; i < 5000; i++) { // warm-up: let the JIT compile everything
                sink += compress(takeover, heapIn, directIn, out, i);
                sink += compress(noTakeover, heapIn, directIn, out, i);
                noTakeover.reset();
            }
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                sink += compress(takeover, heapIn, directIn, out, i);
                sink += compress(noTakeover, heapIn, directIn, out, i);
                noTakeover.reset();
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            System.out.println("[alloc] windowBits=" + bits + ": " + allocated
                    + " bytes allocated for 2 x 10000 messages of 1 KiB (output " + sink + " bytes)");
            assertTrue(sink > 0);
            assertTrue(allocated < BOUND, "allocated " + allocated + " bytes at windowBits " + bits);
        }
    }

    @Test
    void constructorAllocatesTheDocumentedFootprint() {
        java.lang.management.ThreadMXBean plain = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(plain instanceof com.sun.management.ThreadMXBean
                && ((com.sun.management.ThreadMXBean) plain).isThreadAllocatedMemorySupported());
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) plain;
        mx.setThreadAllocatedMemoryEnabled(true);
        new WindowedDeflater(8); // initialise shared tables first
        for (int bits = 8; bits <= 15; bits++) {
            long documented = WindowedDeflater.footprint(bits);
            long min = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) { // smallest of a few runs, to skip one-time JVM noise
                long before = mx.getCurrentThreadAllocatedBytes();
                WindowedDeflater d = new WindowedDeflater(bits);
                long after = mx.getCurrentThreadAllocatedBytes();
                assertTrue(d.getWindowBits() == bits);
                min = Math.min(min, after - before);
            }
            System.out.println("[alloc] new WindowedDeflater(" + bits + "): " + min + " bytes (documented arrays "
                    + documented + ")");
            assertTrue(min >= documented && min <= documented + 2048,
                    "bits " + bits + ": allocated " + min + ", documented " + documented);
        }
    }

    /** Compresses message {@code i} (1 KiB) with a sync flush; returns the compressed size. */
    private static long compress(WindowedDeflater d, ByteBuffer heapIn, ByteBuffer directIn, ByteBuffer out, int i) {
        ByteBuffer in = (i & 1) == 0 ? heapIn : directIn;
        int start = (i % 64) * 1024;
        in.limit(start + 1024).position(start);
        d.setInput(in);
        long written = 0;
        while (!d.needsInput()) {
            written += d.deflate(out);
            out.clear();
        }
        while (!d.flush(out)) {
            written += out.position();
            out.clear();
        }
        written += out.position();
        out.clear();
        in.clear();
        return written;
    }
}
