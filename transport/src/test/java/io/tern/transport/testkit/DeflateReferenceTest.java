package io.tern.transport.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The kit's DEFLATE decoder: it inflates what the JDK compresses and the examples of RFC 7692, and
 * rejects, as zlib does, the invalid streams written out bit by bit here (RFC 1951 §3.2).
 */
class DeflateReferenceTest {

    /** Writes DEFLATE bits: header fields least significant bit first, Huffman codes most significant first. */
    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int buffer;
        private int count;

        Bits field(int value, int n) {
            for (int i = 0; i < n; i++) {
                bit((value >>> i) & 1);
            }
            return this;
        }

        Bits code(int code, int length) {
            for (int i = length - 1; i >= 0; i--) {
                bit((code >>> i) & 1);
            }
            return this;
        }

        private void bit(int b) {
            buffer |= b << count++;
            if (count == 8) {
                out.write(buffer);
                buffer = 0;
                count = 0;
            }
        }

        byte[] bytes() {
            if (count > 0) {
                out.write(buffer);
            }
            return out.toByteArray();
        }
    }

    /**
     * A final dynamic block header with 257 literal/length and 1 distance code, whose code-length
     * code gives symbols 0, 1 and 2 lengths 1, 2 and 2 (codes 0, 10, 11); {@code lengths} then sets
     * the 258 code lengths (0, 1 or 2), and the block ends there.
     */
    private static byte[] dynamicBlock(int[] lengths) {
        Bits b = new Bits().field(1, 1).field(2, 2).field(0, 5).field(0, 5).field(18 - 4, 4);
        // code-length code lengths in the order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1
        int[] order = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1};
        for (int sym : order) {
            b.field(sym == 0 ? 1 : sym == 1 || sym == 2 ? 2 : 0, 3);
        }
        for (int len : lengths) {
            b.code(len == 0 ? 0 : len == 1 ? 0b10 : 0b11, len == 0 ? 1 : 2);
        }
        return b.bytes();
    }

    private static void rejects(String what, byte[] payload) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new DeflateReference().inflateMessage(payload), what);
        assertTrue(e.getMessage().contains(what), () -> "expected \"" + what + "\", got: " + e.getMessage());
    }

    @Test
    void inflatesWhatTheJdkCompressesAndTheRfc7692Examples() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int size : new int[] {0, 1, 1000, 70_000}) {
            byte[] data = new byte[size];
            for (int i = 0; i < size; i++) {
                data[i] = (byte) (i % 3 == 0 ? rnd.nextInt(256) : 'a' + i % 5);
            }
            DeflateReference inflater = new DeflateReference();
            assertArrayEquals(data, inflater.inflateMessage(DeflateReference.compressMessage(data)), size + " bytes");
        }
        DeflateReference shared = new DeflateReference();
        byte[] first = {(byte) 0xf2, 0x48, (byte) 0xcd, (byte) 0xc9, (byte) 0xc9, 0x07, 0x00};
        byte[] again = {(byte) 0xf2, 0x00, 0x11, 0x00, 0x01, 0x00};
        assertEquals("Hello", new String(shared.inflateMessage(first), StandardCharsets.US_ASCII));
        assertEquals("Hello", new String(shared.inflateMessage(again), StandardCharsets.US_ASCII), "RFC 7692 §7.2.3.2");
        assertEquals(5, shared.maxDistance());
        shared.resetHistory();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> shared.inflateMessage(again));
        assertTrue(e.getMessage().contains("reaches before the history"), e.getMessage());
    }

    @Test
    void rejectsInvalidStreamsAsZlibDoes() {
        rejects("reserved block type", new byte[] {(byte) 0xff, (byte) 0xff, 0x00});
        rejects("LEN/NLEN", new Bits().field(1, 1).field(0, 2).field(0, 5).field(5, 16).field(5, 16).bytes());
        // code-length code: four symbols of one bit
        rejects("over-subscribed code length code",
                new Bits().field(1, 1).field(2, 2).field(0, 5).field(0, 5).field(0, 4)
                        .field(1, 3).field(1, 3).field(1, 3).field(1, 3).bytes());
        // code-length code: a single code of one bit
        rejects("incomplete code length code",
                new Bits().field(1, 1).field(2, 2).field(0, 5).field(0, 5).field(0, 4)
                        .field(1, 3).field(0, 3).field(0, 3).field(0, 3).bytes());
        int[] lengths = new int[258];
        lengths[0] = 1;
        lengths[256] = 2;
        rejects("incomplete literal/length code", dynamicBlock(lengths));
        lengths = new int[258];
        lengths[0] = 1;
        lengths[1] = 1;
        rejects("no end-of-block code", dynamicBlock(lengths));
        // fixed block: length symbol 257 (code 0000001), distance 1, with nothing before it
        rejects("reaches before the history", new Bits().field(1, 1).field(1, 2).code(1, 7).code(0, 5).bytes());
    }
}
