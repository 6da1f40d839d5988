package io.tern.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end comparison: for every repetition, every scenario and every server (the order of
 * servers alternating between repetitions), a fresh server process pinned to one core runs while
 * this process, pinned to the other by its caller, drives it with the {@link LoadGenerator}; the
 * results, the machine, the JDK and each process's CPU use go to one JSON file.
 *
 * <pre>
 * Compare [--out FILE] [--servers tern,netty] [--scenarios echo,broadcast,idle] [--reps N]
 *         [--seconds T] [--warmup W] [--server-cpu C] [--echo-connections C] [--in-flight D]
 *         [--payloads 64,16384] [--broadcast-connections C] [--publishers P] [--rate R]
 *         [--idle-connections C] [--idle-seconds T] [--heap SIZE] [--jfr DIR]
 *         [--server-jvm "MORE JVM OPTIONS"]
 * </pre>
 *
 * <p>{@code --jfr DIR} records each server with Java Flight Recorder ({@code settings=profile})
 * into {@code DIR/SERVER-LABEL-REP.jfr}, to see where its time goes.
 *
 * <p>Servers: {@code tern} is the demo server ({@code io.tern.demo.DemoServer --loops 1
 * --no-deflate --max-connections 1000000}); {@code netty} is {@link io.tern.bench.netty.NettyServer} with one worker loop,
 * NIO; {@code netty-epoll} the same on native epoll. Both get the same JVM options.
 *
 * <p>Threading contract: a command-line program; one thread.
 */
public final class Compare {

    private Compare() {
    }

    /**
     * Runs the comparison.
     *
     * @param args see the class comment
     * @throws Exception if a server cannot start or a scenario fails
     */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    /**
     * Runs the comparison, writing the JSON file after every run and a line per run to {@code log}.
     *
     * @param args see the class comment
     * @param log  where progress goes
     * @return the document written
     * @throws IOException if the JSON cannot be written
     */
    public static Map<String, Object> run(String[] args, java.io.PrintStream log) throws IOException {
        Map<String, String> o = options(args);
        Path out = Path.of(o.getOrDefault("--out", "target/e2e.json"));
        List<String> servers = List.of(o.getOrDefault("--servers", "tern,netty").split(","));
        List<String> scenarios = List.of(o.getOrDefault("--scenarios", "echo,broadcast,idle").split(","));
        int reps = Integer.parseInt(o.getOrDefault("--reps", "3"));
        double seconds = Double.parseDouble(o.getOrDefault("--seconds", "10"));
        double warmup = Double.parseDouble(o.getOrDefault("--warmup", "3"));
        String serverCpu = o.getOrDefault("--server-cpu", "0");
        List<Run> plan = plan(o, scenarios, seconds, warmup);

        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("date", Instant.now().toString());
        doc.put("machine", machine());
        doc.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        doc.put("serverCpu", serverCpu);
        doc.put("loadGeneratorAffinity", affinity());
        doc.put("serverJvmOptions", jvmOptions(o));
        List<Map<String, Object>> runs = new ArrayList<>();
        doc.put("runs", runs);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        for (int rep = 0; rep < reps; rep++) {
            for (Run run : plan) {
                List<String> order = new ArrayList<>(servers);
                if (rep % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (String server : order) {
                    log.printf("rep %d %s on %s ... ", rep + 1, run.label, server);
                    log.flush();
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("repetition", rep + 1);
                    r.put("server", server);
                    r.put("label", run.label);
                    List<String> jvm = new ArrayList<>(jvmOptions(o));
                    if (o.containsKey("--server-jvm")) {
                        jvm.addAll(List.of(o.get("--server-jvm").trim().split("\\s+")));
                    }
                    if (o.containsKey("--jfr")) {
                        Path dir = Path.of(o.get("--jfr")).toAbsolutePath();
                        Files.createDirectories(dir);
                        jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                                + dir.resolve(server + "-" + run.label + "-" + (rep + 1) + ".jfr"));
                    }
                    try (ServerProcess p = ServerProcess.start(server, serverCpu, jvm)) {
                        LoadGenerator.Settings s = run.settings.withServer(p.port, p.pid);
                        Map<String, Object> result = LoadGenerator.run(s);
                        result.put("serverRssAtEnd", ProcStats.rssBytes(p.pid));
                        r.putAll(result);
                    } catch (IOException | RuntimeException e) {
                        r.put("failure", e.toString());
                    }
                    runs.add(r);
                    log.println(summary(r));
                    Files.createDirectories(out.toAbsolutePath().getParent());
                    json.writeValue(out.toFile(), doc);
                }
            }
        }
        log.println("wrote " + out);
        return doc;
    }

    /** One line per run for the console. */
    static String summary(Map<String, Object> r) {
        if (r.containsKey("failure") && !r.containsKey("messages") && !r.containsKey("openAtEnd")) {
            return "FAILED: " + r.get("failure");
        }
        if ("idle".equals(r.get("scenario"))) {
            return String.format("%s open, heap %.0f B/conn, RSS %.0f B/conn", r.get("openAtEnd"),
                    ((Number) r.get("heapBytesPerConnection")).doubleValue(),
                    ((Number) r.get("rssBytesPerConnection")).doubleValue());
        }
        return String.format("%.0f msg/s, p50 %.0f us, p99 %.0f us, server CPU %.2f", r.get("messagesPerSecond"),
                r.get("p50Micros"), r.get("p99Micros"), r.get("serverCpu"));
    }

    /** One scenario with its settings, before a server is known. */
    record Run(String label, LoadGenerator.Settings settings) {
    }

    static List<Run> plan(Map<String, String> o, List<String> scenarios, double seconds, double warmup) {
        List<Run> plan = new ArrayList<>();
        int inFlight = Integer.parseInt(o.getOrDefault("--in-flight", "4"));
        for (String scenario : scenarios) {
            switch (scenario) {
                case "echo" -> {
                    int c = Integer.parseInt(o.getOrDefault("--echo-connections", "32"));
                    for (String s : o.getOrDefault("--payloads", "64,16384").split(",")) {
                        int size = Integer.parseInt(s);
                        plan.add(new Run("echo-" + size + "B", new LoadGenerator.Settings("echo", "127.0.0.1", 0, c,
                                inFlight, size, seconds, warmup, 0, 0, 0)));
                    }
                }
                case "broadcast" -> {
                    int c = Integer.parseInt(o.getOrDefault("--broadcast-connections", "1000"));
                    int p = Integer.parseInt(o.getOrDefault("--publishers", "1"));
                    plan.add(new Run("broadcast-" + c, new LoadGenerator.Settings("broadcast", "127.0.0.1", 0, c, 1,
                            64, seconds, warmup, p, 0, 0)));
                    double rate = Double.parseDouble(o.getOrDefault("--rate", "200"));
                    if (rate > 0) {
                        plan.add(new Run("broadcast-" + c + "-rate" + (long) rate, new LoadGenerator.Settings("broadcast",
                                "127.0.0.1", 0, c, 1, 64, seconds, warmup, p, rate, 0)));
                    }
                }
                case "idle" -> {
                    int c = Integer.parseInt(o.getOrDefault("--idle-connections", "10000"));
                    double hold = Double.parseDouble(o.getOrDefault("--idle-seconds", "5"));
                    plan.add(new Run("idle-" + c, new LoadGenerator.Settings("idle", "127.0.0.1", 0, c, 1, 64, hold, 0,
                            0, 0, 0)));
                }
                default -> throw new IllegalArgumentException("unknown scenario: " + scenario + " (echo, broadcast, idle)");
            }
        }
        return plan;
    }

    static List<String> jvmOptions(Map<String, String> o) {
        String heap = o.getOrDefault("--heap", "1g");
        // The heap is touched up front: the RSS a connection adds is then its native memory only
        // (heap growth would otherwise show as RSS as eden pages are first used).
        return List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch", "-XX:+UseParallelGC",
                "-XX:MaxDirectMemorySize=1g");
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("options come as --name value: " + String.join(" ", args));
            }
            o.put(args[i], args[++i]);
        }
        return o;
    }

    /** CPU model, count, memory, kernel. */
    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        // this process is pinned, so availableProcessors() would count only its own CPU
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        try {
            int processors = 0;
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") && !m.containsKey("cpuModel")) {
                    m.put("cpuModel", line.substring(line.indexOf(':') + 1).trim());
                }
                if (line.startsWith("processor")) {
                    processors++;
                }
            }
            m.put("cpus", processors);
            m.put("memTotalBytes", ProcStats.parseKilobytes(Files.readString(Path.of("/proc/meminfo")), "MemTotal:"));
            m.put("kernel", Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
            m.put("loadAverageAtStart", Files.readString(Path.of("/proc/loadavg")).trim());
        } catch (IOException e) {
            m.put("error", e.toString());
        }
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return m;
    }

    private static String affinity() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    /** A server in its own JVM, pinned with taskset when it is installed; killed on close. */
    static final class ServerProcess implements AutoCloseable {
        final Process process;
        final long pid;
        final int port;

        private final Thread reaper;

        private ServerProcess(Process process, int port, Thread reaper) {
            this.process = process;
            this.pid = process.pid();
            this.port = port;
            this.reaper = reaper;
        }

        static ServerProcess start(String server, String cpu, List<String> jvm) throws IOException {
            int port = freePort();
            List<String> cmd = new ArrayList<>();
            if (new File("/usr/bin/taskset").canExecute()) {
                cmd.addAll(List.of("/usr/bin/taskset", "-c", cpu));
            }
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvm);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            switch (server) {
                case "tern" -> cmd.addAll(List.of("io.tern.demo.DemoServer", "--port", Integer.toString(port),
                        "--loops", "1", "--no-deflate", "--max-connections", "1000000"));
                case "netty", "netty-epoll" -> cmd.addAll(List.of("io.tern.bench.netty.NettyServer", "--port",
                        Integer.toString(port), "--loops", "1", "--no-deflate", "--transport",
                        server.equals("netty") ? "nio" : "epoll"));
                default -> throw new IllegalArgumentException("unknown server: " + server + " (tern, netty, netty-epoll)");
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("MALLOC_ARENA_MAX", "2");
            Process p = pb.start();
            // a comparison stopped with Ctrl-C or SIGTERM takes its server with it
            Thread reaper = new Thread(p::destroyForcibly, "server-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
            StringBuffer output = new StringBuffer();
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        // kept (the first few KB) only to explain a server that does not start
                        if (output.length() < 4096) {
                            output.append(line).append('\n');
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "server-output");
            pump.setDaemon(true);
            pump.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    break;
                } catch (IOException e) {
                    if (!p.isAlive() || System.nanoTime() > deadline) {
                        p.destroyForcibly();
                        Runtime.getRuntime().removeShutdownHook(reaper);
                        throw new IOException(server + " did not start listening on " + port + "; it printed: " + output);
                    }
                    sleep(50);
                }
            }
            sleep(500);
            // the listening process is taskset's child java (taskset execs it, so the pid is the same)
            return new ServerProcess(p, port, reaper);
        }

        @Override
        public void close() {
            Runtime.getRuntime().removeShutdownHook(reaper);
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
