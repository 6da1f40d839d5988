package io.tern.autobahn.testee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.autobahn.broken.Wire;
import io.tern.transport.WebSocketServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The testee server over real sockets: echo of every message kind and each deflate offer. */
@Timeout(60)
class TesteeServerTest {

    private static WebSocketServer server;
    private static String announced;

    @BeforeAll
    static void start() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        server = TesteeServer.start("127.0.0.1", 0, new PrintStream(out, true, StandardCharsets.UTF_8));
        announced = out.toString(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() {
        server.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void printsTheUrlItListensOn() {
        assertTrue(announced.startsWith("Tern testee server listening on ws://127.0.0.1:" + server.port() + "/ "),
                announced);
    }

    @Test
    void echoesTextBinaryAndFragmentedMessages() throws Exception {
        try (RawWsClient c = new RawWsClient(server.port(), "/", null)) {
            assertEquals("HTTP/1.1 101 Switching Protocols", c.response.get(""));
            assertEquals(Wire.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), c.response.get("sec-websocket-accept"));
            c.send(true, 0, Wire.TEXT, "Hello, Tern — ✓".getBytes(StandardCharsets.UTF_8));
            Wire.Frame text = c.read();
            assertEquals(Wire.TEXT, text.opcode());
            assertEquals("Hello, Tern — ✓", text.text());

            byte[] big = new byte[3 << 20];
            new Random(7).nextBytes(big);
            c.send(true, 0, Wire.BINARY, big);
            Wire.Frame binary = c.read();
            assertEquals(Wire.BINARY, binary.opcode());
            assertArrayEquals(big, binary.payload());

            c.send(false, 0, Wire.TEXT, "frag".getBytes(StandardCharsets.UTF_8));
            c.send(true, 0, Wire.PING, new byte[0]);
            c.send(false, 0, Wire.CONTINUATION, "ment".getBytes(StandardCharsets.UTF_8));
            c.send(true, 0, Wire.CONTINUATION, "ed".getBytes(StandardCharsets.UTF_8));
            assertEquals(Wire.PONG, c.read().opcode());
            Wire.Frame whole = c.read();
            assertEquals(Wire.TEXT, whole.opcode());
            assertTrue(whole.fin());
            assertEquals("fragmented", whole.text());
        }
    }

    @Test
    void answersPingsAndEchoesTheCloseCode() throws Exception {
        try (RawWsClient c = new RawWsClient(server.port(), "/", null)) {
            assertEquals("HTTP/1.1 101 Switching Protocols", c.response.get(""));
            c.send(true, 0, Wire.PING, "are you there".getBytes(StandardCharsets.UTF_8));
            Wire.Frame pong = c.read();
            assertEquals(Wire.PONG, pong.opcode());
            assertEquals("are you there", pong.text());
            assertFalse(pong.masked(), "a server must not mask");
            c.send(true, 0, Wire.CLOSE, Wire.closePayload(3000, "bye"));
            Wire.Frame close = c.read();
            assertEquals(Wire.CLOSE, close.opcode());
            assertEquals(3000, close.closeCode());
        }
    }

    @Test
    void failsAFrameWithReservedBitsWith1002() throws Exception {
        try (RawWsClient c = new RawWsClient(server.port(), "/", null)) {
            c.send(true, 2, Wire.TEXT, "x".getBytes(StandardCharsets.UTF_8));
            Wire.Frame close = c.read();
            assertEquals(Wire.CLOSE, close.opcode());
            assertEquals(1002, close.closeCode());
        }
    }

    @Test
    void acceptsAMessageOf16MiB() throws Exception {
        try (RawWsClient c = new RawWsClient(server.port(), "/", null)) {
            byte[] message = new byte[16 << 20];
            new Random(3).nextBytes(message);
            for (int i = 0; i < 4; i++) {
                byte[] part = java.util.Arrays.copyOfRange(message, i << 22, (i + 1) << 22);
                c.send(i == 3, 0, i == 0 ? Wire.BINARY : Wire.CONTINUATION, part);
            }
            Wire.Frame echo = c.read();
            assertEquals(Wire.BINARY, echo.opcode());
            assertTrue(echo.fin());
            assertArrayEquals(message, echo.payload());
        }
    }

    /**
     * Each RFC 7692 parameter a client may offer, alone and combined, with window bits at both
     * ends of 8–15: the server accepts and answers as §7.1 requires (an agreed
     * {@code client_max_window_bits} only when offered, {@code server_max_window_bits} no larger
     * than asked), then a compressed message sent under those parameters comes back compressed
     * and inflates to the same text; a second message checks the context across messages.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "permessage-deflate",
        "permessage-deflate; client_max_window_bits",
        "permessage-deflate; client_max_window_bits=8",
        "permessage-deflate; client_max_window_bits=15",
        "permessage-deflate; server_max_window_bits=8",
        "permessage-deflate; server_max_window_bits=9",
        "permessage-deflate; server_max_window_bits=15",
        "permessage-deflate; server_no_context_takeover",
        "permessage-deflate; client_no_context_takeover",
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=12",
        "permessage-deflate; client_max_window_bits=9; server_max_window_bits=8; server_no_context_takeover",
        "x-webkit-deflate-frame, permessage-deflate; server_max_window_bits=16, permessage-deflate; client_no_context_takeover",
    })
    void acceptsEveryValidDeflateOffer(String offer) throws Exception {
        try (RawWsClient c = new RawWsClient(server.port(), "/", offer)) {
            assertEquals("HTTP/1.1 101 Switching Protocols", c.response.get(""));
            String answer = c.response.get("sec-websocket-extensions");
            assertTrue(answer != null && answer.startsWith("permessage-deflate"), "answer: " + answer);
            Params asked = Params.of(acceptedOffer(offer));
            Params agreed = Params.of(answer);
            if (asked.serverNoContextTakeover) {
                assertTrue(agreed.serverNoContextTakeover, answer);
            }
            if (asked.clientWindowBits == 0) {
                assertEquals(0, agreed.clientWindowBits, "client_max_window_bits answered although not offered: " + answer);
            }
            if (asked.serverWindowBits != 0) {
                assertTrue(agreed.serverWindowBits != 0 && agreed.serverWindowBits <= asked.serverWindowBits, answer);
            }
            int clientBits = agreed.clientWindowBits == 0 ? 15 : agreed.clientWindowBits;
            // java.util.zip uses a 15-bit window; to respect a smaller one the test sends stored
            // (level 0) DEFLATE, which has no back-references, when the window is below 15.
            Deflater deflater = new Deflater(clientBits < 15 ? Deflater.NO_COMPRESSION : 6, true);
            Inflater inflater = new Inflater(true);
            String text = "Autobahn ".repeat(400) + "— the end";
            for (int round = 0; round < 2; round++) {
                if (agreed.clientNoContextTakeover || asked.clientNoContextTakeover) {
                    deflater.reset();
                }
                c.send(true, 4, Wire.TEXT, Wire.compress(deflater, text.getBytes(StandardCharsets.UTF_8)));
                Wire.Frame echo = c.read();
                assertEquals(Wire.TEXT, echo.opcode());
                assertEquals(4, echo.rsv(), "the echo is compressed (RSV1)");
                if (agreed.serverNoContextTakeover) {
                    inflater.reset();
                }
                assertEquals(text, new String(Wire.decompress(inflater, echo.payload(), 1 << 20), StandardCharsets.UTF_8));
            }
            deflater.end();
            inflater.end();
        }
    }

    @Test
    void declinesNothingButMalformedOffers() throws Exception {
        try (RawWsClient c = new RawWsClient(server.port(), "/", "permessage-deflate; server_max_window_bits=7")) {
            assertEquals("HTTP/1.1 101 Switching Protocols", c.response.get(""));
            assertEquals(null, c.response.get("sec-websocket-extensions"), "an invalid offer is declined");
        }
    }

    @Test
    void rejectsAnotherPath() throws Exception {
        try (RawWsClient c = new RawWsClient(server.port(), "/elsewhere", null)) {
            assertTrue(c.response.get("").startsWith("HTTP/1.1 404"), c.response.get(""));
        }
    }

    @Test
    void parsesTheCommandLine() {
        assertEquals(new TesteeServer.Options("127.0.0.1", 9001), TesteeServer.parse(new String[0]));
        assertEquals(new TesteeServer.Options("::1", 0), TesteeServer.parse(new String[] {"--host", "::1", "--port", "0"}));
        assertEquals(4711, TesteeServer.parse(new String[] {"4711"}).port());
        assertThrows(IllegalArgumentException.class, () -> TesteeServer.parse(new String[] {"--port", "65536"}));
        assertThrows(IllegalArgumentException.class, () -> TesteeServer.parse(new String[] {"--port"}));
        assertThrows(IllegalArgumentException.class, () -> TesteeServer.parse(new String[] {"--bogus", "1"}));
    }

    /** The first offer in a list that the test expects the server to take (the valid permessage-deflate one). */
    private static String acceptedOffer(String offers) {
        for (String o : offers.split(",")) {
            String t = o.trim();
            if (t.startsWith("permessage-deflate") && !t.contains("=16")) {
                return t;
            }
        }
        throw new IllegalArgumentException(offers);
    }

    /** The parameters of one permessage-deflate offer or answer; window bits 0 when absent, 15 when valueless. */
    private record Params(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverWindowBits,
                          int clientWindowBits) {
        static Params of(String extension) {
            boolean snct = false;
            boolean cnct = false;
            int sbits = 0;
            int cbits = 0;
            for (String part : extension.split(";")) {
                String p = part.trim();
                String name = p.contains("=") ? p.substring(0, p.indexOf('=')).trim() : p;
                String value = p.contains("=") ? p.substring(p.indexOf('=') + 1).trim().replace("\"", "") : null;
                switch (name) {
                    case "server_no_context_takeover" -> snct = true;
                    case "client_no_context_takeover" -> cnct = true;
                    case "server_max_window_bits" -> sbits = Integer.parseInt(value);
                    case "client_max_window_bits" -> cbits = value == null ? 15 : Integer.parseInt(value);
                    default -> { }
                }
            }
            return new Params(snct, cnct, sbits, cbits);
        }
    }
}
