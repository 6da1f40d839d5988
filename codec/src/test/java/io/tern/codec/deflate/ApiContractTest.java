package io.tern.codec.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ApiContractTest {

    @Test
    void windowBitsRange() {
        for (int bad : new int[] {Integer.MIN_VALUE, -15, 0, 1, 7, 16, 31}) {
            assertThrows(IllegalArgumentException.class, () -> new WindowedDeflater(bad), "bits " + bad);
        }
        for (int bits = 8; bits <= 15; bits++) {
            assertEquals(bits, new WindowedDeflater(bits).getWindowBits());
        }
    }

    @Test
    void nullArguments() {
        WindowedDeflater d = new WindowedDeflater(9);
        assertThrows(NullPointerException.class, () -> d.setInput(null));
        assertThrows(NullPointerException.class, () -> d.deflate(null));
        assertThrows(NullPointerException.class, () -> d.flush(null));
    }

    @Test
    void needsInputLifecycle() {
        WindowedDeflater d = new WindowedDeflater(9);
        assertTrue(d.needsInput());
        ByteBuffer in = ByteBuffer.wrap(TestData.text(10_000, 1));
        d.setInput(in);
        assertFalse(d.needsInput());
        assertThrows(IllegalStateException.class, () -> d.setInput(ByteBuffer.allocate(1)),
                "previous input still pending");
        ByteBuffer out = ByteBuffer.allocate(100_000);
        d.deflate(out);
        assertTrue(d.needsInput());
        assertEquals(in.limit(), in.position(), "input consumed");
        d.setInput(ByteBuffer.allocate(0)); // fine once consumed
    }

    @Test
    void fullOutputBufferLosesNothing() throws Exception {
        byte[] data = TestData.text(50_000, 3);
        WindowedDeflater d = new WindowedDeflater(12);
        d.setInput(ByteBuffer.wrap(data));
        ByteBuffer none = ByteBuffer.allocate(0);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ByteBuffer out = ByteBuffer.allocate(333);
        int zeroCalls = 0;
        while (!d.needsInput()) {
            assertEquals(0, d.deflate(none));
            zeroCalls++;
            int n = d.deflate(out);
            out.flip();
            assertEquals(n, out.remaining());
            sink.write(out.array(), 0, out.remaining());
            out.clear();
        }
        assertTrue(zeroCalls > 10);
        assertFalse(d.flush(none), "nothing can be written into an empty buffer");
        assertThrows(IllegalStateException.class, () -> d.setInput(ByteBuffer.allocate(1)), "flush in progress");
        while (!d.flush(out)) {
            out.flip();
            sink.write(out.array(), 0, out.remaining());
            out.clear();
        }
        out.flip();
        sink.write(out.array(), 0, out.remaining());
        byte[] z = sink.toByteArray();
        assertArrayEquals(Codec.message(new WindowedDeflater(12), data), z, "same as undisturbed run");
        Codec.verify(data, z, 12);
    }

    @Test
    void outputBufferPositionAndLimitAreRespected() throws Exception {
        byte[] data = TestData.logs(20_000, 2);
        WindowedDeflater d = new WindowedDeflater(11);
        d.setInput(ByteBuffer.wrap(data));
        byte[] backing = new byte[100_000];
        ByteBuffer out = ByteBuffer.wrap(backing);
        out.position(10).limit(99_990);
        ByteBuffer view = out.slice(); // offset into the backing array
        while (!d.needsInput()) {
            d.deflate(view);
        }
        while (!d.flush(view)) {
            throw new AssertionError("large buffer");
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(0, backing[i]);
        }
        byte[] z = java.util.Arrays.copyOfRange(backing, 10, 10 + view.position());
        Codec.verify(data, z, 11);
    }

    @Test
    void resetMidMessageDiscardsItAndForgetsHistory() throws Exception {
        byte[] first = TestData.json(40_000, 8);
        WindowedDeflater d = new WindowedDeflater(15);
        d.setInput(ByteBuffer.wrap(first));
        d.deflate(ByteBuffer.allocate(100)); // leaves work pending in every stage
        d.reset();
        assertTrue(d.needsInput());
        byte[] second = TestData.json(40_000, 8);
        byte[] z = Codec.message(d, second);
        assertArrayEquals(Codec.message(new WindowedDeflater(15), second), z, "as if new");
        assertArrayEquals(second, Codec.jdkInflate(z), "decodes without the abandoned message");
    }

    @Test
    void readOnlyInputIsAccepted() throws Exception {
        byte[] data = TestData.text(5000, 4);
        WindowedDeflater d = new WindowedDeflater(8);
        d.setInput(ByteBuffer.wrap(data).asReadOnlyBuffer());
        ByteBuffer out = ByteBuffer.allocate(10_000);
        while (!d.needsInput()) {
            d.deflate(out);
        }
        assertTrue(d.flush(out));
        out.flip();
        byte[] z = new byte[out.remaining()];
        out.get(z);
        Codec.verify(data, z, 8);
    }

    @Test
    void footprintMatchesTheDocumentedTable() {
        long[] documented = {77_499, 78_011, 81_083, 87_227, 99_515, 124_091, 173_243, 263_355};
        for (int bits = 8; bits <= 15; bits++) {
            assertEquals(documented[bits - 8], WindowedDeflater.footprint(bits), "bits " + bits);
        }
    }
}
