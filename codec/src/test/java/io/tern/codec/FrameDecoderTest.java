package io.tern.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class FrameDecoderTest {

    /** Records frames as "fin rsv opcode length payloadhex" and checks chunk invariants. */
    static final class FrameRecorder implements FrameListener {
        final List<String> frames = new ArrayList<>();
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        String header;
        ByteBuffer input;

        @Override
        public boolean onFrameHeader(boolean fin, int rsv, int opcode, long length) {
            header = (fin ? "F" : "-") + " " + Integer.toHexString(rsv) + " " + Opcode.name(opcode) + " " + length;
            payload.reset();
            return true;
        }

        @Override
        public boolean onFramePayload(ByteBuffer chunk) {
            assertTrue(chunk.hasRemaining(), "no empty chunks");
            if (input != null) {
                assertTrue(chunk == input, "payload is a window on the input buffer, not a copy");
            }
            payload.writeBytes(Bytes.remaining(chunk));
            chunk.position(chunk.limit()); // moving the position must not confuse the decoder
            return true;
        }

        @Override
        public boolean onFrameEnd() {
            frames.add(header + " " + Bytes.hex(payload.toByteArray()));
            return true;
        }
    }

    /** Result of decoding: frames, then "FAIL code" and consumed byte count if it failed. */
    static List<String> decode(Role role, long maxFrame, int allowedRsv, byte[] input, Feeding feeding) {
        FrameDecoder decoder = new FrameDecoder(role, maxFrame);
        decoder.allowReservedBits(allowedRsv);
        FrameRecorder recorder = new FrameRecorder();
        long consumed = 0;
        for (ByteBuffer chunk : feeding.chunks(input)) {
            recorder.input = chunk;
            int before = chunk.position();
            int status = decoder.decode(chunk, recorder);
            consumed += chunk.position() - before;
            if (status == FrameDecoder.FAILED) {
                recorder.frames.add("FAIL " + decoder.failureCode() + " at " + consumed);
                return recorder.frames;
            }
            assertEquals(FrameDecoder.NEED_MORE, status);
            assertEquals(chunk.limit(), chunk.position(), "all input consumed");
        }
        return recorder.frames;
    }

    static List<String> server(byte[] input, Feeding feeding) {
        return decode(Role.SERVER, 1 << 20, Rsv.NONE, input, feeding);
    }

    static List<String> client(byte[] input, Feeding feeding) {
        return decode(Role.CLIENT, 1 << 20, Rsv.NONE, input, feeding);
    }

    // --- RFC 6455 §5.7 examples --------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void rfcExampleSingleFrameUnmaskedText(Feeding f) {
        assertEquals(List.of("F 0 TEXT 5 48656c6c6f"), client(Bytes.hex("81 05 48 65 6c 6c 6f"), f));
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void rfcExampleSingleFrameMaskedText(Feeding f) {
        assertEquals(List.of("F 0 TEXT 5 48656c6c6f"),
                server(Bytes.hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"), f));
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void rfcExampleFragmentedUnmaskedText(Feeding f) {
        assertEquals(List.of("- 0 TEXT 3 48656c", "F 0 CONTINUATION 2 6c6f"),
                client(Bytes.hex("01 03 48 65 6c 80 02 6c 6f"), f));
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void rfcExamplePingAndMaskedPong(Feeding f) {
        assertEquals(List.of("F 0 PING 5 48656c6c6f"), client(Bytes.hex("89 05 48 65 6c 6c 6f"), f));
        assertEquals(List.of("F 0 PONG 5 48656c6c6f"),
                server(Bytes.hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58"), f));
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void rfcExample256ByteAnd64KiBBinary(Feeding f) {
        byte[] p256 = Bytes.pattern(256, 1);
        byte[] frame256 = Bytes.concat(Bytes.hex("82 7E 01 00"), p256);
        assertEquals(List.of("F 0 BINARY 256 " + Bytes.hex(p256)), client(frame256, f));
        if (f.name().startsWith("BYTE")) {
            return; // the 64 KiB case one byte at a time is covered by the random splits
        }
        byte[] p64k = Bytes.pattern(65536, 2);
        byte[] frame64k = Bytes.concat(Bytes.hex("82 7F 00 00 00 00 00 01 00 00"), p64k);
        assertEquals(List.of("F 0 BINARY 65536 " + Bytes.hex(p64k)), client(frame64k, f));
    }

    // --- Lengths --------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void lengthBoundariesInMinimalForm(Feeding f) {
        for (int n : new int[] {0, 1, 125, 126, 127, 65535, 65536, 65537}) {
            if (n > 2000 && f.name().startsWith("BYTE")) {
                continue;
            }
            byte[] p = Bytes.pattern(n, n);
            assertEquals(List.of("F 0 BINARY " + n + " " + Bytes.hex(p)),
                    server(Frames.masked(0x82, p, 0x01020304), f), "n=" + n);
        }
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void nonMinimalLengthsAre1002AtTheLastLengthByte(Feeding f) {
        // 124 bytes sent with a 16-bit length: fails once the 16-bit length is read (byte 4).
        assertEquals(List.of("FAIL 1002 at 4"), server(Frames.raw(0x82, new byte[124], true, 7, 16), f));
        assertEquals(List.of("FAIL 1002 at 4"), server(Frames.raw(0x82, new byte[0], true, 7, 16), f));
        // 125 as 64-bit, 65535 as 64-bit: fail after 10 bytes.
        assertEquals(List.of("FAIL 1002 at 10"), server(Frames.raw(0x82, new byte[125], true, 7, 64), f));
        assertEquals(List.of("FAIL 1002 at 10"), server(Frames.raw(0x82, new byte[65535], true, 7, 64), f));
        // The smallest lengths of each form are fine.
        assertEquals(1, server(Frames.raw(0x82, new byte[126], true, 7, 16), f).size());
        assertEquals(1, server(Frames.raw(0x82, new byte[65536], true, 7, 64), f).size());
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void sixtyFourBitLengthWithHighBitIs1002(Feeding f) {
        byte[] frame = Bytes.hex("82 FF 80 00 00 00 00 00 00 00 00 00 00 00");
        assertEquals(List.of("FAIL 1002 at 3"), server(frame, f));
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void framesOverTheLimitAre1009AsSoonAsTheLengthIsKnown(Feeding f) {
        byte[] frame = Frames.masked(0x82, new byte[1001], 9);
        assertEquals(List.of("FAIL 1009 at 4"), decode(Role.SERVER, 1000, 0, frame, f));
        byte[] atLimit = Frames.masked(0x82, new byte[1000], 9);
        assertEquals(1, decode(Role.SERVER, 1000, 0, atLimit, f).size());
        // With the smallest limit (125), a 126-byte frame fails after its 16-bit length.
        assertEquals(List.of("FAIL 1009 at 4"), decode(Role.SERVER, 125, 0, Frames.masked(0x82, new byte[126], 9), f));
        assertEquals(List.of("FAIL 1009 at 10"), decode(Role.SERVER, 1 << 20, 0,
                Bytes.hex("82 FF 00 00 00 00 7F FF FF FF"), f));
    }

    // --- Masking rules -------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void serverRefusesUnmaskedAndClientRefusesMasked(Feeding f) {
        assertEquals(List.of("FAIL 1002 at 2"), server(Bytes.hex("81 05 48 65 6c 6c 6f"), f));
        assertEquals(List.of("FAIL 1002 at 2"), client(Bytes.hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"), f));
    }

    // --- Reserved bits and opcodes ---------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void reservedBitsAre1002UnlessAllowed(Feeding f) {
        for (int rsv : new int[] {Rsv.RSV1, Rsv.RSV2, Rsv.RSV3, Rsv.ALL}) {
            byte[] frame = Frames.masked(0x81 | rsv, Bytes.utf8("x"), 5);
            assertEquals(List.of("FAIL 1002 at 1"), server(frame, f), "rsv " + rsv);
            assertEquals(List.of("F " + Integer.toHexString(rsv) + " TEXT 1 78"),
                    decode(Role.SERVER, 1 << 20, rsv, frame, f));
        }
        byte[] rsv2 = Frames.masked(0x81 | Rsv.RSV2, Bytes.utf8("x"), 5);
        assertEquals(List.of("FAIL 1002 at 1"), decode(Role.SERVER, 1 << 20, Rsv.RSV1, rsv2, f),
                "allowing RSV1 does not allow RSV2");
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void reservedOpcodesAre1002(Feeding f) {
        for (int op : new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
            assertEquals(List.of("FAIL 1002 at 1"), server(Frames.masked(0x80 | op, new byte[0], 1), f), "op " + op);
        }
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void controlFramesMustBeFinalAndShort(Feeding f) {
        for (int op : new int[] {Opcode.PING, Opcode.PONG, Opcode.CLOSE}) {
            assertEquals(List.of("FAIL 1002 at 1"), server(Frames.masked(op, new byte[0], 1), f), "fragmented");
            assertEquals(List.of("FAIL 1002 at 2"), server(Frames.masked(0x80 | op, new byte[126], 1), f), "126");
            assertEquals(1, server(Frames.masked(0x80 | op, new byte[125], 1), f).size(), "125 is fine");
        }
    }

    // --- Streams of frames --------------------------------------------------------------------

    static List<Feeding> feedings() {
        return List.of(Feeding.values());
    }

    @ParameterizedTest
    @MethodSource("feedings")
    void manyFramesBackToBackWithEveryHeaderForm(Feeding f) {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        int[] sizes = {0, 3, 125, 126, 300, 65535, 65536, 70000};
        int key = 0x11223344;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] > 1000 && f.name().startsWith("BYTE")) {
                continue;
            }
            byte[] p = Bytes.pattern(sizes[i], i);
            in.writeBytes(Frames.masked(0x82, p, key += 0x01010101));
            expected.add("F 0 BINARY " + sizes[i] + " " + Bytes.hex(p));
            in.writeBytes(Frames.masked(0x89, Bytes.utf8("p" + i), key));
            expected.add("F 0 PING " + (("p" + i).length()) + " " + Bytes.hex(Bytes.utf8("p" + i)));
        }
        assertEquals(expected, server(in.toByteArray(), f));
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void failureIsSticky(Feeding f) {
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, 1000);
        FrameRecorder r = new FrameRecorder();
        assertEquals(FrameDecoder.FAILED, decoder.decode(ByteBuffer.wrap(Bytes.hex("83")), r));
        assertTrue(decoder.hasFailed());
        ByteBuffer more = ByteBuffer.wrap(Frames.masked(0x81, Bytes.utf8("ok"), 1));
        assertEquals(FrameDecoder.FAILED, decoder.decode(more, r));
        assertEquals(0, more.position(), "nothing consumed after failure");
        assertEquals(1002, decoder.failureCode());
        assertEquals("reserved opcode", decoder.failureReason());
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void listenerCanStopAndDecodingResumesWhereItStopped(Feeding f) {
        byte[] input = Bytes.concat(Frames.masked(0x81, Bytes.utf8("one"), 1), Frames.masked(0x81, Bytes.utf8("two"), 2));
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, 1000);
        List<String> seen = new ArrayList<>();
        FrameListener stopAtEveryEnd = new FrameListener() {
            @Override
            public boolean onFrameHeader(boolean fin, int rsv, int opcode, long length) {
                seen.add("H" + length);
                return true;
            }

            @Override
            public boolean onFramePayload(ByteBuffer payload) {
                seen.add("P" + new String(Bytes.remaining(payload)));
                return true;
            }

            @Override
            public boolean onFrameEnd() {
                seen.add("E");
                return false;
            }
        };
        for (ByteBuffer chunk : f.chunks(input)) {
            while (chunk.hasRemaining()) {
                int status = decoder.decode(chunk, stopAtEveryEnd);
                if (status == FrameDecoder.NEED_MORE) {
                    break;
                }
                assertEquals(FrameDecoder.STOPPED, status);
            }
        }
        assertEquals("onetwo", String.join("", seen).replaceAll("H3|E|P", ""));
        assertEquals(2, seen.stream().filter("E"::equals).count());
        assertTrue(decoder.isAtFrameBoundary());
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void emptyFramesGetNoPayloadChunk(Feeding f) {
        assertEquals(List.of("F 0 TEXT 0 ", "F 0 PONG 0 "),
                server(Bytes.concat(Frames.masked(0x81, new byte[0], 3), Frames.masked(0x8A, new byte[0], 4)), f));
    }

    @org.junit.jupiter.api.Test
    void rejectsTooSmallFrameLimit() {
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(Role.SERVER, 124));
    }
}
