package io.tern.bench.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak command ({@code bench/soak.sh}): starts the demo server in its own JVM (explicit heap
 * and direct memory limits, Native Memory Tracking on, a fixed number of compiler threads), holds
 * C connections against it with {@link SoakClient} for the set time, and every interval pauses the
 * load until nothing is in flight and reads the server with {@link ServerProbe}, prints each reading as a Markdown table row, and ends with a
 * {@link Verdict}. Exit status: 0 when flat and every message was right, 1 when not, 2 for a bad
 * command line, 3 when the server could not be started.
 *
 * <p>Threading contract: {@link #main} reads the server on the main thread while the client runs
 * on its own thread; a daemon thread copies the server's output.
 */
public final class Soak {

    private static final Pattern LISTENING = Pattern.compile("listening on ws://([^/\\s]+):(\\d+)/echo");

    private Soak() {
    }

    /**
     * Runs the soak.
     *
     * @param args see {@link SoakSettings#USAGE}
     * @throws Exception when the client or the readings fail unexpectedly
     */
    public static void main(String[] args) throws Exception {
        SoakSettings settings;
        try {
            if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
                System.out.print(SoakSettings.USAGE);
                return;
            }
            settings = SoakSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("Soak: " + e.getMessage());
            System.err.print(SoakSettings.USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(settings));
    }

    private static int run(SoakSettings settings) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xms" + settings.serverHeap(), "-Xmx" + settings.serverHeap(),
                "-XX:MaxDirectMemorySize=" + settings.serverDirect(), "-XX:NativeMemoryTracking=summary",
                "-XX:-UseDynamicNumberOfCompilerThreads", "-cp", System.getProperty("java.class.path"),
                "io.tern.demo.DemoServer", "--port", "0", "--loops", Integer.toString(settings.loops()),
                "--max-connections", Integer.toString(settings.connections() + 1000));
        System.out.println("# Tern soak, " + Instant.now());
        System.out.println("JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + "; CPUs: " + Runtime.getRuntime().availableProcessors());
        System.out.println("settings: " + settings);
        System.out.println("server: " + String.join(" ", command.stream()
                .map(a -> a.length() > 80 ? "<classpath>" : a).toList()));
        Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            InetSocketAddress address = awaitListening(server);
            if (address == null) {
                System.err.println("Soak: the demo server did not start (its output is above)");
                return 3;
            }
            System.out.println("server pid " + server.pid() + " on " + address);
            return soak(settings, server, address);
        } finally {
            server.destroy(); // SIGTERM: the demo sends 1001 to what is left and exits
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** Reads the server's output until it says where it listens; then copies the rest in a daemon thread. */
    private static InetSocketAddress awaitListening(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        InetSocketAddress address = null;
        while (address == null && (line = out.readLine()) != null) {
            System.out.println("[server] " + line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                address = new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        Thread copier = new Thread(() -> {
            try {
                String l;
                while ((l = out.readLine()) != null) {
                    System.out.println("[server] " + l);
                }
            } catch (IOException e) {
                // the server ended
            }
        }, "soak-server-output");
        copier.setDaemon(true);
        copier.start();
        return address;
    }

    /**
     * Pauses the load until nothing is in flight: every echo answered, every close handshake and
     * upgrade finished, and no broadcast delivered for 500 ms.
     *
     * @return milliseconds it took, or -1 when not quiet within {@code maxSeconds} (or 0 seconds: off)
     */
    private static long quiesce(SoakClient client, int maxSeconds) throws InterruptedException {
        if (maxSeconds == 0) {
            return -1;
        }
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(maxSeconds);
        client.pause(true);
        long lastDeliveries = -1;
        long stableSince = start;
        while (System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
            long now = System.nanoTime();
            long deliveries = client.broadcastsVerified;
            if (deliveries != lastDeliveries) {
                lastDeliveries = deliveries;
                stableSince = now;
            }
            if (client.outstanding == 0 && now - stableSince >= TimeUnit.MILLISECONDS.toNanos(500)) {
                return TimeUnit.NANOSECONDS.toMillis(now - start);
            }
        }
        return -1;
    }

    private static int soak(SoakSettings settings, Process server, InetSocketAddress address) throws Exception {
        SoakClient client = new SoakClient(settings, address);
        Throwable[] clientFailure = new Throwable[1];
        Thread loop = new Thread(() -> {
            try {
                client.run();
            } catch (Throwable t) {
                clientFailure[0] = t;
            }
        }, "soak-client");
        ServerProbe probe = new ServerProbe(server.pid());
        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + (long) (settings.minutes() * 60e9);
        loop.start();
        System.out.println();
        System.out.println(Sample.HEADER);
        int reported = 0;
        long interval = TimeUnit.SECONDS.toNanos(settings.intervalSeconds());
        // a reading that took long (a slow jcmd on a busy machine) delays the next one rather than
        // making it due at once: the load runs at least half an interval between two pauses
        for (long next = start + interval; next - end <= 0; next = Math.max(next + interval, System.nanoTime() + interval / 2)) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                loop.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
            }
            if (!loop.isAlive() || !server.isAlive()) {
                break;
            }
            long quiet = quiesce(client, settings.quiesceSeconds());
            int open = client.open;
            ServerProbe.ServerReading reading = probe.read();
            double at = (System.nanoTime() - start) / 1e9;
            client.pause(false);
            Sample s = new Sample(at, reading, open, client.echoSent,
                    client.echoVerified, client.broadcastsPublished, client.broadcastsVerified, client.reconnects,
                    client.cleanCloses, client.abruptCloses, client.wrongMessages, client.errors, quiet);
            samples.add(s);
            System.out.println(s.row());
            List<String> reasons = client.reasons();
            for (int i = reported; i < reasons.size(); i++) {
                System.err.println("problem: " + reasons.get(i)); // on stderr: the table stays whole
            }
            reported = reasons.size();
        }
        boolean serverAlive = server.isAlive();
        client.stop();
        loop.join(TimeUnit.SECONDS.toMillis(60));
        System.out.println();
        Verdict verdict = Verdict.judge(samples, settings);
        List<String> lines = new ArrayList<>(verdict.lines());
        boolean ok = verdict.flat();
        if (!serverAlive) {
            lines.add("FAIL  the server process ended during the soak (exit " + server.exitValue() + ")");
            ok = false;
        }
        if (clientFailure[0] != null) {
            lines.add("FAIL  the client failed: " + clientFailure[0]);
            ok = false;
        }
        if (!samples.isEmpty()) {
            Sample last = samples.get(samples.size() - 1);
            System.out.printf(Locale.ROOT, "totals: %d echoes sent, %d verified; %d broadcasts published,"
                    + " %d deliveries verified; %d reconnects (%d clean closes, %d abrupt)%n", last.echoSent(),
                    last.echoVerified(), last.published(), last.broadcastsVerified(), last.reconnects(),
                    last.cleanCloses(), last.abruptCloses());
        }
        System.out.println("verdict:");
        lines.forEach(l -> System.out.println("  " + l));
        client.reasons().forEach(r -> System.out.println("  first problems: " + r));
        System.out.println(ok ? "FLAT: resources stayed flat after the warm-up and every message was right"
                : "NOT FLAT: see the FAIL lines above");
        return ok ? 0 : 1;
    }
}
