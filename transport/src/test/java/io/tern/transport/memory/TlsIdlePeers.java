package io.tern.transport.memory;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A child process for {@link TlsIdleMemoryTest}: for every count read from standard input, opens
 * that many more WebSocket connections to {@code port} on 127.0.0.1 — over TLS (the JDK's
 * {@link SSLSocket}, trusting the test CA of {@code ca-file}) or plain when {@code ca-file} is
 * {@code -} — and prints {@code READY <total>}; closes everything at the end of its input. Needs
 * nothing but the JDK.
 */
public final class TlsIdlePeers {

    private TlsIdlePeers() {
    }

    /**
     * Runs the peers.
     *
     * @param args port, path, ca-file or {@code -}
     * @throws Exception on any failure (the test then fails)
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String path = args[1];
        SSLContext context = args[2].equals("-") ? null : trusting(Path.of(args[2]));
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        List<Socket> open = new ArrayList<>();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = commands.readLine()) != null; ) {
            int n = Integer.parseInt(line.trim());
            for (int i = 0; i < n; i++) {
                Socket s = context == null ? new Socket(InetAddress.getLoopbackAddress(), port)
                        : context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
                s.setSoTimeout(10_000);
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
                InputStream in = s.getInputStream();
                int matched = 0;
                StringBuilder head = new StringBuilder();
                while (matched < 4) {
                    int b = in.read();
                    if (b < 0) {
                        throw new IllegalStateException("closed during the handshake: " + head);
                    }
                    head.append((char) b);
                    matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                            ? matched + 1 : 0;
                }
                if (!head.toString().startsWith("HTTP/1.1 101 ")) {
                    throw new IllegalStateException("not upgraded: " + head);
                }
                open.add(s);
            }
            System.out.println("READY " + open.size());
            System.out.flush();
        }
        for (Socket s : open) {
            s.close();
        }
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
