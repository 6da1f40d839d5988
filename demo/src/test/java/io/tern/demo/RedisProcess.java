package io.tern.demo;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * (The same helper as pubsub-redis's tests have; test code is not shared between modules.)
 * A real {@code redis-server} started by a test on a free 127.0.0.1 port with a throwaway
 * configuration (no snapshots, no append-only file, its working directory under
 * {@code target/}), killed and restarted on the same port on demand, stopped by {@link #close}.
 * Only the process this class started is ever killed, by its handle.
 *
 * <p>Without {@code redis-server} the test is skipped with a message, or fails under
 * {@code CI=true}.
 */
final class RedisProcess implements AutoCloseable {

    private static final List<String> CANDIDATES = List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server");

    private final String binary;
    private final int port;
    private final Path dir;
    private Process process;

    private RedisProcess(String binary, int port, Path dir) {
        this.binary = binary;
        this.port = port;
        this.dir = dir;
    }

    /** Starts a Redis on a free port; skips (or fails under CI) without redis-server. */
    static RedisProcess start() throws IOException, InterruptedException {
        String binary = CANDIDATES.stream().filter(p -> new File(p).canExecute()).findFirst().orElse(null);
        if (binary == null) {
            String why = "redis-server is not installed (looked at " + CANDIDATES
                    + "); install Debian's redis-server as .ci/run does: apt-get install redis-server";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        int port;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            port = probe.getLocalPort();
        }
        Path dir = Files.createDirectories(Path.of("target", "redis", Integer.toString(port)));
        RedisProcess r = new RedisProcess(binary, port, dir);
        r.launch();
        return r;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Kills the server at once (SIGKILL): no goodbye to anyone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("redis-server did not die within 10 s");
        }
    }

    /** Starts a new, empty server on the same port. */
    void restart() throws IOException, InterruptedException {
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toAbsolutePath().toString(),
                "--protected-mode", "no", "--daemonize", "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            process = pb.start();
            if (awaitPong(process, deadline)) {
                return;
            }
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            if (System.nanoTime() > deadline) {
                throw new IOException("redis-server did not answer PING on port " + port + " within 10 s; see "
                        + dir.resolve("redis.log"));
            }
            Thread.sleep(100); // the port was still held (a restart right after a kill): try again
        }
    }

    private boolean awaitPong(Process p, long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(1000);
                OutputStream out = s.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[7];
                int n = in.readNBytes(buf, 0, 7);
                if (n == 7 && new String(buf, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
