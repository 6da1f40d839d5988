package io.tern.autobahn.runner;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: help, usage errors, list, and a fuzzingclient run's exit status and reports. */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        assertEquals(0, run("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String option : new String[] {"--cases", "--exclude", "--out", "--agent", "--host", "--port", "--exit-on-update",
                "--max-time", "--accept", "--quiet", "--help", "Default: 9001", "Default: 127.0.0.1", "Exit status"}) {
            assertTrue(help.contains(option), option);
        }
    }

    @Test
    void usageErrorsExitWith2() {
        assertEquals(2, run());
        assertEquals(2, run("fuzzingclient"));
        assertEquals(2, run("fuzzingserver", "--port", "70000"));
        assertEquals(2, run("fuzzingclient", "ws://127.0.0.1:1/", "--cases", "99.*"));
        assertEquals(2, run("fuzzingclient", "ws://127.0.0.1:1/", "--accept", "GREAT"));
        assertEquals(2, run("fuzzingclient", "http://127.0.0.1:1/", "--cases", "1.1.1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("ws://"));
    }

    @Test
    void listPrintsTheSelectedCases() {
        assertEquals(0, run("list", "--cases", "7.13.*"));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("7.13.1\t"));
    }

    @Test
    void fuzzingClientExitsWith1WhenACaseFailsAndWritesReports(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        try (BrokenServer broken = new BrokenServer(1001); TernEcho tern = new TernEcho()) {
            assertEquals(1, run("fuzzingclient", broken.uri().toString(), "--cases", "7.3.3", "--out", dir.toString(), "--quiet"));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("[FAIL: 7.3.3]"), out.toString(StandardCharsets.UTF_8));
            assertEquals(0, run("fuzzingclient", tern.uri().toString(), "--cases", "7.3.*,7.13.1", "--out", dir.toString(),
                    "--agent", "Tern"));
        }
        assertTrue(Files.readString(dir.resolve("index.json")).contains("\"7.13.1\""));
        assertTrue(Files.exists(dir.resolve("tern_case_7_3_1.html")));
    }

    @Test
    void fuzzingServerExitsAfterTheReportUpdateWithTheVerdictStatus(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.util.concurrent.CompletableFuture<Integer> status = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                run("fuzzingserver", "--port", "0", "--exit-on-update", "--max-time", "60", "--cases", "1.1.*,7.13.*",
                        "--out", dir.toString(), "--quiet"));
        java.util.regex.Pattern listening = java.util.regex.Pattern.compile("listening on ws://127.0.0.1:(\\d+) with 10 cases");
        long deadline = System.nanoTime() + 10_000_000_000L;
        java.util.regex.Matcher m = listening.matcher("");
        while (System.nanoTime() < deadline && !(m = listening.matcher(out.toString(StandardCharsets.UTF_8))).find()) {
            Thread.sleep(10);
        }
        assertTrue(m.find(0), out.toString(StandardCharsets.UTF_8));
        TernCaseClient.runAll(Integer.parseInt(m.group(1)), "tern", java.time.Duration.ofSeconds(20));
        assertEquals(0, status.get(20, java.util.concurrent.TimeUnit.SECONDS));
        String console = out.toString(StandardCharsets.UTF_8);
        assertTrue(java.util.regex.Pattern.compile("group 1   Framing                         8 cases +\\d+\\.\\d s  OK 8  \\[pass\\]")
                .matcher(console).find(), console);
        assertTrue(Files.readString(dir.resolve("index.json")).contains("\"7.13.2\": {\n         \"behavior\": \"INFORMATIONAL\""));
    }

    @Test
    void compareReportsCaseByCase(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Files.writeString(a, """
                {"Official": {"1.1.1": {"behavior": "OK", "behaviorClose": "OK", "duration": 2, "remoteCloseCode": 1000,
                 "reportfile": "x.json"}, "6.4.3": {"behavior": "NON-STRICT", "behaviorClose": "OK"},
                 "7.1.6": {"behavior": "INFORMATIONAL", "behaviorClose": "INFORMATIONAL"}}}""");
        Files.writeString(b, """
                {"tern": {"1.1.1": {"behavior": "OK", "behaviorClose": "OK"}, "6.4.3": {"behavior": "OK",
                 "behaviorClose": "OK"}, "7.1.6": {"behavior": "INFORMATIONAL", "behaviorClose": "INFORMATIONAL"},
                 "9.1.1": {"behavior": "OK", "behaviorClose": "OK"}}}""");
        assertEquals(1, run("compare", a.toString(), b.toString()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("6.4.3: NON-STRICT/OK vs OK/OK\n9.1.1: -/- vs OK/OK\n4 cases compared, 2 differ"), text);
        out.reset();
        assertEquals(0, run("compare", a.toString(), b.toString(), "--cases", "1.*,7.*", "--agent", "Official", "--agent-b", "tern"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("2 cases compared, 0 differ"));
        assertEquals(2, run("compare", a.toString()));
        assertEquals(2, run("compare", a.toString(), b.toString(), "--agent", "nobody"));
    }
}
