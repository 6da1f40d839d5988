package io.tern.transport.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tern.codec.deflate.DeflateOptions;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Recorder;
import io.tern.transport.testkit.Recorder.Closed;
import io.tern.transport.testkit.TlsCerts;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interoperability of Tern's server and client with an independent WebSocket implementation, in
 * both directions, with and without permessage-deflate and with non-default deflate parameters.
 * Each subclass names its peer; every message is checked byte for byte by the receiving side that
 * did not produce it.
 */
abstract class PeerInteropTests {

    static final List<EchoMessages.Message> MESSAGES = EchoMessages.all();
    static final long BYTES = EchoMessages.totalBytes();
    static final Duration PEER_RUN = Duration.ofSeconds(90);
    static final long STEP_SECONDS = 15;
    static final String TERN_REASON = "bye from tern \u2713";
    static final byte[] TERN_PING = "ping from tern \u2713".getBytes(StandardCharsets.UTF_8);

    /** Tern's own windowed DEFLATE encoder (below 15 bits) with a fresh context per message. */
    static final DeflateOptions SMALL_WINDOW_SERVER = DeflateOptions.defaults()
            .withServerNoContextTakeover(true).withServerMaxWindowBits(10);

    /** A client offer that asks for every parameter. */
    static final DeflateOptions EVERY_PARAMETER = DeflateOptions.defaults()
            .withServerNoContextTakeover(true).withServerMaxWindowBits(10)
            .withClientNoContextTakeover(true).withClientMaxWindowBits(10);

    /**
     * The peer; fails (CI) or skips (elsewhere) when it is not installed.
     *
     * @return the peer
     */
    abstract Peers.Peer peer();

    /**
     * The close reason the peer's client script sends.
     *
     * @return the reason
     */
    abstract String peerClientReason();

    /**
     * Whether the two directions run over TLS ({@code wss://} to {@code localhost}, certificates
     * of {@link TlsCerts}); the peer scripts then get the certificate folder as last argument.
     *
     * @return {@code false} unless a subclass says otherwise
     */
    boolean tls() {
        return false;
    }

    private List<String> withTls(List<String> command) {
        if (!tls()) {
            return command;
        }
        List<String> c = new java.util.ArrayList<>(command);
        c.add(TlsCerts.dir().toString());
        return c;
    }

    private String scheme() {
        return tls() ? "wss://localhost:" : "ws://127.0.0.1:";
    }

    // ---- Tern server <- peer client ---------------------------------------------------------

    @Test
    @Timeout(150)
    void ternServerEchoesPeerClientWithoutDeflate() throws Exception {
        String summary = runPeerClient("off", ConnectionSettings.defaults(), false);
        assertEquals("", extensions(summary, "extensions"), summary);
    }

    @Test
    @Timeout(150)
    void ternServerWithDeflateEnabledEchoesPeerClientThatOffersNone() throws Exception {
        String summary = runPeerClient("off", ConnectionSettings.defaults().withDeflate(DeflateOptions.defaults()), false);
        assertEquals("", extensions(summary, "extensions"), summary);
    }

    @Test
    @Timeout(150)
    void ternServerEchoesPeerClientWithDeflate() throws Exception {
        String summary = runPeerClient("on", ConnectionSettings.defaults().withDeflate(DeflateOptions.defaults()), true);
        assertTrue(extensions(summary, "extensions").startsWith("permessage-deflate"), summary);
    }

    @Test
    @Timeout(150)
    void ternServerWithSmallWindowAndNoContextTakeoverEchoesPeerClient() throws Exception {
        String summary = runPeerClient("on", ConnectionSettings.defaults().withDeflate(SMALL_WINDOW_SERVER), true);
        String ext = extensions(summary, "extensions");
        assertTrue(ext.startsWith("permessage-deflate"), summary);
        assertEquals("", param(ext, "server_no_context_takeover"), summary);
        assertEquals("10", param(ext, "server_max_window_bits"), summary);
    }

    @Test
    @Timeout(150)
    void ternServerAcceptsPeerClientThatAsksForEveryParameter() throws Exception {
        String summary = runPeerClient("params", ConnectionSettings.defaults().withDeflate(DeflateOptions.defaults()), true);
        String ext = extensions(summary, "extensions");
        assertTrue(ext.startsWith("permessage-deflate"), summary);
        assertEquals("", param(ext, "server_no_context_takeover"), summary);
        String bits = param(ext, "server_max_window_bits");
        assertNotNull(bits, "the client asked for server_max_window_bits=10: " + summary);
        assertTrue(Integer.parseInt(bits) <= 10, summary);
    }

    // ---- peer server <- Tern client ---------------------------------------------------------

    @Test
    @Timeout(150)
    void ternClientEchoesThroughPeerServerWithoutDeflate() throws Exception {
        String summary = runTernClient("off", ConnectionSettings.defaults(), false);
        assertEquals("", extensions(summary, "offer"), summary);
        assertEquals("", extensions(summary, "accepted"), summary);
    }

    @Test
    @Timeout(150)
    void ternClientEchoesThroughPeerServerWithDeflate() throws Exception {
        String summary = runTernClient("on", ConnectionSettings.defaults().withDeflate(DeflateOptions.defaults()), true);
        assertTrue(extensions(summary, "accepted").startsWith("permessage-deflate"), summary);
    }

    @Test
    @Timeout(150)
    void ternClientAsksPeerServerForEveryParameter() throws Exception {
        String summary = runTernClient("on", ConnectionSettings.defaults().withDeflate(EVERY_PARAMETER), true);
        String offer = extensions(summary, "offer");
        assertEquals("", param(offer, "server_no_context_takeover"), summary);
        assertEquals("10", param(offer, "server_max_window_bits"), summary);
        assertEquals("", param(offer, "client_no_context_takeover"), summary);
        assertEquals("10", param(offer, "client_max_window_bits"), summary);
        String accepted = extensions(summary, "accepted");
        assertTrue(accepted.startsWith("permessage-deflate"), summary);
        assertEquals("", param(accepted, "server_no_context_takeover"), summary);
    }

    @Test
    @Timeout(150)
    void ternClientFollowsPeerServerThatImposesSmallWindows() throws Exception {
        String summary = runTernClient("params", ConnectionSettings.defaults().withDeflate(DeflateOptions.defaults()), true);
        String accepted = extensions(summary, "accepted");
        assertEquals("10", param(accepted, "client_max_window_bits"), summary);
        assertEquals("10", param(accepted, "server_max_window_bits"), summary);
        assertEquals("", param(accepted, "client_no_context_takeover"), summary);
    }

    // ---- the two directions -------------------------------------------------------------------

    /**
     * Starts a Tern echo server, runs the peer's client script against it and checks both sides.
     *
     * @return the client's summary line
     */
    private String runPeerClient(String mode, ConnectionSettings settings, boolean expectCompressed) throws Exception {
        Peers.Peer peer = peer();
        Recorder handler = new Recorder(true);
        WebSocketServer.Builder builder = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/echo", handler, settings);
        if (tls()) {
            builder.tls(TlsCerts.server());
        }
        try (WebSocketServer server = builder.build().start();
             PeerProcess client = PeerProcess.start(peer.name() + " client", withTls(peer.client(
                     scheme() + server.port() + "/echo", mode)), peer.dir())) {
            int exit = client.awaitExit(PEER_RUN);
            String context = "\nTern side: " + handler.describe() + "\n" + client.transcript();
            assertEquals(0, exit, "peer client failed" + context);
            String summary = client.lastLine();
            assertTrue(summary.startsWith("OK " + peer.name() + " client mode=" + mode + " "), "summary" + context);
            assertTrue(summary.contains(" messages=" + MESSAGES.size() + " bytes=" + BYTES + " pong=ok close=1000 "),
                    "summary" + context);

            Closed closed = await(handler.closed, "the Tern handler's onClose" + context);
            assertEquals(1000, closed.code(), "close code seen by the Tern handler" + context);
            assertEquals(peerClientReason(), closed.reason(), "close reason seen by the Tern handler" + context);
            assertTrue(closed.clean(), "closing handshake not clean on the Tern side" + context);
            assertEquals(1, handler.opens.get(), "connections" + context);
            assertEquals(expectCompressed, await(handler.opened, "onOpen" + context).isCompressed(), "isCompressed()" + context);
            assertEquals(List.of(), handler.problems(), "Tern handler problems" + context);
            return summary;
        }
    }

    /**
     * Starts the peer's echo server, connects Tern's client, sends every message, checks every echo,
     * pings and closes.
     *
     * @return the server's summary line
     */
    private String runTernClient(String mode, ConnectionSettings settings, boolean expectCompressed) throws Exception {
        Peers.Peer peer = peer();
        try (PeerProcess server = PeerProcess.start(peer.name() + " server", withTls(peer.server(mode)), peer.dir());
             WebSocketClient client = tls() ? WebSocketClient.create(1, TlsCerts.client()) : WebSocketClient.create()) {
            String portLine = server.awaitLine("its PORT line", l -> l.startsWith("PORT "), Duration.ofSeconds(20));
            int port = Integer.parseInt(portLine.substring(5).trim());
            Recorder recorder = new Recorder(false);
            WebSocket<Object> ws;
            try {
                ws = client.connect(URI.create(scheme() + port + "/echo"), recorder, settings)
                        .get(STEP_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("Tern client could not connect: " + e + "\n" + server.transcript(), e);
            }
            assertEquals(expectCompressed, ws.isCompressed(), "isCompressed()\n" + server.transcript());

            for (EchoMessages.Message m : MESSAGES) {
                SendStatus status = m.text() ? ws.sendText(m.string()) : ws.sendBinary(ByteBuffer.wrap(m.bytes()));
                assertTrue(status == SendStatus.QUEUED || status == SendStatus.QUEUED_ABOVE_HIGH_WATERMARK,
                        m.name() + ": send returned " + status);
                Recorder.Message echo = recorder.poll(recorder.messages, STEP_SECONDS);
                if (echo == null) {
                    server.settle(Duration.ofSeconds(3)); // let its summary of the failure come out
                }
                String context = m.name() + "\nTern side: " + recorder.describe() + "\n" + server.transcript();
                if (echo == null) {
                    fail("no echo of " + context);
                }
                assertEquals(m.text(), echo.text(), "echo came back as the other kind: " + context);
                if (!Arrays.equals(m.bytes(), echo.data())) {
                    fail("echo differs: " + echo.data().length + " bytes back for " + m.bytes().length
                            + ", first difference at " + Arrays.mismatch(m.bytes(), echo.data()) + ": " + context);
                }
            }

            assertEquals(SendStatus.QUEUED, ws.sendPing(ByteBuffer.wrap(TERN_PING)));
            byte[] pong = recorder.poll(recorder.pongs, STEP_SECONDS);
            if (pong == null) {
                server.settle(Duration.ofSeconds(3));
            }
            assertNotNull(pong, "no pong\nTern side: " + recorder.describe() + "\n" + server.transcript());
            assertArrayEquals(TERN_PING, pong, "pong payload");

            ws.close(1000, TERN_REASON);
            Closed closed = await(recorder.closed, "the Tern client's onClose\n" + server.transcript());
            String context = "\nTern side: " + recorder.describe() + "\n" + server.transcript();
            assertEquals(1000, closed.code(), "close code seen by the Tern client" + context);
            assertTrue(closed.clean(), "closing handshake not clean on the Tern client" + context);
            assertFalse(ws.isOpen(), "isOpen() after close" + context);

            int exit = server.awaitExit(Duration.ofSeconds(STEP_SECONDS));
            context = "\nTern side: " + recorder.describe() + "\n" + server.transcript();
            assertEquals(0, exit, "peer server failed" + context);
            String summary = server.lastLine();
            assertTrue(summary.startsWith("SERVED " + peer.name() + " server mode=" + mode + " "), "summary" + context);
            assertTrue(summary.contains(" messages=" + MESSAGES.size() + " bytes=" + BYTES
                    + " pong=ok close=1000 reason=\"" + TERN_REASON + "\""), "summary" + context);
            assertEquals(List.of(), recorder.problems(), "Tern handler problems" + context);
            return summary;
        }
    }

    private static <T> T await(CompletableFuture<T> future, String what) throws Exception {
        try {
            return future.get(STEP_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
    }

    /** The quoted value of {@code key="..."} in a summary line. */
    static String extensions(String summary, String key) {
        Matcher m = Pattern.compile("\\b" + key + "=\"([^\"]*)\"").matcher(summary);
        assertTrue(m.find(), "no " + key + "=\"...\" in: " + summary);
        return m.group(1);
    }

    /**
     * A parameter of a one-element permessage-deflate header value: its value, an empty string when
     * it has none, {@code null} when absent.
     */
    static String param(String header, String name) {
        for (String part : header.split(";")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).trim();
            if (key.equalsIgnoreCase(name)) {
                return eq < 0 ? "" : p.substring(eq + 1).trim().replace("\"", "");
            }
        }
        return null;
    }
}
