package io.tern.transport;

import io.tern.transport.internal.EventLoop;
import io.tern.transport.internal.LoopCounters;
import java.util.List;

/**
 * A snapshot of a server's or client's counters, summed over its event loops. Each figure is
 * exact on its own; figures read together may be a few events apart.
 */
public final class TransportStats {

    private final List<EventLoop> loops;
    private final long[] totals = new long[LoopCounters.FIXED];

    TransportStats(List<EventLoop> loops) {
        this.loops = loops;
        for (EventLoop loop : loops) {
            for (int i = 0; i < totals.length; i++) {
                totals[i] += loop.counters().get(i);
            }
        }
    }

    /**
     * Connections open right now (opened and not yet closed).
     *
     * @return the count
     */
    public long openConnections() {
        return totals[LoopCounters.OPENED] - totals[LoopCounters.CLOSED];
    }

    /**
     * Connections that completed the opening handshake since start.
     *
     * @return the count
     */
    public long connectionsOpened() {
        return totals[LoopCounters.OPENED];
    }

    /**
     * Opened connections that have closed since start.
     *
     * @return the count
     */
    public long connectionsClosed() {
        return totals[LoopCounters.CLOSED];
    }

    /**
     * Frames received.
     *
     * @return the count
     */
    public long framesIn() {
        return totals[LoopCounters.FRAMES_IN];
    }

    /**
     * Frames sent.
     *
     * @return the count
     */
    public long framesOut() {
        return totals[LoopCounters.FRAMES_OUT];
    }

    /**
     * Bytes read from sockets, handshakes included.
     *
     * @return the count
     */
    public long bytesIn() {
        return totals[LoopCounters.BYTES_IN];
    }

    /**
     * Bytes written to sockets, handshakes included.
     *
     * @return the count
     */
    public long bytesOut() {
        return totals[LoopCounters.BYTES_OUT];
    }

    /**
     * Messages refused at the outbound hard limit.
     *
     * @return the count
     */
    public long drops() {
        return totals[LoopCounters.DROPS];
    }

    /**
     * Opening handshakes answered with an HTTP error (or a plain HTTP response).
     *
     * @return the count
     */
    public long rejectedHandshakes() {
        return totals[LoopCounters.REJECTED];
    }

    /**
     * Calls to {@code accept} on a listening socket that failed, typically because the process
     * was out of file descriptors. Each failure pauses accepting for a growing delay (10 ms
     * doubling to 1 s) instead of retrying at once; a count that keeps growing means the process
     * needs a higher descriptor limit or fewer connections.
     *
     * @return the count
     */
    public long acceptErrors() {
        return totals[LoopCounters.ACCEPT_ERRORS];
    }

    /**
     * Closed connections by the code reported to the handler.
     *
     * @param code a close code
     * @return how many closed with it
     */
    public long closes(int code) {
        long n = 0;
        for (EventLoop loop : loops) {
            n += loop.counters().closes(code);
        }
        return n;
    }

    @Override
    public String toString() {
        return "TransportStats[open=" + openConnections() + ", opened=" + connectionsOpened()
                + ", framesIn=" + framesIn() + ", framesOut=" + framesOut() + ", bytesIn=" + bytesIn()
                + ", bytesOut=" + bytesOut() + ", drops=" + drops() + ", rejected=" + rejectedHandshakes()
                + ", acceptErrors=" + acceptErrors() + "]";
    }
}
