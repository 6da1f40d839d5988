package io.tern.autobahn.testee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.autobahn.catalogue.CaseEntry;
import io.tern.autobahn.catalogue.Catalogue;
import io.tern.autobahn.official.OfficialVerdicts;
import io.tern.autobahn.runner.CaseResult;
import io.tern.autobahn.runner.FuzzingClient;
import io.tern.autobahn.runner.FuzzingServer;
import io.tern.autobahn.runner.RunResults;
import io.tern.transport.WebSocketServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The two testee mains as the official suite drives them, with Tern's own runner in its place:
 * {@link TesteeServer} under the runner's fuzzing client and {@link TesteeClient} (its whole
 * protocol: case count, every case, report update) under the runner's fuzzing server, for groups
 * 1–7 and 10. Every case must be OK (INFORMATIONAL only on 7.1.6, 7.13.1 and 7.13.2), as the
 * official suite rates Tern.
 */
@Timeout(300)
class TesteesUnderRunnerTest {

    private static final List<String> GROUPS = List.of("1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "10.*");

    private static List<String> notOk(RunResults results, String agent, List<CaseEntry> cases) {
        List<String> wrong = new ArrayList<>();
        for (CaseEntry c : cases) {
            CaseResult r = results.get(agent, c.id());
            boolean informational = OfficialVerdicts.INFORMATIONAL_CASES.contains(c.id());
            if (r == null) {
                wrong.add(c.id() + " did not run");
            } else if (!OfficialVerdicts.acceptable(r.behavior().label(), informational)
                    || !OfficialVerdicts.acceptable(r.behaviorClose().label(), informational)) {
                wrong.add(c.id() + " " + r.behavior().label() + "/" + r.behaviorClose().label() + ": " + r.result()
                        + "; " + r.resultClose());
            }
        }
        return wrong;
    }

    @Test
    void testeeServerPassesTheRunnersFuzzingClient() throws Exception {
        Catalogue catalogue = Catalogue.load();
        List<CaseEntry> cases = catalogue.select(GROUPS, List.of());
        WebSocketServer server = TesteeServer.start("127.0.0.1", 0,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            RunResults results = new FuzzingClient(URI.create("ws://127.0.0.1:" + server.port() + "/"), "testee", cases)
                    .run(r -> { });
            assertEquals(List.of(), notOk(results, "testee", cases));
        } finally {
            server.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void testeeClientPassesTheRunnersFuzzingServer() throws Exception {
        Catalogue catalogue = Catalogue.load();
        List<CaseEntry> cases = catalogue.select(GROUPS, List.of());
        Path out = Path.of("target", "testee-client-reports");
        try (FuzzingServer fuzzer = new FuzzingServer(catalogue, cases, InetAddress.getLoopbackAddress(), 0, out,
                line -> { })) {
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            int status = TesteeClient.run(TesteeClient.parse(new String[] {
                "--url", "ws://127.0.0.1:" + fuzzer.port(), "--agent", "testee", "--case-timeout", "30"}),
                    new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
            assertEquals(0, status, stderr.toString(StandardCharsets.UTF_8));
            assertTrue(stdout.toString(StandardCharsets.UTF_8).endsWith("ran " + cases.size() + " case(s) of "
                    + cases.size() + " against ws://127.0.0.1:" + fuzzer.port() + " as agent \"testee\"; 0 incomplete\n"),
                    stdout.toString(StandardCharsets.UTF_8));
            assertTrue(fuzzer.awaitReportUpdate(Duration.ofSeconds(10)), "the report update reached the fuzzing server");
            assertEquals(List.of(), notOk(fuzzer.results(), "testee", cases));
        }
    }
}
