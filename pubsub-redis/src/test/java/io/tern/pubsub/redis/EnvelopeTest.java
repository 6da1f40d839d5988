package io.tern.pubsub.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.PreparedMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The envelope's exact bytes, and every way a decode refuses one. */
class EnvelopeTest {

    private static final byte[] ORIGIN = "ab".getBytes(StandardCharsets.UTF_8);

    @Test
    void encodesTheDocumentedLayout() {
        assertArrayEquals(new byte[] {0x54, 1, 1, 2, 'a', 'b', 'h', 'i'},
                Envelope.encode(Envelope.TOPIC, ORIGIN, 0, PreparedMessage.text("hi")));
        assertArrayEquals(new byte[] {0x54, 1, (byte) 0x82, 2, 'a', 'b', 0, (byte) 0xff},
                Envelope.encode(Envelope.KEY, ORIGIN, 0, PreparedMessage.binary(ByteBuffer.wrap(new byte[] {0, (byte) 0xff}))));
        assertArrayEquals(new byte[] {0x54, 1, 3, 2, 'a', 'b', 0, 0, 0, 0, 0, 0, 1, 2, 'x'},
                Envelope.encode(Envelope.DIRECT, ORIGIN, 258, PreparedMessage.text("x")));
        assertEquals(15, Envelope.size(Envelope.DIRECT, ORIGIN, PreparedMessage.text("x")));
    }

    @Test
    void decodesWhatItEncodes() {
        byte[] in = Envelope.encode(Envelope.DIRECT, ORIGIN, 258, PreparedMessage.text("héllo"));
        List<Envelope.Fault> faults = new ArrayList<>();
        Envelope.Decoded d = Envelope.decode(in, 100, faults::add);
        assertEquals(new Envelope.Decoded(Envelope.DIRECT, false, 4, 2, 258, 14, 6), d);
        assertEquals(List.of(), faults);
        assertTrue(Envelope.isFrom(in, d, ORIGIN));
        assertFalse(Envelope.isFrom(in, d, "ac".getBytes(StandardCharsets.UTF_8)));
        assertEquals("ab", Envelope.origin(in, d));
        PreparedMessage m = Envelope.message(in, d);
        assertTrue(m.isText());
        assertEquals(6, m.payloadLength());
    }

    @Test
    void refusesEachMalformation() {
        byte[] good = Envelope.encode(Envelope.TOPIC, ORIGIN, 0, PreparedMessage.text("hi"));
        assertFault(Envelope.Fault.TOO_SHORT, new byte[] {0x54, 1, 1, 2});
        assertFault(Envelope.Fault.BAD_MAGIC, with(good, 0, 0x55));
        assertFault(Envelope.Fault.UNKNOWN_VERSION, with(good, 1, 2));
        assertFault(Envelope.Fault.UNKNOWN_VERSION, with(good, 1, 0));
        assertFault(Envelope.Fault.UNKNOWN_KIND, with(good, 2, 4));
        assertFault(Envelope.Fault.UNKNOWN_KIND, with(good, 2, 0));
        assertFault(Envelope.Fault.BAD_ORIGIN, with(good, 3, 0));
        assertFault(Envelope.Fault.TOO_SHORT, with(good, 3, 200));
        assertFault(Envelope.Fault.BAD_ORIGIN, with(good, 4, 0xff));
        assertFault(Envelope.Fault.BAD_UTF8, with(good, 7, 0xc0));
        assertFault(Envelope.Fault.TOO_SHORT, new byte[] {0x54, 1, 3, 2, 'a', 'b', 0, 0, 0});
        assertNull(Envelope.decode(good, 1, f -> assertEquals(Envelope.Fault.OVERSIZE, f)));
        byte[] binary = with(good, 2, 0x81);
        binary[7] = (byte) 0xc0; // not UTF-8, and fine as binary
        assertEquals(2, Envelope.decode(binary, 2, f -> {
            throw new AssertionError(f);
        }).payloadLength());
    }

    private static byte[] with(byte[] in, int index, int value) {
        byte[] out = in.clone();
        out[index] = (byte) value;
        return out;
    }

    private static void assertFault(Envelope.Fault expected, byte[] in) {
        List<Envelope.Fault> faults = new ArrayList<>();
        assertNull(Envelope.decode(in, 1000, faults::add));
        assertEquals(List.of(expected), faults);
    }
}
