package io.tern.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo's {@code --tls}: a self-signed certificate made at start, its fingerprint printed; a
 * client that pins exactly that fingerprint (and checks the host name) talks {@code wss://} to
 * the echo route and loads the chat page over {@code https://}. Bad key store options are
 * explained.
 */
@Timeout(60)
class DemoTlsTest {

    @Test
    void parsesTheTlsOptions() {
        assertEquals(new DemoTls.Choice(null, null), DemoServer.parse(new String[] {"--tls"}).tls());
        assertEquals(new DemoTls.Choice(Path.of("k.p12"), "pw"),
                DemoServer.parse(new String[] {"--tls-keystore", "k.p12", "--tls-password", "pw"}).tls());
        assertNull(DemoServer.parse(new String[0]).tls());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DemoServer.parse(new String[] {"--tls-keystore", "k.p12"}));
        assertEquals("--tls-keystore needs --tls-password", e.getMessage());
    }

    @Test
    void aKeyStoreThatCannotBeReadIsOneLineAndExitOne() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DemoServer.Outcome o = DemoServer.startOrExplain(new String[] {"--port", "0", "--tls-keystore",
                "target/no-such-store.p12", "--tls-password", "x"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(DemoServer.EXIT_CANNOT_START, o.exitStatus());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no-such-store.p12"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void servesWssWithASelfSignedCertificateWhoseFingerprintItPrints() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        DemoServer.Outcome o = DemoServer.startOrExplain(new String[] {"--port", "0", "--tls"},
                new PrintStream(printed, true, StandardCharsets.UTF_8), System.err);
        assertNotNull(o.server(), printed.toString(StandardCharsets.UTF_8));
        try {
            String banner = printed.toString(StandardCharsets.UTF_8);
            int port = o.server().port();
            assertTrue(banner.contains("wss://127.0.0.1:" + port + "/echo"), banner);
            assertTrue(banner.contains("Chat page: https://127.0.0.1:" + port + "/"), banner);
            Matcher m = Pattern.compile("TLS certificate SHA-256 fingerprint: ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})").matcher(banner);
            assertTrue(m.find(), banner);
            String fingerprint = m.group(1);

            SSLContext pinned = SSLContext.getInstance("TLS");
            pinned.init(null, new TrustManager[] {new Pinned(fingerprint)}, null);
            HttpClient http = HttpClient.newBuilder().sslContext(pinned).connectTimeout(Duration.ofSeconds(5)).build();
            LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
            java.net.http.WebSocket ws = http.newWebSocketBuilder()
                    .buildAsync(URI.create("wss://localhost:" + port + "/echo"), new java.net.http.WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                            got.add(data.toString());
                            w.request(1);
                            return null;
                        }
                    }).get(20, TimeUnit.SECONDS);
            ws.sendText("over TLS", true).get(5, TimeUnit.SECONDS);
            assertEquals("over TLS", got.poll(10, TimeUnit.SECONDS));
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            ws.sendClose(1000, "").get(5, TimeUnit.SECONDS);
        } finally {
            o.server().shutdown(Duration.ofSeconds(5));
        }
    }

    /** Trusts exactly one certificate, by its SHA-256 fingerprint. */
    private static final class Pinned implements X509TrustManager {
        private final String fingerprint;

        Pinned(String fingerprint) {
            this.fingerprint = fingerprint;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                if (!DemoTls.fingerprint(chain[0]).equals(fingerprint)) {
                    throw new CertificateException("not the pinned certificate");
                }
            } catch (java.security.GeneralSecurityException e) {
                throw new CertificateException(e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("no client certificates here");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
