package io.tern.codec.fuzz;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the fuzz targets read their {@code byte[]} input, so that seed files can be written by hand
 * (see {@code FUZZING.md}): byte 0 holds flags that choose the target's configuration; byte 1 holds
 * {@code n} (its low four bits) and the next {@code n} bytes are chunk lengths ({@code 1 + b}) used
 * over and over to split the body; the rest is the body (wire bytes, a head, compressed data...).
 * A missing byte reads as 0, so every input is valid.
 */
final class FuzzInput {

    /** Canary bytes placed around every chunk, to catch reads or writes outside it. */
    private static final int GUARD = 8;
    private static final byte CANARY = (byte) 0xA5;

    final int flags;
    final int[] cuts;
    final byte[] body;

    private FuzzInput(int flags, int[] cuts, byte[] body) {
        this.flags = flags;
        this.cuts = cuts;
        this.body = body;
    }

    static FuzzInput parse(byte[] data) {
        int flags = data.length > 0 ? data[0] & 0xFF : 0;
        int n = data.length > 1 ? data[1] & 0x0F : 0;
        int[] cuts = new int[Math.min(n, Math.max(0, data.length - 2))];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = 1 + (data[2 + i] & 0xFF);
        }
        int from = Math.min(data.length, 2 + cuts.length);
        return new FuzzInput(flags, cuts, Arrays.copyOfRange(data, from, data.length));
    }

    /** Whether flag bit {@code bit} is set. */
    boolean flag(int bit) {
        return (flags & (1 << bit)) != 0;
    }

    /** The ways every target feeds the same body; results must not depend on the way. */
    enum Split { WHOLE, CHOSEN, BYTEWISE }

    /** The chunk lengths of {@code length} bytes fed the given way. */
    List<Integer> lengths(int length, Split split) {
        List<Integer> out = new ArrayList<>();
        if (split == Split.WHOLE || (split == Split.CHOSEN && cuts.length == 0)) {
            out.add(length);
            return out;
        }
        int at = 0;
        int i = 0;
        while (at < length) {
            int n = split == Split.BYTEWISE ? 1 : Math.min(length - at, cuts[i++ % cuts.length]);
            out.add(n);
            at += n;
        }
        if (out.isEmpty()) {
            out.add(0);
        }
        return out;
    }

    /**
     * A chunk as a socket read would give it: a fresh buffer whose readable region holds only
     * {@code bytes[from, from + n)}, with canary bytes before and after it (heap or direct).
     */
    static ByteBuffer guarded(byte[] bytes, int from, int n, boolean direct) {
        int capacity = n + 2 * GUARD;
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        for (int i = 0; i < capacity; i++) {
            b.put(i, CANARY);
        }
        b.position(GUARD);
        b.put(bytes, from, n);
        b.position(GUARD).limit(GUARD + n);
        return b;
    }

    /**
     * Checks that nothing outside a guarded chunk was touched and that its position stayed inside
     * it; returns the number of bytes consumed.
     */
    static int checkGuarded(ByteBuffer b, int n) {
        if (b.limit() != GUARD + n) {
            throw new AssertionError("limit moved: " + b.limit() + " instead of " + (GUARD + n));
        }
        if (b.position() < GUARD || b.position() > GUARD + n) {
            throw new AssertionError("position " + b.position() + " outside the chunk [" + GUARD + ", " + (GUARD + n) + "]");
        }
        ByteBuffer all = b.duplicate().clear();
        for (int i = 0; i < GUARD; i++) {
            if (all.get(i) != CANARY || all.get(GUARD + n + i) != CANARY) {
                throw new AssertionError("a byte outside the chunk was written");
            }
        }
        return b.position() - GUARD;
    }
}
