package io.tern.transport.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kit's frame bytes against RFC 6455 §5.2 written out by hand, and what {@code rsv} means. */
class FrameTest {

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void rsvIsTheThreeBitValueWithRsv1Highest() throws Exception {
        assertEquals("c100", hex(Frame.encode(true, Frame.RSV1, 0x1, false, new byte[0])), "RSV1 is 0x40 on the wire");
        assertEquals("a100", hex(Frame.encode(true, Frame.RSV2, 0x1, false, new byte[0])));
        assertEquals("9100", hex(Frame.encode(true, Frame.RSV3, 0x1, false, new byte[0])));
        assertEquals("7200", hex(Frame.encode(false, Frame.RSV1 | Frame.RSV2 | Frame.RSV3, 0x2, false, new byte[0])));
        Frame f = Frame.read(new ByteArrayInputStream(new byte[] {(byte) 0xc1, 0x00}));
        assertEquals(Frame.RSV1, f.rsv());
        assertTrue(f.fin());
        assertEquals(0x1, f.opcode());
    }

    @Test
    void masksWithTheFixedKeyAndReadsBackUnmasked() throws Exception {
        byte[] bytes = Frame.clientFrame(0x1, "Hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("8185" + "5a3c96e1" + "1259fa8d35", hex(bytes));
        Frame f = Frame.read(new ByteArrayInputStream(bytes));
        assertTrue(f.masked());
        assertEquals("Hello", f.text());
        assertArrayEquals(bytes, f.encode());
    }

    @Test
    void usesTheShortestLengthEncoding() throws Exception {
        assertEquals("827d", hex(Arrays.copyOf(Frame.encode(true, 0, 0x2, false, new byte[125]), 2)));
        assertEquals("827e007e", hex(Arrays.copyOf(Frame.encode(true, 0, 0x2, false, new byte[126]), 4)));
        assertEquals("827f0000000000010000", hex(Arrays.copyOf(Frame.encode(true, 0, 0x2, false, new byte[65536]), 10)));
        for (int n : new int[] {125, 126, 65535, 65536}) {
            Frame f = Frame.read(new ByteArrayInputStream(Frame.encode(true, 0, 0x2, false, new byte[n])));
            assertEquals(n, f.payload().length);
        }
    }

    @Test
    void endsAtABoundaryAsNullAndInsideAFrameAsEof() throws Exception {
        assertNull(Frame.read(new ByteArrayInputStream(new byte[0])));
        byte[] close = Frame.encode(true, 0, 0x8, false, Frame.closePayload(1001, "bye"));
        assertThrows(EOFException.class,
                () -> Frame.read(new ByteArrayInputStream(Arrays.copyOf(close, close.length - 1))));
        byte[] two = new byte[close.length * 2 - 1];
        System.arraycopy(close, 0, two, 0, close.length);
        System.arraycopy(close, 0, two, close.length, close.length - 1);
        List<Frame> frames = Frame.parseAll(two);
        assertEquals(1, frames.size(), "the truncated second frame is left out");
        assertEquals(1001, frames.get(0).closeCode());
        assertEquals("bye", frames.get(0).closeReason());
    }
}
