package io.tern.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.tern.bench.jmh.CompressionSizes;
import io.tern.bench.load.Percentiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's JSON and the comparison's JSON into {@code REPORT.md} with SVG charts beside it.
 *
 * <pre>
 * ReportGenerator [--jmh FILE[,FILE...]] [--e2e FILE[,FILE...]] [--out bench/REPORT.md] [--notes FILE]
 * </pre>
 *
 * Several JMH files are combined, a later one's result replacing an earlier one's for the same
 * benchmark and parameters (a full sweep, then a longer run of the key benchmarks); so are
 * several comparison files, a later one's runs of a scenario on a server replacing earlier ones.
 *
 * Charts go to a {@code report/} folder next to the Markdown file. Every ratio is
 * "Tern ÷ peer": above 1 Tern is faster for speeds; for memory, below 1 Tern uses less.
 *
 * <p>Why some 400 lines: one section per kind of result (targets, micro-benchmarks, sizes,
 * end-to-end, charts), each a few lines of table formatting over the parsed results.
 *
 * <p>Threading contract: a command-line program; one thread.
 */
public final class ReportGenerator {

    private final JmhResults jmh;
    private final E2eResults e2e;
    private final StringBuilder md = new StringBuilder();
    private final Map<String, String> charts = new LinkedHashMap<>();

    ReportGenerator(JmhResults jmh, E2eResults e2e) {
        this.jmh = jmh;
        this.e2e = e2e;
    }

    /**
     * Writes the report.
     *
     * @param args see the class comment
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        System.out.println(generate(args));
    }

    /**
     * Writes the report and its charts.
     *
     * @param args see the class comment
     * @return one line saying what was written
     * @throws IOException if a file cannot be read or written
     */
    public static String generate(String[] args) throws IOException {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        List<Path> jmhFiles = new ArrayList<>();
        if (o.containsKey("--jmh")) {
            for (String f : o.get("--jmh").split(",")) {
                jmhFiles.add(Path.of(f));
            }
        }
        JmhResults jmh = jmhFiles.isEmpty() ? null : JmhResults.readAll(jmhFiles);
        List<Path> e2eFiles = new ArrayList<>();
        if (o.containsKey("--e2e")) {
            for (String f : o.get("--e2e").split(",")) {
                e2eFiles.add(Path.of(f));
            }
        }
        E2eResults e2e = e2eFiles.isEmpty() ? null : E2eResults.readAll(e2eFiles);
        String notes = o.containsKey("--notes") ? Files.readString(Path.of(o.get("--notes"))) : "";
        Path out = Path.of(o.getOrDefault("--out", "REPORT.md"));
        ReportGenerator g = new ReportGenerator(jmh, e2e);
        String text = g.render(notes);
        Path dir = out.toAbsolutePath().getParent().resolve("report");
        Files.createDirectories(dir);
        for (Map.Entry<String, String> c : g.charts.entrySet()) {
            Files.writeString(dir.resolve(c.getKey()), c.getValue(), StandardCharsets.UTF_8);
        }
        Files.writeString(out, text, StandardCharsets.UTF_8);
        return "wrote " + out + " and " + g.charts.size() + " charts in " + dir;
    }

    /**
     * The charts rendered by the last {@link #render}, file name to SVG.
     *
     * @return the charts
     */
    Map<String, String> charts() {
        return charts;
    }

    /**
     * Renders the whole Markdown report (and fills {@link #charts()}).
     *
     * @param notes Markdown appended as the closing notes
     * @return the report
     */
    String render(String notes) {
        md.setLength(0);
        charts.clear();
        md.append("# Tern benchmark report\n\n");
        md.append("Every ratio is **Tern ÷ peer**: above 1 Tern is faster (speeds) — for memory, below 1 Tern uses less. ")
                .append("Errors are JMH's 99.9% confidence half-widths; end-to-end figures are the mean ± standard ")
                .append("deviation over the repetitions, latency percentiles come from the repetitions' merged histograms.\n\n");
        conditions();
        targets();
        if (jmh != null) {
            micro();
            sizes();
        }
        if (e2e != null) {
            endToEnd();
        }
        if (!charts.isEmpty()) {
            md.append("## Charts\n\n");
            for (String name : charts.keySet()) {
                md.append("![").append(name).append("](report/").append(name).append(")\n\n");
            }
        }
        if (!notes.isBlank()) {
            md.append("## Notes\n\n").append(notes.strip()).append("\n");
        }
        return md.toString();
    }

    private void conditions() {
        md.append("## Conditions\n\n");
        if (e2e != null) {
            JsonNode m = e2e.machine();
            md.append("- End-to-end run: ").append(e2e.field("date")).append(", ").append(m.path("cpus").asText())
                    .append(" CPUs (").append(m.path("cpuModel").asText()).append("), ")
                    .append(String.format(Locale.ROOT, "%.1f GiB", m.path("memTotalBytes").asDouble() / (1L << 30)))
                    .append(", Linux ").append(m.path("kernel").asText()).append(", load average at start ")
                    .append(m.path("loadAverageAtStart").asText()).append("; ").append(e2e.field("jdk")).append(".\n");
            md.append("- Servers pinned to CPU ").append(e2e.field("serverCpu")).append(", load generator to CPU(s) ")
                    .append(e2e.field("loadGeneratorAffinity")).append("; server JVM options ")
                    .append(e2e.field("serverJvmOptions")).append(", one event loop each, permessage-deflate off.\n");
        }
        if (jmh != null && !jmh.rows().isEmpty()) {
            md.append("- JMH 1.37 results: ").append(jmh.rows().size()).append(" benchmarks/parameter sets.\n");
        }
        md.append('\n');
    }

    private void targets() {
        List<String[]> rows = new ArrayList<>();
        if (jmh != null) {
            ratioTarget(rows, "decode of 125-byte masked frames ≥ 3× Netty", "FrameDecodeBenchmark",
                    Map.of("size", "125", "masked", "true"), "netty", 3.0);
            ratioTarget(rows, "unmasking 64 KiB ≥ 70% of a bulk copy", "MaskingBenchmark", Map.of("size", "65536"),
                    "bulkCopy", 0.7);
            ratioTarget(rows, "pub/sub publish to 1,000 subscribers ≥ 5× Netty (JMH, sockets)", "FanoutBenchmark",
                    Map.of("subscribers", "1000"), "netty", 5.0);
            for (String cls : List.of("FrameDecodeBenchmark", "FrameEncodeBenchmark")) {
                double max = Double.NaN;
                double small = Double.NaN;
                for (JmhResults.Row r : jmh.rows()) {
                    if (r.benchmarkClass().equals(cls) && r.impl().equals("tern") && !Double.isNaN(r.allocBytesPerOp())) {
                        max = Double.isNaN(max) ? r.allocBytesPerOp() : Math.max(max, r.allocBytesPerOp());
                        String size = r.params().get("size");
                        if (size != null && Integer.parseInt(size) <= 1024) {
                            small = Double.isNaN(small) ? r.allocBytesPerOp() : Math.max(small, r.allocBytesPerOp());
                        }
                    }
                }
                if (!Double.isNaN(max)) {
                    rows.add(new String[] {"0 B/op: " + cls, String.format(Locale.ROOT,
                            "at most %.2f B/op (payloads up to 1 KiB: at most %.2f)", max, small),
                        max < 1 ? "met" : "not met"});
                }
            }
        }
        if (e2e != null) {
            for (String label : e2e.labels()) {
                if (label.equals("echo-64B")) {
                    e2eTarget(rows, "end-to-end echo of 64 B ≥ 2.5× Netty (NIO) msgs/s", label, 2.5);
                }
                if (label.startsWith("broadcast-1000") && !label.contains("rate")) {
                    e2eTarget(rows, "broadcast to 1,000 subscribers ≥ 5× Netty deliveries/s", label, 5.0);
                }
                if (label.startsWith("idle-")) {
                    E2eResults.Summary t = e2e.get(label, "tern");
                    if (t != null && t.runs() > 0) {
                        double heap = t.mean("heapBytesPerConnection");
                        double rss = t.mean("rssBytesPerConnection");
                        rows.add(new String[] {"idle heap ≤ 1 KiB per connection (" + label + ")",
                                String.format(Locale.ROOT, "%.0f B", heap), heap <= 1024 ? "met" : "not met"});
                        rows.add(new String[] {"idle RSS ≤ 4 KB per connection (" + label + ")",
                                String.format(Locale.ROOT, "%.0f B", rss), rss <= 4000 ? "met" : "not met"});
                    }
                }
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        md.append("## Against the issue's targets\n\n| target | measured | |\n|---|---|---|\n");
        for (String[] r : rows) {
            md.append("| ").append(r[0]).append(" | ").append(r[1]).append(" | ").append(r[2]).append(" |\n");
        }
        md.append('\n');
    }

    private void ratioTarget(List<String[]> rows, String name, String cls, Map<String, String> params, String peer,
            double goal) {
        JmhResults.Row t = jmh.find(cls, "tern", params);
        JmhResults.Row p = jmh.find(cls, peer, params);
        if (t == null || p == null) {
            return;
        }
        JmhResults.Pair pair = new JmhResults.Pair(t, p);
        rows.add(new String[] {name, ratio(pair.ratio(), pair.ratioError()).replaceFirst("^([0-9.]+)", "$1×"),
            pair.ratio() >= goal ? "met" : "not met"});
    }

    private void e2eTarget(List<String[]> rows, String name, String label, double goal) {
        E2eResults.Summary t = e2e.get(label, "tern");
        E2eResults.Summary n = e2e.get(label, "netty");
        if (t == null || n == null || t.runs() == 0 || n.runs() == 0) {
            return;
        }
        double r = t.mean("messagesPerSecond") / n.mean("messagesPerSecond");
        rows.add(new String[] {name, String.format(Locale.ROOT, "%.2f×", r), r >= goal ? "met" : "not met"});
    }

    private void micro() {
        md.append("## Micro-benchmarks (JMH)\n\n");
        for (Map.Entry<String, List<JmhResults.Pair>> e : jmh.pairs().entrySet()) {
            md.append("### ").append(e.getKey()).append("\n\n");
            md.append("| parameters | operation | Tern | ± | peer | peer score | ± | Tern ÷ peer | Tern B/op | peer B/op |\n");
            md.append("|---|---|---:|---:|---|---:|---:|---:|---:|---:|\n");
            for (JmhResults.Pair p : e.getValue()) {
                JmhResults.Row t = p.tern();
                JmhResults.Row q = p.peer();
                md.append("| ").append(t.paramText()).append(" | ").append(t.operation()).append(" | ")
                        .append(num(t.score())).append(' ').append(t.unit()).append(" | ").append(num(t.error()))
                        .append(" | ").append(q.impl()).append(" | ").append(num(q.score())).append(" | ")
                        .append(num(q.error())).append(" | **").append(ratio(p.ratio(), p.ratioError())).append("** | ")
                        .append(bytes(t.allocBytesPerOp())).append(" | ").append(bytes(q.allocBytesPerOp())).append(" |\n");
            }
            md.append('\n');
        }
        sizeChart("FrameDecodeBenchmark", Map.of("masked", "true"), "netty", "decode-masked.svg",
                "Frame decode, masked text frames (JMH)");
        sizeChart("FrameDecodeBenchmark", Map.of("masked", "false"), "netty", "decode-unmasked.svg",
                "Frame decode, unmasked text frames (JMH)");
        sizeChart("FrameEncodeBenchmark", Map.of("role", "server"), "netty", "encode-server.svg",
                "Frame encode, server (JMH)");
        sizeChart("FrameEncodeBenchmark", Map.of("role", "client"), "netty", "encode-client.svg",
                "Frame encode, client, masked (JMH)");
    }

    /** Operations/s of Tern and a peer by payload size, for the rows matching {@code fixed}. */
    private void sizeChart(String cls, Map<String, String> fixed, String peer, String file, String title) {
        List<String> sizes = new ArrayList<>();
        List<Double> tern = new ArrayList<>();
        List<Double> other = new ArrayList<>();
        for (JmhResults.Row r : jmh.rows()) {
            if (r.benchmarkClass().equals(cls) && r.impl().equals("tern")
                    && r.params().entrySet().containsAll(fixed.entrySet()) && r.params().containsKey("size")) {
                Map<String, String> key = new LinkedHashMap<>(r.params());
                JmhResults.Row p = jmh.find(cls, peer, key);
                sizes.add(sizeLabel(Integer.parseInt(r.params().get("size"))));
                tern.add(r.score());
                other.add(p == null ? Double.NaN : p.score());
            }
        }
        if (sizes.size() > 1) {
            charts.put(file, Svg.bars(title, sizes, List.of(new Svg.Series("Tern", tern), new Svg.Series(peer, other)),
                    "operations/s (log)", true));
        }
    }

    private void sizes() {
        boolean any = jmh.rows().stream().anyMatch(r -> r.benchmarkClass().equals("WindowedDeflaterBenchmark"));
        if (!any) {
            return;
        }
        int size = 16384;
        md.append("### Compressed size, 16 KiB messages (WindowedDeflaterBenchmark's inputs)\n\n")
                .append("| corpus / compressor | bytes out | of input |\n|---|---:|---:|\n");
        for (Map.Entry<String, Integer> e : CompressionSizes.table(size).entrySet()) {
            md.append("| ").append(e.getKey()).append(" | ").append(e.getValue()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f%%", 100.0 * e.getValue() / size)).append(" |\n");
        }
        md.append('\n');
    }

    private void endToEnd() {
        md.append("## End-to-end (127.0.0.1, real sockets)\n\n");
        List<String> servers = e2e.servers();
        String base = servers.contains("tern") ? "tern" : servers.get(0);
        for (String label : e2e.labels()) {
            md.append("### ").append(label).append("\n\n");
            boolean idle = label.startsWith("idle");
            if (idle) {
                md.append("| server | runs | heap B/conn | RSS B/conn | connect s | Tern ÷ server (heap, RSS) |\n")
                        .append("|---|---:|---:|---:|---:|---:|\n");
            } else {
                md.append("| server | runs | msgs/s | MB/s | p50 µs | p99 µs | p99.9 µs | max µs | server CPU | "
                        + "load generator CPU | Tern ÷ server (msgs/s) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            }
            E2eResults.Summary b = e2e.get(label, base);
            for (String server : servers) {
                E2eResults.Summary s = e2e.get(label, server);
                if (s == null) {
                    continue;
                }
                md.append("| ").append(server).append(" | ").append(s.runs());
                if (!s.failures().isEmpty()) {
                    md.append(" (").append(s.failures().size()).append(" failed)");
                }
                if (idle) {
                    md.append(" | ").append(meanSd(s, "heapBytesPerConnection")).append(" | ")
                            .append(meanSd(s, "rssBytesPerConnection")).append(" | ")
                            .append(num(s.mean("connectSeconds"))).append(" | ")
                            .append(b == null ? "" : String.format(Locale.ROOT, "%.2f, %.2f",
                                    b.mean("heapBytesPerConnection") / s.mean("heapBytesPerConnection"),
                                    b.mean("rssBytesPerConnection") / s.mean("rssBytesPerConnection")))
                            .append(" |\n");
                } else {
                    md.append(" | ").append(meanSd(s, "messagesPerSecond")).append(" | ")
                            .append(num(s.mean("megabytesPerSecond"))).append(" | ")
                            .append(num(s.percentileMicros(50))).append(" | ").append(num(s.percentileMicros(99)))
                            .append(" | ").append(num(s.percentileMicros(99.9))).append(" | ")
                            .append(num(s.percentileMicros(100))).append(" | ").append(num(s.mean("serverCpu")))
                            .append(" | ").append(num(s.mean("loadGeneratorCpu"))).append(" | ").append(b == null ? "" : String.format(Locale.ROOT, "**%.2f**",
                                    b.mean("messagesPerSecond") / s.mean("messagesPerSecond")))
                            .append(" |\n");
                }
            }
            for (String server : servers) {
                E2eResults.Summary s = e2e.get(label, server);
                if (s != null && !s.failures().isEmpty()) {
                    md.append("\nFailed runs on ").append(server).append(": ").append(String.join("; ", s.failures()))
                            .append('\n');
                }
            }
            md.append('\n');
            if (!idle) {
                latencyChart(label, servers);
            }
        }
        throughputChart(servers);
        memoryChart(servers);
    }

    private void latencyChart(String label, List<String> servers) {
        List<String> x = new ArrayList<>();
        for (double p : Percentiles.REPORTED) {
            x.add("p" + Percentiles.key(p).substring(1).replace("Micros", ""));
        }
        List<Svg.Series> series = new ArrayList<>();
        for (String server : servers) {
            E2eResults.Summary s = e2e.get(label, server);
            if (s == null || s.latency() == null) {
                continue;
            }
            List<Double> v = new ArrayList<>();
            for (double p : Percentiles.REPORTED) {
                v.add(s.percentileMicros(p));
            }
            series.add(new Svg.Series(server, v));
        }
        if (!series.isEmpty()) {
            charts.put("latency-" + label + ".svg", Svg.lines("Latency percentiles, " + label, x, series, "µs (log)", true));
        }
    }

    private void throughputChart(List<String> servers) {
        List<String> labels = new ArrayList<>();
        for (String l : e2e.labels()) {
            if (l.startsWith("echo-")) {
                labels.add(l);
            }
        }
        if (labels.isEmpty()) {
            return;
        }
        List<Svg.Series> series = new ArrayList<>();
        for (String server : servers) {
            List<Double> v = new ArrayList<>();
            for (String l : labels) {
                E2eResults.Summary s = e2e.get(l, server);
                v.add(s == null ? Double.NaN : s.mean("messagesPerSecond"));
            }
            series.add(new Svg.Series(server, v));
        }
        charts.put("echo-throughput.svg", Svg.bars("End-to-end echo by payload size", labels, series, "messages/s", false));
    }

    private void memoryChart(List<String> servers) {
        for (String l : e2e.labels()) {
            if (!l.startsWith("idle-")) {
                continue;
            }
            List<Svg.Series> series = new ArrayList<>();
            for (String server : servers) {
                E2eResults.Summary s = e2e.get(l, server);
                if (s != null && s.runs() > 0) {
                    series.add(new Svg.Series(server, List.of(s.mean("heapBytesPerConnection"), s.mean("rssBytesPerConnection"))));
                }
            }
            if (!series.isEmpty()) {
                charts.put("memory-" + l + ".svg", Svg.bars("Server memory per idle connection, " + l,
                        List.of("heap", "RSS"), series, "bytes per connection", false));
            }
        }
    }

    private static String meanSd(E2eResults.Summary s, String metric) {
        return num(s.mean(metric)) + " ± " + num(s.stddev(metric));
    }

    static String sizeLabel(int bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }

    /** A number with three significant digits at most, grouped for reading. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String ratio(double r, double error) {
        return Double.isNaN(error) || error == 0 ? String.format(Locale.ROOT, "%.2f", r)
                : String.format(Locale.ROOT, "%.2f ± %.2f", r, error);
    }

    private static String bytes(double b) {
        return Double.isNaN(b) ? "–" : String.format(Locale.ROOT, "%.0f", b);
    }
}
