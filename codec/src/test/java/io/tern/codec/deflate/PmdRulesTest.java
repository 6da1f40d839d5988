package io.tern.codec.deflate;

import static io.tern.codec.deflate.PmdSupport.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.Bytes;
import io.tern.codec.Feeding;
import io.tern.codec.Frames;
import io.tern.codec.MessageReader;
import io.tern.codec.Opcode;
import io.tern.codec.ReaderRun;
import io.tern.codec.ReaderSettings;
import io.tern.codec.Role;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The frame rules permessage-deflate adds (RFC 7692 §6, §6.1, §7.2.2) as a MessageReader enforces
 * them, in every Feeding, both roles and both delivery modes.
 */
class PmdRulesTest {

    private static final ZStreamPool POOL = new ZStreamPool();
    private static final DeflateParameters TAKEOVER = params(false, false, 15, 15);
    private static final String HELLO_RFC = "f2 48 cd c9 c9 07 00";

    @AfterAll
    static void closePool() {
        POOL.close();
    }

    /** Every Feeding × reader role × delivery. */
    static Stream<Arguments> everywhere() {
        List<Arguments> out = new ArrayList<>();
        for (Feeding f : Feeding.values()) {
            for (Role r : Role.values()) {
                for (ReaderSettings.Delivery d : ReaderSettings.Delivery.values()) {
                    out.add(Arguments.of(f, r, d));
                }
            }
        }
        return out.stream();
    }

    /** Frames as the reader's peer sends them: unmasked to a client, masked to a server. */
    private static final class Wire {
        private final Role readerRole;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int key = 0x1234ABCD;

        Wire(Role readerRole) {
            this.readerRole = readerRole;
        }

        Wire frame(int b0, byte[] payload) {
            key = Integer.rotateLeft(key, 5) + 0x3F;
            out.writeBytes(readerRole == Role.CLIENT ? Frames.unmasked(b0, payload) : Frames.masked(b0, payload, key));
            return this;
        }

        Wire frame(int b0, String hex) {
            return frame(b0, Bytes.hex(hex));
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private static ReaderRun run(Role readerRole, ReaderSettings.Delivery delivery, Wire wire, Feeding feeding) {
        return PmdSupport.read(readerRole, TAKEOVER, POOL, PmdSupport.settings(delivery), wire.bytes(), feeding);
    }

    // ---------------------------------------------------------------------------------------------
    // RSV1 placement

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everywhere")
    void rsv1OnContinuationFails1002(Feeding f, Role r, ReaderSettings.Delivery d) {
        Wire compressedFirst = new Wire(r).frame(0x41, "f2 48 cd").frame(0xC0, "c9 c9 07 00");
        ReaderRun a = run(r, d, compressedFirst, f);
        assertEquals(List.of("FAIL:1002"), a.outcome());
        assertEquals(MessageReader.FAILED, a.status);
        // RSV1 on the continuation of an uncompressed message.
        Wire plainFirst = new Wire(r).frame(0x01, "48 65").frame(0xC0, "6c 6c 6f");
        assertEquals(List.of("FAIL:1002"), run(r, d, plainFirst, f).outcome());
        // Fail fast: nothing after the offending header is consumed.
        int headerEnd = (r == Role.CLIENT ? 2 + 3 : 6 + 3) + (r == Role.CLIENT ? 2 : 6);
        assertTrue(a.consumed <= headerEnd, "consumed " + a.consumed);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everywhere")
    void rsv1OnControlFrameFails1002(Feeding f, Role r, ReaderSettings.Delivery d) {
        assertEquals(List.of("FAIL:1002"), run(r, d, new Wire(r).frame(0xC9, "01 02"), f).outcome());
        assertEquals(List.of("FAIL:1002"), run(r, d, new Wire(r).frame(0xCA, ""), f).outcome());
        assertEquals(List.of("FAIL:1002"), run(r, d, new Wire(r).frame(0xC8, "03 e8"), f).outcome());
        // Between the fragments of a compressed message.
        Wire between = new Wire(r).frame(0x41, "f2 48 cd").frame(0xC9, "").frame(0x80, "c9 c9 07 00");
        assertEquals(List.of("FAIL:1002"), run(r, d, between, f).outcome());
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everywhere")
    void rsv1WithoutCompressionFails1002(Feeding f, Role r, ReaderSettings.Delivery d) {
        ReaderRun run = new ReaderRun(r, PmdSupport.settings(d)).feed(new Wire(r).frame(0xC1, HELLO_RFC).bytes(), f);
        assertEquals(List.of("FAIL:1002"), run.outcome());
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everywhere")
    void rsv2AndRsv3StayForbidden(Feeding f, Role r, ReaderSettings.Delivery d) {
        assertEquals(List.of("FAIL:1002"), run(r, d, new Wire(r).frame(0xA1, "48 65"), f).outcome());
        assertEquals(List.of("FAIL:1002"), run(r, d, new Wire(r).frame(0x91, "48 65"), f).outcome());
        assertEquals(List.of("FAIL:1002"), run(r, d, new Wire(r).frame(0xE1, HELLO_RFC), f).outcome());
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everywhere")
    void newMessageInsideCompressedFragmentsFails1002(Feeding f, Role r, ReaderSettings.Delivery d) {
        Wire w = new Wire(r).frame(0x41, "f2 48 cd").frame(0xC1, HELLO_RFC);
        assertEquals(List.of("FAIL:1002"), run(r, d, w, f).outcome());
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everywhere")
    void controlFramesBetweenCompressedFragments(Feeding f, Role r, ReaderSettings.Delivery d) {
        Wire w = new Wire(r).frame(0x41, "f2 48 cd").frame(0x89, "61 62 63").frame(0x8A, "")
                .frame(0x80, "c9 c9 07 00");
        assertEquals(List.of("PING:616263", "PONG:", "TEXT:Hello"), run(r, d, w, f).outcome());
    }

    // ---------------------------------------------------------------------------------------------
    // Corrupt data and UTF-8

    static Stream<Arguments> corruptPayloads() {
        List<Arguments> out = new ArrayList<>();
        String[] corrupt = {
            "06",                       // BTYPE 11 (reserved)
            "07 00",                    // BTYPE 11 with BFINAL
            "ff ff ff ff",              // BTYPE 11
            "00 05 00 00 00 48 65 6c 6c 6f", // stored block whose NLEN is not ~LEN
            "f2 00 11 00 00",           // a back-reference with no history before it
            "fc ff ff ff ff ff ff",     // dynamic block with an impossible code-length code
        };
        for (String c : corrupt) {
            for (Role r : Role.values()) {
                for (ReaderSettings.Delivery d : ReaderSettings.Delivery.values()) {
                    out.add(Arguments.of(c, r, d));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("corruptPayloads")
    void corruptDataFails1007(String hex, Role r, ReaderSettings.Delivery d) {
        for (Feeding f : Feeding.values()) {
            ReaderRun text = run(r, d, new Wire(r).frame(0xC1, hex), f);
            assertEquals(List.of("FAIL:1007"), text.outcome(), f.toString());
            assertEquals("compressed data is corrupt", text.reader.failureReason());
            ReaderRun binary = run(r, d, new Wire(r).frame(0xC2, hex), f);
            assertEquals(List.of("FAIL:1007"), binary.outcome(), f.toString());
            // Corruption in the second fragment, after a good first one.
            Wire split = new Wire(r).frame(0x41, "f2 48 cd").frame(0x80, "c9 c9 07 00").frame(0xC1, HELLO_RFC)
                    .frame(0x42, "f2 48 cd c9 c9 07 00").frame(0x80, hex);
            assertEquals(List.of("TEXT:Hello", "TEXT:Hello", "FAIL:1007"), run(r, d, split, f).outcome(),
                    f.toString());
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everywhere")
    void invalidUtf8InsideCompressedTextFails1007(Feeding f, Role r, ReaderSettings.Delivery d) {
        byte[] overlong = PmdSupport.jdkCompress(new byte[] {'H', (byte) 0xC0, (byte) 0x80, 'i'});
        assertEquals(List.of("FAIL:1007"), run(r, d, new Wire(r).frame(0xC1, overlong), f).outcome());
        byte[] surrogate = PmdSupport.jdkCompress(new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80});
        assertEquals(List.of("FAIL:1007"), run(r, d, new Wire(r).frame(0xC1, surrogate), f).outcome());
        // Ends inside a code point: only the end of the message can tell.
        byte[] truncated = PmdSupport.jdkCompress(new byte[] {'a', (byte) 0xE2, (byte) 0x82});
        assertEquals(List.of("FAIL:1007"), run(r, d, new Wire(r).frame(0xC1, truncated), f).outcome());
        // The same bytes as a binary message are fine.
        assertEquals(List.of("BINARY:61e282"), run(r, d, new Wire(r).frame(0xC2, truncated), f).outcome());
    }

    /**
     * An invalid byte early in a compressed text fails with 1007 as it is inflated: the text is
     * 2 MiB, so a check only after inflating would have hit the 1 MiB limit (1009) first.
     */
    @Test
    void invalidUtf8IsFoundEarly() {
        byte[] plain = new byte[2 << 20];
        java.util.Arrays.fill(plain, (byte) 'a');
        plain[10] = (byte) 0xFF;
        byte[] compressed = PmdSupport.jdkCompress(plain);
        for (ReaderSettings.Delivery d : ReaderSettings.Delivery.values()) {
            ReaderRun run = run(Role.CLIENT, d, new Wire(Role.CLIENT).frame(0xC1, compressed), Feeding.WHOLE_HEAP);
            assertEquals(List.of("FAIL:1007"), run.outcome());
            assertEquals("text message is not valid UTF-8", run.reader.failureReason());
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everywhere")
    void validUtf8SplitAcrossCompressedFragments(Feeding f, Role r, ReaderSettings.Delivery d) {
        byte[] text = "€uro 😀 Grüße, 日本".getBytes(StandardCharsets.UTF_8);
        for (int bits : new int[] {9, 15}) {
            DeflateParameters p = params(false, false, bits, bits);
            // One uncompressed byte per fragment: every multi-byte character is cut.
            PmdSupport.Sender sender = new PmdSupport.Sender(p, PmdSupport.peer(r), DeflateOptions.defaults(), POOL);
            sender.send(Opcode.TEXT, text, 1);
            sender.send(Opcode.TEXT, text, 2);
            ReaderRun run = PmdSupport.read(r, p, POOL, PmdSupport.settings(d), sender.wire(), f);
            assertEquals(sender.expectedEvents(), run.outcome(), "bits " + bits);
            sender.deflater.release();
        }
    }

    /** Inflated 16 KiB pieces cut characters; the validator must carry state across them. */
    @Test
    void largeMultiByteTextInflatesAcrossPieces() {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 120_000) {
            sb.append("é€😀日");
        }
        byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
        for (Role r : Role.values()) {
            for (ReaderSettings.Delivery d : ReaderSettings.Delivery.values()) {
                for (Feeding f : new Feeding[] {Feeding.WHOLE_HEAP, Feeding.WHOLE_DIRECT, Feeding.RANDOM_SPLITS_SEED_3}) {
                    ReaderRun run = run(r, d, new Wire(r).frame(0xC1, PmdSupport.jdkCompress(text)), f);
                    assertEquals(List.of("TEXT:" + sb), run.outcome(), r + " " + d + " " + f);
                    if (d == ReaderSettings.Delivery.FRAGMENTS) {
                        assertTrue(run.listener.dataCalls > 2, "delivered in pieces: " + run.listener.dataCalls);
                    } else {
                        assertEquals(1, run.listener.dataCalls);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Uncompressed and empty messages

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everywhere")
    void uncompressedMessagesPassThroughAndKeepTheContext(Feeding f, Role r, ReaderSettings.Delivery d) {
        Wire w = new Wire(r)
                .frame(0xC1, HELLO_RFC)
                .frame(0x81, Bytes.utf8("plain"))
                .frame(0x02, "f2 48").frame(0x80, "cd")            // uncompressed binary, fragmented
                .frame(0xC1, "f2 00 11 00 00")                      // refers back to the first message
                .frame(0x82, "");
        assertEquals(List.of("TEXT:Hello", "TEXT:plain", "BINARY:f248cd", "TEXT:Hello", "BINARY:"),
                run(r, d, w, f).outcome());
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everywhere")
    void emptyCompressedMessages(Feeding f, Role r, ReaderSettings.Delivery d) {
        assertEquals(List.of("TEXT:"), run(r, d, new Wire(r).frame(0xC1, "00"), f).outcome());
        assertEquals(List.of("BINARY:"), run(r, d, new Wire(r).frame(0xC2, "00"), f).outcome());
        assertEquals(List.of("TEXT:"), run(r, d, new Wire(r).frame(0xC1, ""), f).outcome());
        assertEquals(List.of("BINARY:"), run(r, d, new Wire(r).frame(0xC2, ""), f).outcome());
        // Fragmented into empty frames.
        assertEquals(List.of("TEXT:"), run(r, d, new Wire(r).frame(0x41, "").frame(0x80, "00"), f).outcome());
        // "00" keeps the context: the next message may refer back past it.
        Wire w = new Wire(r).frame(0xC1, HELLO_RFC).frame(0xC1, "00").frame(0xC1, "f2 00 11 00 00");
        assertEquals(List.of("TEXT:Hello", "TEXT:", "TEXT:Hello"), run(r, d, w, f).outcome());
    }

    /**
     * A zero-length RSV1 payload is delivered as an empty message; it must not leave the
     * decompressor inside a half-read stored block, or the next, valid message is misread.
     */
    @Test
    void zeroLengthCompressedMessageDoesNotBreakTheNextOne() {
        // Wrong outcomes, each with how many of the runs produced it.
        java.util.Map<String, Integer> wrong = new java.util.TreeMap<>();
        everywhere().forEach(a -> {
            Feeding f = (Feeding) a.get()[0];
            Role r = (Role) a.get()[1];
            ReaderSettings.Delivery d = (ReaderSettings.Delivery) a.get()[2];
            Wire w = new Wire(r).frame(0xC1, HELLO_RFC).frame(0xC1, "").frame(0xC1, HELLO_RFC);
            List<String> got = run(r, d, w, f).outcome();
            if (!List.of("TEXT:Hello", "TEXT:", "TEXT:Hello").equals(got)) {
                wrong.merge(got.toString(), 1, Integer::sum);
            }
        });
        assertEquals("{}", wrong.toString(), "outcome=runs, of " + everywhere().count() + " runs");
    }

    /** Tern's sender leaves messages below the threshold uncompressed (no RSV1). */
    @Test
    void senderThresholdSendsSmallMessagesUncompressed() {
        DeflateOptions options = DeflateOptions.defaults().withCompressionThreshold(16);
        for (int bits : new int[] {10, 15}) {
            DeflateParameters p = params(false, false, bits, bits);
            PmdSupport.Sender server = new PmdSupport.Sender(p, Role.SERVER, options, POOL);
            byte[] big = PmdSupport.text(500, 3);
            PmdSupport.Sent a = server.send(Opcode.TEXT, big, 0);
            PmdSupport.Sent b = server.send(Opcode.TEXT, Bytes.utf8("small"), 0);
            PmdSupport.Sent c = server.send(Opcode.BINARY, new byte[15], 0);
            PmdSupport.Sent e = server.send(Opcode.TEXT, big, 0);
            assertTrue(a.compressed && !b.compressed && !c.compressed && e.compressed);
            byte[] wire = server.wire();
            int at = 0;
            assertEquals(0xC1, wire[at] & 0xFF);
            at += 4 + a.joined().length;
            assertEquals("8105736d616c6c", Bytes.hex(java.util.Arrays.copyOfRange(wire, at, at + 7)));
            at += 7;
            assertEquals("820f", Bytes.hex(java.util.Arrays.copyOfRange(wire, at, at + 2)));
            at += 2 + 15;
            assertEquals(0xC1, wire[at] & 0xFF);
            for (Feeding f : new Feeding[] {Feeding.WHOLE_HEAP, Feeding.RANDOM_SPLITS_SEED_1}) {
                ReaderRun run = PmdSupport.read(Role.CLIENT, p, POOL, ReaderSettings.defaults(), wire, f);
                assertEquals(server.expectedEvents(), run.outcome());
            }
            server.deflater.release();
        }
    }

    /**
     * An empty message, and a message whose last fragment is empty, compressed by Tern's own
     * sender after an earlier message (context taken over), for every window size.
     */
    @Test
    void senderCompressesEmptyMessagesAndEmptyLastFragments() {
        List<String> failures = new ArrayList<>();
        for (int bits = 8; bits <= 15; bits++) {
            for (boolean noContext : new boolean[] {false, true}) {
                DeflateParameters p = params(noContext, false, bits, 15);
                PerMessageDeflater d = new PerMessageDeflater(p, Role.SERVER, DeflateOptions.defaults(), POOL);
                ByteArrayOutputStream wire = new ByteArrayOutputStream();
                String label = "bits " + bits + (noContext ? " no context takeover" : " context takeover");
                try {
                    wire.writeBytes(frame(0xC1, d.compress(java.nio.ByteBuffer.wrap(Bytes.utf8("Hello")), true, io.tern.codec.BufferPool.unpooled())));
                    wire.writeBytes(frame(0xC1, d.compress(java.nio.ByteBuffer.allocate(0), true, io.tern.codec.BufferPool.unpooled())));
                    wire.writeBytes(frame(0x41, d.compress(java.nio.ByteBuffer.wrap(Bytes.utf8("Hel")), false, io.tern.codec.BufferPool.unpooled())));
                    wire.writeBytes(frame(0x00, d.compress(java.nio.ByteBuffer.wrap(Bytes.utf8("lo")), false, io.tern.codec.BufferPool.unpooled())));
                    wire.writeBytes(frame(0x80, d.compress(java.nio.ByteBuffer.allocate(0), true, io.tern.codec.BufferPool.unpooled())));
                    wire.writeBytes(frame(0xC1, d.compress(java.nio.ByteBuffer.allocate(0), true, io.tern.codec.BufferPool.unpooled())));
                } catch (RuntimeException e) {
                    failures.add(label + ": " + e);
                    d.release();
                    continue;
                }
                ReaderRun run = PmdSupport.read(Role.CLIENT, p, POOL, ReaderSettings.defaults(), wire.toByteArray(),
                        Feeding.WHOLE_HEAP);
                if (!List.of("TEXT:Hello", "TEXT:", "TEXT:Hello", "TEXT:").equals(run.outcome())) {
                    failures.add(label + ": " + run.outcome());
                }
                d.release();
            }
        }
        assertEquals(List.of(), failures);
    }

    private static byte[] frame(int b0, java.nio.ByteBuffer payload) {
        return Frames.unmasked(b0, Bytes.remaining(payload));
    }

    /** A listener that pauses the reader at every data delivery; reading resumes until all is consumed. */
    @Test
    void pausingAtEveryDeliveryLosesNothing() {
        for (ReaderSettings.Delivery d : ReaderSettings.Delivery.values()) {
            for (int bits : new int[] {10, 15}) {
                DeflateParameters p = params(false, false, bits, bits);
                PmdSupport.Sender server = new PmdSupport.Sender(p, Role.SERVER, DeflateOptions.defaults(), POOL);
                server.send(Opcode.TEXT, PmdSupport.text(100_000, bits), 0);
                server.send(Opcode.BINARY, PmdSupport.random(40_000, bits), 7_000);
                server.ping(Bytes.utf8("p"));
                server.send(Opcode.TEXT, PmdSupport.text(100_000, bits), 33_333);
                server.deflater.release();
                List<String> expected = new ArrayList<>(server.expectedEvents());
                expected.add(2, "PING:70");
                MessageReader[] holder = new MessageReader[1];
                io.tern.codec.RecordingListener pausing = new io.tern.codec.RecordingListener() {
                    @Override
                    public void onText(java.nio.ByteBuffer utf8, boolean last) {
                        super.onText(utf8, last);
                        holder[0].pause();
                    }

                    @Override
                    public void onBinary(java.nio.ByteBuffer data, boolean last) {
                        super.onBinary(data, last);
                        holder[0].pause();
                    }
                };
                MessageReader reader = new MessageReader(Role.CLIENT, PmdSupport.settings(d), pausing,
                        io.tern.codec.BufferPool.unpooled());
                holder[0] = reader;
                reader.enableCompression(new PerMessageInflater(p, Role.CLIENT, POOL));
                java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(server.wire());
                int pauses = 0;
                for (int guard = 0; in.hasRemaining() && guard < 100_000; guard++) {
                    int status = reader.read(in);
                    if (status == MessageReader.PAUSED) {
                        pauses++;
                    } else {
                        assertEquals(MessageReader.NEED_MORE, status, "failed: " + reader.failureReason());
                    }
                }
                assertEquals(expected, pausing.events, d + " bits " + bits);
                assertTrue(pauses >= 3, "paused " + pauses + " times");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The size limit counts inflated bytes

    /** Every case of {@link #everywhere()} except byte-by-byte feeding of a server (slow, nothing new). */
    static Stream<Arguments> everywhereButSlowest() {
        return everywhere().filter(a -> !(((Feeding) a.get()[0]).name().startsWith("BYTE_BY_BYTE")
                && a.get()[1] == Role.SERVER));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everywhereButSlowest")
    void limitAppliesToInflatedSizeExactly(Feeding f, Role r, ReaderSettings.Delivery d) {
        ReaderSettings settings = PmdSupport.settings(d).withMaxMessageSize(1000);
        byte[] atLimit = new byte[1000];
        java.util.Arrays.fill(atLimit, (byte) 'z');
        byte[] overLimit = new byte[1001];
        java.util.Arrays.fill(overLimit, (byte) 'z');
        PmdSupport.Sender ok = new PmdSupport.Sender(TAKEOVER, PmdSupport.peer(r), DeflateOptions.defaults(), POOL);
        ok.send(Opcode.TEXT, atLimit, 0);
        ok.send(Opcode.TEXT, atLimit, 300);
        ReaderRun good = PmdSupport.read(r, TAKEOVER, POOL, settings, ok.wire(), f);
        assertEquals(ok.expectedEvents(), good.outcome());
        ok.deflater.release();
        for (int fragment : new int[] {0, 300}) {
            PmdSupport.Sender over = new PmdSupport.Sender(TAKEOVER, PmdSupport.peer(r), DeflateOptions.defaults(),
                    POOL);
            over.send(Opcode.TEXT, overLimit, fragment);
            ReaderRun bad = PmdSupport.read(r, TAKEOVER, POOL, settings, over.wire(), f);
            assertEquals(List.of("FAIL:1009"), bad.outcome(), "fragment " + fragment);
            over.deflater.release();
        }
    }
}
