package io.tern.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.Opcode;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The outbound queue's entry arrays: bytes leave in order whatever the depth and however little
 * each write takes; the arrays grow geometrically, are kept while in use (a steady publish
 * allocates nothing per message, shallow or deep), and shrink back to
 * {@value Outbound#RETAINED_ENTRIES} entries when a deep queue empties. Allocation is measured with
 * the JVM's per-thread counter, as in {@code PreparedFanOutTest}.
 */
class OutboundQueueTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** A socket stand-in: takes at most {@code budget} bytes per write, optionally recording them. */
    private static final class Sink implements GatheringByteChannel {
        int budget;
        final ByteArrayOutputStream seen;

        Sink(int budget, boolean record) {
            this.budget = budget;
            this.seen = record ? new ByteArrayOutputStream() : null;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long left = budget;
            long n = 0;
            for (int i = offset; i < offset + length && left > 0; i++) {
                ByteBuffer b = srcs[i];
                int k = (int) Math.min(left, b.remaining());
                take(b, k);
                left -= k;
                n += k;
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            int k = Math.min(budget, src.remaining());
            take(src, k);
            return k;
        }

        private void take(ByteBuffer b, int k) {
            if (seen != null) {
                for (int j = 0; j < k; j++) {
                    seen.write(b.get(b.position() + j));
                }
            }
            b.position(b.position() + k);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static Prepared.LoopView view(int seq) {
        byte[] p = new byte[40 + seq % 50];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (seq + i);
        }
        Prepared prepared = Prepared.frame(Opcode.BINARY, ByteBuffer.wrap(p));
        return new Prepared.LoopView(null, Prepared.PLAIN, prepared.frame(), null);
    }

    private static byte[] bytes(Prepared.LoopView v) {
        ByteBuffer b = v.master.duplicate().clear();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static void ownedFrame(Outbound out, byte[] frame) {
        ByteBuffer b = out.beginFrame(frame.length);
        b.put(frame);
        out.endFrame();
    }

    @Test
    void bytesLeaveInOrderAtAnyDepthAndAnyWriteSize() {
        DirectBufferPool pool = new DirectBufferPool(4 * 1024, 1 << 20, 64);
        Outbound out = new Outbound(pool);
        Sink sink = new Sink(0, true);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Random random = new Random(7);
        Prepared.LoopView[] views = new Prepared.LoopView[5];
        for (int i = 0; i < views.length; i++) {
            views[i] = view(i); // a view may be queued many times, even back to back
        }
        for (int round = 0; round < 2000; round++) {
            int add = random.nextInt(round % 100 == 0 ? 3000 : 40);
            for (int i = 0; i < add; i++) {
                if (random.nextInt(3) == 0) {
                    byte[] f = new byte[1 + random.nextInt(300)];
                    random.nextBytes(f);
                    ownedFrame(out, f);
                    expected.writeBytes(f);
                } else {
                    Prepared.LoopView v = views[random.nextInt(views.length)];
                    out.appendShared(v);
                    expected.writeBytes(bytes(v));
                }
            }
            int writes = random.nextInt(4);
            for (int w = 0; w < writes; w++) {
                sink.budget = 1 + random.nextInt(random.nextBoolean() ? 100 : 20_000);
                try {
                    out.writeTo(sink);
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }
            assertEquals(expected.size() - sink.seen.size(), out.bytes(), "pending bytes after round " + round);
        }
        sink.budget = Integer.MAX_VALUE;
        while (!out.isEmpty()) {
            try {
                out.writeTo(sink);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        assertArrayEquals(expected.toByteArray(), sink.seen.toByteArray());
        assertEquals(0, out.bytes());
        assertEquals(0, pool.lentCount(), "every owned chunk went back to the pool");
    }

    @Test
    void aSteadyPublishAllocatesNothingPerMessageShallowOrDeep() throws Exception {
        DirectBufferPool pool = new DirectBufferPool(4 * 1024, 1 << 20, 64);
        Prepared.LoopView[] views = new Prepared.LoopView[8];
        for (int i = 0; i < views.length; i++) {
            views[i] = view(i);
        }
        for (int depth : new int[] {1, 4, 30, 1000}) {
            Outbound out = new Outbound(pool);
            Sink sink = new Sink(0, false);
            // Warm up: the arrays reach the depth, the JIT compiles the paths.
            run(out, sink, views, depth, 20_000);
            long before = THREADS.getCurrentThreadAllocatedBytes();
            int messages = run(out, sink, views, depth, 200_000);
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            System.out.printf("outbound queue at depth %d: %d bytes allocated for %d messages%n", depth, allocated, messages);
            assertTrue(allocated < 1024, "depth " + depth + ": " + allocated + " bytes for " + messages + " messages");
        }
    }

    /**
     * Keeps about {@code depth} shared frames queued: each step queues one and writes a little
     * less than a frame on average, draining fully now and then; returns the messages queued.
     */
    private static int run(Outbound out, Sink sink, Prepared.LoopView[] views, int depth, int steps)
            throws java.io.IOException {
        int queued = 0;
        for (int i = 0; i < steps; i++) {
            out.appendShared(views[i & 7]);
            queued++;
            if (i % 16 == 0) {
                ownedFrame(out, OWNED);
            }
            sink.budget = out.bytes() > depth * 60L ? 200 : 30;
            out.writeTo(sink);
            if (depth <= 30 && i % 1000 == 999) {
                sink.budget = Integer.MAX_VALUE;
                out.writeTo(sink); // empties now and then: shallow queues keep their arrays
            }
        }
        return queued;
    }

    private static final byte[] OWNED = new byte[64];

    @Test
    void aDeepBurstGrowsTheArraysGeometricallyAndTheyShrinkWhenTheQueueEmpties() throws Exception {
        DirectBufferPool pool = new DirectBufferPool(4 * 1024, 1 << 20, 64);
        Outbound out = new Outbound(pool);
        Prepared.LoopView v = view(3);
        assertEquals(0, out.entryCapacity(), "a connection that never sent holds no array");
        out.appendShared(v);
        assertEquals(4, out.entryCapacity());
        for (int i = 1; i < 10_000; i++) {
            out.appendShared(v);
        }
        assertEquals(16_384, out.entryCapacity(), "doubled: 4, 8, ... 16,384");
        Sink sink = new Sink(Integer.MAX_VALUE, false);
        while (!out.isEmpty()) {
            out.writeTo(sink);
        }
        assertEquals(Outbound.RETAINED_ENTRIES, out.entryCapacity(), "an empty queue keeps only small arrays");
        assertEquals(0, out.bytes());
        out.appendShared(v);
        out.writeTo(sink);
        assertEquals(Outbound.RETAINED_ENTRIES, out.entryCapacity());
    }
}
