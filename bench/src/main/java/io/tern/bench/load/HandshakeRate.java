package io.tern.bench.load;

import io.tern.codec.MaskKeySource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The {@code handshake} scenario of the {@link LoadGenerator}: C clients each open a connection
 * to {@code /echo} (TCP connect, the TLS handshake when the settings ask for TLS, the HTTP
 * upgrade), send a close frame as soon as the upgrade is answered, read the server's close
 * frame and its end of stream (after its close_notify over TLS), answer with close_notify and
 * close, and start over. The rate is completed cycles per second in the measured window; the
 * latency is the time from the start of the TCP connect to the {@code 101} response.
 *
 * <p>The client closes last and with an abortive close (SO_LINGER 0) once the server has closed
 * its side, so neither side keeps the connection in TIME_WAIT and a long run does not use up
 * the source ports.
 *
 * <p>Not thread-safe: everything runs on the calling thread.
 */
final class HandshakeRate {

    private final LoadGenerator.Settings settings;
    private final Selector selector;
    private final ByteBuffer readBuffer;
    private final InetSocketAddress server;
    private final String hostHeader;
    private final MaskKeySource keys = MaskKeySource.secure();
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private final Set<LoadConnection> live = new HashSet<>();
    private int nextIndex;
    private boolean measuring;
    private long completed;
    private long failed;
    private String firstFailure;
    private String negotiated = "none";

    private HandshakeRate(LoadGenerator.Settings settings, Selector selector, ByteBuffer readBuffer) {
        this.settings = settings;
        this.selector = selector;
        this.readBuffer = readBuffer;
        this.server = new InetSocketAddress(settings.host(), settings.port());
        this.hostHeader = settings.host() + ":" + settings.port();
    }

    /**
     * Runs the scenario.
     *
     * @param settings   C in {@code connections}, the window in {@code seconds}, TLS in {@code tls}
     * @param selector   the generator's selector (empty)
     * @param readBuffer the generator's read buffer
     * @return the results: {@code messagesPerSecond} holds completed handshake cycles per second
     * @throws IOException when a connection cannot be opened or most cycles fail
     */
    static Map<String, Object> run(LoadGenerator.Settings settings, Selector selector, ByteBuffer readBuffer)
            throws IOException {
        HandshakeRate h = new HandshakeRate(settings, selector, readBuffer);
        try {
            return h.measure();
        } finally {
            for (LoadConnection c : h.live) {
                abort(c);
            }
        }
    }

    private Map<String, Object> measure() throws IOException {
        for (int i = 0; i < settings.connections(); i++) {
            startOne();
        }
        LoadGenerator.warmUp(settings, this::loop);
        long pid = settings.serverPid();
        double serverCpu0 = pid > 0 ? ProcStats.cpuSeconds(pid) : -1;
        double selfCpu0 = ProcStats.cpuSeconds(ProcessHandle.current().pid());
        long start = System.nanoTime();
        measuring = true;
        loop(start + (long) (settings.seconds() * 1e9));
        // a window too short for one cycle on a starved core goes on until one completes (at most
        // 30 s more): the rate stays cycles over the window's real length
        long extended = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (completed == 0 && System.nanoTime() < extended) {
            loop(System.nanoTime() + 100_000_000L);
        }
        measuring = false;
        double seconds = (System.nanoTime() - start) / 1e9;
        double serverCpu = pid > 0 ? (ProcStats.cpuSeconds(pid) - serverCpu0) / seconds : -1;
        double selfCpu = (ProcStats.cpuSeconds(ProcessHandle.current().pid()) - selfCpu0) / seconds;
        if (completed == 0) {
            throw new IOException("no handshake cycle completed in " + seconds + " s; " + failed + " failed, first: "
                    + firstFailure);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", "handshake");
        r.put("connections", settings.connections());
        r.put("seconds", seconds);
        r.put("messages", completed);
        r.put("messagesPerSecond", completed / seconds);
        r.put("handshakesPerSecond", completed / seconds);
        r.put("megabytesPerSecond", 0.0);
        r.put("failedCycles", failed);
        r.putAll(Percentiles.of(latency));
        r.put("histogram", Percentiles.encode(latency));
        r.put("serverCpu", serverCpu);
        r.put("loadGeneratorCpu", selfCpu);
        r.put("tls", negotiated);
        if (firstFailure != null) {
            r.put("firstFailedCycle", firstFailure);
        }
        return r;
    }

    private void startOne() throws IOException {
        LoadConnection c = LoadGenerator.open(nextIndex++, 0, 1, server, hostHeader, "/echo", (conn, payload) -> { },
                256, keys, settings.tls(), selector);
        live.add(c);
    }

    private void loop(long deadline) throws IOException {
        while (System.nanoTime() < deadline) {
            selector.select(100);
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                LoadConnection c = (LoadConnection) key.attachment();
                if (!key.isValid()) {
                    continue;
                }
                try {
                    step(key, c);
                } catch (IOException e) {
                    fail(c, e.toString());
                }
            }
        }
    }

    private void step(SelectionKey key, LoadConnection c) throws IOException {
        if (key.isConnectable()) {
            LoadGenerator.finishConnect(c, server, settings.tls());
            return;
        }
        if (!c.isOpen()) {
            int ops = c.advanceOpening(readBuffer);
            if (ops < 0) {
                fail(c, c.failure());
                return;
            }
            if (c.isOpen()) {
                if (measuring) {
                    latency.recordValue(Math.min(System.nanoTime() - c.startedNanos, latency.getHighestTrackableValue()));
                }
                negotiated = c.tlsNegotiated();
                c.sendClose();
                return;
            }
            key.interestOps(ops);
            return;
        }
        if (key.isWritable()) {
            c.flush();
        }
        if (key.isReadable() && c.read(readBuffer) < 0) {
            if (c.closedCleanly()) {
                if (measuring) {
                    completed++;
                }
                c.closeTls();
                replace(c);
            } else {
                fail(c, c.failure());
            }
        }
    }

    private void fail(LoadConnection c, String why) throws IOException {
        failed++;
        if (firstFailure == null) {
            firstFailure = "connection " + c.index + ": " + why;
        }
        if (failed > 100 && failed > completed) {
            throw new IOException(failed + " handshake cycles failed (" + completed + " completed); first: "
                    + firstFailure);
        }
        replace(c);
    }

    private void replace(LoadConnection c) throws IOException {
        live.remove(c);
        abort(c);
        startOne();
    }

    private static void abort(LoadConnection c) {
        try {
            c.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            c.channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
