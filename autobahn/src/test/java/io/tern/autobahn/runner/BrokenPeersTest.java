package io.tern.autobahn.runner;

import io.tern.autobahn.catalogue.Catalogue;
import io.tern.autobahn.catalogue.CaseEntry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner flags exactly the cases a deliberately broken server gets wrong, with the right verdicts. */
class BrokenPeersTest {

    private static Map<String, String> run(BrokenServer server, String... patterns) {
        List<CaseEntry> cases = Catalogue.load().select(List.of(patterns), List.of());
        RunResults results = new FuzzingClient(server.uri(), "broken", cases).run(r -> { });
        Map<String, String> verdicts = new TreeMap<>();
        for (CaseResult r : results.all()) {
            verdicts.put(r.id(), r.behavior().label() + "/" + r.behaviorClose().label());
        }
        return verdicts;
    }

    @Test
    void serverThatEchoesInvalidUtf8FailsExactlyTheInvalidTextCases() throws Exception {
        Map<String, String> v;
        try (BrokenServer server = new BrokenServer(-1)) {
            v = run(server, "6.*");
        }
        Set<String> invalid = new java.util.TreeSet<>(List.of("6.3.1", "6.3.2", "6.4.1", "6.4.2", "6.4.3", "6.4.4"));
        // from the official table: the incomplete prefixes of κόσμε and every invalid row of 6.8-6.21
        invalid.addAll(List.of("6.6.1", "6.6.3", "6.6.4", "6.6.6", "6.6.8", "6.6.10", "6.8.1", "6.8.2",
                "6.10.1", "6.10.2", "6.10.3", "6.11.5"));
        int[] sizes = {0, 0, 0, 0, 0, 5, 11, 4, 2, 4, 3, 5, 8, 5, 10, 1, 3, 5, 5, 5, 7, 8, 34, 7};
        for (int sub = 12; sub <= 21; sub++) {
            for (int n = 1; n <= sizes[sub]; n++) {
                invalid.add("6." + sub + "." + n);
            }
        }
        assertEquals(145, v.size());
        for (Map.Entry<String, String> e : v.entrySet()) {
            // the runner itself fails the connection on the invalid echo: wrong endpoint, so both FAILED
            String want = invalid.contains(e.getKey()) ? "FAILED/FAILED" : "OK/OK";
            assertEquals(want, e.getValue(), e.getKey());
        }
    }

    @Test
    void serverThatAnswersEveryCloseWith1001FailsTheCloseCases() throws Exception {
        Map<String, String> v;
        try (BrokenServer server = new BrokenServer(1001)) {
            v = run(server, "7.*", "1.1.1");
        }
        assertEquals(38, v.size());
        for (Map.Entry<String, String> e : v.entrySet()) {
            String id = e.getKey();
            String want;
            if (Set.of("7.1.6", "7.13.1", "7.13.2").contains(id)) {
                want = "INFORMATIONAL/INFORMATIONAL";
            } else if (id.equals("7.7.2")) {
                want = "OK/OK"; // 1001 is the code this case sent, so echoing it is right
            } else if (id.equals("7.3.6")) {
                want = "OK/OK"; // a 126-byte close frame is a framing error: the server fails with 1002, rightly
            } else if (id.equals("1.1.1")) {
                want = "OK/WRONG CODE"; // outside group 7 a wrong code only affects the close verdict
            } else {
                want = "FAILED/WRONG CODE";
            }
            assertEquals(want, e.getValue(), id);
        }
    }

    @Test
    void serverThatMasksItsFramesIsFailedByTheRunner() throws Exception {
        Map<String, String> v;
        try (BrokenServer server = new BrokenServer(-1, true)) {
            v = run(server, "1.1.1", "2.2", "3.1", "7.3.3");
        }
        // echo and pong never count: the runner fails the connection on the first masked frame (1002) and
        // again on the masked close reply, so it drops TCP itself
        assertEquals("FAILED/UNCLEAN", v.get("1.1.1"));
        assertEquals("FAILED/UNCLEAN", v.get("2.2"));
        // the peer's own close on the bad RSV frame is masked too: the runner fails first, wrong endpoint
        assertEquals("OK/FAILED", v.get("3.1"));
        // nothing expected but a clean close, which a masked close reply cannot give
        assertEquals("OK/UNCLEAN", v.get("7.3.3"));
    }

    @Test
    void serverThatNeverAnswersACloseIsUncleanAfterTheCloseTimeout() throws Exception {
        List<CaseEntry> cases = Catalogue.load().select(List.of("1.1.1", "2.5"), List.of());
        RunResults results;
        try (BrokenServer server = new BrokenServer(-2)) {
            results = new FuzzingClient(server.uri(), "deaf", cases).run(r -> { });
        }
        CaseResult echo = results.get("deaf", "1.1.1");
        assertEquals(Verdict.OK, echo.behavior());
        assertEquals(Verdict.UNCLEAN, echo.behaviorClose());
        assertEquals(true, echo.droppedByMe());
        assertEquals(1000, echo.localCloseCode());
        // the case's kill timer (1 s) finds the runner still closing and drops TCP, as the official killAfter
        assertEquals("I dropped the TCP connection while closing: Going Away", echo.wasNotCleanReason());
        assertTrue(echo.durationMillis() >= 1000 && echo.durationMillis() < 3000, echo.durationMillis() + " ms");
        // 2.5: the server does fail the oversized ping (1002) and then drops TCP: fine
        assertEquals(Verdict.OK, results.get("deaf", "2.5").behaviorClose());
    }
}
