package io.tern.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameEncoderTest {

    private static final MaskKeySource RFC_KEY = () -> 0x37fa213d;

    private static String encode(FrameEncoder encoder, byte[] payload, boolean fin, int rsv, int opcode) {
        ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_SIZE);
        ByteBuffer body = ByteBuffer.wrap(payload.clone());
        encoder.encode(header, body, fin, rsv, opcode);
        assertEquals(FrameEncoder.headerSize(payload.length, encoder.masks()), header.position());
        return Bytes.hex(Bytes.concat(Bytes.remaining(header.flip()), Bytes.remaining(body)));
    }

    @Test
    void rfc6455Section57Examples() {
        FrameEncoder server = new FrameEncoder(Role.SERVER, null);
        FrameEncoder client = new FrameEncoder(Role.CLIENT, RFC_KEY);
        byte[] hello = Bytes.utf8("Hello");
        assertEquals("810548656c6c6f", encode(server, hello, true, 0, Opcode.TEXT));
        assertEquals("818537fa213d7f9f4d5158", encode(client, hello, true, 0, Opcode.TEXT));
        assertEquals("010348656c", encode(server, Bytes.utf8("Hel"), false, 0, Opcode.TEXT));
        assertEquals("80026c6f", encode(server, Bytes.utf8("lo"), true, 0, Opcode.CONTINUATION));
        assertEquals("890548656c6c6f", encode(server, hello, true, 0, Opcode.PING));
        assertEquals("8a8537fa213d7f9f4d5158", encode(client, hello, true, 0, Opcode.PONG));
        byte[] p256 = Bytes.pattern(256, 5);
        assertEquals("827e0100" + Bytes.hex(p256), encode(server, p256, true, 0, Opcode.BINARY));
        byte[] p64k = Bytes.pattern(65536, 6);
        assertEquals("827f0000000000010000" + Bytes.hex(p64k), encode(server, p64k, true, 0, Opcode.BINARY));
    }

    @Test
    void lengthsUseTheMinimalFormAndRoundTripThroughTheDecoder() {
        FrameEncoder client = new FrameEncoder(Role.CLIENT, MaskKeySource.secure());
        for (int n : new int[] {0, 1, 125, 126, 65535, 65536, 100_000}) {
            byte[] payload = Bytes.pattern(n, n);
            ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_SIZE);
            ByteBuffer body = ByteBuffer.wrap(payload.clone());
            client.encode(header, body, true, Rsv.NONE, Opcode.BINARY);
            int expectedHeader = n < 126 ? 6 : n <= 65535 ? 8 : 14;
            assertEquals(expectedHeader, header.position(), "n=" + n);
            byte[] wire = Bytes.concat(Bytes.remaining(header.flip()), Bytes.remaining(body));
            for (Feeding f : List.of(Feeding.WHOLE_DIRECT, Feeding.RANDOM_SPLITS_SEED_3)) {
                assertEquals(List.of("BINARY:" + Bytes.hex(payload)), ReaderRun.server(wire, f).outcome());
            }
        }
    }

    @Test
    void rsvBitsGoIntoTheFirstByte() {
        FrameEncoder server = new FrameEncoder(Role.SERVER, null);
        assertEquals("c100", encode(server, new byte[0], true, Rsv.RSV1, Opcode.TEXT));
        assertEquals("b200", encode(server, new byte[0], true, Rsv.RSV2 | Rsv.RSV3, Opcode.BINARY));
    }

    @Test
    void secureKeysDifferFromFrameToFrame() {
        MaskKeySource keys = MaskKeySource.secure();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < 2000; i++) {
            seen.add(keys.nextMaskKey());
        }
        // 2000 draws from 2^32 values: a repeat is possible but a handful would mean a broken batch.
        assertEquals(true, seen.size() > 1990, "distinct keys: " + seen.size());
    }

    @Test
    void programmingErrorsThrow() {
        FrameEncoder server = new FrameEncoder(Role.SERVER, null);
        ByteBuffer h = ByteBuffer.allocate(14);
        assertThrows(IllegalArgumentException.class, () -> server.writeHeader(h, true, 0, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> server.writeHeader(h, false, 0, Opcode.PING, 0));
        assertThrows(IllegalArgumentException.class, () -> server.writeHeader(h, true, 0, Opcode.PING, 126));
        assertThrows(IllegalArgumentException.class, () -> server.writeHeader(h, true, 0x80, Opcode.TEXT, 0));
        assertThrows(IllegalArgumentException.class, () -> server.writeHeader(h, true, 0, Opcode.TEXT, -1));
        assertThrows(IllegalArgumentException.class, () -> new FrameEncoder(Role.CLIENT, null));
    }
}
