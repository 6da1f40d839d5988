package io.tern.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tern.bench.load.Percentiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The comparison's JSON ({@link io.tern.bench.load.Compare}), summarised per scenario and server
 * over the repetitions: mean and standard deviation of each rate, the latency percentiles of the
 * merged histograms (never an average of percentiles), memory per connection.
 *
 * <p>Immutable after parsing; thread-safe.
 */
public final class E2eResults {

    /**
     * One scenario on one server over its repetitions.
     *
     * @param label        the scenario's label ({@code echo-64B}...)
     * @param server       {@code tern}, {@code netty}...
     * @param scenario     {@code echo}, {@code broadcast} or {@code idle}
     * @param runs         repetitions that produced numbers
     * @param failures     repetitions that failed, with their reasons
     * @param values       metric name to its values, one per repetition
     * @param latency      the merged latency histogram in nanoseconds (null for idle)
     */
    public record Summary(String label, String server, String scenario, int runs, List<String> failures,
            Map<String, List<Double>> values, Histogram latency) {

        /**
         * The mean of a metric over the repetitions.
         *
         * @param metric the metric name
         * @return the mean, NaN when none
         */
        public double mean(String metric) {
            List<Double> v = values.getOrDefault(metric, List.of());
            return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        /**
         * The sample standard deviation of a metric.
         *
         * @param metric the metric name
         * @return the deviation, 0 for one value, NaN for none
         */
        public double stddev(String metric) {
            List<Double> v = values.getOrDefault(metric, List.of());
            if (v.isEmpty()) {
                return Double.NaN;
            }
            if (v.size() == 1) {
                return 0;
            }
            double m = mean(metric);
            double sum = 0;
            for (double x : v) {
                sum += (x - m) * (x - m);
            }
            return Math.sqrt(sum / (v.size() - 1));
        }

        /**
         * A latency percentile of the merged histogram.
         *
         * @param p the percentile, such as 99.9
         * @return microseconds, NaN without samples
         */
        public double percentileMicros(double p) {
            return latency == null || latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(p) / 1000.0;
        }
    }

    /** The numeric fields summarised from each run. */
    static final List<String> METRICS = List.of("messagesPerSecond", "megabytesPerSecond", "serverCpu",
            "loadGeneratorCpu", "heapBytesPerConnection", "rssBytesPerConnection", "connectSeconds", "skippedSends");

    private final JsonNode root;
    private final List<Summary> summaries;

    private E2eResults(JsonNode root, List<Summary> summaries) {
        this.root = root;
        this.summaries = summaries;
    }

    /**
     * Reads the comparison's JSON file.
     *
     * @param file the file
     * @return the summaries
     * @throws IOException if it cannot be read
     */
    public static E2eResults read(Path file) throws IOException {
        return parse(new ObjectMapper().readTree(file.toFile()));
    }

    /**
     * Reads several comparison files, such as a full run and a later rerun of one scenario: the
     * runs of a later file replace every run of an earlier one with the same label and server.
     * The machine and JDK are the first file's.
     *
     * @param files the files, in order
     * @return the summaries
     * @throws IOException if one cannot be read
     */
    public static E2eResults readAll(List<Path> files) throws IOException {
        ObjectMapper m = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode first = null;
        com.fasterxml.jackson.databind.node.ArrayNode runs = m.createArrayNode();
        for (Path f : files) {
            JsonNode doc = m.readTree(f.toFile());
            if (first == null) {
                first = (com.fasterxml.jackson.databind.node.ObjectNode) doc.deepCopy();
            }
            java.util.Set<String> replaced = new java.util.HashSet<>();
            for (JsonNode r : doc.path("runs")) {
                replaced.add(r.path("label").asText() + "\u0000" + r.path("server").asText());
            }
            com.fasterxml.jackson.databind.node.ArrayNode kept = m.createArrayNode();
            for (JsonNode r : runs) {
                if (!replaced.contains(r.path("label").asText() + "\u0000" + r.path("server").asText())) {
                    kept.add(r);
                }
            }
            kept.addAll((com.fasterxml.jackson.databind.node.ArrayNode) doc.path("runs"));
            runs = kept;
        }
        if (first == null) {
            throw new IOException("no comparison file given");
        }
        first.set("runs", runs);
        return parse(first);
    }

    /**
     * Summarises the comparison's JSON.
     *
     * @param root the document
     * @return the summaries, in the order labels and servers first appear
     */
    public static E2eResults parse(JsonNode root) {
        Map<String, List<JsonNode>> groups = new LinkedHashMap<>();
        for (JsonNode run : root.path("runs")) {
            groups.computeIfAbsent(run.path("label").asText() + "\u0000" + run.path("server").asText(), k -> new ArrayList<>())
                    .add(run);
        }
        List<Summary> out = new ArrayList<>();
        for (List<JsonNode> runs : groups.values()) {
            JsonNode first = runs.get(0);
            Map<String, List<Double>> values = new LinkedHashMap<>();
            List<String> failures = new ArrayList<>();
            List<String> histograms = new ArrayList<>();
            String scenario = first.path("scenario").asText("");
            int ok = 0;
            for (JsonNode r : runs) {
                if (r.has("failure")) {
                    failures.add(r.path("failure").asText());
                    continue;
                }
                ok++;
                if (scenario.isEmpty()) {
                    scenario = r.path("scenario").asText("");
                }
                for (String m : METRICS) {
                    if (r.path(m).isNumber() && r.path(m).asDouble() >= 0) {
                        values.computeIfAbsent(m, k -> new ArrayList<>()).add(r.path(m).asDouble());
                    }
                }
                if (r.hasNonNull("histogram")) {
                    histograms.add(r.path("histogram").asText());
                }
            }
            Histogram merged = histograms.isEmpty() ? null : Percentiles.merge(histograms);
            out.add(new Summary(first.path("label").asText(), first.path("server").asText(), scenario, ok, failures,
                    values, merged));
        }
        return new E2eResults(root, out);
    }

    /**
     * Every summary.
     *
     * @return the summaries
     */
    public List<Summary> summaries() {
        return summaries;
    }

    /**
     * The summary of one scenario label on one server.
     *
     * @param label  the label
     * @param server the server
     * @return the summary or null
     */
    public Summary get(String label, String server) {
        for (Summary s : summaries) {
            if (s.label().equals(label) && s.server().equals(server)) {
                return s;
            }
        }
        return null;
    }

    /**
     * The labels, in order of first appearance.
     *
     * @return the labels
     */
    public List<String> labels() {
        List<String> out = new ArrayList<>();
        for (Summary s : summaries) {
            if (!out.contains(s.label())) {
                out.add(s.label());
            }
        }
        return out;
    }

    /**
     * The servers, in order of first appearance.
     *
     * @return the servers
     */
    public List<String> servers() {
        List<String> out = new ArrayList<>();
        for (Summary s : summaries) {
            if (!out.contains(s.server())) {
                out.add(s.server());
            }
        }
        return out;
    }

    /**
     * The document's top-level field as text ({@code machine}, {@code jdk}, {@code date}).
     *
     * @param field the field
     * @return its JSON text or plain value
     */
    public String field(String field) {
        JsonNode n = root.path(field);
        return n.isValueNode() ? n.asText() : n.toString();
    }

    /**
     * The machine description.
     *
     * @return the {@code machine} object
     */
    public JsonNode machine() {
        return root.path("machine");
    }
}
