package io.tern.transport.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The heap an idle server connection costs once its handshake is done: the server's heap after
 * full collections with 2,000 open connections, minus the heap before, per connection. The peers
 * run in a child JVM, so only the server's side is counted.
 */
@Timeout(120)
class IdleConnectionHeapTest {

    private static final int CONNECTIONS = 2000;

    @Test
    void anIdleConnectionCostsLessThanTwoKibibytesOfHeap() throws Exception {
        ConnectionSettings quiet = ConnectionSettings.defaults().withHeartbeat(Duration.ZERO, Duration.ofSeconds(1));
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/idle", new WebSocketHandler<Object>() { }, quiet).build().start()) {
            long before = heapAfterGc();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process peers = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp",
                    Path.of("target", "test-classes").toAbsolutePath().toString(), IdlePeers.class.getName(),
                    Integer.toString(server.port()), Integer.toString(CONNECTIONS), "/idle")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(peers.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("READY", out.readLine(), "the child's peers connected");
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (server.openConnections() < CONNECTIONS && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals(CONNECTIONS, server.openConnections());
                long after = heapAfterGc();
                double perConnection = (after - before) / (double) CONNECTIONS;
                System.out.printf("idle server connection: %.0f bytes of heap%n", perConnection);
                assertTrue(perConnection < 2048, perConnection + " bytes per idle connection");
            } finally {
                peers.getOutputStream().close(); // the child closes its sockets and ends
                if (!peers.waitFor(10, TimeUnit.SECONDS)) {
                    peers.destroyForcibly();
                }
            }
        }
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
