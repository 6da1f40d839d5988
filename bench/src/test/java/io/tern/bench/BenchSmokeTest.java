package io.tern.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tern.bench.load.Compare;
import io.tern.bench.report.E2eResults;
import io.tern.bench.report.JmhResults;
import io.tern.bench.report.ReportGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Keeps the benchmarks from rotting: every JMH benchmark for one short iteration (in this JVM,
 * one small parameter set each), every load scenario for two seconds against both servers (fresh
 * processes), and the report built from both. Not a measurement: full runs are never part of the
 * build (see the README's "Benchmarks").
 */
class BenchSmokeTest {

    private static final Path TARGET = Path.of("target");

    @Test
    @Timeout(150)
    void everyJmhBenchmarkRunsOnce() throws Exception {
        Path json = TARGET.resolve("jmh-smoke.json");
        Options options = new OptionsBuilder()
                .include("io\\.tern\\.bench\\.jmh\\..*")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .param("size", "1024")
                .param("masked", "true")
                .param("role", "client")
                .param("content", "mixed")
                .param("takeover", "false")
                .param("windowBits", "10")
                .param("corpus", "json")
                .param("subscribers", "20")
                .output(TARGET.resolve("jmh-smoke.txt").toString())
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Set<String> ran = new HashSet<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            assertTrue(r.getPrimaryResult().getScore() > 0, name + " scored nothing");
            ran.add(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1));
        }
        assertEquals(Set.of("FrameDecodeBenchmark.tern_decode", "FrameDecodeBenchmark.netty_decode",
                "FrameEncodeBenchmark.tern_encode", "FrameEncodeBenchmark.netty_encode",
                "MaskingBenchmark.tern_unmask", "MaskingBenchmark.bulkCopy_unmask",
                "Utf8Benchmark.tern_validate", "Utf8Benchmark.jdk_validate", "Utf8Benchmark.netty_validate",
                "PerMessageDeflateBenchmark.tern_compress", "PerMessageDeflateBenchmark.netty_compress",
                "PerMessageDeflateBenchmark.tern_decompress", "PerMessageDeflateBenchmark.netty_decompress",
                "WindowedDeflaterBenchmark.tern_deflate", "WindowedDeflaterBenchmark.zlib1_deflate",
                "WindowedDeflaterBenchmark.zlib6_deflate",
                "FanoutBenchmark.tern_publish", "FanoutBenchmark.netty_publish"), ran);
        JmhResults parsed = JmhResults.read(json);
        assertEquals(18, parsed.rows().size());
        assertEquals(10, parsed.pairs().values().stream().mapToInt(List::size).sum());
    }

    @Test
    @Timeout(150)
    void everyLoadScenarioRunsAgainstBothServersAndReports() throws Exception {
        Path json = TARGET.resolve("e2e-smoke.json");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Map<String, Object> doc = Compare.run(new String[] {"--out", json.toString(), "--reps", "1", "--seconds", "2",
            "--warmup", "0.3", "--echo-connections", "4", "--payloads", "64", "--broadcast-connections", "50",
            "--rate", "500", "--idle-connections", "300", "--idle-seconds", "0.5", "--heap", "256m"},
                new PrintStream(log, true, StandardCharsets.UTF_8));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> runs = (List<Map<String, Object>>) doc.get("runs");
        assertEquals(8, runs.size(), log.toString(StandardCharsets.UTF_8));
        for (Map<String, Object> r : runs) {
            String what = r.get("label") + " on " + r.get("server") + ": " + r;
            assertFalse(r.containsKey("failure"), what);
            if (r.get("scenario").equals("idle")) {
                assertEquals(300, r.get("openAtEnd"), what);
                assertTrue(((Number) r.get("rssBytesPerConnection")).doubleValue() != -1, what);
            } else {
                assertTrue(((Number) r.get("messages")).longValue() > 0, what);
                assertTrue(((Number) r.get("p99Micros")).doubleValue() > 0, what);
            }
        }
        E2eResults e2e = E2eResults.read(json);
        assertEquals(List.of("tern", "netty"), e2e.servers());
        assertEquals(List.of("echo-64B", "broadcast-50", "broadcast-50-rate500", "idle-300"), e2e.labels());
        assertTrue(new ObjectMapper().readTree(json.toFile()).path("machine").path("cpus").asInt() > 0);

        Path report = TARGET.resolve("smoke-report/REPORT.md");
        Files.createDirectories(report.getParent());
        ReportGenerator.generate(new String[] {"--e2e", json.toString(), "--out", report.toString()});
        String md = Files.readString(report);
        assertTrue(md.contains("### echo-64B"), md);
        assertTrue(Files.exists(report.getParent().resolve("report/latency-echo-64B.svg")));
    }
}
