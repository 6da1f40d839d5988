package io.tern.codec.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tern.codec.deflate.StrictInflater;
import io.tern.codec.deflate.WindowedDeflater;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Differential fuzz target for {@link WindowedDeflater}: fuzzed messages, compressed with a window
 * of 8 to 15 bits, with and without context takeover, fed in fuzzer-chosen pieces into output
 * buffers of fuzzer-chosen size, must inflate with {@link Inflater} to exactly the input, and the
 * independent {@link StrictInflater} (which rejects anything questionable and records every
 * back-reference) must find no distance beyond {@code 2^windowBits}, across messages too when the
 * context is kept.
 *
 * <p>Input layout: see {@link FuzzInput}; the chunk lengths split the body into messages, and the
 * message pieces handed to {@code setInput}. Flags: bits 0-2 window bits minus 8; bit 3 no context
 * takeover; bits 4-5 output buffer size (1, 7, 300 or 65536 bytes); bit 6 direct buffers; bit 7
 * stretch the body (repeat it with small changes to 20 times), so that matches reach the window's
 * edge.
 */
class DeflaterFuzzTest {

    private static final int[] OUT_SIZES = {1, 7, 300, 65536};
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    @FuzzTest(maxDuration = "5m")
    void windowedDeflater(byte[] data) throws DataFormatException {
        FuzzInput in = FuzzInput.parse(data);
        int bits = 8 + (in.flags & 7);
        boolean noContext = in.flag(3);
        int outSize = OUT_SIZES[(in.flags >> 4) & 3];
        boolean direct = in.flag(6);
        byte[] body = in.flag(7) ? stretch(in.body) : in.body;
        List<byte[]> messages = messages(in, body);

        WindowedDeflater deflater = new WindowedDeflater(bits);
        Inflater jdk = new Inflater(true);
        StrictInflater strict = new StrictInflater();
        try {
            for (byte[] message : messages) {
                byte[] z = compress(deflater, message, in, outSize, direct);
                assertTrue(endsWithTail(z), "a flushed message ends with 00 00 ff ff");
                byte[] sent = Arrays.copyOf(z, z.length - 4); // RFC 7692 §7.2.1 strips the tail
                assertArrayEquals(message, jdkInflate(jdk, sent), "java.util.zip.Inflater gives back the input");
                assertArrayEquals(message, strict.inflate(z), "StrictInflater gives back the input");
                assertTrue(strict.maxDistance() <= 1 << bits, "distance " + strict.maxDistance()
                        + " beyond the window of 2^" + bits);
                if (noContext) {
                    deflater.reset();
                    jdk.reset();
                    strict = new StrictInflater();
                }
            }
        } finally {
            jdk.end();
        }
    }

    /** The body cut into messages at the chosen points (every other chunk length), at most 8. */
    static List<byte[]> messages(FuzzInput in, byte[] body) {
        List<byte[]> out = new ArrayList<>();
        if (in.cuts.length < 2) {
            out.add(body);
            return out;
        }
        int at = 0;
        int i = 0;
        while (at < body.length && out.size() < 7) {
            int n = Math.min(body.length - at, in.cuts[i] * in.cuts[(i + 1) % in.cuts.length]);
            out.add(Arrays.copyOfRange(body, at, at + n));
            at += n;
            i = (i + 2) % in.cuts.length;
        }
        out.add(Arrays.copyOfRange(body, at, body.length));
        return out;
    }

    /** The body repeated with a byte changed in each copy: long matches near and past the window. */
    static byte[] stretch(byte[] body) {
        if (body.length == 0) {
            return body;
        }
        int copies = 1 + (body[0] & 0xFF) % 20;
        byte[] out = new byte[body.length * copies];
        for (int c = 0; c < copies; c++) {
            System.arraycopy(body, 0, out, c * body.length, body.length);
            out[c * body.length + (c * 31) % body.length] ^= (byte) c;
        }
        return out;
    }

    static byte[] compress(WindowedDeflater deflater, byte[] message, FuzzInput in, int outSize, boolean direct) {
        ByteBuffer out = direct ? ByteBuffer.allocateDirect(outSize) : ByteBuffer.allocate(outSize);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        int at = 0;
        for (int n : in.lengths(message.length, FuzzInput.Split.CHOSEN)) {
            ByteBuffer piece = FuzzInput.guarded(message, at, n, direct);
            deflater.setInput(piece);
            long guard = 0;
            while (!deflater.needsInput()) {
                assertTrue(deflater.deflate(out) >= 0);
                drain(out, sink);
                assertTrue(++guard < 10_000_000, "deflate makes no progress");
            }
            assertEquals(n, FuzzInput.checkGuarded(piece, n), "the piece was consumed");
            at += n;
        }
        long guard = 0;
        while (!deflater.flush(out)) {
            drain(out, sink);
            assertTrue(++guard < 10_000_000, "flush makes no progress");
        }
        drain(out, sink);
        return sink.toByteArray();
    }

    private static void drain(ByteBuffer out, ByteArrayOutputStream sink) {
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        sink.writeBytes(b);
        out.clear();
    }

    static boolean endsWithTail(byte[] z) {
        return z.length >= 4 && Arrays.equals(z, z.length - 4, z.length, TAIL, 0, 4);
    }

    /** Inflates one message as a permessage-deflate receiver does: the payload, then the tail. */
    static byte[] jdkInflate(Inflater inflater, byte[] payload) throws DataFormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (byte[] input : new byte[][] {payload, TAIL}) {
            inflater.setInput(input);
            while (true) {
                int n = inflater.inflate(buf);
                out.write(buf, 0, n);
                if (n == 0 && (inflater.needsInput() || inflater.finished())) {
                    break;
                }
            }
        }
        assertEquals(0, inflater.getRemaining(), "Inflater consumed everything");
        assertTrue(!inflater.finished(), "the encoder never ends its stream with a final block");
        return out.toByteArray();
    }
}
