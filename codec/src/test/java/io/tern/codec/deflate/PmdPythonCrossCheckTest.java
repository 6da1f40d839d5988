package io.tern.codec.deflate;

import static io.tern.codec.deflate.PmdSupport.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tern.codec.Opcode;
import io.tern.codec.Role;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The payloads PerMessageDeflater sends, for every window size 8–15 in both roles, with and
 * without context takeover, inflated by Debian's Python zlib with {@code wbits=-bits}. Output is
 * requested one byte per call: zlib checks a distance against its window plus what the current call
 * produced, so with one byte per call every distance is held to the negotiated window. A control
 * stream (java.util.zip, 32 KiB window) reaching {@code 2^bits + 1} back proves the check is live.
 */
class PmdPythonCrossCheckTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final ZStreamPool POOL = new ZStreamPool();

    // Each input line: "<bits> <c|n> <base64 message> ...": c = one stream for all messages (context
    // takeover), n = a new stream per message. Each message gets the 00 00 ff ff tail appended.
    // Each output line: "OK <sha256 of all output> <byte count>" or "ERR <reason>".
    private static final String SCRIPT = String.join("\n",
            "import sys, zlib, base64, hashlib",
            "TAIL = b'\\x00\\x00\\xff\\xff'",
            "def run(line):",
            "    parts = line.split(' ')",
            "    bits = int(parts[0]); shared = parts[1] == 'c'",
            "    digest = hashlib.sha256(); count = 0",
            "    d = zlib.decompressobj(wbits=-bits)",
            "    for enc in parts[2:]:",
            "        if not shared:",
            "            d = zlib.decompressobj(wbits=-bits)",
            "        data = (base64.b64decode(enc) if enc != '-' else b'') + TAIL",
            "        for at in range(0, len(data), 64):",
            "            pending = data[at:at + 64]",
            "            while True:",
            "                got = d.decompress(pending, 1)",
            "                digest.update(got); count += len(got)",
            "                pending = d.unconsumed_tail",
            "                if not got and not pending:",
            "                    break",
            "        if d.eof or d.unused_data or d.unconsumed_tail:",
            "            return 'ERR stream ended or left input'",
            "    return 'OK %s %d' % (digest.hexdigest(), count)",
            "results = []",
            "for line in sys.stdin.read().split('\\n'):",
            "    if line:",
            "        try:",
            "            results.append(run(line))",
            "        except zlib.error as e:",
            "            results.append('ERR ' + str(e))",
            "print('zlib', zlib.ZLIB_RUNTIME_VERSION)",
            "print('\\n'.join(results))",
            "");

    @AfterAll
    static void closePool() {
        POOL.close();
    }

    private record Stream(String label, int bits, boolean shared, List<byte[]> payloads, byte[] plain,
                          boolean expectTooFar) {
        String line() {
            StringBuilder sb = new StringBuilder().append(bits).append(shared ? " c" : " n");
            for (byte[] p : payloads) {
                sb.append(' ').append(p.length == 0 ? "-" : Base64.getEncoder().encodeToString(p));
            }
            return sb.toString();
        }
    }

    @Test
    @Timeout(120)
    void pythonZlibInflatesTernOutputWithinTheWindow() throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            String why = PYTHON + " is missing, so Tern's deflate output cannot be checked against Python's zlib";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + " (CI=true: this must not be skipped)");
            }
            Assumptions.abort(why);
        }
        List<Stream> streams = new ArrayList<>();
        for (int bits = 8; bits <= 15; bits++) {
            for (Role sender : Role.values()) {
                for (boolean noContext : new boolean[] {false, true}) {
                    streams.add(ternStream(bits, sender, noContext));
                }
            }
            if (bits < 15) {
                streams.add(controlStream(bits));
            }
        }
        StringBuilder input = new StringBuilder();
        for (Stream s : streams) {
            input.append(s.line()).append('\n');
        }
        List<String> out = python(input.toString());
        assertTrue(out.get(0).startsWith("zlib "), String.join("\n", out));
        assertEquals(streams.size() + 1, out.size(), String.join("\n", out));
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < streams.size(); i++) {
            Stream s = streams.get(i);
            String got = out.get(i + 1);
            String expected = s.expectTooFar() ? "ERR Error -3 while decompressing data: invalid distance too far back"
                    : "OK " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.plain()))
                    + " " + s.plain().length;
            if (!expected.equals(got)) {
                wrong.add(s.label() + ": expected " + expected + ", got " + got);
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** Messages chosen to tempt an encoder past its window, sent as PerMessageDeflater sends them. */
    private static Stream ternStream(int bits, Role sender, boolean noContext) {
        int window = 1 << bits;
        DeflateParameters p = sender == Role.SERVER ? params(noContext, false, bits, 15)
                : params(false, noContext, 15, bits);
        PmdSupport.Sender s = new PmdSupport.Sender(p, sender, DeflateOptions.defaults(), POOL);
        long seed = bits * 10L + sender.ordinal() * 3 + (noContext ? 1 : 0);
        byte[] unit = PmdSupport.random(window + 3, seed);
        byte[] periodic = new byte[3 * unit.length + 500];
        for (int i = 0; i < periodic.length; i++) {
            periodic[i] = unit[i % unit.length];        // repeats just beyond the window
        }
        byte[] exact = new byte[4 * window];
        for (int i = 0; i < exact.length; i++) {
            exact[i] = unit[i % window];                 // repeats exactly at the window
        }
        byte[] text = PmdSupport.text(40_000, seed);
        s.send(Opcode.TEXT, new byte[0], 0);
        s.send(Opcode.TEXT, text, 0);
        s.send(Opcode.BINARY, periodic, 0);
        s.send(Opcode.TEXT, text, 4000);                // repeated, fragmented
        s.send(Opcode.BINARY, exact, 0);
        s.send(Opcode.BINARY, PmdSupport.random(3000, seed + 1), 0);
        s.send(Opcode.BINARY, unit, 100);               // refers back into the previous messages
        s.deflater.release();
        List<byte[]> payloads = new ArrayList<>();
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        for (PmdSupport.Sent m : s.sent) {
            payloads.add(m.joined());
            plain.writeBytes(m.plain);
        }
        return new Stream("bits " + bits + " " + sender + (noContext ? " no context takeover" : " context takeover"),
                bits, !noContext, payloads, plain.toByteArray(), false);
    }

    /** java.util.zip with its 32 KiB window, copying from 2^bits + 1 back: must be refused. */
    private static Stream controlStream(int bits) {
        int window = 1 << bits;
        byte[] head = PmdSupport.random(window + 1, bits * 7919L);
        byte[] data = new byte[head.length + 200];
        System.arraycopy(head, 0, data, 0, head.length);
        System.arraycopy(head, 0, data, head.length, 200);
        return new Stream("control bits " + bits, bits, true, List.of(PmdSupport.jdkCompress(data)), data, true);
    }

    private static List<String> python(String input) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT).redirectErrorStream(true).start();
        try {
            // Write from another thread so a script that dies early cannot block us.
            Thread writer = new Thread(() -> {
                try (OutputStream stdin = p.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // The output below tells why.
                }
            });
            writer.start();
            String out;
            try (InputStream stdout = p.getInputStream()) {
                out = new String(stdout.readAllBytes(), StandardCharsets.US_ASCII);
            }
            if (!p.waitFor(100, TimeUnit.SECONDS)) {
                fail("python did not finish");
            }
            writer.join();
            assertEquals(0, p.exitValue(), () -> "python failed:\n" + out);
            List<String> lines = new ArrayList<>();
            for (String l : out.split("\n")) {
                if (!l.isBlank()) {
                    lines.add(l.strip());
                }
            }
            return lines;
        } finally {
            p.destroyForcibly();
        }
    }
}
