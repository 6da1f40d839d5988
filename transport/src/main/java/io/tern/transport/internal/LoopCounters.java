package io.tern.transport.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counters of one event loop. Written only by the loop's thread (single writer, so a plain
 * read-add-store is exact and costs no atomic instruction); read from any thread through opaque
 * reads, which see a recent value without tearing.
 */
public final class LoopCounters {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    /** Index: connections opened (handshake completed). */
    public static final int OPENED = 0;
    /** Index: connections closed after being opened. */
    public static final int CLOSED = 1;
    /** Index: frames received. */
    public static final int FRAMES_IN = 2;
    /** Index: frames sent. */
    public static final int FRAMES_OUT = 3;
    /** Index: bytes received from sockets. */
    public static final int BYTES_IN = 4;
    /** Index: bytes written to sockets. */
    public static final int BYTES_OUT = 5;
    /** Index: messages refused at the outbound hard limit. */
    public static final int DROPS = 6;
    /** Index: handshakes rejected (any HTTP status other than 101). */
    public static final int REJECTED = 7;
    /** Index: failed {@code accept} calls on a listening socket (out of descriptors, say). */
    public static final int ACCEPT_ERRORS = 8;
    /** How many counters have an index constant: indices {@code 0 .. FIXED - 1}. */
    public static final int FIXED = 9;
    /** Close codes 0–4999 are counted one by one, after the fixed counters. */
    private static final int CODES = 5000;

    private final long[] values = new long[FIXED + CODES];

    /** Creates zeroed counters. */
    public LoopCounters() {
    }

    /**
     * Adds to a counter; loop thread only.
     *
     * @param index one of the index constants
     * @param delta the amount
     */
    public void add(int index, long delta) {
        LONGS.setOpaque(values, index, (long) LONGS.getOpaque(values, index) + delta);
    }

    /**
     * Counts a closed connection by its close code; loop thread only.
     *
     * @param code the code reported to the handler
     */
    public void countClose(int code) {
        if (code >= 0 && code < CODES) {
            add(FIXED + code, 1);
        }
    }

    /**
     * Reads a counter from any thread.
     *
     * @param index one of the index constants
     * @return its value
     */
    public long get(int index) {
        return (long) LONGS.getOpaque(values, index);
    }

    /**
     * Reads the count of closes with a code from any thread.
     *
     * @param code a close code, 0–4999
     * @return how many connections closed with it
     */
    public long closes(int code) {
        return code >= 0 && code < CODES ? get(FIXED + code) : 0;
    }
}
