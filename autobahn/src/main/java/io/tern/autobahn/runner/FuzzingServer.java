package io.tern.autobahn.runner;

import io.tern.autobahn.catalogue.Catalogue;
import io.tern.autobahn.catalogue.CaseEntry;
import io.tern.autobahn.report.JsonWriter;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Fuzzing server mode: tests a WebSocket client through the official fuzzing server's HTTP paths.
 * <ul>
 * <li>{@code /getCaseCount}: a text message with the number of selected cases, then close;</li>
 * <li>{@code /runCase?case=N&agent=A}: runs the N-th selected case (1-based) with the client;
 *     {@code casetuple=6.4.1} instead of {@code case=N} names the case by id;</li>
 * <li>{@code /updateReports?agent=A}: writes the reports, then close;</li>
 * <li>{@code /getCaseInfo?case=N}: a text message {@code {"id": ..., "description": ...}}, then close;</li>
 * <li>{@code /getCaseStatus?case=N&agent=A}: a text message {@code {"behavior": ...}} (null if the case has
 *     not run for that agent), then close.</li>
 * </ul>
 * Anything else gets an HTTP error status.
 *
 * <p>Threading: one acceptor thread and one thread per connection; results are stored in a thread-safe
 * {@link RunResults}. {@link #close} stops accepting and waits briefly for running cases.
 */
public final class FuzzingServer implements AutoCloseable {

    private final Catalogue catalogue;
    private final List<CaseEntry> cases;
    private final Path outDir;
    private final Consumer<String> console;
    private final RunResults results = new RunResults();
    private final ServerSocket server;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "autobahn-fuzzingserver-connection");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore updates = new Semaphore(0);
    private final Thread acceptor;

    /**
     * Binds and starts accepting.
     *
     * @param catalogue the catalogue (for report titles)
     * @param cases     the selected cases; {@code case=N} indexes this list from 1
     * @param bind      address to bind
     * @param port      port, 0 for any free one
     * @param outDir    where {@code /updateReports} writes the reports
     * @param console   receives one line per event (case run, reports written)
     * @throws IOException if the port cannot be bound
     */
    public FuzzingServer(Catalogue catalogue, List<CaseEntry> cases, InetAddress bind, int port, Path outDir,
                         Consumer<String> console) throws IOException {
        this.catalogue = catalogue;
        this.cases = List.copyOf(cases);
        this.outDir = outDir;
        this.console = console;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(bind, port), 64);
        acceptor = new Thread(this::acceptLoop, "autobahn-fuzzingserver-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return the bound port */
    public int port() {
        return server.getLocalPort();
    }

    /** @return the results so far */
    public RunResults results() {
        return results;
    }

    /**
     * Waits until a client has asked for {@code /updateReports} and the reports are written. Each
     * update is reported to one call: after two updates, two calls return at once.
     *
     * @param timeout the longest wait
     * @return true if it happened in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitReportUpdate(Duration timeout) throws InterruptedException {
        return updates.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                workers.execute(() -> serve(s));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    console.accept("accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(CaseRuns.HANDSHAKE_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 65536);
            Handshake.Request req;
            try {
                req = Handshake.parseRequest(Handshake.readHead(in));
            } catch (IOException e) {
                httpError(out, 400, "Bad Request", e.getMessage());
                return;
            }
            String bad = Handshake.checkClientRequest(req);
            if (bad != null) {
                boolean version = bad.contains("Version");
                httpError(out, version ? 426 : 400, version ? "Upgrade Required" : "Bad Request",
                        "not a WebSocket upgrade request: " + bad);
                return;
            }
            String agent = req.query().get("agent");
            switch (req.path()) {
                case "/getCaseCount" -> reply(socket, in, out, req, String.valueOf(cases.size()), null);
                case "/runCase" -> {
                    CaseEntry entry = caseParam(req, out);
                    if (entry == null) {
                        return;
                    }
                    if (agent == null || agent.isEmpty()) {
                        httpError(out, 400, "Bad Request", "/runCase needs an agent parameter");
                        return;
                    }
                    int index = cases.indexOf(entry) + 1;
                    console.accept("running case " + entry.id() + " (" + index + "/" + cases.size() + ") for agent " + agent);
                    CaseResult r = CaseRuns.runAsServer(entry, index, agent, socket, in, out, req);
                    results.add(r);
                    console.accept("case " + entry.id() + " for " + agent + ": " + r.behavior().label() + " / "
                            + r.behaviorClose().label() + " in " + r.durationMillis() + " ms");
                }
                case "/updateReports" -> {
                    if (agent == null || agent.isEmpty()) {
                        httpError(out, 400, "Bad Request", "/updateReports needs an agent parameter");
                        return;
                    }
                    results.writeReports(outDir, catalogue);
                    console.accept("reports written to " + outDir.toAbsolutePath());
                    reply(socket, in, out, req, null, updates::release);
                }
                case "/getCaseInfo" -> {
                    CaseEntry entry = caseParam(req, out);
                    if (entry != null) {
                        Map<String, Object> info = new LinkedHashMap<>();
                        info.put("id", entry.id());
                        info.put("description", entry.description());
                        reply(socket, in, out, req, JsonWriter.write(info), null);
                    }
                }
                case "/getCaseStatus" -> {
                    CaseEntry entry = caseParam(req, out);
                    if (entry != null) {
                        CaseResult r = agent == null ? null : results.get(agent, entry.id());
                        Map<String, Object> status = new LinkedHashMap<>();
                        status.put("behavior", r == null ? null : r.behavior().label());
                        reply(socket, in, out, req, JsonWriter.write(status), null);
                    }
                }
                default -> httpError(out, 404, "Not Found", "unknown path " + req.path()
                        + " (use /getCaseCount, /runCase, /updateReports, /getCaseInfo, /getCaseStatus)");
            }
        } catch (IOException | RuntimeException e) {
            console.accept("connection failed: " + e);
        }
    }

    private CaseEntry caseParam(Handshake.Request req, OutputStream out) throws IOException {
        String tuple = req.query().get("casetuple");
        if (tuple != null) {
            for (int i = 0; i < cases.size(); i++) {
                if (cases.get(i).id().equals(tuple.strip())) {
                    return cases.get(i);
                }
            }
            httpError(out, 404, "Not Found", "case " + tuple + " is not among the selected cases");
            return null;
        }
        String c = req.query().get("case");
        int n;
        try {
            n = Integer.parseInt(c);
        } catch (NumberFormatException e) {
            httpError(out, 400, "Bad Request", "need case=N with N in 1.." + cases.size() + ", got " + c);
            return null;
        }
        if (n < 1 || n > cases.size()) {
            httpError(out, 404, "Not Found", "case " + n + " not found: there are " + cases.size() + " cases");
            return null;
        }
        return cases.get(n - 1);
    }

    /** Completes the upgrade, sends {@code text} if not null, and closes the WebSocket cleanly. */
    private static void reply(Socket socket, InputStream in, OutputStream out, Handshake.Request req, String text,
                              Runnable afterClose) throws IOException {
        CaseEntry control = new CaseEntry("0", "control", "control", () -> new ControlReply(text));
        CaseRuns.runAsServer(control, 0, "control", socket, in, out, req);
        if (afterClose != null) {
            afterClose.run();
        }
    }

    private static void httpError(OutputStream out, int status, String reason, String message) throws IOException {
        out.write(Handshake.errorResponse(status, reason, message).getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends one text message and closes: the answer of the control paths. */
    private static final class ControlReply extends AutobahnCase {
        private final String text;

        ControlReply(String text) {
            super("0", "control reply", "control reply");
            this.text = text;
        }

        @Override
        public Duration timeBound() {
            return Duration.ofSeconds(5);
        }

        @Override
        public void onOpen(CaseContext ctx) {
            if (text != null) {
                ctx.sendMessage(text.getBytes(StandardCharsets.UTF_8), false, 0);
            }
            ctx.sendClose(1000);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // the port is released either way
        }
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }
}
