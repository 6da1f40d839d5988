package io.tern.codec.deflate;

import static io.tern.codec.deflate.PmdSupport.params;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.BufferPool;
import io.tern.codec.Bytes;
import io.tern.codec.Feeding;
import io.tern.codec.Frames;
import io.tern.codec.MessageReader;
import io.tern.codec.Opcode;
import io.tern.codec.ReaderRun;
import io.tern.codec.ReaderSettings;
import io.tern.codec.Role;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The examples of RFC 7692 §7.2.3, byte for byte, through a MessageReader of either role, in every
 * Feeding and both delivery modes; and Tern's own output for the same message.
 */
class PmdRfcExamplesTest {

    private static final ZStreamPool POOL = new ZStreamPool();
    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

    @AfterAll
    static void closePool() {
        POOL.close();
    }

    /** One frame of an example: first header byte and (unmasked) payload. */
    private record Frame(int b0, String payloadHex) {
    }

    /** The RFC examples: frames as a server sends them, and the messages they carry. */
    static Stream<Arguments> examples() {
        return Stream.of(
                // §7.2.3.1 A message compressed using one compressed DEFLATE block
                Arguments.of("7.2.3.1 one block", List.of(new Frame(0xC1, "f2 48 cd c9 c9 07 00")),
                        List.of("TEXT:Hello")),
                // §7.2.3.1 the same, fragmented; RSV1 only on the first frame
                Arguments.of("7.2.3.1 fragmented", List.of(new Frame(0x41, "f2 48 cd"), new Frame(0x80, "c9 c9 07 00")),
                        List.of("TEXT:Hello")),
                // §7.2.3.2 sharing the LZ77 sliding window
                Arguments.of("7.2.3.2 shared window",
                        List.of(new Frame(0xC1, "f2 48 cd c9 c9 07 00"), new Frame(0xC1, "f2 00 11 00 00")),
                        List.of("TEXT:Hello", "TEXT:Hello")),
                // §7.2.3.3 DEFLATE block with no compression
                Arguments.of("7.2.3.3 stored block", List.of(new Frame(0xC1, "00 05 00 fa ff 48 65 6c 6c 6f 00")),
                        List.of("TEXT:Hello")),
                // §7.2.3.4 DEFLATE block with BFINAL set to 1; the next message starts a new stream
                Arguments.of("7.2.3.4 BFINAL",
                        List.of(new Frame(0xC1, "f3 48 cd c9 c9 07 00 00"), new Frame(0xC1, "f2 48 cd c9 c9 07 00")),
                        List.of("TEXT:Hello", "TEXT:Hello")),
                // §7.2.3.5 two DEFLATE blocks in one message
                Arguments.of("7.2.3.5 two blocks", List.of(new Frame(0xC1, "f2 48 05 00 00 00 ff ff ca c9 c9 07 00")),
                        List.of("TEXT:Hello")),
                // The one-block example as a binary message.
                Arguments.of("binary", List.of(new Frame(0xC2, "f2 48 cd c9 c9 07 00")),
                        List.of("BINARY:48656c6c6f")));
    }

    static Stream<Arguments> examplesEverywhere() {
        List<Arguments> out = new ArrayList<>();
        examples().forEach(e -> {
            for (Feeding f : Feeding.values()) {
                for (Role reader : Role.values()) {
                    for (ReaderSettings.Delivery d : ReaderSettings.Delivery.values()) {
                        Object[] a = e.get();
                        out.add(Arguments.of(a[0], a[1], a[2], f, reader, d));
                    }
                }
            }
        });
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {3} {4} {5}")
    @MethodSource("examplesEverywhere")
    void decodesExample(String name, List<Frame> frames, List<String> expected, Feeding feeding, Role readerRole,
                        ReaderSettings.Delivery delivery) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        int key = 0x37FA213D;
        for (Frame f : frames) {
            byte[] payload = Bytes.hex(f.payloadHex());
            // A client reads what a server sends (unmasked); a server reads the masked equivalent.
            wire.writeBytes(readerRole == Role.CLIENT ? Frames.unmasked(f.b0(), payload)
                    : Frames.masked(f.b0(), payload, key));
            key = Integer.rotateLeft(key, 7) ^ 0x5A;
        }
        ReaderRun run = PmdSupport.read(readerRole, params(false, false, 15, 15), POOL,
                PmdSupport.settings(delivery), wire.toByteArray(), feeding);
        assertEquals(expected, run.outcome());
        assertEquals(MessageReader.NEED_MORE, run.status);
        assertEquals(wire.size(), run.consumed);
    }

    @Test
    void unmaskedExampleBytesAreAsInTheRfc() {
        assertEquals("c107f248cdc9c90700", Bytes.hex(Frames.unmasked(0xC1, Bytes.hex("f248cdc9c90700"))));
        assertEquals("4103f248cd", Bytes.hex(Frames.unmasked(0x41, Bytes.hex("f248cd"))));
        assertEquals("8004c9c90700", Bytes.hex(Frames.unmasked(0x80, Bytes.hex("c9c90700"))));
        assertEquals("c10b0005 00faff48656c6c6f00".replace(" ", ""),
                Bytes.hex(Frames.unmasked(0xC1, Bytes.hex("00 05 00 fa ff 48 65 6c 6c 6f 00"))));
    }

    /** The examples inflate to "Hello" with java.util.zip as well: the fixtures themselves are right. */
    @Test
    void examplesAreValidDeflate() throws Exception {
        assertArrayEquals(HELLO, PmdSupport.inflateAlone(Bytes.hex("f2 48 cd c9 c9 07 00")));
        assertArrayEquals(HELLO, PmdSupport.inflateAlone(Bytes.hex("00 05 00 fa ff 48 65 6c 6c 6f 00")));
        assertArrayEquals(HELLO, PmdSupport.inflateAlone(Bytes.hex("f2 48 05 00 00 00 ff ff ca c9 c9 07 00")));
        Inflater shared = new Inflater(true);
        try {
            assertArrayEquals(HELLO, PmdSupport.inflate(shared, Bytes.hex("f2 48 cd c9 c9 07 00")));
            assertArrayEquals(HELLO, PmdSupport.inflate(shared, Bytes.hex("f2 00 11 00 00")));
        } finally {
            shared.end();
        }
    }

    /** The second message of §7.2.3.2 refers to the first: alone it must fail, not decode. */
    @Test
    void sharedWindowMessageWithoutItsContextIsCorrupt() {
        for (Role readerRole : Role.values()) {
            byte[] frame = readerRole == Role.CLIENT ? Frames.unmasked(0xC1, Bytes.hex("f2 00 11 00 00"))
                    : Frames.masked(0xC1, Bytes.hex("f2 00 11 00 00"), 0x01020304);
            ReaderRun run = PmdSupport.read(readerRole, params(false, false, 15, 15), POOL,
                    ReaderSettings.defaults(), frame, Feeding.WHOLE_HEAP);
            assertEquals(List.of("FAIL:1007"), run.outcome(), readerRole.toString());
        }
    }

    /**
     * With server_no_context_takeover the client resets its decompressor after each message (it is
     * borrowed per message), so the §7.2.3.2 second message is corrupt there too.
     */
    @Test
    void sharedWindowMessageFailsWhenTheServerPromisedNoContextTakeover() {
        byte[] wire = Bytes.concat(Frames.unmasked(0xC1, Bytes.hex("f2 48 cd c9 c9 07 00")),
                Frames.unmasked(0xC1, Bytes.hex("f2 00 11 00 00")));
        ReaderRun run = PmdSupport.read(Role.CLIENT, params(true, false, 15, 15), POOL, ReaderSettings.defaults(),
                wire, Feeding.WHOLE_HEAP);
        assertEquals(List.of("TEXT:Hello", "FAIL:1007"), run.outcome());
    }

    // ---------------------------------------------------------------------------------------------
    // Tern's own encoder for the same message

    @ParameterizedTest(name = "window bits {0}")
    @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
    void ternCompressesHello(int bits) throws Exception {
        PmdSupport.Sender server = new PmdSupport.Sender(params(false, false, bits, 15), Role.SERVER,
                DeflateOptions.defaults(), POOL);
        assertEquals(bits, server.deflater.windowBits());
        PmdSupport.Sent first = server.send(Opcode.TEXT, HELLO, 0);
        PmdSupport.Sent second = server.send(Opcode.TEXT, HELLO, 0);
        byte[] c1 = first.joined();
        byte[] c2 = second.joined();
        // Tern's output for a lone "Hello" is the RFC's own example, at every window size.
        assertEquals("f248cdc9c90700", Bytes.hex(c1));
        for (byte[] c : List.of(c1, c2)) {
            assertFalse(endsWithTail(c), () -> "tail not removed: " + Bytes.hex(c));
            assertTrue(c.length > 0);
        }
        assertArrayEquals(HELLO, PmdSupport.inflateAlone(c1));
        Inflater shared = new Inflater(true);
        try {
            assertArrayEquals(HELLO, PmdSupport.inflate(shared, c1));
            assertArrayEquals(HELLO, PmdSupport.inflate(shared, c2));
        } finally {
            shared.end();
        }
        // With context takeover the repeat refers back to the first message and is smaller.
        assertTrue(c2.length < c1.length, () -> Bytes.hex(c1) + " then " + Bytes.hex(c2));
        // The frames: FIN + RSV1 + text, unmasked, the compressed payload as it is.
        byte[] wire = server.wire();
        assertEquals(Bytes.hex(Bytes.concat(Frames.unmasked(0xC1, c1), Frames.unmasked(0xC1, c2))), Bytes.hex(wire));
        for (Feeding f : Feeding.values()) {
            ReaderRun run = PmdSupport.read(Role.CLIENT, params(false, false, bits, 15), POOL,
                    ReaderSettings.defaults(), wire, f);
            assertEquals(List.of("TEXT:Hello", "TEXT:Hello"), run.outcome(), f.toString());
        }
        server.deflater.release();
    }

    /** The 15-bit window goes through java.util.zip at the configured level: every level is fine. */
    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9})
    void ternCompressesHelloAtEveryLevel(int level) throws Exception {
        // A pool of its own: a stream reused from another level is PmdNativeMemoryTest's business.
        ZStreamPool own = new ZStreamPool();
        PmdSupport.Sender server = new PmdSupport.Sender(params(false, false, 15, 15), Role.SERVER,
                DeflateOptions.defaults().withCompressionLevel(level), own);
        byte[] c1 = server.send(Opcode.TEXT, HELLO, 0).joined();
        byte[] c2 = server.send(Opcode.BINARY, HELLO, 0).joined();
        server.deflater.release();
        assertFalse(endsWithTail(c1), Bytes.hex(c1));
        assertFalse(endsWithTail(c2), Bytes.hex(c2));
        assertArrayEquals(HELLO, PmdSupport.inflateAlone(c1));
        Inflater shared = new Inflater(true);
        try {
            assertArrayEquals(HELLO, PmdSupport.inflate(shared, c1));
            assertArrayEquals(HELLO, PmdSupport.inflate(shared, c2));
        } finally {
            shared.end();
        }
        ReaderRun run = PmdSupport.read(Role.CLIENT, params(false, false, 15, 15), POOL, ReaderSettings.defaults(),
                server.wire(), Feeding.RANDOM_SPLITS_SEED_3);
        assertEquals(List.of("TEXT:Hello", "BINARY:48656c6c6f"), run.outcome());
        own.close();
    }

    @ParameterizedTest(name = "window bits {0}")
    @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
    void ternWithoutContextTakeoverRepeatsItself(int bits) throws Exception {
        PmdSupport.Sender server = new PmdSupport.Sender(params(true, false, bits, 15), Role.SERVER,
                DeflateOptions.defaults(), POOL);
        byte[] c1 = server.send(Opcode.TEXT, HELLO, 0).joined();
        byte[] c2 = server.send(Opcode.TEXT, HELLO, 0).joined();
        assertEquals(Bytes.hex(c1), Bytes.hex(c2));
        assertArrayEquals(HELLO, PmdSupport.inflateAlone(c2));
        assertFalse(server.deflater.holdsStream(), "a no-context-takeover deflater keeps nothing between messages");
    }

    /** Tern's fragmented "Hello": RSV1 on the first frame only, each fragment decodable as it comes. */
    @ParameterizedTest(name = "window bits {0}")
    @ValueSource(ints = {8, 12, 15})
    void ternFragmentsHello(int bits) throws Exception {
        PerMessageDeflater d = new PerMessageDeflater(params(false, false, bits, 15), Role.SERVER,
                DeflateOptions.defaults(), POOL);
        ByteBuffer f1 = d.compress(ByteBuffer.wrap(HELLO, 0, 3), false, BufferPool.unpooled());
        ByteBuffer f2 = d.compress(ByteBuffer.wrap(HELLO, 3, 2), true, BufferPool.unpooled());
        byte[] p1 = Bytes.remaining(f1);
        byte[] p2 = Bytes.remaining(f2);
        // A non-final fragment keeps its sync flush, so the peer can inflate it at once.
        assertTrue(endsWithTail(p1), Bytes.hex(p1));
        assertFalse(endsWithTail(p2), Bytes.hex(p2));
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(p1);
            byte[] out = new byte[16];
            assertEquals(3, inf.inflate(out));
            assertEquals("Hel", new String(out, 0, 3, StandardCharsets.US_ASCII));
        } finally {
            inf.end();
        }
        assertArrayEquals(HELLO, PmdSupport.inflateAlone(Bytes.concat(p1, p2)));
        byte[] wire = Bytes.concat(Frames.unmasked(0x41, p1), Frames.unmasked(0x80, p2));
        for (Feeding f : Feeding.values()) {
            for (ReaderSettings.Delivery delivery : ReaderSettings.Delivery.values()) {
                ReaderRun run = PmdSupport.read(Role.CLIENT, params(false, false, bits, 15), POOL,
                        PmdSupport.settings(delivery), wire, f);
                assertEquals(List.of("TEXT:Hello"), run.outcome(), f + " " + delivery);
            }
        }
        d.release();
    }

    private static boolean endsWithTail(byte[] c) {
        return c.length >= 4 && Arrays.equals(Arrays.copyOfRange(c, c.length - 4, c.length), PmdSupport.TAIL);
    }
}
