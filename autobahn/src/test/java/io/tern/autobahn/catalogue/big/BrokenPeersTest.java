package io.tern.autobahn.catalogue.big;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.autobahn.catalogue.Catalogue;
import io.tern.autobahn.runner.CaseResult;
import io.tern.autobahn.runner.FuzzingClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The compression cases against deliberately broken servers ({@link BrokenDeflateServer}): each
 * fault is flagged in exactly the cases whose terms it breaks, with the reason, and nowhere else.
 */
class BrokenPeersTest {

    /** Cases whose negotiated terms differ: 13.1 default, 13.2 no context, 13.3 window 9, 13.4 window 15, 13.5 both. */
    private static final String CASES = "9.7.2,12.1.6,12.2.11,13.1.6,13.2.6,13.3.6,13.4.6,13.5.1,13.5.6,13.6.6";

    private static Map<String, String> run(BrokenDeflateServer.Fault fault) throws Exception {
        Catalogue cat = Catalogue.load();
        List<CaseResult> results = new ArrayList<>();
        try (BrokenDeflateServer server = new BrokenDeflateServer(fault)) {
            new FuzzingClient(server.uri(), "broken-" + fault, cat.select(List.of(CASES), List.of())).run(results::add);
        }
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (CaseResult r : results) {
            verdicts.put(r.id(), r.behavior().label() + (r.behavior().label().equals("OK") ? "" : ": " + r.result()));
        }
        return verdicts;
    }

    /** The expected verdicts: FAILED (with a result naming {@code reason}) for {@code failed}, OK elsewhere. */
    private static Map<String, String> expect(Map<String, String> got, List<String> failed, String reason) {
        Map<String, String> reasons = new LinkedHashMap<>();
        failed.forEach(id -> reasons.put(id, reason));
        return expect(got, reasons);
    }

    private static Map<String, String> expect(Map<String, String> got, Map<String, String> failedWithReason) {
        Map<String, String> want = new LinkedHashMap<>();
        for (String id : CASES.split(",")) {
            String reason = failedWithReason.get(id);
            String g = got.get(id);
            if (reason == null) {
                want.put(id, "OK");
            } else {
                want.put(id, g != null && g.startsWith("FAILED") && g.contains(reason) ? g : "FAILED: ..." + reason + "...");
            }
        }
        return want;
    }

    @Test
    void rsv1OnAnUncompressedEchoFailsEveryCompressedCase() throws Exception {
        Map<String, String> got = run(BrokenDeflateServer.Fault.RSV1_ON_PLAIN);
        List<String> all = List.of(CASES.split(","));
        assertEquals(expect(got, all.subList(1, all.size()), ""), got);
    }

    @Test
    void aCorruptedCompressedEchoFailsEveryCompressedCase() throws Exception {
        Map<String, String> got = run(BrokenDeflateServer.Fault.CORRUPT);
        List<String> all = List.of(CASES.split(","));
        assertEquals(expect(got, all.subList(1, all.size()), ""), got);
    }

    @Test
    void aServerIgnoringItsWindowIsFlaggedExactlyWhereTheWindowIsBelow15Bits() throws Exception {
        Map<String, String> got = run(BrokenDeflateServer.Fault.WIDE_WINDOW);
        // 13.5.1 sends 16-character messages without context takeover: no distance can exceed 512
        assertEquals(expect(got, List.of("13.3.6", "13.5.6"), "WINDOW_EXCEEDED"), got);
    }

    @Test
    void aServerKeepingContextDespiteNoContextTakeoverIsFlaggedExactlyThere() throws Exception {
        Map<String, String> got = run(BrokenDeflateServer.Fault.KEEPS_CONTEXT);
        // zlib cannot keep a 9-bit window either, so where 9 bits were agreed the first fault met is the window
        Map<String, String> want = new LinkedHashMap<>();
        want.put("13.2.6", "CONTEXT_TAKEOVER: back-reference distance");
        want.put("13.3.6", "WINDOW_EXCEEDED");
        want.put("13.5.1", "CONTEXT_TAKEOVER");
        want.put("13.5.6", "WINDOW_EXCEEDED");
        want.put("13.6.6", "CONTEXT_TAKEOVER: back-reference distance");
        assertEquals(expect(got, want), got);
    }
}
