package io.tern.autobahn.broken;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.autobahn.testee.FuzzingServerStandIn;
import io.tern.autobahn.testee.RawWsClient;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each broken testee shows its defect on the wire, and only it: the same exchange against
 * {@link Defect#NONE} shows the conformant behaviour. (That a conformance runner flags exactly the
 * cases each Javadoc names is the runner's test, written once the runner exists.)
 */
@Timeout(60)
class BrokenTesteesTest {

    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

    private static Wire.Frame afterRsvFrame(Defect defect) throws Exception {
        try (BrokenEchoServer server = new BrokenEchoServer(defect);
             RawWsClient c = new RawWsClient(server.port(), "/", null)) {
            c.send(true, 1, Wire.TEXT, HELLO);
            return c.read();
        }
    }

    @Test
    void conformantServerFailsBadFramingWith1002() throws Exception {
        Wire.Frame f = afterRsvFrame(Defect.NONE);
        assertEquals(Wire.CLOSE, f.opcode());
        assertEquals(1002, f.closeCode());
    }

    @Test
    void acceptsBadFramingEchoesAFrameWithRsvBits() throws Exception {
        Wire.Frame f = afterRsvFrame(new AcceptsBadFraming());
        assertEquals(Wire.TEXT, f.opcode());
        assertArrayEquals(HELLO, f.payload());
    }

    @Test
    void alwaysCloses1000FailsWithTheWrongCode() throws Exception {
        Wire.Frame f = afterRsvFrame(new AlwaysCloses1000());
        assertEquals(Wire.CLOSE, f.opcode());
        assertEquals(1000, f.closeCode());
    }

    private static List<Integer> utf8Exchange(Defect defect) throws Exception {
        try (BrokenEchoServer server = new BrokenEchoServer(defect);
             RawWsClient c = new RawWsClient(server.port(), "/", null)) {
            c.send(false, 0, Wire.TEXT, new byte[] {'a', (byte) 0xc0, 'b'});
            c.send(true, 0, Wire.PING, new byte[0]);
            Wire.Frame first = c.read();
            if (first.opcode() == Wire.CLOSE) {
                return List.of(first.opcode(), first.closeCode());
            }
            c.send(true, 0, Wire.CONTINUATION, new byte[] {'c'});
            Wire.Frame second = c.read();
            return List.of(first.opcode(), second.opcode(), second.closeCode());
        }
    }

    @Test
    void conformantServerFailsInvalidUtf8AtOnce() throws Exception {
        assertEquals(List.of(Wire.CLOSE, 1007), utf8Exchange(Defect.NONE));
    }

    @Test
    void lateUtf8CheckFailsOnlyAtTheEndOfTheMessage() throws Exception {
        assertEquals(List.of(Wire.PONG, Wire.CLOSE, 1007), utf8Exchange(new LateUtf8Check()));
    }

    private static Wire.Frame closeAnswer(Defect defect) throws Exception {
        try (BrokenEchoServer server = new BrokenEchoServer(defect);
             RawWsClient c = new RawWsClient(server.port(), "/", null)) {
            c.send(true, 0, Wire.CLOSE, Wire.closePayload(1000, ""));
            return c.read();
        }
    }

    @Test
    void conformantServerEchoesTheClose() throws Exception {
        Wire.Frame f = closeAnswer(Defect.NONE);
        assertEquals(Wire.CLOSE, f.opcode());
        assertEquals(1000, f.closeCode());
    }

    @Test
    void dropsCloseEchoJustClosesTcp() {
        assertThrows(EOFException.class, () -> closeAnswer(new DropsCloseEcho()));
    }

    @Test
    void masksWronglyMasksServerFrames() throws Exception {
        for (Defect d : List.of(Defect.NONE, new MasksWrongly())) {
            try (BrokenEchoServer server = new BrokenEchoServer(d);
                 RawWsClient c = new RawWsClient(server.port(), "/", null)) {
                c.send(true, 0, Wire.BINARY, HELLO);
                Wire.Frame f = c.read();
                assertArrayEquals(HELLO, f.payload());
                assertEquals(d != Defect.NONE, f.masked(), d.toString());
            }
        }
    }

    private static Wire.Frame compressedEcho(Defect defect, String offer, byte[] message) throws Exception {
        try (BrokenEchoServer server = new BrokenEchoServer(defect);
             RawWsClient c = new RawWsClient(server.port(), "/", offer)) {
            assertTrue(c.response.get("sec-websocket-extensions").startsWith("permessage-deflate"));
            Deflater deflater = new Deflater(6, true);
            c.send(true, 4, Wire.TEXT, Wire.compress(deflater, message));
            deflater.end();
            return c.read();
        }
    }

    @Test
    void corruptsCompressionMarksPlainBytesAsCompressed() throws Exception {
        byte[] text = "compress me ".repeat(20).getBytes(StandardCharsets.UTF_8);
        Wire.Frame good = compressedEcho(Defect.NONE, "permessage-deflate", text);
        assertEquals(4, good.rsv());
        Inflater inflater = new Inflater(true);
        assertArrayEquals(text, Wire.decompress(inflater, good.payload(), 1 << 20));
        inflater.end();
        Wire.Frame bad = compressedEcho(new CorruptsCompression(), "permessage-deflate", text);
        assertEquals(4, bad.rsv());
        assertArrayEquals(text, bad.payload(), "RSV1 on the uncompressed bytes");
    }

    @Test
    void ignoresWindowBitsCompressesWhenOnly8BitsWereAgreed() throws Exception {
        byte[] text = "window ".repeat(100).getBytes(StandardCharsets.UTF_8);
        String offer = "permessage-deflate; server_max_window_bits=8";
        Wire.Frame good = compressedEcho(Defect.NONE, offer, text);
        assertEquals(0, good.rsv(), "a 15-bit compressor may not be used: sent uncompressed");
        assertArrayEquals(text, good.payload());
        Wire.Frame bad = compressedEcho(new IgnoresWindowBits(), offer, text);
        assertEquals(4, bad.rsv(), "compressed with a 32 KiB window although 8 bits were agreed");
    }

    @Test
    void brokenClientFollowsTheFuzzingProtocolAndShowsItsDefect() throws Exception {
        try (FuzzingServerStandIn fuzzer = new FuzzingServerStandIn()) {
            new BrokenFuzzedClient("ws://127.0.0.1:" + fuzzer.port(), "Broken", Defect.NONE).run(1, 2);
            assertEquals(List.of(), fuzzer.problems);
            assertEquals(List.of("/getCaseCount", "/runCase?case=1&agent=Broken", "/runCase?case=2&agent=Broken",
                    "/updateReports?agent=Broken"), fuzzer.targets);
            assertEquals(List.of(
                    "case 1: opcode 1 fin rsv 0 Grüße aus dem Fuzzer",
                    "case 2: opcode 10 fin rsv 0 p",
                    "case 2: opcode 2 fin rsv 0 0102030405"), fuzzer.frames);
        }
        try (FuzzingServerStandIn fuzzer = new FuzzingServerStandIn()) {
            new BrokenFuzzedClient("ws://127.0.0.1:" + fuzzer.port(), "Broken", new MasksWrongly()).run(1, 1);
            assertEquals(List.of("case 1: an unmasked frame from the client"), fuzzer.problems);
            assertFalse(fuzzer.frames.isEmpty());
        }
    }
}
