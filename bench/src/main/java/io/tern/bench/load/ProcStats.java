package io.tern.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What Linux's {@code /proc} and the JDK's {@code jcmd}/{@code jstat} tell about a process,
 * without JMX: CPU time, resident memory, and the Java heap in use after a full collection.
 */
public final class ProcStats {

    /** Clock ticks per second of {@code /proc/PID/stat} (USER_HZ, 100 on Linux). */
    static final long TICKS_PER_SECOND = 100;

    private ProcStats() {
    }

    /**
     * User plus system CPU time of a process so far.
     *
     * @param pid the process
     * @return seconds of CPU, or -1 when unreadable
     */
    public static double cpuSeconds(long pid) {
        try {
            return parseCpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) / (double) TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * utime + stime from the contents of {@code /proc/PID/stat} (fields 14 and 15, counted after
     * the command name in parentheses, which may itself hold spaces and parentheses).
     *
     * @param stat the file's contents
     * @return clock ticks
     */
    static long parseCpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        // f[0] is field 3 (state): utime is field 14 -> f[11], stime field 15 -> f[12]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * Resident set size.
     *
     * @param pid the process
     * @return bytes, or -1 when unreadable
     */
    public static long rssBytes(long pid) {
        try {
            return parseKilobytes(Files.readString(Path.of("/proc", Long.toString(pid), "status")), "VmRSS:");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * A {@code kB} field of {@code /proc/PID/status}, in bytes.
     *
     * @param status the file's contents
     * @param field  the field name with its colon, such as {@code VmRSS:}
     * @return bytes, or -1 when absent
     */
    static long parseKilobytes(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field)) {
                String[] parts = line.substring(field.length()).trim().split("\\s+");
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        return -1;
    }

    /**
     * Runs a full collection in the process ({@code jcmd PID GC.run}) and then reads the heap in
     * use ({@code jstat -gc PID}: survivor, eden and old used).
     *
     * @param pid a JVM of the same JDK
     * @return bytes of heap in use, or -1 when the tools failed
     */
    public static long heapUsedAfterGc(long pid) {
        String bin = Path.of(System.getProperty("java.home"), "bin").toString();
        try {
            run(List.of(bin + "/jcmd", Long.toString(pid), "GC.run"));
            return parseJstatUsed(run(List.of(bin + "/jstat", "-gc", Long.toString(pid))));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Heap in use from {@code jstat -gc} output: S0U + S1U + EU + OU, in KB in the output.
     *
     * @param out two lines: headers and values
     * @return bytes
     */
    static long parseJstatUsed(String out) {
        String[] lines = out.trim().split("\n");
        String[] head = lines[0].trim().split("\\s+");
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        double kb = 0;
        for (int i = 0; i < head.length; i++) {
            if (head[i].equals("S0U") || head[i].equals("S1U") || head[i].equals("EU") || head[i].equals("OU")) {
                kb += Double.parseDouble(values[i]);
            }
        }
        return Math.round(kb * 1024);
    }

    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
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
}
