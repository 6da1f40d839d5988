package io.tern.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ReportGeneratorTest {

    @Test
    void rendersTargetsTablesAndCharts() throws IOException {
        ObjectMapper m = new ObjectMapper();
        String jmhJson = "[" + String.join(",",
                JmhResultsTest.result("FrameDecodeBenchmark.tern_decode", "\"size\":\"125\",\"masked\":\"true\"", "thrpt", 350, 0, 0),
                JmhResultsTest.result("FrameDecodeBenchmark.netty_decode", "\"size\":\"125\",\"masked\":\"true\"", "thrpt", 100, 0, 72),
                JmhResultsTest.result("FrameDecodeBenchmark.tern_decode", "\"size\":\"1024\",\"masked\":\"true\"", "thrpt", 200, 0, 0),
                JmhResultsTest.result("FrameDecodeBenchmark.netty_decode", "\"size\":\"1024\",\"masked\":\"true\"", "thrpt", 100, 0, 72),
                JmhResultsTest.result("MaskingBenchmark.tern_unmask", "\"size\":\"65536\"", "thrpt", 60, 0, 0),
                JmhResultsTest.result("MaskingBenchmark.bulkCopy_unmask", "\"size\":\"65536\"", "thrpt", 100, 0, 0)) + "]";
        JmhResults jmh = JmhResults.parse(m.readTree(jmhJson));
        ObjectNode doc = m.createObjectNode();
        doc.put("date", "2026-11-30T00:00:00Z").put("jdk", "JDK 17").put("serverCpu", "0");
        doc.putObject("machine").put("cpus", 2).put("cpuModel", "Test CPU").put("memTotalBytes", 1L << 30);
        ArrayNode runs = doc.putArray("runs");
        Histogram h = new Histogram(3);
        h.recordValue(50_000);
        runs.add(E2eResultsTest.run(m, "echo-64B", "tern", 300_000, h));
        runs.add(E2eResultsTest.run(m, "echo-64B", "netty", 100_000, h));
        runs.add(m.createObjectNode().put("label", "idle-1000").put("server", "tern").put("scenario", "idle")
                .put("heapBytesPerConnection", 900).put("rssBytesPerConnection", 8000));
        runs.add(m.createObjectNode().put("label", "idle-1000").put("server", "netty").put("scenario", "idle")
                .put("heapBytesPerConnection", 1800).put("rssBytesPerConnection", 6000));
        ReportGenerator g = new ReportGenerator(jmh, E2eResults.parse(doc));
        String md = g.render("The machine was shared.");

        assertTrue(md.contains("| decode of 125-byte masked frames ≥ 3× Netty | 3.50× | met |"), md);
        assertTrue(md.contains("| unmasking 64 KiB ≥ 70% of a bulk copy | 0.60× | not met |"), md);
        assertTrue(md.contains("| 0 B/op: FrameDecodeBenchmark | at most 0.00 B/op (payloads up to 1 KiB: at most 0.00) | met |"), md);
        assertTrue(md.contains("| end-to-end echo of 64 B ≥ 2.5× Netty (NIO) msgs/s | 3.00× | met |"), md);
        assertTrue(md.contains("| idle heap ≤ 1 KiB per connection (idle-1000) | 900 B | met |"), md);
        assertTrue(md.contains("| idle RSS ≤ 4 KB per connection (idle-1000) | 8000 B | not met |"), md);
        assertTrue(md.contains("| masked=true, size=125 | decode | 350.0 ops/s | 0.00 | netty | 100.0 | 0.00 | **3.50** | 0 | 72 |"), md);
        assertTrue(md.contains("| netty | 1 | 100,000 ± 0.00 |"), md);
        assertTrue(md.contains("| netty | 1 | 1,800 ± 0.00 | 6,000 ± 0.00 | – | 0.50, 1.33 |"), md);
        assertTrue(md.contains("2 CPUs (Test CPU)"), md);
        assertTrue(md.endsWith("## Notes\n\nThe machine was shared.\n"), md);
        assertEquals(java.util.Set.of("decode-masked.svg", "latency-echo-64B.svg", "echo-throughput.svg",
                "memory-idle-1000.svg"), g.charts().keySet());
        assertTrue(md.contains("![decode-masked.svg](report/decode-masked.svg)"));
    }

    @Test
    void numbersAreCompact() {
        assertEquals("1,234,567", ReportGenerator.num(1234567.4));
        assertEquals("12.3", ReportGenerator.num(12.34));
        assertEquals("0.12", ReportGenerator.num(0.1234));
        assertEquals("–", ReportGenerator.num(Double.NaN));
        assertEquals("64 KiB", ReportGenerator.sizeLabel(65536));
        assertEquals("1 MiB", ReportGenerator.sizeLabel(1 << 20));
        assertEquals("125 B", ReportGenerator.sizeLabel(125));
    }
}
