package io.tern.autobahn.runner;

import io.tern.autobahn.catalogue.Catalogue;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fuzzing server's HTTP paths and errors, and a client breaking RFC 6455 §5.1 (unmasked frames). */
class FuzzingServerPathsTest {

    /** A raw client: upgrade to {@code target}, then echo each frame unmasked (or masked) until a close. */
    private static List<String> rawSession(int port, String target, boolean mask) throws Exception {
        List<String> texts = new ArrayList<>();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            String key = Handshake.newKey();
            out.write(Handshake.clientRequest(java.net.URI.create("ws://127.0.0.1:" + port + target), key, null, "raw")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String head = Handshake.readHead(in);
            if (!head.startsWith("HTTP/1.1 101")) {
                texts.add(head.split("\r\n")[0]);
                return texts;
            }
            byte[] key4 = mask ? new byte[] {9, 8, 7, 6} : null;
            while (true) {
                InFrame f = FrameCodec.read(in);
                if (f == null) {
                    return texts;
                }
                if (f.opcode() == 1) {
                    texts.add(new String(f.payload(), StandardCharsets.UTF_8));
                }
                out.write(FrameCodec.encode(true, 0, f.opcode() == 8 ? 8 : f.opcode(), f.opcode() == 8
                        ? new byte[] {0x03, (byte) 0xe8} : f.payload(), key4));
                if (f.opcode() == 8) {
                    // wait for the server to drop TCP
                    while (in.read() >= 0) {
                        // drain
                    }
                    return texts;
                }
            }
        } catch (java.net.SocketException e) {
            return texts;
        }
    }

    @Test
    void controlPathsAnswerAndAnUnmaskingClientIsFlagged() throws Exception {
        Catalogue catalogue = Catalogue.load();
        Path out = Path.of("target", "autobahn-reports", "paths");
        try (FuzzingServer server = new FuzzingServer(catalogue, catalogue.select(List.of("1.1.1", "2.1"), List.of()),
                InetAddress.getLoopbackAddress(), 0, out, line -> { })) {
            int port = server.port();
            assertEquals(List.of("2"), rawSession(port, "/getCaseCount", true));
            assertEquals(List.of("{\n   \"description\": \"Sends a text message of 0 payload bytes in one frame.\",\n"
                    + "   \"id\": \"1.1.1\"\n}"), rawSession(port, "/getCaseInfo?case=1", true));
            assertEquals(List.of("{\n   \"behavior\": null\n}"), rawSession(port, "/getCaseStatus?case=1&agent=raw", true));
            // a correct (masking) client passes, an unmasking one fails the case and the close
            rawSession(port, "/runCase?case=1&agent=raw", true);
            rawSession(port, "/runCase?casetuple=1.1.1&agent=unmasked", false);
            assertEquals(List.of("{\n   \"behavior\": \"OK\"\n}"), rawSession(port, "/getCaseStatus?case=1&agent=raw", true));
            assertEquals(List.of("HTTP/1.1 404 Not Found"), rawSession(port, "/runCase?case=3&agent=raw", true));
            assertEquals(List.of("HTTP/1.1 400 Bad Request"), rawSession(port, "/runCase?case=1", true));
            assertEquals(List.of("HTTP/1.1 404 Not Found"), rawSession(port, "/nothing", true));
            rawSession(port, "/updateReports?agent=raw", true);
            assertTrue(server.awaitReportUpdate(Duration.ofSeconds(5)));
            CaseResult good = server.results().get("raw", "1.1.1");
            assertEquals(Verdict.OK, good.behavior());
            assertEquals(Verdict.OK, good.behaviorClose());
            CaseResult bad = server.results().get("unmasked", "1.1.1");
            assertEquals(Verdict.FAILED, bad.behavior());
            assertEquals(Verdict.UNCLEAN, bad.behaviorClose());
            assertEquals(1002, bad.localCloseCode());
            assertNull(server.results().get("raw", "2.1"));
        }
    }
}
