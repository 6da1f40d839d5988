package io.tern.autobahn.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Compares two {@code index.json} reports (e.g. the official suite's and this runner's, or two runs)
 * case by case on {@code behavior} and {@code behaviorClose}. Stateless.
 */
public final class IndexComparison {

    private IndexComparison() {
    }

    /**
     * One case where the reports differ (a missing case counts, with the verdicts as {@code "-"}).
     *
     * @param id             case id
     * @param behaviorA      first report's behavior
     * @param behaviorCloseA first report's close behavior
     * @param behaviorB      second report's behavior
     * @param behaviorCloseB second report's close behavior
     */
    public record Difference(String id, String behaviorA, String behaviorCloseA, String behaviorB, String behaviorCloseB) {
        @Override
        public String toString() {
            return id + ": " + behaviorA + "/" + behaviorCloseA + " vs " + behaviorB + "/" + behaviorCloseB;
        }
    }

    /**
     * Reads one agent's cases from an {@code index.json}.
     *
     * @param file  the report
     * @param agent the agent, or null for the only one in the file
     * @return case id → {@code {behavior, behaviorClose, ...}}
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if the JSON is malformed or the agent is absent or ambiguous
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Map<String, Object>> read(Path file, String agent) throws IOException {
        Object root = JsonReader.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (!(root instanceof Map<?, ?> agents)) {
            throw new IllegalArgumentException(file + " is not an index.json (no top-level object)");
        }
        Object cases;
        if (agent == null) {
            if (agents.size() != 1) {
                throw new IllegalArgumentException(file + " has " + agents.size() + " agents " + agents.keySet()
                        + ": name one");
            }
            cases = agents.values().iterator().next();
        } else {
            cases = agents.get(agent);
            if (cases == null) {
                throw new IllegalArgumentException(file + " has no agent " + agent + " (it has " + agents.keySet() + ")");
            }
        }
        return (Map<String, Map<String, Object>>) cases;
    }

    /**
     * @param a        first report's cases
     * @param b        second report's cases
     * @param selected which case ids to compare
     * @return the differences, in case id order
     */
    public static List<Difference> compare(Map<String, Map<String, Object>> a, Map<String, Map<String, Object>> b,
                                           Predicate<String> selected) {
        TreeSet<String> ids = new TreeSet<>(HtmlReport::compareIds);
        ids.addAll(a.keySet());
        ids.addAll(b.keySet());
        List<Difference> out = new ArrayList<>();
        for (String id : ids) {
            if (!selected.test(id)) {
                continue;
            }
            String ba = field(a.get(id), "behavior");
            String ca = field(a.get(id), "behaviorClose");
            String bb = field(b.get(id), "behavior");
            String cb = field(b.get(id), "behaviorClose");
            if (!ba.equals(bb) || !ca.equals(cb)) {
                out.add(new Difference(id, ba, ca, bb, cb));
            }
        }
        return out;
    }

    private static String field(Map<String, Object> c, String name) {
        return c == null ? "-" : String.valueOf(c.get(name));
    }
}
