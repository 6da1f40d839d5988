package io.tern.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JMH's JSON results ({@code -rf json}), paired: every benchmark method is named
 * {@code impl_operation} ({@code tern_decode}, {@code netty_decode}), and Tern's row is compared
 * with each other implementation's row of the same class, operation and parameters.
 *
 * <p>Immutable after parsing; thread-safe.
 */
public final class JmhResults {

    /**
     * One JMH result.
     *
     * @param benchmarkClass the class's simple name
     * @param impl           the method name before the underscore
     * @param operation      the method name after it
     * @param params         the parameters, sorted by name
     * @param mode           JMH's mode ({@code thrpt}, {@code avgt}...)
     * @param score          the primary score
     * @param error          its 99.9% confidence half-width (NaN when JMH gave none)
     * @param unit           the score's unit
     * @param allocBytesPerOp {@code gc.alloc.rate.norm} from {@code -prof gc}, NaN without it
     */
    public record Row(String benchmarkClass, String impl, String operation, Map<String, String> params, String mode,
            double score, double error, String unit, double allocBytesPerOp) {

        String paramText() {
            StringBuilder sb = new StringBuilder();
            params.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v));
            return sb.toString();
        }
    }

    /**
     * Tern beside one peer.
     *
     * @param tern  Tern's row
     * @param peer  the peer's row
     */
    public record Pair(Row tern, Row peer) {

        /**
         * How many times faster Tern is: score ratio for throughput, inverted for time per op.
         *
         * @return the ratio (above 1: Tern is faster)
         */
        public double ratio() {
            boolean time = tern.mode().equals("avgt") || tern.mode().equals("sample") || tern.mode().equals("ss");
            return time ? peer.score() / tern.score() : tern.score() / peer.score();
        }

        /**
         * The ratio's uncertainty from both relative errors (added in quadrature).
         *
         * @return the half-width, NaN when either error is unknown
         */
        public double ratioError() {
            double a = tern.error() / tern.score();
            double b = peer.error() / peer.score();
            return ratio() * Math.sqrt(a * a + b * b);
        }
    }

    private final List<Row> rows;

    private JmhResults(List<Row> rows) {
        this.rows = rows;
    }

    /**
     * Reads a JMH JSON result file.
     *
     * @param file the file
     * @return the results
     * @throws IOException if it cannot be read or is not JMH's JSON
     */
    public static JmhResults read(Path file) throws IOException {
        return parse(new ObjectMapper().readTree(file.toFile()));
    }

    /**
     * Reads several JMH result files, such as a full sweep and a longer run of the key
     * benchmarks: a row of a later file replaces the row of an earlier one with the same class,
     * method and parameters.
     *
     * @param files the files, in order
     * @return the combined results
     * @throws IOException if one cannot be read
     */
    public static JmhResults readAll(List<Path> files) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Path f : files) {
            rows = merge(rows, read(f).rows);
        }
        return new JmhResults(rows);
    }

    /** {@code earlier} with rows of {@code later} replacing those with the same key, new ones appended. */
    static List<Row> merge(List<Row> earlier, List<Row> later) {
        List<Row> out = new ArrayList<>(earlier);
        for (Row r : later) {
            boolean replaced = false;
            for (int i = 0; i < out.size(); i++) {
                Row o = out.get(i);
                if (o.benchmarkClass().equals(r.benchmarkClass()) && o.impl().equals(r.impl())
                        && o.operation().equals(r.operation()) && o.params().equals(r.params())) {
                    out.set(i, r);
                    replaced = true;
                    break;
                }
            }
            if (!replaced) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Parses JMH's JSON (an array of results).
     *
     * @param root the array
     * @return the results
     * @throws IOException if it is not JMH's JSON
     */
    public static JmhResults parse(JsonNode root) throws IOException {
        if (!root.isArray()) {
            throw new IOException("JMH JSON must be an array of results");
        }
        List<Row> rows = new ArrayList<>();
        for (JsonNode r : root) {
            String benchmark = r.path("benchmark").asText();
            int dot = benchmark.lastIndexOf('.');
            String method = benchmark.substring(dot + 1);
            String cls = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
            int underscore = method.indexOf('_');
            String impl = underscore < 0 ? method : method.substring(0, underscore);
            String op = underscore < 0 ? "" : method.substring(underscore + 1);
            Map<String, String> params = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = r.path("params").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), e.getValue().asText());
            }
            JsonNode pm = r.path("primaryMetric");
            double alloc = Double.NaN;
            Iterator<Map.Entry<String, JsonNode>> sm = r.path("secondaryMetrics").fields();
            while (sm.hasNext()) {
                Map.Entry<String, JsonNode> e = sm.next();
                if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                    alloc = e.getValue().path("score").asDouble();
                }
            }
            double error = pm.path("scoreError").isNumber() ? pm.path("scoreError").asDouble() : Double.NaN;
            rows.add(new Row(cls, impl, op, params, r.path("mode").asText(), pm.path("score").asDouble(), error,
                    pm.path("scoreUnit").asText(), alloc));
        }
        return new JmhResults(rows);
    }

    /**
     * Every row, in file order.
     *
     * @return the rows
     */
    public List<Row> rows() {
        return rows;
    }

    /**
     * Tern beside each peer, per class (in file order), then operation and parameters.
     *
     * @return class name to its pairs
     */
    public Map<String, List<Pair>> pairs() {
        Map<String, List<Pair>> out = new LinkedHashMap<>();
        for (Row t : rows) {
            if (!t.impl().equals("tern")) {
                continue;
            }
            for (Row p : rows) {
                if (!p.impl().equals("tern") && p.benchmarkClass().equals(t.benchmarkClass())
                        && p.operation().equals(t.operation()) && p.params().equals(t.params())) {
                    out.computeIfAbsent(t.benchmarkClass(), k -> new ArrayList<>()).add(new Pair(t, p));
                }
            }
        }
        return out;
    }

    /**
     * The row of one implementation with the given parameters, if measured.
     *
     * @param cls    class simple name
     * @param impl   implementation
     * @param params parameters that must match (others may differ)
     * @return the row or null
     */
    public Row find(String cls, String impl, Map<String, String> params) {
        for (Row r : rows) {
            if (r.benchmarkClass().equals(cls) && r.impl().equals(impl)
                    && r.params().entrySet().containsAll(params.entrySet())) {
                return r;
            }
        }
        return null;
    }
}
