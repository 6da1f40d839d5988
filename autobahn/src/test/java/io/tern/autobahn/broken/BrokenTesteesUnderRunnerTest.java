package io.tern.autobahn.broken;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.autobahn.catalogue.CaseEntry;
import io.tern.autobahn.catalogue.Catalogue;
import io.tern.autobahn.runner.CaseResult;
import io.tern.autobahn.runner.FuzzingClient;
import io.tern.autobahn.runner.FuzzingServer;
import io.tern.autobahn.runner.RunResults;
import io.tern.autobahn.runner.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tern's own runner against the broken testees: it must flag exactly the cases each defect's
 * Javadoc names, with the official verdicts, and nothing else (case selections keep each run
 * short). Every run also records its flags in {@code target/broken-testees.txt} for reading.
 * {@link CorruptsCompression} and {@link IgnoresWindowBits} need groups 12 and 13, which the
 * runner's catalogue does not have yet: their tests come with those groups.
 */
@Timeout(600)
class BrokenTesteesUnderRunnerTest {

    private static final Catalogue CATALOGUE = Catalogue.load();

    /** Case ID to "behavior/behaviorClose" for every case that is not OK (or INFORMATIONAL where informational). */
    private static Map<String, String> flagged(RunResults results, String agent, List<CaseEntry> cases, String label) {
        Map<String, String> flags = new TreeMap<>(io.tern.autobahn.official.OfficialReport.CASE_ORDER);
        for (CaseEntry c : cases) {
            CaseResult r = results.get(agent, c.id());
            if (r == null) {
                flags.put(c.id(), "did not run");
                continue;
            }
            boolean info = r.informational();
            if (!pass(r.behavior(), info) || !pass(r.behaviorClose(), info)) {
                flags.put(c.id(), r.behavior().label() + "/" + r.behaviorClose().label());
            }
        }
        try {
            Files.writeString(Path.of("target", "broken-testees.txt"), label + ": " + flags + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return flags;
    }

    private static boolean pass(Verdict v, boolean informational) {
        return v == Verdict.OK || (informational && v == Verdict.INFORMATIONAL);
    }

    private static Map<String, String> asServer(Defect defect, String... patterns) throws IOException {
        List<CaseEntry> cases = CATALOGUE.select(List.of(patterns), List.of());
        try (BrokenEchoServer server = new BrokenEchoServer(defect)) {
            RunResults results = new FuzzingClient(URI.create(server.url() + "/"), "broken", cases).run(r -> { });
            return flagged(results, "broken", cases, "server " + defect + " " + List.of(patterns));
        }
    }

    private static Map<String, String> asClient(Defect defect, String... patterns) throws Exception {
        List<CaseEntry> cases = CATALOGUE.select(List.of(patterns), List.of());
        Path out = Path.of("target", "broken-reports", defect.toString().replace(' ', '-'));
        try (FuzzingServer server = new FuzzingServer(CATALOGUE, cases, InetAddress.getLoopbackAddress(), 0, out,
                line -> { })) {
            new BrokenFuzzedClient("ws://127.0.0.1:" + server.port(), "broken", defect).run(1, 0);
            server.awaitReportUpdate(Duration.ofSeconds(10));
            return flagged(server.results(), "broken", cases, "client " + defect + " " + List.of(patterns));
        }
    }

    /** Expected flags: each argument is "VERDICT/VERDICT: id id id ...". */
    private static Map<String, String> expect(String... groups) {
        Map<String, String> m = new TreeMap<>(io.tern.autobahn.official.OfficialReport.CASE_ORDER);
        for (String g : groups) {
            String[] parts = g.split(": ");
            for (String id : parts[1].split(" ")) {
                m.put(id, parts[0]);
            }
        }
        return m;
    }

    /** What the control server and client get: their UTF-8 check runs per frame, not per byte. */
    private static final String FRAME_LEVEL_UTF8 = "NON-STRICT/OK: 6.4.3 6.4.4";

    @Test
    void controlServer() throws Exception {
        assertEquals(expect(FRAME_LEVEL_UTF8), asServer(Defect.NONE, "1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "10.*"));
    }

    @Test
    void acceptsBadFraming() throws Exception {
        assertEquals(expect(
                "OK/FAILED: 2.5 4.1.1 4.1.2 4.2.1 4.2.2",
                "FAILED/FAILED: 3.1 3.2 3.3 3.4 3.5 3.6 4.1.3 4.1.4 4.1.5 4.2.3 4.2.4 4.2.5 5.1 5.2 5.9 5.10 5.11 5.12"
                        + " 5.13 5.14 5.15 5.16 5.17 5.18"), asServer(new AcceptsBadFraming(), "2.*", "3.*", "4.*", "5.*"));
    }

    @Test
    void lateUtf8Check() throws Exception {
        assertEquals(expect("NON-STRICT/OK: 6.4.1 6.4.2 6.4.3 6.4.4"), asServer(new LateUtf8Check(), "6.*"));
    }

    @Test
    void alwaysCloses1000() throws Exception {
        assertEquals(expect(
                "OK/WRONG CODE: 2.5 3.1 3.2 3.3 3.4 3.5 3.6 3.7 4.1.1 4.1.2 4.1.3 4.1.4 4.1.5 4.2.1 4.2.2 4.2.3 4.2.4"
                        + " 4.2.5 5.1 5.2 5.9 5.10 5.11 5.12 5.13 5.14 5.15 5.16 5.17 5.18 6.3.1 6.3.2 6.4.1 6.4.2"
                        + " 6.6.1 6.6.3 6.6.4 6.6.6 6.6.8 6.6.10 6.8.1 6.8.2 6.10.1 6.10.2 6.10.3 6.11.5 6.12.1 6.12.2"
                        + " 6.12.3 6.12.4 6.12.5 6.12.6 6.12.7 6.12.8 6.13.1 6.13.2 6.13.3 6.13.4 6.13.5 6.14.1 6.14.2"
                        + " 6.14.3 6.14.4 6.14.5 6.14.6 6.14.7 6.14.8 6.14.9 6.14.10 6.15.1 6.16.1 6.16.2 6.16.3 6.17.1"
                        + " 6.17.2 6.17.3 6.17.4 6.17.5 6.18.1 6.18.2 6.18.3 6.18.4 6.18.5 6.19.1 6.19.2 6.19.3 6.19.4"
                        + " 6.19.5 6.20.1 6.20.2 6.20.3 6.20.4 6.20.5 6.20.6 6.20.7 6.21.1 6.21.2 6.21.3 6.21.4 6.21.5"
                        + " 6.21.6 6.21.7 6.21.8",
                "NON-STRICT/WRONG CODE: 6.4.3 6.4.4",
                "FAILED/WRONG CODE: 7.3.2 7.3.6 7.5.1 7.9.1 7.9.2 7.9.3 7.9.4 7.9.5 7.9.6 7.9.7 7.9.8 7.9.9"),
                asServer(new AlwaysCloses1000(), "2.*", "3.*", "4.*", "5.*", "6.*", "7.*"));
    }

    @Test
    void dropsCloseEcho() throws Exception {
        assertEquals(expect("OK/UNCLEAN: 1.1.1 1.1.2 1.1.3 1.1.4 1.1.5 1.1.6 1.1.7 1.1.8 7.1.1 7.1.2 7.1.3 7.1.4 7.1.5"),
                asServer(new DropsCloseEcho(), "1.1.*", "7.1.*"));
    }

    @Test
    void masksWronglyAsServer() throws Exception {
        assertEquals(expect("FAILED/UNCLEAN: 1.1.1 1.1.2 1.1.3 1.1.4 1.1.5 1.1.6 1.1.7 1.1.8 2.1"),
                asServer(new MasksWrongly(), "1.1.*", "2.1"));
    }

    @Test
    void controlClient() throws Exception {
        assertEquals(expect(FRAME_LEVEL_UTF8), asClient(Defect.NONE, "1.*", "2.*", "3.*", "5.*", "6.4.*", "7.1.*"));
    }

    @Test
    void masksWronglyAsClient() throws Exception {
        assertEquals(expect("FAILED/UNCLEAN: 1.1.1 1.1.2 1.1.3 1.1.4 1.1.5 1.1.6 1.1.7 1.1.8 2.1"),
                asClient(new MasksWrongly(), "1.1.*", "2.1"));
    }

    @Test
    void dropsCloseEchoAsClient() throws Exception {
        assertEquals(expect("OK/UNCLEAN: 1.1.1 7.1.1"), asClient(new DropsCloseEcho(), "1.1.1", "7.1.1"));
    }
}
