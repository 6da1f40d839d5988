package io.tern.bench.load;

import io.tern.codec.MaskKeySource;
import io.tern.codec.handshake.WebSocketAccept;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The end-to-end load generator: one thread, one {@link Selector}, NIO sockets, Tern's codec for
 * framing, HdrHistogram for latency, the JDK's {@code SSLEngine} for {@code wss://} when the
 * settings carry a {@link TlsClient} ({@link ClientTls}). Four scenarios against any server with
 * the demo server's {@code /echo} and {@code /broadcast} contract:
 * <ul>
 *   <li>{@code echo}: C connections, D messages in flight on each, payload S bytes; every answer
 *       is timed from its send (the first 8 payload bytes carry {@link System#nanoTime()}) and
 *       answered with the next message (closed loop);</li>
 *   <li>{@code broadcast}: C connections to {@code /broadcast}, the first P of which publish.
 *       Closed loop: each publisher keeps D messages in flight, sending the next when one of its
 *       own comes back. Open loop ({@code rate > 0}): messages leave on a fixed schedule of
 *       {@code rate} per second whatever the server does, and each delivery is timed from its
 *       <em>intended</em> send time, so a stalled server shows as latency, not as fewer samples
 *       (no coordinated omission);</li>
 *   <li>{@code idle}: C connections opened from several 127.0.0.x source addresses (each has its
 *       own ephemeral port range) and held; the server's heap after a full collection and its RSS
 *       are measured before and after, giving bytes per connection. The open-files limit is
 *       checked first;</li>
 *   <li>{@code handshake}: connections opened, upgraded and closed over and over
 *       ({@link HandshakeRate}).</li>
 * </ul>
 * Every number is taken after a warm-up, over the measured window only.
 *
 * <p>Why one class of some 570 lines: echo, broadcast and idle share the connect phase, the
 * selector loop and the measurement window, and each is a few callbacks over them; the static
 * connect helpers and the warm-up are shared with {@link HandshakeRate}. (Moving those helpers
 * into a class of their own is the obvious next split.)
 *
 * <p>Threading contract: not thread-safe; {@link #run} runs everything on the calling thread.
 */
public final class LoadGenerator {

    /**
     * What to run.
     *
     * @param scenario        {@code echo}, {@code broadcast}, {@code idle} or {@code handshake}
     * @param host            the server's address
     * @param port            the server's port
     * @param connections     C
     * @param inFlight        D, messages in flight per connection (echo) or per publisher
     * @param payload         S, bytes per message, at least 12
     * @param seconds         T, the measured window (idle: how long connections are held)
     * @param warmupSeconds   load before measuring starts
     * @param publishers      P (broadcast)
     * @param rate            messages per second in all for the open-loop broadcast, 0 for closed loop
     * @param serverPid       the server's process id for CPU and memory readings, 0 if unknown
     * @param tls             {@code wss://} with these client settings, or {@code null} for {@code ws://}
     */
    public record Settings(String scenario, String host, int port, int connections, int inFlight, int payload,
            double seconds, double warmupSeconds, int publishers, double rate, long serverPid, TlsClient tls) {

        /**
         * Settings over plain TCP ({@code ws://}).
         *
         * @param scenario      {@code echo}, {@code broadcast}, {@code idle} or {@code handshake}
         * @param host          the server's address
         * @param port          the server's port
         * @param connections   C (handshake: clients opening and closing connections at once)
         * @param inFlight      D
         * @param payload       S bytes
         * @param seconds       T
         * @param warmupSeconds warm-up
         * @param publishers    P
         * @param rate          open-loop rate or 0
         * @param serverPid     the server's process id or 0
         */
        public Settings(String scenario, String host, int port, int connections, int inFlight, int payload,
                double seconds, double warmupSeconds, int publishers, double rate, long serverPid) {
            this(scenario, host, port, connections, inFlight, payload, seconds, warmupSeconds, publishers, rate,
                    serverPid, null);
        }

        /**
         * The same settings over TLS.
         *
         * @param client the client's TLS settings, {@code null} for plain TCP
         * @return changed settings
         */
        public Settings withTls(TlsClient client) {
            return new Settings(scenario, host, port, connections, inFlight, payload, seconds, warmupSeconds,
                    publishers, rate, serverPid, client);
        }

        /**
         * The same settings against another server.
         *
         * @param serverPort the server's port
         * @param pid        the server's process id
         * @return changed settings
         */
        public Settings withServer(int serverPort, long pid) {
            return new Settings(scenario, host, serverPort, connections, inFlight, payload, seconds, warmupSeconds,
                    publishers, rate, pid, tls);
        }

        /** Checks the values. */
        public Settings {
            if (!List.of("echo", "broadcast", "idle", "handshake").contains(scenario)) {
                throw new IllegalArgumentException("scenario must be echo, broadcast, idle or handshake: " + scenario);
            }
            if (connections < 1 || inFlight < 1 || payload < 12 || seconds <= 0 || warmupSeconds < 0) {
                throw new IllegalArgumentException("need connections >= 1, in-flight >= 1, payload >= 12 bytes,"
                        + " seconds > 0: " + this);
            }
            if (scenario.equals("broadcast") && (publishers < 1 || publishers > connections)) {
                throw new IllegalArgumentException("publishers must be within 1.." + connections + ": " + publishers);
            }
        }
    }

    /** Source ports per 127.0.0.x address (the default range 32768-60999 holds 28,232). */
    static final int CONNECTIONS_PER_SOURCE_ADDRESS = 25_000;
    private static final int MAX_PENDING_HANDSHAKES = 512;
    /**
     * Over TLS, fewer at a time: a cold server on a shared core could otherwise take longer than
     * its handshake timeout (10 s in both servers) for some of 32 simultaneous TLS handshakes.
     */
    private static final int MAX_PENDING_TLS_HANDSHAKES = 4;

    private final Settings settings;
    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private final List<LoadConnection> connections = new ArrayList<>();
    private final MaskKeySource keys = MaskKeySource.secure();
    private final ByteBuffer message;
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private boolean measuring;
    private boolean sending;
    private long received;
    private long receivedBytes;
    private long skipped;
    private String failure;
    private String negotiated = "none";

    private LoadGenerator(Settings settings) throws IOException {
        this.settings = settings;
        this.selector = Selector.open();
        this.message = ByteBuffer.allocate(settings.payload());
        for (int i = 12; i < settings.payload(); i++) {
            message.put(i, (byte) ('a' + i % 26));
        }
    }

    /**
     * Runs one scenario and returns its results (JSON-ready: numbers, strings, the encoded
     * histogram under {@code histogram}).
     *
     * @param settings what to run
     * @return the results
     * @throws IOException if connecting fails or a connection fails while measuring
     */
    public static Map<String, Object> run(Settings settings) throws IOException {
        LoadGenerator g = new LoadGenerator(settings);
        try {
            return switch (settings.scenario()) {
                case "echo" -> g.echo();
                case "broadcast" -> g.broadcast();
                case "handshake" -> HandshakeRate.run(settings, g.selector, g.readBuffer);
                default -> g.idle();
            };
        } finally {
            g.closeAll();
        }
    }

    private Map<String, Object> echo() throws IOException {
        connect("/echo", settings.connections(), (c, payload) -> {
            long now = System.nanoTime();
            record(now - payload.getLong(payload.position()), payload.remaining());
            if (sending) {
                queue(c, now, 0);
            }
        }, Math.max(64 * 1024, settings.inFlight() * (settings.payload() + 14) * 2));
        sending = true;
        for (LoadConnection c : connections) {
            for (int i = 0; i < settings.inFlight(); i++) {
                send(c, System.nanoTime(), 0);
            }
        }
        return measure(null);
    }

    private Map<String, Object> broadcast() throws IOException {
        int publishers = settings.publishers();
        boolean openLoop = settings.rate() > 0;
        connect("/broadcast", settings.connections(), (c, payload) -> {
            long now = System.nanoTime();
            long sent = payload.getLong(payload.position());
            int publisher = payload.getInt(payload.position() + 8);
            record(now - sent, payload.remaining());
            if (!openLoop && sending && publisher == c.index) {
                queue(c, now, publisher);
            }
        }, Math.max(256 * 1024, settings.inFlight() * (settings.payload() + 14) * 4));
        sending = true;
        Runnable tick = null;
        if (openLoop) {
            long start = System.nanoTime();
            double interval = 1e9 / settings.rate();
            long[] n = {0};
            tick = () -> {
                long now = System.nanoTime();
                long due;
                while ((due = start + (long) (n[0] * interval)) <= now && sending) {
                    int p = (int) (n[0] % publishers);
                    if (!send(connections.get(p), due, p)) {
                        skipped++;
                    }
                    n[0]++;
                }
            };
        } else {
            for (int p = 0; p < publishers; p++) {
                for (int i = 0; i < settings.inFlight(); i++) {
                    send(connections.get(p), System.nanoTime(), p);
                }
            }
        }
        Map<String, Object> result = measure(tick);
        result.put("publishers", publishers);
        result.put("mode", openLoop ? "open-loop" : "closed-loop");
        result.put("targetRate", settings.rate());
        result.put("skippedSends", skipped);
        return result;
    }

    private Map<String, Object> idle() throws IOException {
        checkDescriptors(settings.connections(), ProcStats.openFileSoftLimit());
        long pid = settings.serverPid();
        long heapBefore = pid > 0 ? ProcStats.heapUsedAfterGc(pid) : -1;
        long rssBefore = pid > 0 ? ProcStats.rssBytes(pid) : -1;
        long t0 = System.nanoTime();
        connect("/echo", settings.connections(), (c, payload) -> { }, 4096);
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        loop(System.nanoTime() + (long) (settings.seconds() * 1e9), null);
        long heapAfter = pid > 0 ? ProcStats.heapUsedAfterGc(pid) : -1;
        long rssAfter = pid > 0 ? ProcStats.rssBytes(pid) : -1;
        int open = 0;
        for (LoadConnection c : connections) {
            if (c.isOpen() && c.channel.isOpen()) {
                open++;
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", "idle");
        r.put("connections", settings.connections());
        r.put("openAtEnd", open);
        r.put("sourceAddresses", sourceAddresses(settings.connections()));
        r.put("tls", negotiated);
        r.put("connectSeconds", connectSeconds);
        r.put("heldSeconds", settings.seconds());
        r.put("serverHeapBefore", heapBefore);
        r.put("serverHeapAfter", heapAfter);
        r.put("serverRssBefore", rssBefore);
        r.put("serverRssAfter", rssAfter);
        r.put("heapBytesPerConnection", heapBefore < 0 || heapAfter < 0 ? -1 : (heapAfter - heapBefore) / (double) open);
        r.put("rssBytesPerConnection", rssBefore < 0 || rssAfter < 0 ? -1 : (rssAfter - rssBefore) / (double) open);
        if (failure != null) {
            r.put("failure", failure);
        }
        return r;
    }

    /** Runs the generator's loop until the given {@link System#nanoTime()} deadline. */
    interface Loop {
        void until(long deadline) throws IOException;
    }

    /** Warm-up CPU the server must have used, per second of warm-up asked for. */
    static final double WARMUP_SERVER_CPU_PER_SECOND = 0.5;

    /**
     * The warm-up: at least {@code warmupSeconds} of wall time; over TLS, also on until the
     * server has used {@code warmupSeconds × 0.5} seconds of CPU (its JIT compiles on its own
     * core, so on a shared machine where it gets a tenth of that core, wall time alone leaves
     * the TLS code cold), but never longer than ten times the wall time asked for. Plain runs
     * keep the wall-time warm-up (an open-loop broadcast may never use half a core).
     *
     * @param settings the settings (warm-up and server pid)
     * @param loop     runs the load until a deadline
     * @throws IOException if the load fails
     */
    static void warmUp(Settings settings, Loop loop) throws IOException {
        long start = System.nanoTime();
        long pid = settings.serverPid();
        double cpu0 = pid > 0 ? ProcStats.cpuSeconds(pid) : 0;
        long wall = (long) (settings.warmupSeconds() * 1e9);
        loop.until(start + wall);
        double wanted = settings.warmupSeconds() * WARMUP_SERVER_CPU_PER_SECOND;
        while (settings.tls() != null && pid > 0 && cpu0 >= 0 && ProcStats.cpuSeconds(pid) - cpu0 < wanted
                && System.nanoTime() - start < 10 * wall) {
            loop.until(System.nanoTime() + 250_000_000L);
        }
    }

    /** Number of 127.0.0.x source addresses for {@code count} connections. */
    static int sourceAddresses(int count) {
        return (count + CONNECTIONS_PER_SOURCE_ADDRESS - 1) / CONNECTIONS_PER_SOURCE_ADDRESS;
    }

    /** Writes one message with its timestamp and publisher at once; false when it did not fit. */
    private boolean send(LoadConnection c, long timestamp, int publisher) {
        message.clear();
        message.putLong(0, timestamp).putInt(8, publisher);
        try {
            return c.send(message);
        } catch (IOException e) {
            failure = "connection " + c.index + ": " + e.getMessage();
            return false;
        }
    }

    /**
     * Queues one message; the selector loop writes it after the read that caused it (one write
     * per read, however many answers it produced).
     */
    private boolean queue(LoadConnection c, long timestamp, int publisher) {
        message.clear();
        message.putLong(0, timestamp).putInt(8, publisher);
        return c.queue(message);
    }

    private void record(long nanos, int bytes) {
        if (measuring) {
            latency.recordValue(Math.max(0, Math.min(nanos, latency.getHighestTrackableValue())));
            received++;
            receivedBytes += bytes;
        }
    }

    /** Warm-up, then the measured window; the results of echo and broadcast. */
    private Map<String, Object> measure(Runnable tick) throws IOException {
        warmUp(settings, deadline -> loop(deadline, tick));
        long pid = settings.serverPid();
        long self = ProcessHandle.current().pid();
        double serverCpu0 = pid > 0 ? ProcStats.cpuSeconds(pid) : -1;
        double selfCpu0 = ProcStats.cpuSeconds(self);
        long start = System.nanoTime();
        measuring = true;
        loop(start + (long) (settings.seconds() * 1e9), tick);
        measuring = false;
        long end = System.nanoTime();
        sending = false;
        double serverCpu = pid > 0 ? ProcStats.cpuSeconds(pid) - serverCpu0 : -1;
        double selfCpu = ProcStats.cpuSeconds(self) - selfCpu0;
        double seconds = (end - start) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", settings.scenario());
        r.put("connections", settings.connections());
        r.put("inFlight", settings.inFlight());
        r.put("payload", settings.payload());
        r.put("seconds", seconds);
        r.put("messages", received);
        r.put("messagesPerSecond", received / seconds);
        r.put("megabytesPerSecond", receivedBytes / seconds / 1e6);
        r.putAll(Percentiles.of(latency));
        r.put("tls", negotiated);
        r.put("histogram", Percentiles.encode(latency));
        r.put("serverCpu", pid > 0 ? serverCpu / seconds : -1);
        r.put("loadGeneratorCpu", selfCpu / seconds);
        if (failure != null) {
            r.put("failure", failure);
        }
        return r;
    }

    /** Runs the selector until {@code deadline} ({@link System#nanoTime()}). */
    private void loop(long deadline, Runnable tick) throws IOException {
        while (true) {
            long now = System.nanoTime();
            if (now >= deadline) {
                return;
            }
            if (tick != null) {
                tick.run();
                selector.selectNow();
            } else {
                selector.select(Math.max(1, Math.min(100, (deadline - now) / 1_000_000)));
            }
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                LoadConnection c = (LoadConnection) key.attachment();
                if (key.isValid() && key.isWritable()) {
                    c.flush();
                }
                if (key.isValid() && key.isReadable()) {
                    if (c.read(readBuffer) < 0) {
                        throw new IOException("connection " + c.index + " failed: " + c.failure());
                    }
                    c.flush();
                }
            }
            if (failure != null) {
                throw new IOException(failure);
            }
        }
    }

    /** Opens {@code count} connections to {@code path}, at most 512 handshakes at a time. */
    private void connect(String path, int count, LoadConnection.Receiver receiver, int outCapacity) throws IOException {
        InetSocketAddress server = new InetSocketAddress(settings.host(), settings.port());
        String hostHeader = settings.host() + ":" + settings.port();
        int sources = sourceAddresses(count);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + count / 500);
        int started = 0;
        int pending = 0;
        int opened = 0;
        while (opened < count) {
            int maxPending = settings.tls() == null ? MAX_PENDING_HANDSHAKES : MAX_PENDING_TLS_HANDSHAKES;
            while (started < count && pending < maxPending) {
                LoadConnection c = open(started, started % sources, sources, server, hostHeader, path, receiver,
                        outCapacity, keys, settings.tls(), selector);
                connections.add(c);
                started++;
                pending++;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("only " + opened + " of " + count + " connections opened in time");
            }
            selector.select(100);
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                LoadConnection c = (LoadConnection) key.attachment();
                if (!key.isValid()) {
                    continue;
                }
                if (key.isConnectable()) {
                    finishConnect(c, server, settings.tls());
                }
                if (c.isOpen()) {
                    if (key.isWritable()) {
                        c.flush();
                    }
                    if (key.isReadable() && c.read(readBuffer) < 0) {
                        throw new IOException("connection " + c.index + ": " + c.failure());
                    }
                } else if (key.isWritable() || key.isReadable()) {
                    int ops = c.advanceOpening(readBuffer);
                    if (ops < 0) {
                        throw new IOException("connection " + c.index + ": " + c.failure());
                    }
                    key.interestOps(ops);
                    if (c.isOpen()) {
                        pending--;
                        opened++;
                        negotiated = c.tlsNegotiated();
                    }
                }
            }
        }
    }

    /**
     * Starts one connection: a non-blocking socket bound to source address {@code 127.0.0.(1+source)}
     * when {@code sources > 1}, connecting, registered for OP_CONNECT (or OP_WRITE when already
     * connected).
     */
    static LoadConnection open(int index, int source, int sources, InetSocketAddress server, String hostHeader,
            String path, LoadConnection.Receiver receiver, int outCapacity, MaskKeySource keys, TlsClient tls,
            Selector selector) throws IOException {
        SocketChannel ch;
        try {
            ch = SocketChannel.open();
        } catch (IOException e) {
            throw new IOException(descriptorHint(index, e), e);
        }
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (sources > 1) {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(new InetSocketAddress("127.0.0." + (1 + source), 0));
            }
            LoadConnection c = new LoadConnection(index, ch, hostHeader, path, receiver, outCapacity, keys);
            c.startedNanos = System.nanoTime();
            c.prepareHandshake(WebSocketAccept.generateKey());
            boolean done = ch.connect(server);
            c.key = ch.register(selector, done ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, c);
            if (done && tls != null) {
                c.startTls(tls.engine(server.getHostString(), index));
            }
            return c;
        } catch (IOException e) {
            ch.close();
            throw new IOException("connection " + index + " from 127.0.0." + (1 + source) + ": " + e.getMessage(), e);
        }
    }

    /** Completes a TCP connect and starts TLS when asked for; then the opening waits to write. */
    static void finishConnect(LoadConnection c, InetSocketAddress server, TlsClient tls) throws IOException {
        try {
            c.channel.finishConnect();
        } catch (IOException e) {
            throw new IOException("connection " + c.index + " to " + server + ": " + e.getMessage(), e);
        }
        if (tls != null) {
            c.startTls(tls.engine(server.getHostString(), c.index));
        }
        c.key.interestOps(SelectionKey.OP_WRITE);
    }

    /** Descriptors a JVM uses besides its connections (jars, selector, epoll, pipes), with room to spare. */
    static final int DESCRIPTOR_RESERVE = 200;

    /**
     * Fails at once, naming the limit, when {@code connections} cannot be held under this
     * process's open-files limit (rather than after minutes of connecting).
     *
     * @param connections the connections to hold at once
     * @param limit       the soft limit on open files, or -1 when unknown or unlimited
     * @throws IOException when the limit is too low
     */
    static void checkDescriptors(int connections, long limit) throws IOException {
        if (limit >= 0 && connections + DESCRIPTOR_RESERVE > limit) {
            throw new IOException(connections + " connections need " + (connections + DESCRIPTOR_RESERVE)
                    + " file descriptors in the load generator (and as many in the server), but this process may open "
                    + ProcStats.openFileLimit() + " (ulimit -n; hard limit: ulimit -Hn; raising the hard limit needs"
                    + " CAP_SYS_RESOURCE or a higher nofile limit for the container)");
        }
    }

    /**
     * The message for a socket that could not be opened: running out of file descriptors
     * ({@code EMFILE}, "Too many open files") names the process's limit, which every
     * connection counts against (and which the server process has as well).
     */
    static String descriptorHint(int index, IOException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("Too many open files")) {
            return "cannot open connection " + index + ": out of file descriptors (" + m + "); this process may"
                    + " open " + ProcStats.openFileLimit() + " files (ulimit -n; hard limit: ulimit -Hn)."
                    + " Each connection needs one here and one in the server; raising the hard limit needs"
                    + " CAP_SYS_RESOURCE or a higher nofile limit for the container";
        }
        return "cannot open connection " + index + ": " + m;
    }

    private void closeAll() {
        for (LoadConnection c : connections) {
            try {
                // an abortive close: no TIME_WAIT left on the source ports for the next run
                c.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                c.channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        connections.clear();
        try {
            selector.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
