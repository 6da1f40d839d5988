package io.tern.autobahn.official;

import io.tern.autobahn.report.JsonReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code index.json} of an official Autobahn report (what {@code wstest} writes in fuzzing
 * client and fuzzing server mode): for each agent, for each case ID, a {@link CaseResult}.
 *
 * <pre>{@code
 * { "Tern": { "1.1.1": { "behavior": "OK", "behaviorClose": "OK", "duration": 2,
 *                        "remoteCloseCode": 1000, "reportfile": "tern_case_1_1_1.json" }, ... } }
 * }</pre>
 *
 * <p>Immutable; safe from any thread.
 */
public final class OfficialReport {

    /** Orders case IDs by their numeric parts: 1.1.2 before 1.1.10, 9.x before 10.x. */
    public static final Comparator<String> CASE_ORDER = OfficialReport::compareCaseIds;

    private final Map<String, List<CaseResult>> agents;

    private OfficialReport(Map<String, List<CaseResult>> agents) {
        this.agents = agents;
    }

    /**
     * Reads an {@code index.json}.
     *
     * @param indexJson the file
     * @return the report
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not an official index (the message says what is
     *     wrong and where)
     */
    public static OfficialReport read(Path indexJson) throws IOException {
        return parse(Files.readString(indexJson, StandardCharsets.UTF_8));
    }

    /**
     * Parses the text of an {@code index.json}.
     *
     * @param json the text
     * @return the report
     * @throws IllegalArgumentException if it is not an official index (the message says what is
     *     wrong and where)
     */
    public static OfficialReport parse(String json) {
        Object root = JsonReader.parse(json);
        if (!(root instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException("index.json: the top level must be an object of agents");
        }
        Map<String, List<CaseResult>> agents = new LinkedHashMap<>();
        for (Map.Entry<?, ?> agent : top.entrySet()) {
            String name = (String) agent.getKey();
            if (!(agent.getValue() instanceof Map<?, ?> cases)) {
                throw new IllegalArgumentException("index.json: agent \"" + name + "\" must map case IDs to objects");
            }
            List<CaseResult> results = new ArrayList<>();
            for (Map.Entry<?, ?> c : cases.entrySet()) {
                results.add(caseResult(name, (String) c.getKey(), c.getValue()));
            }
            results.sort(Comparator.comparing(CaseResult::caseId, CASE_ORDER));
            agents.put(name, List.copyOf(results));
        }
        return new OfficialReport(agents);
    }

    private static CaseResult caseResult(String agent, String caseId, Object value) {
        String where = "index.json: agent \"" + agent + "\" case " + caseId;
        if (!caseId.matches("\\d+(\\.\\d+)*")) {
            throw new IllegalArgumentException(where + ": not a case ID");
        }
        if (!(value instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException(where + ": must be an object");
        }
        String behavior = text(fields, "behavior", where);
        String behaviorClose = text(fields, "behaviorClose", where);
        Object code = fields.get("remoteCloseCode");
        if (code != null && !(code instanceof Long)) {
            throw new IllegalArgumentException(where + ": remoteCloseCode must be a whole number or null");
        }
        Object duration = fields.get("duration");
        long millis = duration instanceof Number n ? n.longValue() : 0;
        Object file = fields.get("reportfile");
        return new CaseResult(caseId, behavior, behaviorClose, code == null ? null : ((Long) code).intValue(),
                millis, file == null ? null : file.toString());
    }

    private static String text(Map<?, ?> fields, String name, String where) {
        Object v = fields.get(name);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(where + ": \"" + name + "\" must be a string");
        }
        return s;
    }

    /**
     * The agents the report holds results for, in file order.
     *
     * @return agent names
     */
    public Set<String> agents() {
        return agents.keySet();
    }

    /**
     * One agent's results, ordered by {@link #CASE_ORDER}.
     *
     * @param agent the agent name
     * @return the results
     * @throws IllegalArgumentException if the report has no such agent (the message lists those it has)
     */
    public List<CaseResult> cases(String agent) {
        List<CaseResult> results = agents.get(agent);
        if (results == null) {
            throw new IllegalArgumentException("no agent \"" + agent + "\" in the report; it has " + agents.keySet());
        }
        return results;
    }

    private static int compareCaseIds(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
