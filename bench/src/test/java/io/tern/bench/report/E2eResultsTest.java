package io.tern.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tern.bench.load.Percentiles;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class E2eResultsTest {

    static ObjectNode run(ObjectMapper m, String label, String server, double rate, Histogram h) {
        ObjectNode r = m.createObjectNode();
        r.put("label", label).put("server", server).put("scenario", "echo").put("messagesPerSecond", rate)
                .put("serverCpu", 0.5).put("histogram", Percentiles.encode(h));
        return r;
    }

    @Test
    void summarisesRepetitionsAndMergesHistograms() {
        ObjectMapper m = new ObjectMapper();
        Histogram fast = new Histogram(3);
        for (int i = 1; i <= 900; i++) {
            fast.recordValue(1000);          // 1 µs
        }
        Histogram slow = new Histogram(3);
        for (int i = 1; i <= 100; i++) {
            slow.recordValue(1_000_000);     // 1 ms
        }
        ObjectNode doc = m.createObjectNode();
        ArrayNode runs = doc.putArray("runs");
        runs.add(run(m, "echo-64B", "tern", 100, fast));
        runs.add(run(m, "echo-64B", "netty", 40, fast));
        runs.add(run(m, "echo-64B", "tern", 300, slow));
        runs.add(m.createObjectNode().put("label", "echo-64B").put("server", "netty").put("failure", "refused"));
        E2eResults e = E2eResults.parse(doc);
        assertEquals(List.of("echo-64B"), e.labels());
        assertEquals(List.of("tern", "netty"), e.servers());
        E2eResults.Summary t = e.get("echo-64B", "tern");
        assertEquals(2, t.runs());
        assertEquals(200.0, t.mean("messagesPerSecond"), 1e-9);
        assertEquals(Math.sqrt(20000), t.stddev("messagesPerSecond"), 1e-9);
        // merged, not averaged: 90% of all samples are 1 µs, the rest 1 ms
        assertEquals(1.0, t.percentileMicros(50), 0.01);
        assertEquals(1.0, t.percentileMicros(90), 0.01);
        assertEquals(1000.0, t.percentileMicros(99), 1.0);
        assertEquals(1000, t.latency().getTotalCount());
        E2eResults.Summary n = e.get("echo-64B", "netty");
        assertEquals(1, n.runs());
        assertEquals(List.of("refused"), n.failures());
        assertEquals(0.0, n.stddev("messagesPerSecond"));
        assertTrue(Double.isNaN(n.mean("heapBytesPerConnection")));
        assertNull(e.get("echo-64B", "uws"));
    }

    @Test
    void aLaterFileReplacesAScenarioOnAServer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        ObjectMapper m = new ObjectMapper();
        Histogram h = new Histogram(3);
        h.recordValue(1000);
        ObjectNode full = m.createObjectNode();
        full.put("jdk", "first");
        ArrayNode a = full.putArray("runs");
        a.add(run(m, "echo-64B", "tern", 100, h));
        a.add(m.createObjectNode().put("label", "idle-10").put("server", "tern").put("failure", "503"));
        a.add(m.createObjectNode().put("label", "idle-10").put("server", "netty").put("scenario", "idle")
                .put("heapBytesPerConnection", 2000));
        ObjectNode rerun = m.createObjectNode();
        rerun.put("jdk", "second");
        rerun.putArray("runs").add(m.createObjectNode().put("label", "idle-10").put("server", "tern")
                .put("scenario", "idle").put("heapBytesPerConnection", 900));
        java.nio.file.Path f1 = dir.resolve("e2e.json");
        java.nio.file.Path f2 = dir.resolve("e2e-idle.json");
        m.writeValue(f1.toFile(), full);
        m.writeValue(f2.toFile(), rerun);
        E2eResults e = E2eResults.readAll(List.of(f1, f2));
        assertEquals("first", e.field("jdk"));
        assertEquals(List.of("echo-64B", "idle-10"), e.labels());
        E2eResults.Summary t = e.get("idle-10", "tern");
        assertEquals(1, t.runs());
        assertEquals(List.of(), t.failures());
        assertEquals(900.0, t.mean("heapBytesPerConnection"));
        assertEquals(2000.0, e.get("idle-10", "netty").mean("heapBytesPerConnection"), "not in the rerun: kept");
        assertEquals(100.0, e.get("echo-64B", "tern").mean("messagesPerSecond"));
    }

    @Test
    void histogramEncodingRoundTrips() {
        Histogram h = new Histogram(60_000_000_000L, 3);
        h.recordValue(12_345);
        h.recordValue(67_890_000);
        Histogram back = Percentiles.decode(Percentiles.encode(h));
        assertEquals(2, back.getTotalCount());
        assertEquals(h.getMaxValue(), back.getMaxValue());
        assertEquals(h.getValueAtPercentile(50), back.getValueAtPercentile(50));
        assertEquals("p99.9Micros", Percentiles.key(99.9));
        assertEquals("p50Micros", Percentiles.key(50));
    }
}
