package io.tern.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertNull;

import io.tern.transport.WebSocketServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DemoServerTest {

    @Test
    void parsesOptions() {
        DemoServer.Options o = DemoServer.parse(new String[] {"--host", "0.0.0.0", "--port", "9100", "--max-message", "1000", "--no-deflate"});
        assertEquals(new DemoServer.Options("0.0.0.0", 9100, 1000, false), o);
        assertEquals(new DemoServer.Options("127.0.0.1", 9001, 16L << 20, true), DemoServer.parse(new String[0]));
        assertThrows(IllegalArgumentException.class, () -> DemoServer.parse(new String[] {"--port"}));
        assertThrows(IllegalArgumentException.class, () -> DemoServer.parse(new String[] {"--port", "70000"}));
        assertThrows(IllegalArgumentException.class, () -> DemoServer.parse(new String[] {"--max-message", "x"}));
        assertThrows(IllegalArgumentException.class, () -> DemoServer.parse(new String[] {"--bogus"}));
    }

    @Test
    void loopsAndConnectionLimitOptions() {
        assertEquals(new DemoServer.Options("127.0.0.1", 9001, 16L << 20, true, 3, 0),
                DemoServer.parse(new String[] {"--loops", "3"}));
        assertEquals(new DemoServer.Options("127.0.0.1", 9001, 16L << 20, true, 0, 120000),
                DemoServer.parse(new String[] {"--max-connections", "120000"}));
        assertThrows(IllegalArgumentException.class, () -> DemoServer.parse(new String[] {"--max-connections", "0"}));
        assertEquals(0, DemoServer.parse(new String[0]).loops());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> DemoServer.parse(new String[] {"--loops", "0"}));
        assertEquals("--loops must be within 1..1024: 0", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DemoServer.parse(new String[] {"--loops"}));
    }

    /** Runs {@link DemoServer#startOrExplain} and keeps what it printed. */
    private static final class Run {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final DemoServer.Outcome outcome;

        Run(String... args) {
            outcome = DemoServer.startOrExplain(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void helpListsEveryOptionWithItsDefaultAndExitsZero() {
        for (String flag : new String[] {"--help", "-h"}) {
            Run run = new Run("--port", "1", flag);
            assertNull(run.outcome.server());
            assertEquals(0, run.outcome.exitStatus());
            assertEquals("", run.err());
            String usage = run.out();
            for (String expected : new String[] {"--host H", "(default 127.0.0.1", "--port P", "(default 9001)",
                    "--max-message BYTES", "(default 16777216 = 16 MiB", "library's own default is 1 MiB",
                    "--no-deflate", "-h, --help"}) {
                assertTrue(usage.contains(expected), () -> "usage lacks '" + expected + "':\n" + usage);
            }
        }
    }

    @Test
    void aBadOptionSaysWhatIsWrongAndExitsTwo() {
        Run run = new Run("--bogus");
        assertNull(run.outcome.server());
        assertEquals(2, run.outcome.exitStatus());
        assertEquals("", run.out());
        assertEquals("DemoServer: unknown option: --bogus\n"
                + "Run with --help for every option (with Maven: -Dexec.args=\"--help\").\n", run.err());
    }

    @Test
    void aBusyPortIsOneLineNamingTheAddressAndPortOptionThenExitOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Run run = new Run("--port", Integer.toString(port));
            assertNull(run.outcome.server());
            assertEquals(1, run.outcome.exitStatus());
            assertEquals("", run.out());
            String err = run.err();
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith("DemoServer: cannot listen on 127.0.0.1:" + port + ": "), err);
            assertTrue(err.contains("--port P"), err);
            assertFalse(err.contains("Exception"), err);
        }
    }

    @Test
    void theBannerStatesTheDemosOwnLimits() throws Exception {
        Run run = new Run("--port", "0");
        WebSocketServer server = run.outcome.server();
        try {
            assertTrue(run.out().contains("Demo limits: messages and frames up to 16 MiB (--max-message; the library's "
                    + "default is 1 MiB), outbound queue watermarks 256 KiB / 1 MiB, hard limit 32 MiB."), run.out());
        } finally {
            server.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void echoesServesAPageAndShutsDownWith1001() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        WebSocketServer server = DemoServer.start(new DemoServer.Options("127.0.0.1", 0, 1 << 20, true),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        String banner = printed.toString(StandardCharsets.UTF_8);
        assertTrue(banner.contains("ws://127.0.0.1:" + server.port() + "/echo"), banner);

        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        HttpClient http = HttpClient.newHttpClient();
        java.net.http.WebSocket ws = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), new java.net.http.WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                        got.add(data.toString());
                        w.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(java.net.http.WebSocket w, int statusCode, String reason) {
                        closeCode.complete(statusCode);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        ws.sendText("ping from the JDK client", true).get(5, TimeUnit.SECONDS);
        assertEquals("ping from the JDK client", got.poll(5, TimeUnit.SECONDS));

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("/echo"), page.body());

        CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(() -> server.shutdown(Duration.ofSeconds(5)));
        assertEquals(1001, closeCode.get(5, TimeUnit.SECONDS));
        assertTrue(shutdown.get(10, TimeUnit.SECONDS), "the JDK client answers the close, so shutdown completes");
        assertFalse(server.hasLiveLoops());
    }
}
