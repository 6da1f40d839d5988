package io.tern.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskingTest {

    /** The straightforward definition from RFC 6455 §5.3, one byte at a time. */
    private static byte[] reference(byte[] data, int key, long offset) {
        byte[] out = data.clone();
        for (int i = 0; i < out.length; i++) {
            int keyByte = (int) ((offset + i) & 3);
            out[i] ^= (byte) (key >>> (24 - 8 * keyByte));
        }
        return out;
    }

    @Test
    void rfc6455Section57MaskedHello() {
        // "Hello" masked with 37 fa 21 3d gives 7f 9f 4d 51 58.
        ByteBuffer b = ByteBuffer.wrap(Bytes.utf8("Hello"));
        Masking.apply(b, 0x37fa213d);
        assertEquals("7f9f4d5158", Bytes.hex(b.array()));
        Masking.apply(b, 0x37fa213d);
        assertEquals("Hello", new String(b.array()));
    }

    @Test
    void matchesReferenceAtEveryOffsetLengthAndOrder() {
        Random random = new Random(42);
        for (int length = 0; length <= 40; length++) {
            for (int offset = 0; offset < 8; offset++) {
                for (int start = 0; start < 3; start++) {
                    byte[] data = new byte[length];
                    random.nextBytes(data);
                    int key = random.nextInt();
                    byte[] expected = reference(data, key, offset);
                    for (int kind = 0; kind < 4; kind++) {
                        ByteBuffer b = (kind & 1) == 0 ? ByteBuffer.allocate(start + length + 3)
                                : ByteBuffer.allocateDirect(start + length + 3);
                        b.order((kind & 2) == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                        b.put(start, data, 0, length);
                        b.put(start + length, (byte) 0x5A); // a guard byte that must stay
                        Masking.apply(b, start, start + length, key, offset);
                        byte[] actual = new byte[length];
                        b.get(start, actual);
                        assertArrayEquals(expected, actual,
                                "length=" + length + " offset=" + offset + " start=" + start + " kind=" + kind);
                        assertEquals(0x5A, b.get(start + length));
                    }
                }
            }
        }
    }

    @Test
    void anySplitOfAPayloadEqualsMaskingItWhole() {
        Random random = new Random(7);
        byte[] data = Bytes.pattern(1000, 3);
        int key = 0x12345678;
        byte[] expected = reference(data, key, 0);
        for (int trial = 0; trial < 200; trial++) {
            ByteBuffer b = trial % 2 == 0 ? ByteBuffer.allocate(data.length) : ByteBuffer.allocateDirect(data.length);
            b.put(0, data);
            int at = 0;
            while (at < data.length) {
                int n = Math.min(data.length - at, 1 + random.nextInt(30));
                Masking.apply(b, at, at + n, key, at);
                at += n;
            }
            byte[] actual = new byte[data.length];
            b.get(0, actual);
            assertArrayEquals(expected, actual, "trial " + trial);
        }
    }

    @Test
    void leavesPositionAndLimitAlone() {
        ByteBuffer b = ByteBuffer.allocate(20);
        b.position(3).limit(17);
        Masking.apply(b, 0xdeadbeef);
        assertEquals(3, b.position());
        assertEquals(17, b.limit());
    }
}
