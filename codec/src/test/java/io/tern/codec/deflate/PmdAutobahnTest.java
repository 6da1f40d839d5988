package io.tern.codec.deflate;

import static io.tern.codec.deflate.PmdSupport.params;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.BufferPool;
import io.tern.codec.Bytes;
import io.tern.codec.Feeding;
import io.tern.codec.MessageListener;
import io.tern.codec.MessageReader;
import io.tern.codec.Opcode;
import io.tern.codec.ReaderSettings;
import io.tern.codec.Role;
import io.tern.codec.handshake.Extension;
import io.tern.codec.handshake.ExtensionHeader;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Codec-level equivalents of Autobahn test cases 12.x.x and 13.x.x: a client sends compressed
 * messages (Autobahn auto-fragments by cutting the compressed payload into frames), a Tern server
 * decodes them and echoes them compressed with its own PerMessageDeflater, and a client reader
 * decodes the echo; every message must come back exactly as sent.
 *
 * <p>Autobahn uses test files (Faust, a bitmap, a PDF, JSON, HTML); synthetic data of the same
 * kinds stands in for them. Each case sends fewer messages than Autobahn's 1,000 (at least two,
 * about 128 KiB in all) to keep the run short.
 */
class PmdAutobahnTest {

    private static final ZStreamPool POOL = new ZStreamPool();

    /** Autobahn's MSG_SIZES: payload length and auto-fragment size (0: none). */
    private static final int[][] MSG_SIZES = {
        {16, 0}, {64, 0}, {256, 0}, {1024, 0}, {4096, 0}, {8192, 0}, {16384, 0}, {32768, 0}, {65536, 0},
        {131072, 0},
        {8192, 256}, {16384, 256}, {32768, 256}, {65536, 256}, {131072, 256}, {131072, 1024}, {131072, 4096},
        {131072, 32768},
    };

    /** Autobahn's data sets for 12.1–12.5: name, whether sent as binary. */
    private record DataSet(String name, boolean binary, byte[] data) {
    }

    private static final List<DataSet> DATA = List.of(
            new DataSet("gutenberg_faust", true, faust()),
            new DataSet("lena512", true, bitmap()),
            new DataSet("ooms", true, pdf()),
            new DataSet("json_data1", false, json()),
            new DataSet("html_data1", false, html()));

    /** Autobahn's default offer: it accepts client_no_context_takeover and client_max_window_bits. */
    private static final String DEFAULT_OFFER = "permessage-deflate; client_no_context_takeover; client_max_window_bits";

    /**
     * Cases 13.1–13.7: the client's offers (Autobahn's (requestNoContextTakeover, requestMaxWindowBits)
     * pairs as header text), Tern's exact answer with its default policy, and the agreement.
     */
    private record ParamCase(String offers, String response, DeflateParameters agreed) {
    }

    private static final List<ParamCase> PARAM_CASES = List.of(
            new ParamCase(DEFAULT_OFFER,
                    "permessage-deflate; client_no_context_takeover", params(false, true, 15, 15)),
            new ParamCase(DEFAULT_OFFER + "; server_no_context_takeover",
                    "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                    params(true, true, 15, 15)),
            new ParamCase(DEFAULT_OFFER + "; server_max_window_bits=9",
                    "permessage-deflate; client_no_context_takeover; server_max_window_bits=9",
                    params(false, true, 9, 15)),
            new ParamCase(DEFAULT_OFFER + "; server_max_window_bits=15",
                    "permessage-deflate; client_no_context_takeover; server_max_window_bits=15",
                    params(false, true, 15, 15)),
            new ParamCase(DEFAULT_OFFER + "; server_no_context_takeover; server_max_window_bits=9",
                    "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9",
                    params(true, true, 9, 15)),
            new ParamCase(DEFAULT_OFFER + "; server_no_context_takeover; server_max_window_bits=15",
                    "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=15",
                    params(true, true, 15, 15)),
            new ParamCase(DEFAULT_OFFER + "; server_no_context_takeover; server_max_window_bits=9, "
                    + DEFAULT_OFFER + "; server_no_context_takeover, " + DEFAULT_OFFER,
                    "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9",
                    params(true, true, 9, 15)));

    /**
     * The same cases with Tern as the client, against Autobahn's server accepts
     * (requestNoContextTakeover, requestMaxWindowBits) of 13.1–13.7: Tern's options, the server's
     * answer to Tern's offer, and the agreement Tern must reach.
     */
    private record ClientCase(DeflateOptions options, String response, DeflateParameters agreed) {
    }

    private static final DeflateOptions NCT = DeflateOptions.defaults().withClientNoContextTakeover(true);

    private static final List<ClientCase> CLIENT_CASES = List.of(
            new ClientCase(DeflateOptions.defaults(), "permessage-deflate", params(false, false, 15, 15)),
            new ClientCase(NCT, "permessage-deflate; client_no_context_takeover", params(false, true, 15, 15)),
            new ClientCase(DeflateOptions.defaults(), "permessage-deflate; client_max_window_bits=9",
                    params(false, false, 15, 9)),
            new ClientCase(DeflateOptions.defaults(), "permessage-deflate; client_max_window_bits=15",
                    params(false, false, 15, 15)),
            new ClientCase(NCT, "permessage-deflate; client_no_context_takeover; client_max_window_bits=9",
                    params(false, true, 15, 9)),
            new ClientCase(NCT, "permessage-deflate; client_no_context_takeover; client_max_window_bits=15",
                    params(false, true, 15, 15)),
            new ClientCase(NCT.withServerNoContextTakeover(true).withServerMaxWindowBits(9),
                    "permessage-deflate; server_no_context_takeover; server_max_window_bits=9; "
                            + "client_no_context_takeover; client_max_window_bits=9",
                    params(true, true, 9, 9)));

    @AfterAll
    static void closePool() {
        POOL.close();
    }

    static Stream<Arguments> cases12() {
        List<Arguments> out = new ArrayList<>();
        for (int j = 0; j < DATA.size(); j++) {
            for (int i = 0; i < MSG_SIZES.length; i++) {
                out.add(Arguments.of("12." + (j + 1) + "." + (i + 1), j, i));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> cases13() {
        List<Arguments> out = new ArrayList<>();
        for (int j = 0; j < PARAM_CASES.size(); j++) {
            for (int i = 0; i < MSG_SIZES.length; i++) {
                out.add(Arguments.of("13." + (j + 1) + "." + (i + 1), j, i));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases12")
    void case12(String id, int dataSet, int size) {
        Optional<PerMessageDeflate.Agreement> a = negotiate(DEFAULT_OFFER);
        assertEquals("permessage-deflate; client_no_context_takeover", text(a.get()));
        DataSet d = DATA.get(dataSet);
        echo(id, a.get().parameters(), d.data(), d.binary(), MSG_SIZES[size][0], MSG_SIZES[size][1]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases13")
    void case13(String id, int paramCase, int size) {
        ParamCase pc = PARAM_CASES.get(paramCase);
        Optional<PerMessageDeflate.Agreement> a = negotiate(pc.offers());
        assertTrue(a.isPresent(), id);
        assertEquals(pc.response(), text(a.get()), id);
        assertEquals(pc.agreed(), a.get().parameters(), id);
        DataSet json = DATA.get(3);
        echo(id + " (Tern server)", pc.agreed(), json.data(), json.binary(), MSG_SIZES[size][0], MSG_SIZES[size][1]);

        ClientCase cc = CLIENT_CASES.get(paramCase);
        PerMessageDeflate.ClientOutcome o = PerMessageDeflate.accept(parse(cc.response()), cc.options());
        assertFalse(o.failed(), () -> id + ": " + o.failure());
        assertEquals(cc.agreed(), o.parameters(), id);
        // The server side of that handshake agrees too.
        Optional<PerMessageDeflate.Agreement> mirror = PerMessageDeflate.negotiate(
                List.of(PerMessageDeflate.offer(cc.options())), DeflateOptions.defaults()
                        .withClientMaxWindowBits(cc.agreed().clientMaxWindowBits())
                        .withClientNoContextTakeover(cc.agreed().clientNoContextTakeover()));
        assertEquals(cc.agreed(), mirror.get().parameters(), id);
        if (MSG_SIZES[size][0] <= 16384) {
            echo(id + " (Tern client)", cc.agreed(), json.data(), json.binary(), MSG_SIZES[size][0],
                    MSG_SIZES[size][1]);
        }
    }

    private static List<Extension> parse(String header) {
        ExtensionHeader.Result r = ExtensionHeader.parse(header);
        assertTrue(r.isValid(), header);
        return r.extensions();
    }

    private static Optional<PerMessageDeflate.Agreement> negotiate(String offers) {
        return PerMessageDeflate.negotiate(parse(offers), DeflateOptions.defaults());
    }

    private static String text(PerMessageDeflate.Agreement a) {
        return ExtensionHeader.format(List.of(a.response()));
    }

    /** Autobahn's sendOne: consecutive slices of the data, wrapping around at its end. */
    private static List<byte[]> slices(byte[] data, int len, int count) {
        List<byte[]> out = new ArrayList<>();
        int ptr = 0;
        for (int k = 0; k < count; k++) {
            byte[] m = new byte[len];
            for (int i = 0; i < len; i++) {
                m[i] = data[(ptr + i) % data.length];
            }
            ptr = (ptr + len) % data.length;
            out.add(m);
        }
        return out;
    }

    /** Collects whole messages as a server application sees them, to echo them. */
    private static final class Collector implements MessageListener {
        final List<byte[]> messages = new ArrayList<>();
        final List<Boolean> binary = new ArrayList<>();
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        private void data(ByteBuffer b, boolean last, boolean isBinary) {
            pending.writeBytes(Bytes.remaining(b));
            if (last) {
                messages.add(pending.toByteArray());
                binary.add(isBinary);
                pending.reset();
            }
        }

        @Override
        public void onText(ByteBuffer utf8, boolean last) {
            data(utf8, last, false);
        }

        @Override
        public void onBinary(ByteBuffer data, boolean last) {
            data(data, last, true);
        }

        @Override
        public void onPing(ByteBuffer payload) {
            throw new AssertionError("no pings here");
        }

        @Override
        public void onPong(ByteBuffer payload) {
            throw new AssertionError("no pongs here");
        }

        @Override
        public void onClose(int code, String reason) {
            throw new AssertionError("no close here");
        }
    }

    private static Collector read(Role role, DeflateParameters p, ReaderSettings.Delivery delivery, byte[] wire,
                                  Feeding feeding, String label) {
        Collector c = new Collector();
        MessageReader reader = new MessageReader(role, ReaderSettings.defaults().withDelivery(delivery), c,
                BufferPool.unpooled());
        reader.enableCompression(new PerMessageInflater(p, role, POOL));
        for (ByteBuffer chunk : feeding.chunks(wire)) {
            int status = reader.read(chunk);
            assertEquals(MessageReader.NEED_MORE, status,
                    () -> label + ": reader stopped with " + reader.failureCode() + " " + reader.failureReason());
        }
        reader.releaseBuffers();
        return c;
    }

    private static void echo(String id, DeflateParameters p, byte[] data, boolean binary, int len, int autoFragment) {
        int count = Math.max(2, Math.min(1000, 131072 / len));
        List<byte[]> msgs = slices(data, len, count);
        int opcode = binary ? Opcode.BINARY : Opcode.TEXT;

        // Client → server, auto-fragmented as Autobahn does.
        PmdSupport.Sender client = new PmdSupport.Sender(p, Role.CLIENT, DeflateOptions.defaults(), POOL);
        for (byte[] m : msgs) {
            if (autoFragment > 0) {
                client.sendSplit(opcode, m, autoFragment);
            } else {
                client.send(opcode, m, 0);
            }
        }
        client.deflater.release();
        Feeding serverFeeding = Feeding.values()[(id.hashCode() & 0x7fffffff) % 2 == 0 ? 0 : 4 + id.length() % 4];
        Collector server = read(Role.SERVER, p, ReaderSettings.Delivery.WHOLE_MESSAGES, client.wire(), serverFeeding,
                id + " server");
        assertEquals(count, server.messages.size(), id);
        for (int k = 0; k < count; k++) {
            assertArrayEquals(msgs.get(k), server.messages.get(k), id + " server got message " + k);
            assertEquals(binary, server.binary.get(k), id);
        }

        // Server echoes with its own deflater; fragments of 4 KiB when the client fragmented.
        PmdSupport.Sender echo = new PmdSupport.Sender(p, Role.SERVER, DeflateOptions.defaults(), POOL);
        for (int k = 0; k < count; k++) {
            echo.send(server.binary.get(k) ? Opcode.BINARY : Opcode.TEXT, server.messages.get(k),
                    autoFragment > 0 ? 4096 : 0);
        }
        echo.deflater.release();
        for (ReaderSettings.Delivery delivery : ReaderSettings.Delivery.values()) {
            Feeding f = delivery == ReaderSettings.Delivery.WHOLE_MESSAGES ? Feeding.WHOLE_DIRECT
                    : Feeding.RANDOM_SPLITS_SEED_2;
            Collector back = read(Role.CLIENT, p, delivery, echo.wire(), f, id + " client " + delivery);
            assertEquals(count, back.messages.size(), id);
            for (int k = 0; k < count; k++) {
                assertArrayEquals(msgs.get(k), back.messages.get(k), id + " " + delivery + " echo of message " + k);
                assertEquals(binary, back.binary.get(k), id);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Stand-ins for Autobahn's test files

    private static byte[] faust() {
        String[] words = {"Habe", "nun,", "ach!", "Philosophie,", "Juristerei", "und", "Medizin,", "leider",
            "auch", "Theologie", "durchaus", "studiert,", "mit", "heißem", "Bemühn.", "Da", "steh", "ich",
            "nun,", "ich", "armer", "Tor!", "Und", "bin", "so", "klug", "als", "wie", "zuvor;", "Mephistopheles:",
            "FAUST.", "Grüß", "Gott!", "Wär", "nicht", "übel."};
        Random r = new Random(2229);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 220_000) {
            int n = 4 + r.nextInt(8);
            for (int i = 0; i < n; i++) {
                sb.append(words[r.nextInt(words.length)]).append(i + 1 < n ? " " : "\r\n");
            }
            if (r.nextInt(6) == 0) {
                sb.append("\r\n");
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bitmap() {
        int w = 512;
        byte[] out = new byte[54 + 1024 + w * w];
        out[0] = 'B';
        out[1] = 'M';
        for (int i = 0; i < 256; i++) {
            for (int c = 0; c < 3; c++) {
                out[54 + 4 * i + c] = (byte) i; // grey palette
            }
        }
        Random r = new Random(512);
        for (int y = 0; y < w; y++) {
            for (int x = 0; x < w; x++) {
                double v = 128 + 60 * Math.sin(x / 37.0) * Math.cos(y / 23.0) + (x ^ y) % 17 + r.nextInt(9);
                out[54 + 1024 + y * w + x] = (byte) Math.max(0, Math.min(255, (int) v));
            }
        }
        return out;
    }

    private static byte[] pdf() {
        Random r = new Random(105_5439);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n".getBytes(StandardCharsets.ISO_8859_1));
        int obj = 1;
        while (out.size() < 300_000) {
            out.writeBytes((obj++ + " 0 obj\n<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> "
                    + "/MediaBox [0 0 612 792] /Contents " + obj + " 0 R >>\nendobj\n").getBytes(StandardCharsets.US_ASCII));
            byte[] stream = new byte[500 + r.nextInt(3000)];
            r.nextBytes(stream); // already-compressed content
            out.writeBytes((obj++ + " 0 obj\n<< /Length " + stream.length + " /Filter /FlateDecode >>\nstream\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(stream);
            out.writeBytes("\nendstream\nendobj\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static byte[] json() {
        Random r = new Random(194_056);
        String[] names = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"};
        StringBuilder sb = new StringBuilder("[");
        int id = 0;
        while (sb.length() < 194_000) {
            sb.append(id == 0 ? "" : ",").append("\n  {\"id\": ").append(id++)
                    .append(", \"name\": \"").append(names[r.nextInt(names.length)]).append(r.nextInt(1000))
                    .append("\", \"active\": ").append(r.nextBoolean())
                    .append(", \"score\": ").append(r.nextInt(100_000) / 100.0)
                    .append(", \"tags\": [\"").append(names[r.nextInt(names.length)]).append("\", \"")
                    .append(names[r.nextInt(names.length)]).append("\"], \"parent\": ")
                    .append(r.nextInt(4) == 0 ? "null" : Integer.toString(r.nextInt(Math.max(1, id)))).append('}');
        }
        return sb.append("\n]\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] html() {
        Random r = new Random(1);
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html>\n<head><title>Data</title></head>\n<body>\n");
        while (sb.length() < 130_000) {
            sb.append("<div class=\"row row-").append(r.nextInt(50)).append("\">\n  <a href=\"/item/")
                    .append(r.nextInt(100_000)).append("\">Item ").append(r.nextInt(1000)).append("</a>\n  <p>")
                    .append(new String(PmdSupport.ascii(40 + r.nextInt(200), r.nextLong()), StandardCharsets.US_ASCII))
                    .append("</p>\n</div>\n");
        }
        return sb.append("</body>\n</html>\n").toString().getBytes(StandardCharsets.US_ASCII);
    }
}
