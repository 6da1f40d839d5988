package io.tern.autobahn.testee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tern.autobahn.broken.Wire;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The independent peers of the fairness check ({@code autobahn/src/test/peers}): Node's
 * {@code ws} and Debian's Python {@code websockets}, each as an echo server and as a client of the
 * fuzzing server's protocol. Each must start, echo (with permessage-deflate where offered) and stop
 * by itself. A missing peer skips the test with the reason, or fails it under {@code CI=true}.
 */
@Timeout(90)
class PeerTesteesTest {

    private static final Path PEERS = Path.of("src", "test", "peers");
    private static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");

    @Test
    void nodeWsEchoServerEchoesWithDeflate() throws Exception {
        echoServerEchoes(node("echo-server.js"));
    }

    @Test
    void pythonWebsocketsEchoServerEchoesWithDeflate() throws Exception {
        echoServerEchoes(python("echo_server.py"));
    }

    @Test
    void nodeWsFuzzingClientFollowsTheProtocol() throws Exception {
        fuzzingClientFollowsTheProtocol(node("fuzzing-client.js"), "permessage-deflate; client_max_window_bits");
    }

    @Test
    void pythonWebsocketsFuzzingClientFollowsTheProtocol() throws Exception {
        fuzzingClientFollowsTheProtocol(python("fuzzing_client.py"), "permessage-deflate; client_max_window_bits");
    }

    private static void echoServerEchoes(List<String> command) throws Exception {
        List<String> c = new ArrayList<>(command);
        c.add("0");
        c.add("60");
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return "read failed: " + e;
                }
            }).get(20, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("listening on ws://127\\.0\\.0\\.1:(\\d+)/").matcher(String.valueOf(line));
            assertTrue(m.matches(), "first line: " + line);
            int port = Integer.parseInt(m.group(1));
            try (RawWsClient ws = new RawWsClient(port, "/", "permessage-deflate; client_max_window_bits")) {
                assertEquals("HTTP/1.1 101 Switching Protocols", ws.response.get(""));
                String answer = ws.response.get("sec-websocket-extensions");
                assertTrue(answer != null && answer.startsWith("permessage-deflate"), "answer: " + answer);
                ws.send(true, 0, Wire.TEXT, "plain ✓".getBytes(StandardCharsets.UTF_8));
                Wire.Frame plain = ws.read();
                assertEquals(Wire.TEXT, plain.opcode());
                Deflater deflater = new Deflater(6, true);
                Inflater inflater = new Inflater(true);
                String text = "compressed ".repeat(50);
                ws.send(true, 4, Wire.TEXT, Wire.compress(deflater, text.getBytes(StandardCharsets.UTF_8)));
                Wire.Frame echo = ws.read();
                assertEquals(Wire.TEXT, echo.opcode());
                String plainText = plain.rsv() == 4
                        ? new String(Wire.decompress(inflater, plain.payload(), 1 << 20), StandardCharsets.UTF_8)
                        : plain.text();
                assertEquals("plain ✓", plainText);
                String echoed = echo.rsv() == 4
                        ? new String(Wire.decompress(inflater, echo.payload(), 1 << 20), StandardCharsets.UTF_8)
                        : echo.text();
                assertEquals(text, echoed);
                assertEquals(4, echo.rsv(), "the peer compresses its echo of a 550-byte message");
                ws.send(true, 0, Wire.CLOSE, Wire.closePayload(1000, ""));
                assertEquals(1000, ws.read().closeCode());
                deflater.end();
                inflater.end();
            }
            p.getOutputStream().close();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the peer stops when its stdin closes");
        } finally {
            p.destroyForcibly();
        }
    }

    private static void fuzzingClientFollowsTheProtocol(List<String> command, String offer) throws Exception {
        try (FuzzingServerStandIn fuzzer = new FuzzingServerStandIn()) {
            List<String> c = new ArrayList<>(command);
            c.add("ws://127.0.0.1:" + fuzzer.port());
            c.add("Peer");
            c.add("2");
            Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
            String output;
            try {
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the peer client finishes by itself");
                output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                p.destroyForcibly();
            }
            assertEquals(3, p.exitValue(), "exit status 3 (one case incomplete); output: " + output);
            assertEquals(List.of(), fuzzer.problems);
            assertEquals(List.of("/getCaseCount", "/runCase?case=1&agent=Peer", "/runCase?case=2&agent=Peer",
                    "/runCase?case=3&agent=Peer", "/updateReports?agent=Peer"), fuzzer.targets);
            for (String o : fuzzer.offers) {
                assertEquals(offer, o);
            }
            assertEquals(List.of(
                    "case 1: opcode 1 fin rsv 0 Grüße aus dem Fuzzer",
                    "case 2: opcode 10 fin rsv 0 p",
                    "case 2: opcode 2 fin rsv 0 0102030405",
                    "case 3: connection dropped by the client"), fuzzer.frames);
        }
    }

    private static List<String> node(String script) throws IOException, InterruptedException {
        Path dir = PEERS.resolve("node");
        if (!works(List.of("node", "--version"))) {
            missing("Node.js (node) is not on PATH: apt-get install -y nodejs npm, then npm ci in " + dir);
        }
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("ws"))) {
            missing("the ws package is not installed: run npm ci in autobahn/" + dir);
        }
        return List.of("node", dir.resolve(script).toString());
    }

    private static List<String> python(String script) throws IOException, InterruptedException {
        if (!Files.isExecutable(DEBIAN_PYTHON)
                || !works(List.of(DEBIAN_PYTHON.toString(), "-c", "import websockets"))) {
            missing("Debian's python3-websockets is not importable by /usr/bin/python3:"
                    + " apt-get install -y python3 python3-websockets");
        }
        return List.of(DEBIAN_PYTHON.toString(), PEERS.resolve("python").resolve(script).toString());
    }

    private static boolean works(List<String> command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void missing(String why) {
        if ("true".equals(System.getenv("CI"))) {
            fail("peer missing under CI=true: " + why);
        }
        Assumptions.abort(why);
    }
}
