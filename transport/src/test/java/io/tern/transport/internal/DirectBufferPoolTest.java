package io.tern.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DirectBufferPoolTest {
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    @Test
    void rejectsBadConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new DirectBufferPool(0, MIB, 4));
        assertThrows(IllegalArgumentException.class, () -> new DirectBufferPool(3000, MIB, 4));
        assertThrows(IllegalArgumentException.class, () -> new DirectBufferPool(4 * KIB, 2 * KIB, 4));
        assertThrows(IllegalArgumentException.class, () -> new DirectBufferPool(4 * KIB, 3 * MIB, 4));
        assertThrows(IllegalArgumentException.class, () -> new DirectBufferPool(4 * KIB, MIB, -1));
        DirectBufferPool pool = new DirectBufferPool(4 * KIB, MIB, 4);
        assertThrows(IllegalArgumentException.class, () -> pool.acquire(-1));
        assertThrows(NullPointerException.class, () -> pool.release(null));
    }

    @Test
    void roundsUpToPowerOfTwoSizeClasses() {
        DirectBufferPool pool = new DirectBufferPool(4 * KIB, MIB, 4);
        int[][] cases = {
            {0, 4 * KIB}, {1, 4 * KIB}, {4 * KIB, 4 * KIB}, {4 * KIB + 1, 8 * KIB},
            {100_000, 128 * KIB}, {512 * KIB + 1, MIB}, {MIB, MIB},
        };
        for (int[] c : cases) {
            ByteBuffer buffer = pool.acquire(c[0]);
            assertTrue(buffer.isDirect());
            assertEquals(c[1], buffer.capacity(), "acquire(" + c[0] + ")");
            assertEquals(0, buffer.position());
            assertEquals(buffer.capacity(), buffer.limit());
        }
        assertEquals(cases.length, pool.lentCount());
    }

    @Test
    void reusesReleasedBuffersClearedAndBigEndian() {
        DirectBufferPool pool = new DirectBufferPool(4 * KIB, MIB, 4);
        ByteBuffer first = pool.acquire(5000);
        first.order(ByteOrder.LITTLE_ENDIAN).putInt(42).limit(100).mark();
        pool.release(first);
        assertEquals(0, pool.lentCount());
        assertEquals(1, pool.idleCount());
        assertEquals(8 * KIB, pool.idleBytes());

        ByteBuffer again = pool.acquire(6000);
        assertSame(first, again, "same size class is served from the idle stack");
        assertEquals(0, again.position());
        assertEquals(again.capacity(), again.limit());
        assertEquals(ByteOrder.BIG_ENDIAN, again.order());
        assertThrows(java.nio.InvalidMarkException.class, again::reset, "mark must be discarded");
        assertEquals(1, pool.allocationCount());
        assertEquals(0, pool.idleBytes());

        ByteBuffer other = pool.acquire(4 * KIB);
        assertNotSame(first, other, "another class allocates");
        assertEquals(2, pool.allocationCount());
    }

    @Test
    void idleStackIsLifo() {
        DirectBufferPool pool = new DirectBufferPool(4 * KIB, MIB, 4);
        ByteBuffer a = pool.acquire(1);
        ByteBuffer b = pool.acquire(1);
        pool.release(a);
        pool.release(b);
        assertSame(b, pool.acquire(1));
        assertSame(a, pool.acquire(1));
    }

    @Test
    void retainsAtMostMaxIdlePerClass() {
        DirectBufferPool pool = new DirectBufferPool(4 * KIB, MIB, 2);
        ByteBuffer[] small = new ByteBuffer[5];
        for (int i = 0; i < small.length; i++) {
            small[i] = pool.acquire(4 * KIB);
        }
        ByteBuffer big = pool.acquire(MIB);
        assertEquals(6, pool.lentCount());
        for (ByteBuffer buffer : small) {
            pool.release(buffer);
        }
        pool.release(big);
        assertEquals(0, pool.lentCount());
        assertEquals(3, pool.idleCount());
        assertEquals(2 * 4 * KIB + MIB, pool.idleBytes());
    }

    @Test
    void zeroIdleLimitRetainsNothing() {
        DirectBufferPool pool = new DirectBufferPool(4 * KIB, MIB, 0);
        ByteBuffer buffer = pool.acquire(10);
        pool.release(buffer);
        assertEquals(0, pool.idleCount());
        assertEquals(0, pool.lentCount());
        assertNotSame(buffer, pool.acquire(10));
    }

    @Test
    void oversizedRequestsAreUnpooled() {
        DirectBufferPool pool = new DirectBufferPool(4 * KIB, MIB, 4);
        ByteBuffer huge = pool.acquire(MIB + 1);
        assertTrue(huge.isDirect());
        assertEquals(MIB + 1, huge.capacity());
        assertEquals(1, pool.lentCount());
        pool.release(huge);
        assertEquals(0, pool.lentCount());
        assertEquals(0, pool.idleCount());
        assertEquals(0, pool.idleBytes());
        assertNotSame(huge, pool.acquire(MIB + 1));
        assertEquals(2, pool.allocationCount());
    }

    @Test
    void foreignBuffersAreIgnoredInNormalMode() {
        DirectBufferPool pool = new DirectBufferPool(4 * KIB, MIB, 4);
        pool.release(ByteBuffer.allocate(4 * KIB)); // heap
        pool.release(ByteBuffer.allocateDirect(5000)); // not a size class
        pool.release(ByteBuffer.allocateDirect(2 * KIB)); // below the smallest class
        pool.release(ByteBuffer.allocateDirect(4 * KIB).asReadOnlyBuffer());
        assertEquals(0, pool.idleCount());
        assertEquals(0, pool.lentCount());
    }

    @Test
    void doubleReleaseIsDetected() {
        DirectBufferPool pool = new DirectBufferPool(4 * KIB, MIB, 4);
        ByteBuffer buffer = pool.acquire(100);
        ByteBuffer other = pool.acquire(100);
        pool.release(buffer);
        pool.release(other);
        assertThrows(IllegalStateException.class, () -> pool.release(buffer));
        assertEquals(2, pool.idleCount(), "the rejected release must not corrupt the pool");
        assertEquals(0, pool.lentCount());
    }

    @Test
    void diagnosticModeTracksLentBuffers() {
        DirectBufferPool pool = new DirectBufferPool(4 * KIB, MIB, 4, true);
        ByteBuffer buffer = pool.acquire(100);
        pool.release(buffer);
        ByteBuffer relent = pool.acquire(100);
        assertSame(buffer, relent);
        pool.release(relent);
        // A stale holder releasing again after the buffer went idle.
        assertThrows(IllegalStateException.class, () -> pool.release(buffer));
        // Foreign buffers, even of a valid size, are rejected rather than ignored.
        assertThrows(IllegalStateException.class, () -> pool.release(ByteBuffer.allocateDirect(4 * KIB)));
        ByteBuffer huge = pool.acquire(2 * MIB);
        pool.release(huge);
        assertThrows(IllegalStateException.class, () -> pool.release(huge));
        assertEquals(0, pool.lentCount());
    }

    @Test
    void diagnosticModeRejectsOtherThreads() throws Exception {
        DirectBufferPool pool = new DirectBufferPool(4 * KIB, MIB, 4, true);
        ByteBuffer buffer = pool.acquire(100);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                pool.release(buffer);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        t.join(10_000);
        assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
        assertEquals(1, pool.lentCount());
        pool.release(buffer);
        assertEquals(0, pool.lentCount());
    }

    @Test
    void trimDropsIdleBuffers() {
        DirectBufferPool pool = new DirectBufferPool(4 * KIB, MIB, 4);
        ByteBuffer a = pool.acquire(1);
        ByteBuffer b = pool.acquire(64 * KIB);
        pool.release(a);
        pool.release(b);
        assertEquals(2, pool.idleCount());
        pool.trim();
        assertEquals(0, pool.idleCount());
        assertEquals(0, pool.idleBytes());
        assertNotSame(a, pool.acquire(1));
    }

    @Test
    void steadyStateAllocatesNothing() {
        DirectBufferPool pool = new DirectBufferPool(4 * KIB, MIB, 8);
        for (int round = 0; round < 10_000; round++) {
            ByteBuffer x = pool.acquire(1000 + round % 3000);
            ByteBuffer y = pool.acquire(70_000);
            pool.release(y);
            pool.release(x);
        }
        assertEquals(2, pool.allocationCount());
        assertEquals(0, pool.lentCount());
    }

    @Test
    void gaugesCountLentPeakAndAllocatedBytes() {
        DirectBufferPool pool = new DirectBufferPool(4 * KIB, MIB, 4);
        ByteBuffer small = pool.acquire(5000);          // 8 KiB class, allocated
        ByteBuffer huge = pool.acquire(3 * MIB + 7);    // unpooled, exact
        assertEquals(8 * KIB + 3 * MIB + 7, pool.lentBytes());
        assertEquals(pool.lentBytes(), pool.peakLentBytes());
        assertEquals(8 * KIB + 3 * MIB + 7, pool.allocatedBytes());

        pool.release(huge);
        assertEquals(8 * KIB, pool.lentBytes(), "an unpooled buffer stops counting once released");
        assertEquals(8 * KIB + 3 * MIB + 7, pool.peakLentBytes(), "the peak stays");
        pool.release(small);
        assertEquals(0, pool.lentBytes());
        assertEquals(8 * KIB, pool.idleBytes());

        pool.resetPeakLentBytes();
        assertEquals(0, pool.peakLentBytes());
        ByteBuffer again = pool.acquire(8 * KIB);
        assertSame(small, again);
        assertEquals(8 * KIB, pool.peakLentBytes());
        assertEquals(8 * KIB + 3 * MIB + 7, pool.allocatedBytes(), "a reused buffer allocates nothing");
        pool.release(again);
        pool.acquire(MIB + 1);
        assertEquals(8 * KIB + 4 * MIB + 8, pool.allocatedBytes(), "every unpooled request allocates");
    }

    @Test
    void ignoredReleasesLeaveTheGaugesAlone() {
        DirectBufferPool pool = new DirectBufferPool(4 * KIB, MIB, 4);
        ByteBuffer lent = pool.acquire(4 * KIB);
        pool.release(ByteBuffer.allocate(4 * KIB));
        pool.release(ByteBuffer.allocateDirect(4 * KIB).asReadOnlyBuffer());
        pool.release(ByteBuffer.allocateDirect(5000));
        assertEquals(4 * KIB, pool.lentBytes());
        assertEquals(1, pool.lentCount());
        pool.release(lent);
        assertEquals(0, pool.lentBytes());
    }
}
