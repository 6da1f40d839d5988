package io.tern.autobahn.catalogue.big;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.autobahn.catalogue.CaseEntry;
import io.tern.autobahn.catalogue.Catalogue;
import io.tern.autobahn.runner.CaseResult;
import io.tern.autobahn.runner.FuzzingClient;
import io.tern.autobahn.runner.FuzzingServer;
import io.tern.autobahn.runner.Verdict;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Groups 9, 12 and 13 against Tern itself in both modes: every case must be OK with a clean close,
 * as the official suite finds. By default a sample that covers every sub-group (all of group 9; in
 * 12 and 13 per sub-group the 16-byte series, the 8 KiB series and the 8 KiB series fragmented into
 * 256-byte frames); {@code -Dautobahn.big=all} runs every case, prints each as it ends and the time
 * per group. Tern's server first: the full catalogue's time limit is set for it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BigGroupsAgainstTernTest {

    private static final boolean VERBOSE = System.getProperty("autobahn.big") != null;

    static final String SAMPLE = "9.*,12.*.1,12.*.6,12.*.11,13.*.1,13.*.6,13.*.11";

    static List<CaseEntry> selected(Catalogue cat) {
        String p = System.getProperty("autobahn.big", SAMPLE);
        return cat.select(List.of("all".equals(p) ? "9.*,12.*,13.*" : p), List.of());
    }

    @Test
    @Order(1)
    void ternServerPassesEveryCase() throws Exception {
        Catalogue cat = Catalogue.load();
        List<CaseEntry> cases = selected(cat);
        List<CaseResult> results = new ArrayList<>();
        try (TernPeers.EchoServer echo = new TernPeers.EchoServer()) {
            new FuzzingClient(echo.uri(), "tern", cases).run(r -> {
                results.add(r);
                if (VERBOSE) {
                    System.out.println("[autobahn big] client mode " + r.id() + " " + r.behavior().label() + "/"
                            + r.behaviorClose().label() + " " + r.durationMillis() + " ms");
                }
            });
        }
        check("client mode (runner as client, Tern echo server)", results);
    }

    @Test
    @Order(2)
    void ternClientPassesEveryCase() throws Exception {
        Catalogue cat = Catalogue.load();
        List<CaseEntry> cases = selected(cat);
        try (FuzzingServer fs = new FuzzingServer(cat, cases, InetAddress.getLoopbackAddress(), 0,
                Files.createTempDirectory("autobahn-big"), line -> {
                    if (VERBOSE && line.startsWith("case ")) {
                        System.out.println("[autobahn big] server mode " + line);
                    }
                })) {
            TernPeers.runCases(fs.port(), cases.size(), "tern");
            check("server mode (runner as server, Tern client)", fs.results().all());
        }
    }

    private static void check(String mode, List<CaseResult> results) {
        Map<String, Long> perGroup = new LinkedHashMap<>();
        List<String> wrong = new ArrayList<>();
        for (CaseResult r : results) {
            perGroup.merge(r.id().substring(0, r.id().indexOf('.')), r.durationMillis(), Long::sum);
            if (r.behavior() != Verdict.OK || r.behaviorClose() != Verdict.OK) {
                wrong.add(r.id() + " " + r.behavior().label() + "/" + r.behaviorClose().label() + ": " + r.result() + " / " + r.resultClose());
            }
        }
        if (VERBOSE) {
            System.out.println("[autobahn big] " + mode + ", " + results.size() + " cases, ms per group: " + perGroup);
        }
        assertEquals(List.of(), wrong, mode + ", " + results.size() + " cases, ms per group: " + perGroup);
    }
}
