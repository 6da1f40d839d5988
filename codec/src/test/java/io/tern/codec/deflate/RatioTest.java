package io.tern.codec.deflate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** Compressed size against java.util.zip.Deflater level 1 (raw, sync flush) on text-like data. */
class RatioTest {

    private static final double LIMIT = 1.15;

    private static byte[] generate(String kind, int size, long seed) {
        switch (kind) {
            case "text":
                return TestData.text(size, seed);
            case "json":
                return TestData.json(size, seed);
            case "logs":
                return TestData.logs(size, seed);
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    /** Deflater level 1 with one sync flush per message, keeping context across messages. */
    private static long zlibLevel1(List<byte[]> messages) {
        Deflater def = new Deflater(1, true);
        byte[] buf = new byte[1 << 16];
        long total = 0;
        try {
            for (byte[] m : messages) {
                def.setInput(m);
                while (true) {
                    int n = def.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                    total += n;
                    if (n < buf.length) {
                        break;
                    }
                }
            }
        } finally {
            def.end();
        }
        return total;
    }

    private static long ours(List<byte[]> messages, int bits) throws Exception {
        WindowedDeflater d = new WindowedDeflater(bits);
        long total = 0;
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        for (byte[] m : messages) {
            byte[] z = Codec.message(d, m);
            total += z.length;
            all.write(z);
            plain.write(m);
        }
        // Never trust a size without checking what it decodes to.
        Codec.verify(plain.toByteArray(), all.toByteArray(), bits);
        return total;
    }

    @Test
    void withinFifteenPercentOfDeflaterLevel1() throws Exception {
        StringBuilder report = new StringBuilder(
                String.format("%n%-6s %-22s %10s %10s %8s%n", "kind", "shape", "zlib-1", "ours", "ratio"));
        List<String> failures = new ArrayList<>();
        for (String kind : new String[] {"text", "json", "logs"}) {
            long seed = kind.hashCode();
            List<List<byte[]>> shapes = new ArrayList<>();
            List<String> names = new ArrayList<>();

            shapes.add(List.of(generate(kind, 1 << 20, seed)));
            names.add("1 x 1 MiB");

            shapes.add(List.of(generate(kind, 64 * 1024, seed + 1)));
            names.add("1 x 64 KiB");

            List<byte[]> small = new ArrayList<>();
            Random r = new Random(seed);
            for (int i = 0; i < 1000; i++) {
                small.add(generate(kind, 1024, r.nextLong()));
            }
            shapes.add(small);
            names.add("1000 x 1 KiB, takeover");

            List<byte[]> mixed = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                mixed.add(generate(kind, 100 + r.nextInt(8000), r.nextLong()));
            }
            shapes.add(mixed);
            names.add("300 x 0.1-8 KiB");

            for (int s = 0; s < shapes.size(); s++) {
                long z1 = zlibLevel1(shapes.get(s));
                long us = ours(shapes.get(s), 15);
                double ratio = us / (double) z1;
                report.append(String.format("%-6s %-22s %10d %10d %8.3f%n", kind, names.get(s), z1, us, ratio));
                if (ratio > LIMIT) {
                    failures.add(kind + " " + names.get(s) + ": " + ratio);
                }
            }
        }
        System.out.println("[ratio] windowBits=15 vs Deflater(1, true) with SYNC_FLUSH" + report);
        assertTrue(failures.isEmpty(), "ratio above " + LIMIT + ": " + failures);
    }

    @Test
    void smallerWindowsForInformation() throws Exception {
        // Not a requirement (zlib always uses 32 KiB); printed so regressions are visible.
        StringBuilder report = new StringBuilder(String.format("%n%-6s %5s %10s %10s %8s%n", "kind", "bits", "zlib-1", "ours", "ratio"));
        for (String kind : new String[] {"text", "json", "logs"}) {
            List<byte[]> data = List.of(generate(kind, 256 * 1024, 7));
            long z1 = zlibLevel1(data);
            for (int bits = 8; bits <= 15; bits++) {
                long us = ours(data, bits);
                report.append(String.format("%-6s %5d %10d %10d %8.3f%n", kind, bits, z1, us, us / (double) z1));
                assertTrue(us < 256 * 1024 * 0.75, kind + " compresses at bits " + bits);
            }
        }
        System.out.println("[ratio] 256 KiB single message, all window sizes" + report);
    }
}
