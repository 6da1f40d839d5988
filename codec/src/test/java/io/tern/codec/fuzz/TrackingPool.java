package io.tern.codec.fuzz;

import io.tern.codec.BufferPool;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A {@link BufferPool} that lends exactly what is asked (heap), and records what is lent: the
 * bytes and buffers outstanding now, their peaks, the largest single buffer, and any buffer given
 * back twice or never lent. Exact sizes keep the bounds the targets check free of pool rounding.
 */
final class TrackingPool implements BufferPool {

    private final Map<ByteBuffer, Integer> lent = new IdentityHashMap<>();
    long outstandingBytes;
    long peakBytes;
    int peakBuffers;
    int largest;

    @Override
    public ByteBuffer acquire(int minCapacity) {
        if (minCapacity < 0) {
            throw new AssertionError("negative buffer size asked: " + minCapacity);
        }
        ByteBuffer b = ByteBuffer.allocate(minCapacity);
        lent.put(b, minCapacity);
        outstandingBytes += minCapacity;
        peakBytes = Math.max(peakBytes, outstandingBytes);
        peakBuffers = Math.max(peakBuffers, lent.size());
        largest = Math.max(largest, minCapacity);
        return b;
    }

    @Override
    public void release(ByteBuffer buffer) {
        Integer size = lent.remove(buffer);
        if (size == null) {
            throw new AssertionError("released a buffer that is not lent (twice, or foreign)");
        }
        outstandingBytes -= size;
    }

    int outstandingBuffers() {
        return lent.size();
    }
}
