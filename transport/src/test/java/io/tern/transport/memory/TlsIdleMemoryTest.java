package io.tern.transport.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.ConnectionSettings;
import io.tern.transport.TlsSettings;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.TlsCerts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an idle server connection costs once its handshakes are done, over plain TCP and over TLS
 * 1.3: heap after full collections and the JVM's direct memory, with {@value #WARM} connections
 * open and then with {@value #MEASURED} more, per connection (the slope, so one-time costs such
 * as class loading, the loop's shared buffers and the buffer pool's idle reserve are left out).
 * The peers run in a child JVM, so only the server's side is counted. Printed, and bounded: an
 * idle TLS connection holds no direct buffer (its records are decrypted into the loop's shared
 * buffer) and a few KiB of heap (the engine's state; the server's TLS session cache counted
 * separately).
 */
@Timeout(180)
class TlsIdleMemoryTest {

    private static final int WARM = 100;
    private static final int MEASURED = 500;

    record Cost(double heap, double direct) {
    }

    @Test
    void anIdleTlsConnectionHoldsNoDirectBufferAndLittleHeap() throws Exception {
        Cost plain = measure(null);
        Cost tls = measure(TlsCerts.server());
        System.out.printf("idle server connection, per connection: plain %.0f B heap, %.0f B direct; "
                        + "TLS 1.3 %.0f B heap, %.0f B direct%n", plain.heap(), plain.direct(), tls.heap(), tls.direct());
        assertTrue(Math.abs(tls.direct()) < 256, tls.direct() + " bytes of direct memory per idle TLS connection");
        assertTrue(tls.heap() < 24 * 1024, tls.heap() + " bytes of heap per idle TLS connection, session cache included");
    }

    private static Cost measure(TlsSettings tls) throws Exception {
        ConnectionSettings quiet = ConnectionSettings.defaults().withHeartbeat(Duration.ZERO, Duration.ofSeconds(1));
        WebSocketServer.Builder b = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/idle", new WebSocketHandler<Object>() { }, quiet);
        if (tls != null) {
            b.tls(tls.withParameters(p -> p.setProtocols(new String[] {"TLSv1.3"})));
        }
        try (WebSocketServer server = b.build().start()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String ca = tls == null ? "-" : TlsCerts.dir().resolve("ca.pem").toString();
            Process peers = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                    Path.of("target", "test-classes").toAbsolutePath().toString(), TlsIdlePeers.class.getName(),
                    Integer.toString(server.port()), "/idle", ca)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(peers.getInputStream(), StandardCharsets.UTF_8));
                OutputStream in = peers.getOutputStream();
                long[] warm = open(server, in, out, WARM, WARM);
                long[] more = open(server, in, out, MEASURED, WARM + MEASURED);
                return new Cost((more[0] - warm[0]) / (double) MEASURED, (more[1] - warm[1]) / (double) MEASURED);
            } finally {
                peers.getOutputStream().close(); // the child closes its sockets and ends
                if (!peers.waitFor(20, TimeUnit.SECONDS)) {
                    peers.destroyForcibly();
                }
            }
        }
    }

    /** Asks the child for {@code n} more connections; returns heap and direct memory once open. */
    private static long[] open(WebSocketServer server, OutputStream in, BufferedReader out, int n, int total)
            throws Exception {
        in.write((n + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
        assertEquals("READY " + total, out.readLine(), "the child's peers connected");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.openConnections() < total && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(total, server.openConnections());
        Thread.sleep(200); // the last handshake tasks and flushes settle
        return new long[] {heapAfterGc(), direct()};
    }

    private static long direct() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }

    private static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
