package io.tern.codec.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Decodes the encoder's output with Python's zlib (an independent inflate) using
 * {@code zlib.decompressobj(wbits=-bits)} for each bits value 8..15. zlib accepts -8 for raw
 * inflate (its deflate side is the one that refuses a 256-byte raw window).
 *
 * <p>In "strict" mode the script asks for at most one output byte per call. zlib only checks a
 * distance against its window plus the output of the current call, so with one byte per call
 * every distance is checked against exactly the last {@code 2^bits} bytes. A control case proves
 * that check is live: a java.util.zip stream with a distance of {@code 2^bits + 1} must be refused.
 */
class PythonZlibCrossCheckTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private static final String SCRIPT = String.join("\n",
            "import sys, zlib, base64, hashlib",
            "lines = sys.stdin.read().split('\\n')",
            "res = ['zlib ' + zlib.ZLIB_RUNTIME_VERSION]",
            "for line in lines:",
            "    if not line:",
            "        continue",
            "    parts = line.split(' ')",
            "    bits = int(parts[0]); strict = parts[1] == '1'",
            "    h = hashlib.sha256(); n = 0",
            "    try:",
            "        d = zlib.decompressobj(wbits=-bits)",
            "        for m in parts[2:]:",
            "            data = base64.b64decode(m)",
            "            if strict:",
            "                for i in range(0, len(data), 64):",
            "                    piece = data[i:i + 64]",
            "                    while True:",
            "                        out = d.decompress(piece, 1)",
            "                        h.update(out); n += len(out)",
            "                        piece = d.unconsumed_tail",
            "                        if not piece and not out:",
            "                            break",
            "            else:",
            "                out = d.decompress(data)",
            "                h.update(out); n += len(out)",
            "            if d.unconsumed_tail or d.eof:",
            "                raise zlib.error('unexpected end state')",
            "        res.append('OK ' + h.hexdigest() + ' ' + str(n))",
            "    except zlib.error as e:",
            "        res.append('ERROR ' + str(e).replace(' ', '_'))",
            "print('\\n'.join(res))",
            "");

    private static final class Case {
        final String name;
        final int bits;
        final boolean strict;
        final List<byte[]> messages = new ArrayList<>();
        final ByteArrayOutputStream plain = new ByteArrayOutputStream();
        final boolean expectError;

        Case(String name, int bits, boolean strict, boolean expectError) {
            this.name = name;
            this.bits = bits;
            this.strict = strict;
            this.expectError = expectError;
        }

        String line() {
            StringBuilder sb = new StringBuilder().append(bits).append(' ').append(strict ? '1' : '0');
            for (byte[] m : messages) {
                sb.append(' ').append(m.length == 0 ? "" : Base64.getEncoder().encodeToString(m));
            }
            return sb.toString();
        }
    }

    private static Case single(String name, int bits, boolean strict, byte[] data) {
        Case c = new Case(name, bits, strict, false);
        c.messages.add(Codec.message(new WindowedDeflater(bits), data));
        c.plain.write(data, 0, data.length);
        return c;
    }

    @Test
    void pythonZlibInflatesEveryWindowSize() throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            String msg = PYTHON + " is not available; the cross-check with Python's zlib cannot run";
            if ("true".equals(System.getenv("CI"))) {
                fail(msg + " (CI=true, so this is an error)");
            }
            Assumptions.abort(msg);
        }
        List<Case> cases = new ArrayList<>();
        for (int bits = 8; bits <= 15; bits++) {
            int w = 1 << bits;
            long seed = bits * 31L;
            cases.add(single("text", bits, true, TestData.text(100_000, ++seed)));
            cases.add(single("json", bits, true, TestData.json(64 * 1024, ++seed)));
            cases.add(single("random", bits, true, TestData.random(20_000, ++seed)));
            cases.add(single("repetitive", bits, true, TestData.repetitive(100_000, ++seed)));
            cases.add(single("tempting at 2^bits", bits, true, TestData.tempting(w, 600, ++seed)));
            cases.add(single("tempting at 2^bits - 1", bits, true, TestData.tempting(w - 1, 600, ++seed)));
            cases.add(single("tempting at 2^bits + 1", bits, true, TestData.tempting(w + 1, 600, ++seed)));
            byte[] unit = TestData.random(w, ++seed);
            byte[] periodic = new byte[50_000 + w];
            for (int i = 0; i < periodic.length; i++) {
                periodic[i] = unit[i % w];
            }
            cases.add(single("period 2^bits", bits, true, periodic));
            cases.add(single("1 MiB text", bits, false, TestData.text(1 << 20, ++seed)));

            Case multi = new Case("40 messages with context takeover", bits, true, false);
            WindowedDeflater d = new WindowedDeflater(bits);
            Random r = new Random(seed);
            for (int i = 0; i < 40; i++) {
                byte[] m = i % 2 == 0 ? TestData.logs(r.nextInt(3000), i % 5) : TestData.json(r.nextInt(3000), i % 5);
                multi.messages.add(Codec.message(d, m));
                multi.plain.write(m, 0, m.length);
            }
            cases.add(multi);

            if (bits < 15) {
                // Control: a 32 KiB-window stream that reaches 2^bits + 1 back must be refused.
                byte[] far = TestData.tempting(w + 1, 600, ++seed);
                Case control = new Case("control: distance 2^bits + 1 from java.util.zip", bits, true, true);
                control.messages.add(Codec.jdkDeflate(far, 9, Deflater.DEFAULT_STRATEGY, Deflater.SYNC_FLUSH));
                control.plain.write(far, 0, far.length);
                cases.add(control);
            }
        }

        StringBuilder input = new StringBuilder();
        for (Case c : cases) {
            input.append(c.line()).append('\n');
        }
        List<String> results = runPython(input.toString());
        assertTrue(results.get(0).startsWith("zlib "), String.join("\n", results));
        System.out.println("[python] " + results.get(0) + ", " + cases.size() + " streams, wbits -8..-15");
        assertEquals(cases.size() + 1, results.size(), String.join("\n", results));
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            String got = results.get(i + 1);
            String label = c.name + " (bits " + c.bits + ")";
            if (c.expectError) {
                assertTrue(got.startsWith("ERROR") && got.contains("too_far_back"), label + ": " + got);
            } else {
                byte[] plain = c.plain.toByteArray();
                String expected = "OK " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plain))
                        + " " + plain.length;
                assertEquals(expected, got, label);
            }
        }
    }

    private static List<String> runPython(String input) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT).redirectErrorStream(true).start();
        try {
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // The script died early; its output below says why.
            }
            // The script reads all input before printing, and prints little, so waiting first is safe.
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                fail("python did not finish within 180 s");
            }
            String out;
            try (InputStream stdout = p.getInputStream()) {
                out = new String(stdout.readAllBytes(), StandardCharsets.US_ASCII);
            }
            assertEquals(0, p.exitValue(), "python failed:\n" + out);
            List<String> lines = new ArrayList<>();
            for (String l : out.split("\n")) {
                if (!l.isBlank()) {
                    lines.add(l.trim());
                }
            }
            return lines;
        } finally {
            p.destroyForcibly();
        }
    }
}
