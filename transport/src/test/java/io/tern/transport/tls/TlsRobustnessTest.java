package io.tern.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.TlsSettings;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketHandshakeException;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.Recorder;
import io.tern.transport.testkit.TlsCerts;
import io.tern.transport.testkit.TlsRawClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS failures and refusals: certificates Tern's client must refuse (with an error naming why),
 * bytes that are not what a port speaks, broken records, alerts, renegotiation, the handshake
 * timeout, and the closing sequence (close frames, then close_notify). Each bad connection is
 * closed alone: the server serves a good connection afterwards.
 */
@Timeout(60)
class TlsRobustnessTest {

    private Recorder handler;
    private WebSocketServer server;
    private WebSocketClient client;

    @BeforeEach
    void start() throws IOException {
        handler = new Recorder(true);
        server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .tls(TlsCerts.server())
                .listen(new InetSocketAddress("127.0.0.1", 0), null)
                .route("/echo", handler).build().start();
        client = WebSocketClient.create(1, TlsCerts.client());
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdown(Duration.ofSeconds(2));
    }

    private int plainPort() {
        return server.addresses().get(1).getPort();
    }

    /** The server still serves: a wss:// echo works. */
    private void assertServes() throws Exception {
        Recorder r = new Recorder();
        WebSocket<Object> ws = client.connect(URI.create("wss://localhost:" + server.port() + "/echo"), r)
                .get(10, TimeUnit.SECONDS);
        ws.sendText("still here");
        assertEquals("still here", r.nextMessage(5).string());
        ws.close();
        r.awaitClose(5);
    }

    private static String readAll(Socket s) throws IOException {
        s.setSoTimeout(5000);
        InputStream in = s.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    private static byte[] clientHello() throws Exception {
        SSLEngine e = TlsCerts.clientContext().createSSLEngine("localhost", 443);
        e.setUseClientMode(true);
        e.beginHandshake();
        ByteBuffer dst = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        e.wrap(ByteBuffer.allocate(0), dst);
        return Arrays.copyOf(dst.array(), dst.position());
    }

    // ------------------------------------------------------------------ listeners

    @Test
    void plainAndTlsListenersServeTheSameRoutes() throws Exception {
        Recorder r = new Recorder();
        WebSocket<Object> ws = client.connect(URI.create("ws://127.0.0.1:" + plainPort() + "/echo"), r)
                .get(10, TimeUnit.SECONDS);
        ws.sendText("plain");
        assertEquals("plain", r.nextMessage(5).string());
        ws.close();
        r.awaitClose(5);
        assertServes();
    }

    @Test
    void plainHttpRequestOnTheTlsPortIsAnswered400InClearText() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = readAll(s);
            assertTrue(response.startsWith("HTTP/1.1 400 Bad Request\r\n"), response);
            assertTrue(response.endsWith("this port speaks TLS: connect with wss:// (or https://)\r\n\r\n"), response);
        }
        assertServes();
    }

    @Test
    void tlsClientHelloOnThePlainPortIsAnswered400() throws Exception {
        try (Socket s = new Socket("127.0.0.1", plainPort())) {
            s.getOutputStream().write(clientHello());
            String response = readAll(s);
            assertTrue(response.startsWith("HTTP/1.1 400 "), response);
            assertTrue(response.contains("this port does not speak TLS"), response);
        }
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect(
                URI.create("wss://localhost:" + plainPort() + "/echo"), new Recorder()).get(10, TimeUnit.SECONDS));
        WebSocketHandshakeException h = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        assertTrue(h.getMessage().contains("the bytes received are not TLS"), h.getMessage());
        assertInstanceOf(SSLException.class, h.getCause());
    }

    // ------------------------------------------------------------------ bad input

    @ParameterizedTest(name = "first byte {0}")
    @ValueSource(ints = {0x16, 0x00, 0xff})
    void garbageInsteadOfAClientHelloClosesThatConnectionOnly(int first) throws Exception {
        byte[] garbage = new byte[64];
        new java.util.Random(first).nextBytes(garbage);
        garbage[0] = (byte) first;
        garbage[1] = 3;
        garbage[2] = 3;
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(garbage);
            String answer = readAll(s); // ends: the server closed
            assertFalse(answer.startsWith("HTTP/"), "no HTTP answer to bytes that are not HTTP");
        }
        assertServes();
    }

    @Test
    void aTruncatedClientHelloEndsWithTheConnection() throws Exception {
        byte[] hello = clientHello();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(hello, 0, hello.length / 2);
            s.shutdownOutput();
            assertEquals("", readAll(s));
        }
        assertServes();
    }

    @Test
    void theHandshakeTimeoutCoversTheTlsHandshake() throws Exception {
        try (WebSocketServer quick = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .tls(TlsCerts.server()).handshakeTimeout(Duration.ofMillis(300))
                .route("/echo", new Recorder(true)).build().start();
             Socket s = new Socket("127.0.0.1", quick.port())) {
            byte[] hello = clientHello();
            long start = System.nanoTime();
            s.getOutputStream().write(hello, 0, 10); // a record that never completes
            assertEquals("", readAll(s));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= 250 && millis < 3000, "closed after " + millis + " ms");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void aTruncatedRecordThenTcpEndIsAnAbnormalClosure(String protocol) throws Exception {
        try (TlsRawClient raw = TlsRawClient.connect(server.port(), TlsCerts.clientContext(), protocol)) {
            assertTrue(raw.upgrade("/echo").startsWith("HTTP/1.1 101 "));
            byte[] record = raw.wrap(Frame.clientFrame(0x1, "half".getBytes(StandardCharsets.UTF_8)));
            raw.sendRaw(Arrays.copyOf(record, record.length / 2));
            raw.shutdownOutput();
            Recorder.Closed closed = handler.awaitClose(5);
            assertEquals(1006, closed.code());
            assertFalse(closed.clean());
            assertTrue(handler.messages.isEmpty());
        }
        assertServes();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void closeNotifyWithoutAWebSocketCloseIsNotAClean(String protocol) throws Exception {
        try (TlsRawClient raw = TlsRawClient.connect(server.port(), TlsCerts.clientContext(), protocol)) {
            assertTrue(raw.upgrade("/echo").startsWith("HTTP/1.1 101 "));
            raw.sendCloseNotify();
            Recorder.Closed closed = handler.awaitClose(5);
            assertEquals(1006, closed.code());
            assertFalse(closed.clean());
            assertTrue(raw.awaitEnd());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void aForgedAlertMidStreamClosesThatConnectionWithAReason(String protocol) throws Exception {
        try (TlsRawClient raw = TlsRawClient.connect(server.port(), TlsCerts.clientContext(), protocol)) {
            assertTrue(raw.upgrade("/echo").startsWith("HTTP/1.1 101 "));
            raw.send(Frame.clientFrame(0x1, "before".getBytes(StandardCharsets.UTF_8)));
            assertEquals("before", raw.readFrame().text());
            raw.sendRaw(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28}); // fatal handshake_failure, in clear
            Recorder.Closed closed = handler.awaitClose(5);
            assertEquals(1006, closed.code());
            assertFalse(closed.clean());
            assertInstanceOf(SSLException.class, handler.errors.poll(5, TimeUnit.SECONDS));
            assertTrue(raw.awaitEnd());
        }
        assertServes();
    }

    @Test
    void aRenegotiationIsRefused() throws Exception {
        try (TlsRawClient raw = TlsRawClient.connect(server.port(), TlsCerts.clientContext(), "TLSv1.2")) {
            assertEquals("TLSv1.2", raw.protocol());
            assertTrue(raw.upgrade("/echo").startsWith("HTTP/1.1 101 "));
            raw.startRenegotiation();
            Recorder.Closed closed = handler.awaitClose(5);
            assertEquals(1006, closed.code());
            Throwable error = handler.errors.poll(5, TimeUnit.SECONDS);
            assertInstanceOf(SSLException.class, error);
            assertTrue(error.getMessage().contains("renegotiation"), error.getMessage());
            assertTrue(raw.awaitEnd());
        }
        assertServes();
    }

    // ------------------------------------------------------------------ records

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void framesQueuedInOneLoopPassLeaveInFewRecords(String protocol) throws Exception {
        Recorder burst = new Recorder() {
            @Override
            public void onText(WebSocket<Object> socket, ByteBuffer utf8, boolean last) {
                for (int i = 0; i < 100; i++) {
                    socket.sendText("small " + i);
                }
            }
        };
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .tls(TlsCerts.server()).route("/burst", burst).build().start();
             TlsRawClient raw = TlsRawClient.connect(s.port(), TlsCerts.clientContext(), protocol)) {
            assertTrue(raw.upgrade("/burst").startsWith("HTTP/1.1 101 "));
            int before = raw.dataRecords();
            raw.send(Frame.clientFrame(0x1, "go".getBytes(StandardCharsets.UTF_8)));
            for (int i = 0; i < 100; i++) {
                assertEquals("small " + i, raw.readFrame().text());
            }
            int records = raw.dataRecords() - before;
            assertTrue(records <= 2, "100 small frames of one handler call came in " + records + " records");
        }
    }

    // ------------------------------------------------------------------ closing

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void theServerSendsCloseNotifyAfterTheClosingHandshake(String protocol) throws Exception {
        try (TlsRawClient raw = TlsRawClient.connect(server.port(), TlsCerts.clientContext(), protocol)) {
            assertTrue(raw.upgrade("/echo").startsWith("HTTP/1.1 101 "));
            raw.send(Frame.clientFrame(0x8, Frame.closePayload(1000, "bye")));
            Frame reply = raw.readFrame();
            assertEquals(1000, reply.closeCode());
            IOException end = assertThrows(IOException.class, () -> raw.readPlain(1));
            assertEquals("the server sent close_notify", end.getMessage());
            assertEquals(new Recorder.Closed(1000, "bye", true), handler.awaitClose(5));
        }
    }

    // ------------------------------------------------------------------ certificates

    private String refusal(String certificate, TlsSettings clientTls, String host) throws Exception {
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .tls(TlsSettings.of(TlsCerts.serverContext(certificate)))
                .route("/echo", new Recorder(true)).build().start();
             WebSocketClient c = WebSocketClient.create(1, clientTls)) {
            CompletableFuture<WebSocket<Object>> f = c.connect(URI.create("wss://" + host + ":" + s.port() + "/echo"), new Recorder());
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
            WebSocketHandshakeException h = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
            assertEquals(0, h.status());
            assertInstanceOf(SSLHandshakeException.class, h.getCause());
            return h.getMessage();
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedNamingTheCause() throws Exception {
        String m = refusal(TlsCerts.SERVER, TlsSettings.systemDefault(), "localhost");
        assertTrue(m.startsWith("TLS handshake with localhost/127.0.0.1:"), m);
        assertTrue(m.contains("the peer's certificate is not trusted"), m);
    }

    @Test
    void aCertificateForAnotherHostIsRefusedNamingTheCause() throws Exception {
        String m = refusal(TlsCerts.WRONG_HOST, TlsCerts.client(), "localhost");
        assertTrue(m.contains("the peer's certificate does not name the host"), m);
        m = refusal(TlsCerts.WRONG_HOST, TlsCerts.client(), "127.0.0.1");
        assertTrue(m.contains("the peer's certificate does not name the host"), m);
    }

    @Test
    void anExpiredCertificateIsRefusedNamingTheCause() throws Exception {
        String m = refusal(TlsCerts.EXPIRED, TlsCerts.client(), "localhost");
        assertTrue(m.contains("the peer's certificate has expired"), m);
    }

    @Test
    void hostNameVerificationCanBeTurnedOffForTests() throws Exception {
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .tls(TlsSettings.of(TlsCerts.serverContext(TlsCerts.WRONG_HOST)))
                .route("/echo", new Recorder(true)).build().start();
             WebSocketClient c = WebSocketClient.create(1, TlsCerts.client().withHostnameVerification(false))) {
            Recorder r = new Recorder();
            WebSocket<Object> ws = c.connect(URI.create("wss://localhost:" + s.port() + "/echo"), r).get(10, TimeUnit.SECONDS);
            ws.sendText("ok");
            assertEquals("ok", r.nextMessage(5).string());
        }
    }

    // ------------------------------------------------------------------ delegated tasks

    @Test
    void delegatedTasksRunOnTheExecutorWithoutStallingTheLoop() throws Exception {
        AtomicInteger tasks = new AtomicInteger();
        CompletableFuture<String> taskThread = new CompletableFuture<>();
        Executor slow = job -> new Thread(() -> {
            tasks.incrementAndGet();
            taskThread.complete(Thread.currentThread().getName());
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            job.run();
        }, "test-tls-task").start();
        Recorder echo = new Recorder(true);
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .tls(TlsCerts.server().withTaskExecutor(slow))
                .listen(new InetSocketAddress("127.0.0.1", 0), null)
                .route("/echo", echo).build().start()) {
            Recorder plain = new Recorder();
            WebSocket<Object> ws = client.connect(URI.create("ws://127.0.0.1:" + s.addresses().get(1).getPort() + "/echo"), plain)
                    .get(10, TimeUnit.SECONDS);
            Recorder secure = new Recorder();
            CompletableFuture<WebSocket<Object>> tls = client.connect(URI.create("wss://localhost:" + s.port() + "/echo"), secure);
            assertEquals("test-tls-task", taskThread.get(5, TimeUnit.SECONDS));
            long worst = 0;
            for (int i = 0; i < 20 && !tls.isDone(); i++) { // while the TLS handshake waits for its tasks
                long t0 = System.nanoTime();
                ws.sendText("ping " + i);
                assertEquals("ping " + i, plain.nextMessage(5).string());
                worst = Math.max(worst, System.nanoTime() - t0);
            }
            assertTrue(TimeUnit.NANOSECONDS.toMillis(worst) < 200, "a round trip took " + worst / 1_000_000 + " ms");
            WebSocket<Object> secured = tls.get(10, TimeUnit.SECONDS);
            secured.sendText("secured");
            assertEquals("secured", secure.nextMessage(5).string());
            assertTrue(tasks.get() > 0);
            assertNotEquals(0, tasks.get());
        }
    }
}
