package io.tern.autobahn.official;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks the verdicts of an official Autobahn report ({@code index.json}) and fails on any case
 * that is not OK.
 *
 * <pre>
 * OfficialVerdicts INDEX_JSON [--agent NAME] [--cases P,...] [--exclude P,...] [--expect N] [--groups]
 *                  [--compare OTHER_INDEX_JSON [--compare-agent NAME]]
 * </pre>
 *
 * <p>A case passes when both its {@code behavior} and its {@code behaviorClose} are {@code OK}, or,
 * for the cases in {@link #INFORMATIONAL_CASES} only, {@code INFORMATIONAL}. Everything else fails:
 * NON-STRICT (an RFC-conformant but lax reaction, e.g. failing on invalid UTF-8 only at the end of
 * a message instead of at once), FAILED, UNIMPLEMENTED, WRONG CODE, UNCLEAN, FAILED BY CLIENT, and
 * INFORMATIONAL on any other case. Patterns select cases as the official spec files do
 * ({@code *} matches any text: {@code 6.4.*}, {@code 12.*}).
 *
 * <p>With {@code --compare}, the selected cases must also have the same {@code behavior} and
 * {@code behaviorClose} in the other report (for example Tern's own runner against the official
 * suite, case by case); a case missing from either side counts as a difference.
 *
 * <p>Prints nothing but one summary line when every case passes (plus, with {@code --groups}, one
 * line per group with its count of each verdict); on failure one line per failing case.
 * Exit status: 0 all pass; 1 a case fails, fewer cases than {@code --expect} are present, or the
 * two reports differ;
 * 2 a bad command line; 3 the report cannot be read or is not an official index.
 *
 * <p>Stateless; the same checks serve the official suite's reports and Tern's own runner's
 * {@code index.json}, written in the same format, so the two can be compared case by case.
 */
public final class OfficialVerdicts {

    /**
     * The cases whose official definition gives the verdict INFORMATIONAL whatever the testee does:
     * 7.1.6 (a large message, then a close, then a ping: whether the ping is answered is left to
     * the testee), 7.13.1 and 7.13.2 (close codes 5000 and 65535, outside the ranges RFC 6455
     * §7.4 defines: a testee may fail the connection or not). In the official sources they set
     * both {@code behavior} and {@code behaviorClose} to INFORMATIONAL unconditionally.
     */
    public static final Set<String> INFORMATIONAL_CASES = Set.of("7.1.6", "7.13.1", "7.13.2");

    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_UNREADABLE = 3;

    static final String OK = "OK";
    static final String INFORMATIONAL = "INFORMATIONAL";

    private OfficialVerdicts() {
    }

    /**
     * Checks a report and exits with the status described in the class comment.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Checks a report.
     *
     * @param args the command line
     * @param out  the summary
     * @param err  failing cases and errors
     * @return the exit status
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path index = null;
        String agent = null;
        List<String> include = List.of("*");
        List<String> exclude = List.of();
        int expect = -1;
        boolean groups = false;
        Path other = null;
        String otherAgent = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--agent" -> agent = value(args, ++i, "--agent");
                    case "--cases" -> include = List.of(value(args, ++i, "--cases").split(","));
                    case "--exclude" -> exclude = List.of(value(args, ++i, "--exclude").split(","));
                    case "--expect" -> expect = Integer.parseInt(value(args, ++i, "--expect"));
                    case "--groups" -> groups = true;
                    case "--compare" -> other = Path.of(value(args, ++i, "--compare"));
                    case "--compare-agent" -> otherAgent = value(args, ++i, "--compare-agent");
                    default -> {
                        if (args[i].startsWith("-") || index != null) {
                            throw new IllegalArgumentException("unexpected argument: " + args[i]);
                        }
                        index = Path.of(args[i]);
                    }
                }
            }
            if (index == null) {
                throw new IllegalArgumentException("the index.json to check is missing");
            }
        } catch (IllegalArgumentException e) {
            err.println("OfficialVerdicts: " + e.getMessage());
            err.println("usage: OfficialVerdicts INDEX_JSON [--agent NAME] [--cases P,...] [--exclude P,...]"
                    + " [--expect N] [--groups] [--compare OTHER_INDEX_JSON [--compare-agent NAME]]");
            return EXIT_USAGE;
        }
        OfficialReport report;
        List<CaseResult> results;
        try {
            report = OfficialReport.read(index);
            if (agent == null) {
                if (report.agents().size() != 1) {
                    err.println("OfficialVerdicts: " + index + " holds agents " + report.agents() + "; choose one with --agent");
                    return EXIT_USAGE;
                }
                agent = report.agents().iterator().next();
            }
            results = report.cases(agent);
        } catch (IOException e) {
            err.println("OfficialVerdicts: cannot read " + index + ": " + e);
            return EXIT_UNREADABLE;
        } catch (IllegalArgumentException e) {
            err.println("OfficialVerdicts: " + index + ": " + e.getMessage());
            return EXIT_UNREADABLE;
        }
        List<CaseResult> selected = select(results, include, exclude);
        List<String> problems = problems(selected);
        List<CaseResult> compared = null;
        if (other != null) {
            try {
                OfficialReport second = OfficialReport.read(other);
                String name = otherAgent != null ? otherAgent
                        : second.agents().size() == 1 ? second.agents().iterator().next() : agent;
                compared = select(second.cases(name), include, exclude);
            } catch (IOException e) {
                err.println("OfficialVerdicts: cannot read " + other + ": " + e);
                return EXIT_UNREADABLE;
            } catch (IllegalArgumentException e) {
                err.println("OfficialVerdicts: " + other + ": " + e.getMessage());
                return EXIT_UNREADABLE;
            }
            problems.addAll(differences(selected, compared, other.toString()));
        }
        if (expect >= 0 && selected.size() < expect) {
            problems.add(selected.size() + " case(s) in the report, " + expect + " expected: cases are missing");
        }
        if (selected.isEmpty()) {
            problems.add("no case of agent \"" + agent + "\" matches " + include + " minus " + exclude);
        }
        if (groups || !problems.isEmpty()) {
            groupSummary(selected).forEach((group, line) -> out.println("  group " + group + ": " + line));
        }
        for (String p : problems) {
            err.println("  " + p);
        }
        String verdict = problems.isEmpty() ? "all pass" : problems.size() + " problem(s)";
        out.println("official verdicts of \"" + agent + "\" in " + index + ": " + selected.size() + " case(s), "
                + tally(selected) + (compared == null ? "" : "; the same as " + other + " case by case"
                        + (problems.isEmpty() ? "" : " except as listed")) + "; " + verdict);
        return problems.isEmpty() ? 0 : EXIT_FAILED;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /**
     * The results whose case ID matches one of {@code include} and none of {@code exclude}.
     *
     * @param results the results
     * @param include patterns such as {@code *}, {@code 6.4.*}, {@code 7.1.6}
     * @param exclude patterns of cases to leave out
     * @return the selected results, in their order
     */
    public static List<CaseResult> select(List<CaseResult> results, List<String> include, List<String> exclude) {
        List<Pattern> in = include.stream().map(OfficialVerdicts::glob).toList();
        List<Pattern> out = exclude.stream().map(OfficialVerdicts::glob).toList();
        return results.stream()
                .filter(r -> in.stream().anyMatch(p -> p.matcher(r.caseId()).matches()))
                .filter(r -> out.stream().noneMatch(p -> p.matcher(r.caseId()).matches()))
                .toList();
    }

    /**
     * Why each failing case fails, one line per case, in the results' order.
     *
     * @param results the results to check
     * @return a mutable list, empty when every case passes
     */
    public static List<String> problems(List<CaseResult> results) {
        List<String> problems = new ArrayList<>();
        for (CaseResult r : results) {
            boolean informational = INFORMATIONAL_CASES.contains(r.caseId());
            if (!acceptable(r.behavior(), informational) || !acceptable(r.behaviorClose(), informational)) {
                problems.add(r.caseId() + ": behavior " + r.behavior() + ", behaviorClose " + r.behaviorClose()
                        + ", testee's close code " + (r.remoteCloseCode() == null ? "none" : r.remoteCloseCode())
                        + " (wanted OK" + (informational ? " or INFORMATIONAL" : "") + ")"
                        + (r.reportFile() == null ? "" : "; details in " + r.reportFile()));
            }
        }
        return problems;
    }

    /**
     * Where two reports disagree on the same cases: a case in one but not the other, or another
     * {@code behavior} or {@code behaviorClose}.
     *
     * @param first  the results of the first report
     * @param second the results of the second report, same selection
     * @param name   how to call the second report in the lines
     * @return one line per difference, in case order; empty when they agree
     */
    public static List<String> differences(List<CaseResult> first, List<CaseResult> second, String name) {
        Map<String, CaseResult> theirs = new TreeMap<>(OfficialReport.CASE_ORDER);
        for (CaseResult r : second) {
            theirs.put(r.caseId(), r);
        }
        Map<String, String> lines = new TreeMap<>(OfficialReport.CASE_ORDER);
        for (CaseResult mine : first) {
            CaseResult other = theirs.remove(mine.caseId());
            if (other == null) {
                lines.put(mine.caseId(), mine.caseId() + ": missing from " + name);
            } else if (!mine.behavior().equals(other.behavior()) || !mine.behaviorClose().equals(other.behaviorClose())) {
                lines.put(mine.caseId(), mine.caseId() + ": " + mine.behavior() + "/" + mine.behaviorClose() + " here, "
                        + other.behavior() + "/" + other.behaviorClose() + " in " + name);
            }
        }
        for (String id : theirs.keySet()) {
            lines.put(id, id + ": only in " + name);
        }
        return new ArrayList<>(lines.values());
    }

    /**
     * Whether a verdict passes.
     *
     * @param verdict       the verdict as written in the report
     * @param informational whether the case is one of {@link #INFORMATIONAL_CASES}
     * @return {@code true} for OK, and for INFORMATIONAL on an informational case
     */
    public static boolean acceptable(String verdict, boolean informational) {
        return OK.equals(verdict) || (informational && INFORMATIONAL.equals(verdict));
    }

    /** Per group (first number of the case ID): "N OK, M FAILED, ...", groups in order. */
    static Map<Integer, String> groupSummary(List<CaseResult> results) {
        Map<Integer, List<CaseResult>> byGroup = new TreeMap<>();
        for (CaseResult r : results) {
            int group = Integer.parseInt(r.caseId().split("\\.")[0]);
            byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(r);
        }
        Map<Integer, String> lines = new TreeMap<>();
        byGroup.forEach((g, rs) -> lines.put(g, rs.size() + " case(s), " + tally(rs)));
        return lines;
    }

    /** "514 OK, 3 INFORMATIONAL" for the behavior verdicts, most frequent first. */
    static String tally(List<CaseResult> results) {
        Map<String, Integer> counts = new TreeMap<>();
        for (CaseResult r : results) {
            counts.merge(r.behavior(), 1, Integer::sum);
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> b.getValue() - a.getValue());
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Integer> e : entries) {
            parts.add(e.getValue() + " " + e.getKey());
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /** A case pattern as the official spec files write them: {@code *} matches any text. */
    static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.trim().split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
