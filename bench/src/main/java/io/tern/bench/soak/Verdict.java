package io.tern.bench.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Whether a soak stayed flat after its warm-up. The readings taken after the warm-up are split in
 * thirds (first and last third hold {@code ceil(n/3)} readings each), and:
 * <ul>
 *   <li>heap after GC and direct memory: the largest reading of the last third is at most the
 *       median of the first third plus {@code max(tolerance × median, 2 MiB)} (the absolute floor
 *       covers messages that happen to be in flight when a small heap is measured);</li>
 *   <li>threads: the largest reading of the last third is at most the largest of the first third;</li>
 *   <li>file descriptors: the largest reading of the last third is at most the largest of the
 *       first third plus {@code max(10, C / 100)} (sockets of churned connections in transit);</li>
 *   <li>no wrong message and no error at all, over the whole run, warm-up included; some echoes and
 *       (with subscribers) some broadcasts were verified; every reading could be taken.</li>
 * </ul>
 *
 * <p>Threading contract: immutable.
 */
final class Verdict {

    static final long ABSOLUTE_SLACK = 2L << 20;

    private final List<String> lines = new ArrayList<>();
    private boolean flat = true;

    private Verdict() {
    }

    /**
     * Judges a run.
     *
     * @param samples   every reading, in order
     * @param settings  the run's settings (warm-up, tolerance, C)
     * @return the verdict
     */
    static Verdict judge(List<Sample> samples, SoakSettings settings) {
        Verdict v = new Verdict();
        List<Sample> judged = samples.stream().filter(s -> s.seconds() >= settings.warmupSeconds()).toList();
        if (judged.size() < 3) {
            v.fail("only " + judged.size() + " readings after the warm-up; need 3");
            return v;
        }
        int third = (judged.size() + 2) / 3;
        List<Sample> first = judged.subList(0, third);
        List<Sample> last = judged.subList(judged.size() - third, judged.size());
        v.lines.add(String.format(Locale.ROOT, "judged: %d readings after %d s of warm-up; first third t=%.0f..%.0f s,"
                + " last third t=%.0f..%.0f s", judged.size(), settings.warmupSeconds(), first.get(0).seconds(),
                first.get(first.size() - 1).seconds(), last.get(0).seconds(), last.get(last.size() - 1).seconds()));
        v.memory("heap after GC", first, last, s -> s.server().heapAfterGc(), settings.tolerance());
        v.memory("direct memory (NMT Other)", first, last, s -> s.server().directMemory(), settings.tolerance());
        v.atMost("threads", first, last, s -> s.server().threads(), 0);
        v.atMost("file descriptors", first, last, s -> s.server().fds(), Math.max(10, settings.connections() / 100));
        Sample end = samples.get(samples.size() - 1);
        v.check(end.wrong() == 0, "wrong messages: " + end.wrong());
        v.check(end.errors() == 0, "errors: " + end.errors());
        v.check(end.echoVerified() > 0, "echoes verified: " + end.echoVerified());
        if (settings.broadcastConnections() > 0 && settings.publishRate() > 0) {
            v.check(end.broadcastsVerified() > 0, "broadcast deliveries verified: " + end.broadcastsVerified());
        }
        return v;
    }

    private void memory(String what, List<Sample> first, List<Sample> last, ToLongFunction<Sample> f, double tolerance) {
        long[] early = first.stream().mapToLong(f).toArray();
        long lateMax = last.stream().mapToLong(f).max().orElse(-1);
        if (Arrays.stream(early).anyMatch(x -> x < 0) || last.stream().mapToLong(f).anyMatch(x -> x < 0)) {
            fail(what + ": a reading could not be taken");
            return;
        }
        Arrays.sort(early);
        long median = early.length % 2 == 1 ? early[early.length / 2]
                : (early[early.length / 2 - 1] + early[early.length / 2]) / 2;
        long limit = median + Math.max((long) (tolerance * median), ABSOLUTE_SLACK);
        check(lateMax <= limit, String.format(Locale.ROOT, "%s: last-third max %.1f MiB, first-third median %.1f MiB,"
                + " limit %.1f MiB", what, Sample.mib(lateMax), Sample.mib(median), Sample.mib(limit)));
    }

    private void atMost(String what, List<Sample> first, List<Sample> last, ToLongFunction<Sample> f, long slack) {
        long earlyMax = first.stream().mapToLong(f).max().orElse(-1);
        long lateMax = last.stream().mapToLong(f).max().orElse(-1);
        if (earlyMax < 0 || last.stream().mapToLong(f).anyMatch(x -> x < 0)) {
            fail(what + ": a reading could not be taken");
            return;
        }
        check(lateMax <= earlyMax + slack, what + ": last-third max " + lateMax + ", first-third max " + earlyMax
                + (slack > 0 ? ", allowed +" + slack : ""));
    }

    private void check(boolean ok, String line) {
        lines.add((ok ? "ok    " : "FAIL  ") + line);
        flat &= ok;
    }

    private void fail(String line) {
        check(false, line);
    }

    /** Whether every rule held. */
    boolean flat() {
        return flat;
    }

    /** One line per rule, each starting with {@code ok} or {@code FAIL}. */
    List<String> lines() {
        return List.copyOf(lines);
    }
}
