package io.tern.autobahn.runner;

import io.tern.autobahn.catalogue.Catalogue;
import io.tern.autobahn.catalogue.CaseGroup;
import io.tern.autobahn.report.HtmlReport;
import io.tern.autobahn.report.ReportWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The results of a run, by agent and case id, with the per-group summary and report writing.
 *
 * <p>Thread-safe: all methods synchronise on the instance (the fuzzing server stores results from one
 * thread per connection).
 */
public final class RunResults {

    private final Map<String, Map<String, CaseResult>> byAgent = new LinkedHashMap<>();

    /** An empty set of results. */
    public RunResults() {
    }

    /**
     * Stores a result, replacing an earlier one of the same agent and case.
     *
     * @param r the result
     */
    public synchronized void add(CaseResult r) {
        byAgent.computeIfAbsent(r.agent(), a -> new TreeMap<>(HtmlReport::compareIds)).put(r.id(), r);
    }

    /**
     * @param agent  agent name
     * @param caseId case id
     * @return the stored result, or null
     */
    public synchronized CaseResult get(String agent, String caseId) {
        Map<String, CaseResult> m = byAgent.get(agent);
        return m == null ? null : m.get(caseId);
    }

    /** @return a snapshot: agent → case id → result, ids in numeric order */
    public synchronized Map<String, Map<String, CaseResult>> snapshot() {
        Map<String, Map<String, CaseResult>> copy = new LinkedHashMap<>();
        byAgent.forEach((a, m) -> copy.put(a, new TreeMap<>(m)));
        return copy;
    }

    /** @return every result of every agent */
    public synchronized List<CaseResult> all() {
        List<CaseResult> out = new ArrayList<>();
        byAgent.values().forEach(m -> out.addAll(m.values()));
        return out;
    }

    /**
     * Writes the JSON and HTML reports.
     *
     * @param dir       output directory
     * @param catalogue for the group titles
     * @throws IOException if a file cannot be written
     */
    public void writeReports(Path dir, Catalogue catalogue) throws IOException {
        Map<String, String> titles = new LinkedHashMap<>();
        for (CaseGroup g : catalogue.groups()) {
            titles.put(String.valueOf(g.number()), g.title());
        }
        ReportWriter.write(dir, snapshot(), titles);
    }

    /**
     * One line per agent and group: cases, the sum of their durations (seconds), verdict counts,
     * close verdicts other than OK, and the ids of the cases that do not pass {@code rule}.
     *
     * @param catalogue for the group titles
     * @param rule      the pass rule
     * @return the lines
     */
    public List<String> summary(Catalogue catalogue, ExitRule rule) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Map<String, CaseResult>> agent : snapshot().entrySet()) {
            Map<String, List<CaseResult>> byGroup = new TreeMap<>((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
            for (CaseResult r : agent.getValue().values()) {
                byGroup.computeIfAbsent(r.id().substring(0, r.id().indexOf('.') < 0 ? r.id().length() : r.id().indexOf('.')),
                        k -> new ArrayList<>()).add(r);
            }
            for (Map.Entry<String, List<CaseResult>> g : byGroup.entrySet()) {
                CaseGroup group = catalogue.groupOf(g.getKey() + ".");
                Map<String, Integer> counts = new LinkedHashMap<>();
                Map<String, Integer> closeCounts = new LinkedHashMap<>();
                List<String> failing = new ArrayList<>();
                for (CaseResult r : g.getValue()) {
                    counts.merge(r.behavior().label(), 1, Integer::sum);
                    if (r.behaviorClose() != Verdict.OK) {
                        closeCounts.merge(r.behaviorClose().label(), 1, Integer::sum);
                    }
                    if (!rule.passes(r)) {
                        failing.add(r.id());
                    }
                }
                StringBuilder sb = new StringBuilder();
                long millis = g.getValue().stream().mapToLong(CaseResult::durationMillis).sum();
                sb.append(String.format(java.util.Locale.ROOT, "%-10s group %-3s %-28s %4d cases %7.1f s  ", agent.getKey(),
                        g.getKey(), group == null ? "" : group.title(), g.getValue().size(), millis / 1000.0));
                StringBuilder v = new StringBuilder();
                counts.forEach((k, n) -> v.append(v.length() == 0 ? "" : ", ").append(k).append(' ').append(n));
                sb.append(v);
                if (!closeCounts.isEmpty()) {
                    StringBuilder c = new StringBuilder();
                    closeCounts.forEach((k, n) -> c.append(c.length() == 0 ? "" : ", ").append(k).append(' ').append(n));
                    sb.append("; close ").append(c);
                }
                sb.append(failing.isEmpty() ? "  [pass]" : "  [FAIL: " + String.join(" ", failing) + "]");
                lines.add(sb.toString());
            }
        }
        return lines;
    }

    /**
     * @param rule the pass rule
     * @return the ids (as {@code agent:id}) of the cases that do not pass
     */
    public List<String> failures(ExitRule rule) {
        List<String> out = new ArrayList<>();
        for (CaseResult r : all()) {
            if (!rule.passes(r)) {
                out.add(r.agent() + ":" + r.id());
            }
        }
        return out;
    }
}
