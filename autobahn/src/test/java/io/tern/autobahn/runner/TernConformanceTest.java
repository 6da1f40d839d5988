package io.tern.autobahn.runner;

import io.tern.autobahn.catalogue.Catalogue;
import io.tern.autobahn.catalogue.CaseEntry;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner's groups 1–7 and 10 against Tern itself, in both modes. The official suite rates Tern
 * OK everywhere but 7.1.6, 7.13.1 and 7.13.2 (INFORMATIONAL); the runner must agree case by case.
 */
class TernConformanceTest {

    private static final Set<String> INFORMATIONAL = Set.of("7.1.6", "7.13.1", "7.13.2");

    @Test
    void ternServerPassesEveryCaseInFuzzingClientMode() throws Exception {
        Catalogue catalogue = Catalogue.load();
        List<CaseEntry> cases = catalogue.select(List.of("1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "10.*"), List.of());
        assertEquals(247, cases.size());
        RunResults results;
        try (TernEcho echo = new TernEcho()) {
            results = new FuzzingClient(echo.uri(), "tern", cases).run(r -> { });
        }
        Path out = Path.of("target", "autobahn-reports", "servers");
        results.writeReports(out, catalogue);
        assertAllAsOfficial(results, cases);
        assertTrue(Files.size(out.resolve("index.json")) > 0);
        assertTrue(Files.exists(out.resolve("tern_case_6_4_1.html")));
        assertTrue(results.failures(ExitRule.strict()).isEmpty(), results.failures(ExitRule.strict()).toString());
    }

    @Test
    void ternClientPassesEveryCaseInFuzzingServerMode() throws Exception {
        Catalogue catalogue = Catalogue.load();
        List<CaseEntry> cases = catalogue.select(List.of("1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "10.*"), List.of());
        Path out = Path.of("target", "autobahn-reports", "clients");
        List<String> console = new ArrayList<>();
        try (FuzzingServer server = new FuzzingServer(catalogue, cases, InetAddress.getLoopbackAddress(), 0, out,
                line -> {
                    synchronized (console) {
                        console.add(line);
                    }
                })) {
            TernCaseClient.runAll(server.port(), "tern", Duration.ofSeconds(20));
            assertTrue(server.awaitReportUpdate(Duration.ofSeconds(10)), "reports were not written");
            assertAllAsOfficial(server.results(), cases);
        }
        assertTrue(Files.size(out.resolve("index.json")) > 0);
    }

    private static void assertAllAsOfficial(RunResults results, List<CaseEntry> cases) {
        List<String> wrong = new ArrayList<>();
        for (CaseEntry c : cases) {
            CaseResult r = results.get("tern", c.id());
            Verdict want = INFORMATIONAL.contains(c.id()) ? Verdict.INFORMATIONAL : Verdict.OK;
            if (r == null) {
                wrong.add(c.id() + " did not run");
            } else if (r.behavior() != want || r.behaviorClose() != want) {
                wrong.add(c.id() + " " + r.behavior().label() + "/" + r.behaviorClose().label() + " (" + r.result() + "; "
                        + r.resultClose() + ")");
            }
        }
        assertEquals(List.of(), wrong);
    }
}
