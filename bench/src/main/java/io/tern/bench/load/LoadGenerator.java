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
 * framing, HdrHistogram for latency. Three scenarios against any server with the demo server's
 * {@code /echo} and {@code /broadcast} contract:
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
 *       are measured before and after, giving bytes per connection.</li>
 * </ul>
 * Every number is taken after a warm-up, over the measured window only.
 *
 * <p>Why one class of some 400 lines: the three scenarios share the connect phase, the selector
 * loop and the measurement window, and each is a few callbacks over them.
 *
 * <p>Threading contract: not thread-safe; {@link #run} runs everything on the calling thread.
 */
public final class LoadGenerator {

    /**
     * What to run.
     *
     * @param scenario        {@code echo}, {@code broadcast} or {@code idle}
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
     */
    public record Settings(String scenario, String host, int port, int connections, int inFlight, int payload,
            double seconds, double warmupSeconds, int publishers, double rate, long serverPid) {
        /**
         * The same settings against another server.
         *
         * @param serverPort the server's port
         * @param pid        the server's process id
         * @return changed settings
         */
        public Settings withServer(int serverPort, long pid) {
            return new Settings(scenario, host, serverPort, connections, inFlight, payload, seconds, warmupSeconds,
                    publishers, rate, pid);
        }

        /** Checks the values. */
        public Settings {
            if (!List.of("echo", "broadcast", "idle").contains(scenario)) {
                throw new IllegalArgumentException("scenario must be echo, broadcast or idle: " + scenario);
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
        long now = System.nanoTime();
        loop(now + (long) (settings.warmupSeconds() * 1e9), tick);
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
            while (started < count && pending < MAX_PENDING_HANDSHAKES) {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (sources > 1) {
                    ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    ch.bind(new InetSocketAddress("127.0.0." + (1 + started % sources), 0));
                }
                LoadConnection c = new LoadConnection(started, ch, hostHeader, path, receiver, outCapacity, keys);
                connections.add(c);
                c.prepareHandshake(WebSocketAccept.generateKey());
                boolean done = ch.connect(server);
                c.key = ch.register(selector, done ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, c);
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
                    try {
                        c.channel.finishConnect();
                    } catch (IOException e) {
                        throw new IOException("connection " + c.index + " to " + server + ": " + e.getMessage(), e);
                    }
                    key.interestOps(SelectionKey.OP_WRITE);
                }
                if (key.isWritable()) {
                    if (c.isOpen()) {
                        c.flush();
                    } else if (c.writeHandshake()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
                if (key.isReadable()) {
                    boolean wasOpen = c.isOpen();
                    if (c.read(readBuffer) < 0) {
                        throw new IOException("connection " + c.index + ": " + c.failure());
                    }
                    if (!wasOpen && c.isOpen()) {
                        pending--;
                        opened++;
                    }
                }
            }
        }
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
