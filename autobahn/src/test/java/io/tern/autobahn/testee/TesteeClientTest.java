package io.tern.autobahn.testee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The testee client against a stand-in of the fuzzing server speaking the official paths. */
@Timeout(60)
class TesteeClientTest {

    @Test
    void followsTheFuzzingServersProtocolEchoesAndAbortsAHungCase() throws Exception {
        try (FuzzingServerStandIn fuzzer = new FuzzingServerStandIn()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = TesteeClient.run(TesteeClient.parse(new String[] {
                "--url", "ws://127.0.0.1:" + fuzzer.port() + "/", "--agent", "Tern Test", "--case-timeout", "2"}),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

            assertEquals(List.of(), fuzzer.problems);
            assertEquals(List.of("/getCaseCount",
                    "/runCase?case=1&agent=Tern+Test",
                    "/runCase?case=2&agent=Tern+Test",
                    "/runCase?case=3&agent=Tern+Test",
                    "/updateReports?agent=Tern+Test"), fuzzer.targets);
            for (String offer : fuzzer.offers) {
                assertEquals("permessage-deflate; client_max_window_bits", offer);
            }
            assertEquals(List.of(
                    "case 1: opcode 1 fin rsv 0 Grüße aus dem Fuzzer",
                    "case 2: opcode 10 fin rsv 0 p",
                    "case 2: opcode 2 fin rsv 0 0102030405",
                    "case 3: connection dropped by the client"), fuzzer.frames);
            assertEquals(TesteeClient.EXIT_CASES_INCOMPLETE, status);
            assertEquals("case 3: no close within 2 s, aborted\n", err.toString(StandardCharsets.UTF_8));
            assertEquals("ran 2 case(s) of 3 against ws://127.0.0.1:" + fuzzer.port()
                    + " as agent \"Tern Test\"; 1 incomplete\n", out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void runsOnlyTheCasesAsked() throws Exception {
        try (FuzzingServerStandIn fuzzer = new FuzzingServerStandIn()) {
            int status = TesteeClient.run(TesteeClient.parse(new String[] {
                "--url", "ws://127.0.0.1:" + fuzzer.port(), "--cases", "2-2"}),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertEquals(0, status);
            assertEquals(List.of("/getCaseCount", "/runCase?case=2&agent=Tern", "/updateReports?agent=Tern"),
                    fuzzer.targets);
        }
    }

    @Test
    void failsClearlyWhenNoFuzzingServerListens() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TesteeClient.run(TesteeClient.parse(new String[] {"--url", "ws://127.0.0.1:" + port}),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(TesteeClient.EXIT_FAILED, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("TesteeClient: cannot connect to ws://127.0.0.1:"
                + port + "/getCaseCount"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void parsesTheCommandLine() {
        TesteeClient.Options defaults = TesteeClient.parse(new String[0]);
        assertEquals(new TesteeClient.Options("ws://127.0.0.1:9001", "Tern", 1, 0, Duration.ofSeconds(120)), defaults);
        TesteeClient.Options some = TesteeClient.parse(new String[] {"--cases", "5-9", "--agent", "X"});
        assertEquals(5, some.first());
        assertEquals(9, some.last());
        assertEquals(7, TesteeClient.parse(new String[] {"--cases", "7"}).last());
        assertThrows(IllegalArgumentException.class, () -> TesteeClient.parse(new String[] {"--cases", "9-5"}));
        assertThrows(IllegalArgumentException.class, () -> TesteeClient.parse(new String[] {"--url", "http://x:1"}));
        assertThrows(IllegalArgumentException.class, () -> TesteeClient.parse(new String[] {"--case-timeout", "0"}));
    }
}
