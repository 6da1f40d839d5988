package io.tern.bench.soak;

/**
 * One interval's readings: the server's ({@link ServerProbe.ServerReading}) and the client's
 * counters, all cumulative since the start except {@code clientOpen}.
 *
 * @param seconds      seconds since the load started
 * @param server       the server's readings
 * @param clientOpen   connections the client had open (upgraded, not closing) when read
 * @param echoSent     echo messages sent
 * @param echoVerified echoes that came back byte for byte
 * @param published    broadcast messages published
 * @param broadcastsVerified broadcast deliveries whose CRC-32 and sequence were right
 * @param reconnects   connections reopened (churn and errors)
 * @param cleanCloses  churned connections closed with a finished close handshake
 * @param abruptCloses churned connections closed without a close frame
 * @param wrong        messages that were not what was expected
 * @param errors       unexpected failures (handshakes, server-side closes, timeouts)
 * @param quietMillis  how long the load took to quiesce before the reading, -1 when it did not
 *                     within the limit or quiescing is off (the reading was taken under load)
 */
record Sample(double seconds, ServerProbe.ServerReading server, int clientOpen, long echoSent, long echoVerified,
        long published, long broadcastsVerified, long reconnects, long cleanCloses, long abruptCloses, long wrong,
        long errors, long quietMillis) {

    /** The header of {@link #row()}, as Markdown. */
    static final String HEADER = "| t (s) | heap after GC (MiB) | direct, NMT Other (MiB) | RSS (MiB) | threads | fds"
            + " | client open | echo verified | broadcasts verified | reconnects (clean/abrupt) | wrong | errors"
            + " | server CPU (s) | quiesced in (ms) |\n"
            + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    /** The readings as one Markdown table row. */
    String row() {
        return String.format(java.util.Locale.ROOT, "| %.0f | %.1f | %.1f | %.0f | %d | %d | %d | %d | %d | %d (%d/%d) | %d | %d | %.1f | %s |",
                seconds, mib(server.heapAfterGc()), mib(server.directMemory()), mib(server.rss()), server.threads(),
                server.fds(), clientOpen, echoVerified, broadcastsVerified, reconnects, cleanCloses, abruptCloses,
                wrong, errors, server.cpuSeconds(), quietMillis < 0 ? "under load" : Long.toString(quietMillis));
    }

    static double mib(long bytes) {
        return bytes < 0 ? -1 : bytes / 1048576.0;
    }
}
