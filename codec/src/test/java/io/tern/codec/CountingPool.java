package io.tern.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * A {@link BufferPool} that lends heap buffers of exactly the capacity asked for and records the
 * pattern: every capacity asked, in order; how many buffers and bytes are lent now and at most; and
 * any release of a buffer it did not lend or that was already given back.
 */
public final class CountingPool implements BufferPool {
    /** The capacities asked for, in order. */
    public final List<Integer> acquired = new ArrayList<>();
    /** Releases that were not of a lent buffer (foreign or double). */
    public final List<String> errors = new ArrayList<>();
    private final IdentityHashMap<ByteBuffer, Boolean> lent = new IdentityHashMap<>();
    private long lentBytes;
    private long mostLentBytes;
    private int mostLent;

    @Override
    public ByteBuffer acquire(int minCapacity) {
        ByteBuffer b = ByteBuffer.allocate(minCapacity);
        acquired.add(minCapacity);
        lent.put(b, Boolean.TRUE);
        lentBytes += minCapacity;
        mostLentBytes = Math.max(mostLentBytes, lentBytes);
        mostLent = Math.max(mostLent, lent.size());
        return b;
    }

    @Override
    public void release(ByteBuffer buffer) {
        if (lent.remove(buffer) == null) {
            errors.add("released a buffer that is not lent (capacity " + buffer.capacity() + ")");
            return;
        }
        lentBytes -= buffer.capacity();
    }

    /** Buffers lent and not yet given back. */
    public int lent() {
        return lent.size();
    }

    /** The most bytes lent at once. */
    public long mostLentBytes() {
        return mostLentBytes;
    }

    /** The most buffers lent at once. */
    public int mostLent() {
        return mostLent;
    }

    /** The sum of all capacities asked for. */
    public long acquiredBytes() {
        long sum = 0;
        for (int c : acquired) {
            sum += c;
        }
        return sum;
    }

    /**
     * Describes where the capacities asked for fail to grow geometrically: each must be at least
     * twice the one before, except one equal to {@code total} (growth capped at a known size).
     *
     * @return an empty string when the pattern is geometric
     */
    public String nonGeometricSteps(long total) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < acquired.size(); i++) {
            long before = acquired.get(i - 1);
            long now = acquired.get(i);
            if (now < 2 * before && now != total) {
                b.append(" step ").append(i).append(": ").append(before).append(" -> ").append(now);
            }
        }
        return b.toString();
    }
}
