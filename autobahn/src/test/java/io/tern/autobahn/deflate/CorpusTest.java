package io.tern.autobahn.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class CorpusTest {

    @Test
    void sizesKindsAndRatiosFitTheOfficialFiles() throws Exception {
        for (Corpus c : Corpus.values()) {
            byte[] b = c.bytes();
            assertEquals(c.size(), b.length, c.name());
            if (!c.binary() || c == Corpus.GERMAN_TEXT) {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            }
            Deflater d = new Deflater(6, true);
            d.setInput(b);
            d.finish();
            byte[] out = new byte[b.length + 1000];
            int n = d.deflate(out);
            d.end();
            double ratio = (double) n / b.length;
            switch (c) {
                case PDF -> assertTrue(ratio > 0.6, c + " is mostly incompressible: " + ratio);
                case BITMAP -> assertTrue(ratio > 0.2 && ratio < 0.8, c + " compresses moderately: " + ratio);
                default -> assertTrue(ratio < 0.45, c + " compresses well: " + ratio);
            }
        }
        assertEquals(0, new String(Corpus.GERMAN_TEXT.bytes(), StandardCharsets.UTF_8).indexOf("Synthetischer"));
        assertTrue(new String(Corpus.JSON.bytes(), StandardCharsets.UTF_8).contains("ü"));
        assertEquals('B', Corpus.BITMAP.bytes()[0]);
        assertTrue(new String(Corpus.PDF.bytes(), 0, 8, StandardCharsets.ISO_8859_1).startsWith("%PDF-1.4"));
    }

    @Test
    void generationIsDeterministic() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        StringBuilder sb = new StringBuilder();
        for (Corpus c : Corpus.values()) {
            sb.append(c.name()).append(' ').append(HexFormat.of().formatHex(sha.digest(CorpusGenerator.generate(c)), 0, 8)).append('\n');
        }
        // pinned: the same bytes on every JVM (java.util.Random's sequence is specified, no floating point)
        assertEquals("""
                JSON c37c837029a22b59
                BITMAP 17b1ca06e1bf7ca9
                GERMAN_TEXT b7159f7152b0e21f
                HTML c684aa8adb22c596
                PDF 4aac18b574750785
                """, sb.toString());
    }

    @Test
    void textIsSlicedByCodePointsAndWrapsRound() {
        String all = new String(Corpus.JSON.bytes(), StandardCharsets.UTF_8);
        int[] cps = all.codePoints().toArray();
        assertEquals(cps.length, Corpus.JSON.units());
        assertTrue(cps.length < Corpus.JSON.size(), "some characters take more than one byte");
        Corpus.Slicer s = Corpus.JSON.slicer();
        int unit = 0;
        for (int i = 0; i < 40; i++) {
            byte[] got = s.next(16384);
            StringBuilder want = new StringBuilder();
            for (int k = 0; k < 16384; k++) {
                want.appendCodePoint(cps[(unit + k) % cps.length]);
            }
            unit = (unit + 16384) % cps.length;
            assertArrayEquals(want.toString().getBytes(StandardCharsets.UTF_8), got, "slice " + i);
        }
        Corpus.Slicer b = Corpus.PDF.slicer();
        byte[] pdf = Corpus.PDF.bytes();
        b.next(1000000);
        byte[] wrapped = b.next(131072);
        byte[] want = new byte[131072];
        for (int k = 0; k < want.length; k++) {
            want[k] = pdf[(1000000 + k) % pdf.length];
        }
        assertArrayEquals(want, wrapped);
        assertEquals(0, b.next(0).length);
        assertTrue(Arrays.equals(Corpus.BITMAP.slicer().next(2), new byte[] {'B', 'M'}));
    }
}
