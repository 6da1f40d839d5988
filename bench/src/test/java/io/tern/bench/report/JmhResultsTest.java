package io.tern.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JmhResultsTest {

    static String result(String method, String params, String mode, double score, double error, double alloc) {
        return "{\"benchmark\":\"io.tern.bench.jmh." + method + "\",\"mode\":\"" + mode + "\",\"params\":{" + params
                + "},\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":" + error
                + ",\"scoreUnit\":\"ops/s\"},\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":" + alloc + "}}}";
    }

    static final String JSON = "[" + String.join(",",
            result("FrameDecodeBenchmark.tern_decode", "\"size\":\"125\",\"masked\":\"true\"", "thrpt", 300, 30, 0),
            result("FrameDecodeBenchmark.netty_decode", "\"size\":\"125\",\"masked\":\"true\"", "thrpt", 100, 0, 96),
            result("FrameDecodeBenchmark.tern_decode", "\"size\":\"16\",\"masked\":\"true\"", "thrpt", 500, 0, 0),
            result("FrameDecodeBenchmark.netty_decode", "\"size\":\"16\",\"masked\":\"false\"", "thrpt", 50, 0, 0),
            result("Utf8Benchmark.tern_validate", "\"size\":\"16\"", "avgt", 2, 0, 0),
            result("Utf8Benchmark.jdk_validate", "\"size\":\"16\"", "avgt", 8, 0, 0),
            result("Utf8Benchmark.netty_validate", "\"size\":\"16\"", "avgt", 4, 0, 0)) + "]";

    @Test
    void pairsTernWithEachPeerOfTheSameOperationAndParameters() throws IOException {
        JmhResults r = JmhResults.parse(new ObjectMapper().readTree(JSON));
        assertEquals(7, r.rows().size());
        Map<String, List<JmhResults.Pair>> pairs = r.pairs();
        assertEquals(List.of("FrameDecodeBenchmark", "Utf8Benchmark"), List.copyOf(pairs.keySet()));
        List<JmhResults.Pair> decode = pairs.get("FrameDecodeBenchmark");
        assertEquals(1, decode.size(), "size=16 differs in 'masked', so it has no peer");
        JmhResults.Pair p = decode.get(0);
        assertEquals(3.0, p.ratio(), 1e-9);
        assertEquals(0.3, p.ratioError(), 1e-9); // 10% relative error of Tern, none of the peer
        assertEquals(96.0, p.peer().allocBytesPerOp());
        assertEquals("masked=true, size=125", p.tern().paramText());
        List<JmhResults.Pair> utf8 = pairs.get("Utf8Benchmark");
        assertEquals(2, utf8.size());
        // time per operation: 8 ns for the JDK against 2 ns for Tern is 4x in Tern's favour
        assertEquals(4.0, utf8.get(0).ratio(), 1e-9);
        assertEquals("jdk", utf8.get(0).peer().impl());
        assertEquals(2.0, utf8.get(1).ratio(), 1e-9);
    }

    @Test
    void findMatchesASubsetOfParameters() throws IOException {
        JmhResults r = JmhResults.parse(new ObjectMapper().readTree(JSON));
        assertEquals(300.0, r.find("FrameDecodeBenchmark", "tern", Map.of("size", "125")).score());
        assertEquals(null, r.find("FrameDecodeBenchmark", "tern", Map.of("size", "7")));
    }

    @Test
    void aLaterFileReplacesTheSameBenchmarkAndAddsNewOnes() throws IOException {
        JmhResults first = JmhResults.parse(new ObjectMapper().readTree(JSON));
        JmhResults second = JmhResults.parse(new ObjectMapper().readTree("[" + String.join(",",
                result("FrameDecodeBenchmark.netty_decode", "\"size\":\"125\",\"masked\":\"true\"", "thrpt", 150, 5, 96),
                result("FrameDecodeBenchmark.tern_decode", "\"size\":\"999\"", "thrpt", 1, 0, 0)) + "]"));
        List<JmhResults.Row> merged = JmhResults.merge(first.rows(), second.rows());
        assertEquals(8, merged.size());
        assertEquals(150.0, merged.get(1).score(), "replaced in place");
        assertEquals("999", merged.get(7).params().get("size"));
    }

    @Test
    void rejectsWhatIsNotJmhJson() {
        assertThrows(IOException.class, () -> JmhResults.parse(new ObjectMapper().readTree("{\"a\":1}")));
    }

    @Test
    void missingErrorAndAllocationAreNaN() throws IOException {
        JmhResults r = JmhResults.parse(new ObjectMapper().readTree("[{\"benchmark\":\"x.Y.tern_op\",\"mode\":\"thrpt\","
                + "\"params\":{},\"primaryMetric\":{\"score\":5,\"scoreError\":\"NaN\",\"scoreUnit\":\"ops/s\"}}]"));
        assertTrue(Double.isNaN(r.rows().get(0).error()));
        assertTrue(Double.isNaN(r.rows().get(0).allocBytesPerOp()));
        assertEquals("Y", r.rows().get(0).benchmarkClass());
        assertEquals("op", r.rows().get(0).operation());
    }
}
