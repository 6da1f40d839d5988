package io.tern.codec.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** Test helpers that drive the encoder and the reference decoders. */
final class Codec {

    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private Codec() {
    }

    /** How input is cut into pieces for {@link WindowedDeflater#setInput(ByteBuffer)}. */
    enum Feed { WHOLE, BYTEWISE, RANDOM_SPLIT }

    /**
     * Compresses one message and sync-flushes it; the result ends with 00 00 FF FF.
     *
     * @param outSize capacity of the output buffer used per call
     * @param direct whether input and output buffers are direct
     */
    static byte[] message(WindowedDeflater d, byte[] data, Feed feed, int outSize, boolean direct, long seed) {
        Random r = new Random(seed);
        ByteBuffer out = direct ? ByteBuffer.allocateDirect(outSize) : ByteBuffer.allocate(outSize);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        int off = 0;
        while (off < data.length) {
            int n;
            switch (feed) {
                case WHOLE:
                    n = data.length;
                    break;
                case BYTEWISE:
                    n = 1;
                    break;
                default:
                    n = 1 + r.nextInt(Math.max(1, Math.min(data.length - off, r.nextBoolean() ? 300 : 70000)));
                    break;
            }
            n = Math.min(n, data.length - off);
            ByteBuffer in;
            if (direct) {
                in = ByteBuffer.allocateDirect(n);
                in.put(data, off, n).flip();
            } else {
                // A slice of a larger array with a non-zero position, to catch offset mistakes.
                in = ByteBuffer.wrap(data, off, n);
            }
            d.setInput(in);
            int guard = 0;
            while (!d.needsInput()) {
                int w = d.deflate(out);
                assertTrue(w >= 0);
                drain(out, sink);
                assertTrue(++guard < 50_000_000, "no progress");
            }
            assertEquals(off + n, in.position() + (direct ? off : 0), "input fully consumed");
            off += n;
            // Occasionally call deflate with nothing new, which must be harmless.
            if (r.nextInt(4) == 0) {
                d.deflate(out);
                drain(out, sink);
            }
        }
        int guard = 0;
        while (!d.flush(out)) {
            drain(out, sink);
            assertTrue(++guard < 50_000_000, "flush makes no progress");
        }
        drain(out, sink);
        byte[] result = sink.toByteArray();
        assertTrue(endsWithTail(result), "message ends with 00 00 ff ff");
        return result;
    }

    /** Compresses with whole input and a roomy output buffer. */
    static byte[] message(WindowedDeflater d, byte[] data) {
        return message(d, data, Feed.WHOLE, 1 << 16, false, 1);
    }

    private static void drain(ByteBuffer out, ByteArrayOutputStream sink) {
        out.flip();
        byte[] tmp = new byte[out.remaining()];
        out.get(tmp);
        sink.write(tmp, 0, tmp.length);
        out.clear();
    }

    static boolean endsWithTail(byte[] b) {
        if (b.length < 4) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (b[b.length - 4 + i] != TAIL[i]) {
                return false;
            }
        }
        return true;
    }

    /** Inflates with java.util.zip (raw, 32 KiB window), keeping state in the given inflater. */
    static byte[] jdkInflate(Inflater inf, byte[] compressed) throws DataFormatException {
        inf.setInput(compressed);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (true) {
            int n = inf.inflate(buf);
            sink.write(buf, 0, n);
            if (n == 0) {
                if (inf.needsInput() || inf.finished()) {
                    break;
                }
                if (inf.needsDictionary()) {
                    throw new DataFormatException("dictionary");
                }
            }
        }
        assertEquals(0, inf.getRemaining(), "Inflater consumed everything");
        return sink.toByteArray();
    }

    static byte[] jdkInflate(byte[] compressed) throws DataFormatException {
        Inflater inf = new Inflater(true);
        try {
            return jdkInflate(inf, compressed);
        } finally {
            inf.end();
        }
    }

    /**
     * Checks one compressed message against the original with both decoders, including the maximum
     * distance; returns the strict decoder for further checks.
     */
    static StrictInflater verify(byte[] original, byte[] compressed, int windowBits) throws DataFormatException {
        assertArrayEquals(original, jdkInflate(compressed), "java.util.zip.Inflater round trip");
        StrictInflater strict = new StrictInflater();
        assertArrayEquals(original, strict.inflate(compressed), "StrictInflater round trip");
        assertTrue(strict.maxDistance() <= (1 << windowBits),
                "max distance " + strict.maxDistance() + " exceeds 2^" + windowBits);
        return strict;
    }

    /** Compresses with java.util.zip.Deflater in raw mode, sync-flushing once at the end. */
    static byte[] jdkDeflate(byte[] data, int level, int strategy, int flushMode) {
        Deflater def = new Deflater(level, true);
        try {
            byte[] buf = new byte[8192];
            if (strategy != Deflater.DEFAULT_STRATEGY) {
                // A parameter change is applied by the next deflate call, which then returns early;
                // let it happen before any input is given.
                def.setStrategy(strategy);
                if (def.deflate(buf, 0, buf.length, Deflater.NO_FLUSH) != 0) {
                    throw new AssertionError("unexpected output");
                }
            }
            def.setInput(data);
            if (flushMode == Deflater.FULL_FLUSH + 100) {
                def.finish();
            }
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            if (flushMode == Deflater.FULL_FLUSH + 100) {
                while (!def.finished()) {
                    int n = def.deflate(buf);
                    sink.write(buf, 0, n);
                }
            } else {
                while (true) {
                    int n = def.deflate(buf, 0, buf.length, flushMode);
                    sink.write(buf, 0, n);
                    if (n < buf.length) {
                        break;
                    }
                }
            }
            return sink.toByteArray();
        } finally {
            def.end();
        }
    }

    /** Flush mode value meaning "finish the stream" for {@link #jdkDeflate}. */
    static final int FINISH = Deflater.FULL_FLUSH + 100;
}
