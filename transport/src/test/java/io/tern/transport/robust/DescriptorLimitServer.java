package io.tern.transport.robust;

import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The child process of {@link DescriptorExhaustionTest}: an echo server on 127.0.0.1 with two
 * loops, run under a low file-descriptor limit, driven by one-line commands on standard input.
 *
 * <pre>
 * out: PORT p               once the server runs and has echoed one message to itself
 * in:  STATS                out: STATS acceptErrors=N loops=ALIVE/2 fds=F (F: -1 if unknown)
 * in:  QUIT                 shuts the server down and exits 0 (also at end of input)
 * </pre>
 *
 * With the argument {@code log-first} it logs one line through the transport's logger before it
 * starts, so that logging is already initialized when descriptors run out (otherwise the first
 * log call happens then, and may fail for want of a file).
 *
 * <p>Exits by itself after two minutes whatever happens, so a broken test leaves nothing behind.
 */
public final class DescriptorLimitServer {

    static final int LOOPS = 2;
    static final String LOOP_PREFIX = "tern-server-loop-";

    private DescriptorLimitServer() {
    }

    /**
     * Runs the child.
     *
     * @param args {@code log-first} or nothing
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("log-first")) {
            System.getLogger("io.tern.transport").log(System.Logger.Level.INFO, "child: logging works");
        }
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(2));
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(3);
        }, "child-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(LOOPS)
                .route("/echo", new WebSocketHandler<Void>() {
                    @Override
                    public void onText(WebSocket<Void> ws, ByteBuffer utf8, boolean last) {
                        ws.sendText(utf8);
                    }
                }).build().start();
        warmUp(server.port());
        System.out.println("PORT " + server.port());
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("STATS")) {
                System.out.println("STATS acceptErrors=" + server.stats().acceptErrors()
                        + " loops=" + liveLoops() + "/" + LOOPS + " fds=" + openDescriptors());
                System.out.flush();
            } else if (line.equals("QUIT")) {
                break;
            }
        }
        server.shutdown(Duration.ofSeconds(5));
        System.out.println("BYE");
        System.out.flush();
        System.exit(0);
    }

    /** One echo through the server, so that the classes a connection needs are loaded now. */
    private static void warmUp(int port) throws Exception {
        CompletableFuture<String> echoed = new CompletableFuture<>();
        try (WebSocketClient client = WebSocketClient.create(1)) {
            WebSocket<Void> ws = client.connect(URI.create("ws://127.0.0.1:" + port + "/echo"), new WebSocketHandler<Void>() {
                @Override
                public void onText(WebSocket<Void> w, ByteBuffer utf8, boolean last) {
                    echoed.complete(StandardCharsets.UTF_8.decode(utf8).toString());
                }
            }).get(10, TimeUnit.SECONDS);
            ws.sendText("warm-up");
            if (!"warm-up".equals(echoed.get(10, TimeUnit.SECONDS))) {
                throw new IllegalStateException("warm-up echo failed");
            }
        }
    }

    private static long liveLoops() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(LOOP_PREFIX) && t.isAlive()).count();
    }

    private static int openDescriptors() {
        String[] fds = new java.io.File("/proc/self/fd").list(); // needs a descriptor itself
        return fds == null ? -1 : fds.length;
    }
}
