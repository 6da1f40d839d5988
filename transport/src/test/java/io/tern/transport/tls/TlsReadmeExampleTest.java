package io.tern.transport.tls;

import static io.tern.transport.testkit.ReadmeBlocks.between;
import static io.tern.transport.testkit.ReadmeBlocks.dedent;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.transport.TlsSettings;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Recorder;
import io.tern.transport.testkit.TlsCerts;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the README's {@code wss://} example compiling and true: the code between the markers is
 * exactly the README's block, and it serves {@code wss://} and {@code ws://} side by side.
 */
@Timeout(30)
class TlsReadmeExampleTest {

    @Test
    void readmeExampleServesWssAndWs() throws Exception {
        Path store = TlsCerts.dir().resolve(TlsCerts.SERVER + ".p12");
        char[] password = TlsCerts.PASSWORD.toCharArray();
        SSLContext trusting = TlsCerts.clientContext();
        Recorder echo = new Recorder(true);
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        WebSocketHandler<Void> handler = new WebSocketHandler<>() {
            @Override
            public void onText(WebSocket<Void> ws, ByteBuffer utf8, boolean last) {
                got.add(StandardCharsets.UTF_8.decode(utf8).toString());
            }
        };
        // README-TLS-BEGIN
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);

        WebSocketServer server = WebSocketServer.builder()
                .address("127.0.0.1", 0)                                 // wss:// here
                .tls(TlsSettings.of(context)
                        .withParameters(p -> p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"})))
                .listen(new InetSocketAddress("127.0.0.1", 0), null)     // and ws:// there
                .route("/echo", echo)
                .build()
                .start();
        URI secure = URI.create("wss://localhost:" + server.addresses().get(0).getPort() + "/echo");

        try (WebSocketClient client = WebSocketClient.create(1, TlsSettings.of(trusting))) {
            WebSocket<Void> ws = client.connect(secure, handler).get(5, TimeUnit.SECONDS);
            ws.sendText("hello over TLS");
            // README-TLS-END
            assertEquals("hello over TLS", got.poll(5, TimeUnit.SECONDS));
            WebSocket<Void> plain = client.connect(URI.create("ws://127.0.0.1:" + server.addresses().get(1).getPort()
                    + "/echo"), handler).get(5, TimeUnit.SECONDS);
            plain.sendText("hello in clear");
            assertEquals("hello in clear", got.poll(5, TimeUnit.SECONDS));
        } finally {
            server.shutdown(Duration.ofSeconds(2));
        }
        String readme = Files.readString(Path.of("..", "README.md"));
        String block = between(readme, "```java\n// wss:// server and client\n", "```");
        String code = between(Files.readString(Path.of("src/test/java/io/tern/transport/tls/TlsReadmeExampleTest.java")),
                "// README-TLS-BEGIN\n", "// README-TLS-END");
        assertEquals(dedent(code) + "\n}", dedent(block).strip());
    }
}
