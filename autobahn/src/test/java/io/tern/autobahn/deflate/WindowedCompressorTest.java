package io.tern.autobahn.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.autobahn.deflate.InflateException.Kind;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class WindowedCompressorTest {

    /** Messages with repeats near and far, inside one message and across messages. */
    static byte[][] messages() {
        byte[] block = CheckingInflaterTest.random(21, 3000);
        byte[] farRepeat = new byte[40000];
        for (int i = 0; i < farRepeat.length; i++) {
            farRepeat[i] = block[i % block.length];
        }
        Corpus.Slicer json = Corpus.JSON.slicer();
        return new byte[][] {json.next(100), block, block, new byte[0], farRepeat, json.next(5000), Corpus.PDF.slicer().next(70000),
            new byte[0], Corpus.BITMAP.slicer().next(131072), json.next(16), json.next(16)};
    }

    @Test
    void everyWindowAndContextModeInflatesUnderItsOwnTermsAndWithZlib() throws Exception {
        for (int bits = 8; bits <= 15; bits++) {
            for (boolean noContext : new boolean[] {false, true}) {
                byte[][] msgs = messages();
                Inflater zlib = new Inflater(true);
                try (WindowedCompressor c = new WindowedCompressor(bits, noContext, 6)) {
                    CheckingInflater checker = new CheckingInflater(bits, noContext, 1 << 20);
                    for (int i = 0; i < msgs.length; i++) {
                        String where = "bits " + bits + " noContext " + noContext + " message " + i;
                        byte[] z = c.compress(msgs[i], 0, msgs[i].length);
                        assertTrue(z.length < 4 || !Arrays.equals(Arrays.copyOfRange(z, z.length - 4, z.length),
                                new byte[] {0, 0, (byte) 0xff, (byte) 0xff}) || msgs[i].length == 0, "tail stripped: " + where);
                        assertArrayEquals(msgs[i], checker.inflate(z, 0, z.length), where);
                        if (noContext) {
                            zlib.reset();
                        }
                        assertArrayEquals(msgs[i], zlibInflate(zlib, z), where);
                    }
                } finally {
                    zlib.end();
                }
            }
        }
    }

    @Test
    void theCompressorReallyUsesItsWindowAndContext() throws Exception {
        byte[][] msgs = messages();
        // a 15-bit compressor refers 3000 bytes back: a 9-bit checker refuses it at that distance
        try (WindowedCompressor c = new WindowedCompressor(15, true, 6)) {
            byte[] z = c.compress(msgs[4], 0, msgs[4].length);
            InflateException e = assertThrows(InflateException.class, () -> new CheckingInflater(9, true, 1 << 20).inflate(z, 0, z.length));
            assertEquals(Kind.WINDOW_EXCEEDED, e.kind());
            assertEquals(3000, e.distance());
        }
        // with context takeover the second copy of a block refers into the first message
        try (WindowedCompressor c = new WindowedCompressor(15, false, 6)) {
            byte[] first = c.compress(msgs[1], 0, msgs[1].length);
            byte[] second = c.compress(msgs[2], 0, msgs[2].length);
            assertTrue(second.length < 100, "the repeat costs a few matches: " + second.length);
            CheckingInflater strict = new CheckingInflater(15, true, 1 << 20);
            strict.inflate(first, 0, first.length);
            assertEquals(Kind.CONTEXT_TAKEOVER, assertThrows(InflateException.class, () -> strict.inflate(second, 0, second.length)).kind());
        }
        // below 15 bits context is still taken over, within the window
        try (WindowedCompressor c = new WindowedCompressor(12, false, 6)) {
            byte[] a = CheckingInflaterTest.random(5, 1000);
            c.compress(a, 0, a.length);
            byte[] again = c.compress(a, 0, 500);
            assertTrue(again.length < 50, "refers into the previous message: " + again.length);
        }
    }

    @Test
    void anEmptyMessageIsOneByte() throws Exception {
        try (WindowedCompressor c = new WindowedCompressor(15, false, 6)) {
            assertArrayEquals(new byte[] {0x00}, c.compress(new byte[0], 0, 0), "an empty stored block, tail stripped");
        }
        try (WindowedCompressor c = new WindowedCompressor(9, false, 6)) {
            byte[] a = new byte[512];
            byte[] z = c.compress(a, 0, a.length);
            CheckingInflater inf = new CheckingInflater(9, false, 1 << 20);
            assertArrayEquals(a, inf.inflate(z, 0, z.length));
            byte[] empty = c.compress(new byte[0], 0, 0);
            assertArrayEquals(new byte[] {0x02, 0x00}, empty, "an empty fixed block, then the sync flush's stored block header");
            assertEquals(0, inf.inflate(empty, 0, empty.length).length);
        }
    }

    static byte[] zlibInflate(Inflater inf, byte[] z) throws Exception {
        byte[] in = Arrays.copyOf(z, z.length + 4);
        in[z.length + 2] = (byte) 0xff;
        in[z.length + 3] = (byte) 0xff;
        inf.setInput(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (true) {
            int n = inf.inflate(buf);
            out.write(buf, 0, n);
            if (n == 0 && (inf.needsInput() || inf.finished())) {
                break;
            }
        }
        return out.toByteArray();
    }
}
