package io.tern.autobahn.catalogue.big;

import io.tern.autobahn.catalogue.CaseEntry;
import io.tern.autobahn.catalogue.CaseGroup;
import io.tern.autobahn.runner.AutobahnCase;
import io.tern.autobahn.runner.CaseContext;
import io.tern.autobahn.runner.CloseExpectation;
import io.tern.autobahn.runner.OutFrame;
import io.tern.autobahn.runner.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Group 9, limits and performance: large messages, sent whole, fragmented or chopped into small TCP
 * writes (9.1–9.6), and a thousand messages echoed one after the other (9.7, 9.8). Each case waits
 * at most as long as the official one and reports its duration.
 *
 * <ul>
 *   <li>9.1.1–9.1.6: one text frame of 64 KiB, 256 KiB, 1, 4, 8, 16 MiB (the 10 characters
 *       {@code BAsd7&jh23} repeated); expected back as a text message of that length.</li>
 *   <li>9.2.1–9.2.6: the same sizes as binary frames of {@code 00 fe 23 fa f0} repeated.</li>
 *   <li>9.3.1–9.3.9: a 4 MiB text message of {@code *} sent in fragments of 64 B, 256 B, 1, 4, 16,
 *       64, 256 KiB, 1 and 4 MiB.</li>
 *   <li>9.4.1–9.4.9: the same as binary (9.4.1 of {@code fe} bytes, the rest of {@code *} bytes, as in
 *       the official cases).</li>
 *   <li>9.5.1–9.5.6: a 1 MiB text frame written to the socket in pieces of 64, 128, 256, 512, 1024,
 *       2048 bytes.</li>
 *   <li>9.6.1–9.6.6: the same as binary.</li>
 *   <li>9.7.1–9.7.6: 1000 text messages of 0, 16, 64, 256, 1024, 4096 bytes of {@code *}, each sent once
 *       the previous one came back.</li>
 *   <li>9.8.1–9.8.6: the same as binary messages of {@code fe} bytes.</li>
 * </ul>
 * As in the official suite only the type and length of an echo are checked, not its content, and the
 * runner then closes with 1000 and expects a clean close.
 *
 * <p>Stateless; cases are made fresh per run.
 */
public final class Group9 implements CaseGroup {

    private static final int K = 1024;
    private static final int M = 1024 * 1024;
    private static final byte[] TEXT_UNIT = "BAsd7&jh23".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BINARY_UNIT = {0x00, (byte) 0xfe, 0x23, (byte) 0xfa, (byte) 0xf0};
    private static final int[] SIZES = {64 * K, 256 * K, M, 4 * M, 8 * M, 16 * M};
    private static final int[] TEXT_WAIT = {10, 10, 100, 100, 100, 100};
    private static final int[] BINARY_WAIT = {10, 10, 10, 10, 100, 100};
    private static final int[] FRAGMENTS = {64, 256, K, 4 * K, 16 * K, 64 * K, 256 * K, M, 4 * M};
    private static final int[] CHOPS = {64, 128, 256, 512, 1024, 2048};
    private static final int[] RTT_SIZES = {0, 16, 64, 256, 1024, 4096};
    private static final int[] RTT_WAIT = {60, 60, 60, 120, 240, 480};

    @Override
    public int number() {
        return 9;
    }

    @Override
    public String title() {
        return "Limits/Performance";
    }

    @Override
    public Map<String, String> subgroupTitles() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("9.1", "Text Message (increasing size)");
        m.put("9.2", "Binary Message (increasing size)");
        m.put("9.3", "Fragmented Text Message (fixed size, increasing fragment size)");
        m.put("9.4", "Fragmented Binary Message (fixed size, increasing fragment size)");
        m.put("9.5", "Text Message (fixed size, increasing chop size)");
        m.put("9.6", "Binary Text Message (fixed size, increasing chop size)");
        m.put("9.7", "Text Message Roundtrip Time (fixed number, increasing size)");
        m.put("9.8", "Binary Message Roundtrip Time (fixed number, increasing size)");
        return m;
    }

    @Override
    public List<CaseEntry> cases() {
        List<CaseEntry> out = new ArrayList<>();
        for (int i = 0; i < SIZES.length; i++) {
            int size = SIZES[i];
            int wait = TEXT_WAIT[i];
            String id = "9.1." + (i + 1);
            out.add(CaseEntry.of(() -> new LargeEcho(id, false, size, wait,
                    "One text frame of " + size + " payload bytes (\"BAsd7&jh23\" repeated).",
                    ctx -> ctx.send(OutFrame.of(OutFrame.TEXT, TEXT_UNIT).repeatTo(size)))));
        }
        for (int i = 0; i < SIZES.length; i++) {
            int size = SIZES[i];
            int wait = BINARY_WAIT[i];
            String id = "9.2." + (i + 1);
            out.add(CaseEntry.of(() -> new LargeEcho(id, true, size, wait,
                    "One binary frame of " + size + " payload bytes (00 fe 23 fa f0 repeated).",
                    ctx -> ctx.send(OutFrame.of(OutFrame.BINARY, BINARY_UNIT).repeatTo(size)))));
        }
        for (int kind = 3; kind <= 4; kind++) {
            boolean binary = kind == 4;
            for (int i = 0; i < FRAGMENTS.length; i++) {
                int frag = FRAGMENTS[i];
                String id = "9." + kind + "." + (i + 1);
                byte unit = binary && i == 0 ? (byte) 0xfe : (byte) '*';
                out.add(CaseEntry.of(() -> new LargeEcho(id, binary, 4 * M, 100,
                        "One " + (binary ? "binary" : "text") + " message of " + 4 * M + " bytes of " + (unit == '*' ? "'*'" : "fe")
                                + ", sent in fragments of " + frag + " payload bytes.",
                        ctx -> ctx.sendMessage(filled(unit, 4 * M), binary, frag))));
            }
        }
        for (int kind = 5; kind <= 6; kind++) {
            boolean binary = kind == 6;
            for (int i = 0; i < CHOPS.length; i++) {
                int chop = CHOPS[i];
                String id = "9." + kind + "." + (i + 1);
                out.add(CaseEntry.of(() -> new LargeEcho(id, binary, M, 1000,
                        "One " + (binary ? "binary" : "text") + " frame of " + M + " payload bytes, written to the socket in pieces of "
                                + chop + " bytes.",
                        ctx -> ctx.send(OutFrame.of(binary ? OutFrame.BINARY : OutFrame.TEXT, binary ? BINARY_UNIT : TEXT_UNIT)
                                .repeatTo(M).chop(chop)))));
            }
        }
        for (int kind = 7; kind <= 8; kind++) {
            boolean binary = kind == 8;
            for (int i = 0; i < RTT_SIZES.length; i++) {
                int size = RTT_SIZES[i];
                int wait = RTT_WAIT[i];
                String id = "9." + kind + "." + (i + 1);
                out.add(CaseEntry.of(() -> new RoundTrips(id, binary, size, 1000, wait)));
            }
        }
        return out;
    }

    static byte[] filled(byte unit, int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, unit);
        return b;
    }

    /** One large message, expected back with the same type and length (9.1–9.6). */
    static final class LargeEcho extends AutobahnCase {
        private final boolean binary;
        private final int length;
        private final int waitSeconds;
        private final java.util.function.Consumer<CaseContext> send;
        private boolean answered;

        LargeEcho(String id, boolean binary, int length, int waitSeconds, String description,
                java.util.function.Consumer<CaseContext> send) {
            super(id, description, "The peer echoes a " + (binary ? "binary" : "text") + " message of " + length
                    + " bytes within " + waitSeconds + " s; then the runner closes with 1000 and expects a clean close.");
            this.binary = binary;
            this.length = length;
            this.waitSeconds = waitSeconds;
            this.send = send;
        }

        @Override
        public Duration timeBound() {
            return Duration.ofSeconds(waitSeconds + 10);
        }

        @Override
        public boolean reportTime() {
            return true;
        }

        @Override
        public void onOpen(CaseContext ctx) {
            ctx.enableWireLog(false);
            ctx.expectClose(CloseExpectation.normal());
            ctx.setBehavior(Verdict.FAILED, "No message came back within " + waitSeconds + " s.");
            send.accept(ctx);
            ctx.closeAfter(Duration.ofSeconds(waitSeconds));
        }

        @Override
        public void onMessage(CaseContext ctx, byte[] payload, boolean isBinary) {
            if (answered) {
                return;
            }
            answered = true;
            if (isBinary != binary) {
                ctx.setBehavior(Verdict.FAILED, "Expected a " + (binary ? "binary" : "text") + " message, got "
                        + (isBinary ? "binary" : "text") + ".");
            } else if (payload.length != length) {
                ctx.setBehavior(Verdict.FAILED, "Expected a message of " + length + " bytes, got " + payload.length + ".");
            } else {
                ctx.setBehavior(Verdict.OK, "Got the " + (binary ? "binary" : "text") + " message of " + length + " bytes back.");
            }
            ctx.enableWireLog(true);
            ctx.sendClose(1000);
        }
    }

    /** {@code count} messages, each sent when the previous one came back (9.7, 9.8). */
    static final class RoundTrips extends AutobahnCase {
        private final boolean binary;
        private final int length;
        private final int count;
        private final int waitSeconds;
        private final OutFrame frame;
        private int sent;
        private boolean done;

        RoundTrips(String id, boolean binary, int length, int count, int waitSeconds) {
            super(id, "Sends " + count + " " + (binary ? "binary" : "text") + " messages of " + length
                            + " payload bytes one after the other, each once the previous one came back (round-trip time).",
                    "Every message comes back with the same type and length, all within " + waitSeconds
                            + " s; then the runner closes with 1000 and expects a clean close.");
            this.binary = binary;
            this.length = length;
            this.count = count;
            this.waitSeconds = waitSeconds;
            this.frame = OutFrame.of(binary ? OutFrame.BINARY : OutFrame.TEXT, filled(binary ? (byte) 0xfe : (byte) '*', length));
        }

        @Override
        public Duration timeBound() {
            return Duration.ofSeconds(waitSeconds + 10);
        }

        @Override
        public boolean reportTime() {
            return true;
        }

        @Override
        public void onOpen(CaseContext ctx) {
            ctx.enableWireLog(false);
            ctx.expectClose(CloseExpectation.normal());
            ctx.setBehavior(Verdict.FAILED, "The case did not finish within " + waitSeconds + " s.");
            ctx.closeAfter(Duration.ofSeconds(waitSeconds));
            sendOne(ctx);
        }

        private void sendOne(CaseContext ctx) {
            ctx.send(frame);
            sent++;
        }

        @Override
        public void onMessage(CaseContext ctx, byte[] payload, boolean isBinary) {
            if (done) {
                return;
            }
            if (isBinary != binary || payload.length != length) {
                done = true;
                ctx.setBehavior(Verdict.FAILED, "Echo " + sent + " differs from what was sent: got a "
                        + (isBinary ? "binary" : "text") + " message of " + payload.length + " bytes.");
                ctx.enableWireLog(true);
                ctx.sendClose(1000);
            } else if (sent < count) {
                sendOne(ctx);
            } else {
                done = true;
                ctx.setBehavior(Verdict.OK, "All " + count + " messages came back in time.");
                ctx.enableWireLog(true);
                ctx.sendClose(1000);
            }
        }
    }
}
