package io.tern.bench.soak;

import io.tern.bench.load.ProcStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Readings of the server's JVM from outside, without JMX: the heap in use after a full
 * collection ({@code jcmd GC.run}, then {@code jstat -gc}), direct and other native memory from
 * Native Memory Tracking ({@code jcmd VM.native_memory summary}: the {@code Other} category, where
 * the JDK counts {@code ByteBuffer.allocateDirect}), threads from {@code /proc/PID/task}, open file
 * descriptors from {@code /proc/PID/fd}, and the resident set from {@code /proc/PID/status}.
 *
 * <p>Threading contract: stateless apart from the pid; safe from any thread. Each reading forks
 * {@code jcmd}/{@code jstat} of the running JDK, so the server must run on the same JDK.
 */
final class ServerProbe {

    /** NMT's line for the Other category, e.g. {@code -  Other (reserved=10276KB, committed=10276KB)}. */
    private static final Pattern OTHER = Pattern.compile("Other \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    private final long pid;
    private final String jcmd;

    ServerProbe(long pid) {
        this.pid = pid;
        this.jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    }

    /** The server's readings now; a figure that could not be read is -1. */
    ServerReading read() {
        long heap = ProcStats.heapUsedAfterGc(pid);
        long other = -1;
        try {
            other = parseOtherCommitted(run(List.of(jcmd, Long.toString(pid), "VM.native_memory", "summary", "scale=KB")));
        } catch (IOException | RuntimeException e) {
            other = -1;
        }
        return new ServerReading(heap, other, count("task"), count("fd"), ProcStats.rssBytes(pid),
                ProcStats.cpuSeconds(pid));
    }

    /**
     * The committed size of NMT's {@code Other} category.
     *
     * @param summary the output of {@code jcmd PID VM.native_memory summary scale=KB}
     * @return bytes, or -1 when the category is absent (NMT off)
     */
    static long parseOtherCommitted(String summary) {
        Matcher m = OTHER.matcher(summary);
        return m.find() ? Long.parseLong(m.group(2)) * 1024 : -1;
    }

    private int count(String dir) {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), dir))) {
            return (int) s.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(command + " failed: " + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * One reading of the server.
     *
     * @param heapAfterGc  bytes of heap in use after a full collection
     * @param directMemory bytes committed in NMT's Other category (direct buffers and the like)
     * @param threads      threads of the process, the JVM's own included
     * @param fds          open file descriptors
     * @param rss          resident set, bytes
     * @param cpuSeconds   user plus system CPU so far
     */
    record ServerReading(long heapAfterGc, long directMemory, int threads, int fds, long rss, double cpuSeconds) {
    }
}
