package io.tern.transport.testkit;

import io.tern.transport.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Throwaway certificates for the TLS tests, made at test time with the JDK's {@code keytool}
 * into {@code target/tls-certs} (nothing secret is committed): a certificate authority, and key
 * stores signed by it for {@code localhost} / {@code 127.0.0.1} ({@link #SERVER}), for another
 * host only ({@link #WRONG_HOST}), and one that expired ({@link #EXPIRED}). Each server key store
 * is also written as PEM (certificate chain and PKCS#8 key) for the Node and Python peers, and
 * the authority as {@code ca.pem}. Made once and reused for a day.
 *
 * <p>Thread-safe: {@link #dir()} is synchronized.
 */
public final class TlsCerts {

    /** The key store password of every store made here (a test secret, not a real one). */
    public static final String PASSWORD = "tern-test";
    /** Signed by the test CA for {@code localhost} and {@code 127.0.0.1}. */
    public static final String SERVER = "server";
    /** Signed by the test CA for {@code wrong.example} only. */
    public static final String WRONG_HOST = "wronghost";
    /** Signed by the test CA for {@code localhost}, expired. */
    public static final String EXPIRED = "expired";

    private static Path dir;

    private TlsCerts() {
    }

    /**
     * The folder with the certificates, made on first use.
     *
     * @return {@code target/tls-certs}
     */
    public static synchronized Path dir() {
        if (dir == null) {
            Path d = Path.of("target", "tls-certs").toAbsolutePath();
            try {
                if (!isFresh(d)) {
                    make(d);
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("cannot make the test certificates with keytool: " + e.getMessage(), e);
            }
            dir = d;
        }
        return dir;
    }

    private static boolean isFresh(Path d) throws IOException {
        Path done = d.resolve("done");
        return Files.exists(done)
                && Files.getLastModifiedTime(done).toInstant().isAfter(Instant.now().minus(Duration.ofDays(1)));
    }

    private static void make(Path d) throws IOException, InterruptedException {
        if (Files.exists(d)) {
            try (var files = Files.list(d)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
        }
        Files.createDirectories(d);
        String ca = d.resolve("ca.p12").toString();
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=Tern Test CA", "-ext", "bc:c", "-validity", "3", "-keystore", ca);
        keytool("-exportcert", "-alias", "ca", "-rfc", "-file", d.resolve("ca.pem").toString(), "-keystore", ca);
        server(d, SERVER, "san=dns:localhost,ip:127.0.0.1", List.of("-validity", "3"));
        server(d, WRONG_HOST, "san=dns:wrong.example", List.of("-validity", "3"));
        server(d, EXPIRED, "san=dns:localhost,ip:127.0.0.1", List.of("-startdate", "-30d", "-validity", "2"));
        for (String name : List.of(SERVER, WRONG_HOST, EXPIRED)) {
            writePem(d, name);
        }
        Files.writeString(d.resolve("done"), "");
        Files.setLastModifiedTime(d.resolve("done"), FileTime.from(Instant.now()));
    }

    private static void server(Path d, String name, String san, List<String> validity)
            throws IOException, InterruptedException {
        String store = d.resolve(name + ".p12").toString();
        String csr = d.resolve(name + ".csr").toString();
        String crt = d.resolve(name + ".crt").toString();
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost", "-validity", "3", "-keystore", store);
        keytool("-certreq", "-alias", "server", "-file", csr, "-keystore", store);
        List<String> gen = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", d.resolve("ca.p12").toString(),
                "-infile", csr, "-outfile", crt, "-rfc", "-ext", san, "-ext", "eku=serverAuth"));
        gen.addAll(validity);
        keytool(gen.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", d.resolve("ca.pem").toString(), "-keystore", store);
        keytool("-importcert", "-alias", "server", "-file", crt, "-keystore", store);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: "
                    + new String(output, StandardCharsets.UTF_8));
        }
    }

    /** {@code <name>-chain.pem} and {@code <name>-key.pem} (PKCS#8) for peers that read PEM. */
    private static void writePem(Path d, String name) throws IOException {
        try {
            KeyStore ks = load(d.resolve(name + ".p12"));
            PrivateKey key = (PrivateKey) ks.getKey("server", PASSWORD.toCharArray());
            StringBuilder chain = new StringBuilder();
            for (Certificate c : ks.getCertificateChain("server")) {
                chain.append(pem("CERTIFICATE", c.getEncoded()));
            }
            Files.writeString(d.resolve(name + "-chain.pem"), chain);
            Files.writeString(d.resolve(name + "-key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot export " + name + " as PEM: " + e, e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static KeyStore load(Path p) throws IOException, java.security.GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    /**
     * A server context with one of the key stores.
     *
     * @param name {@link #SERVER}, {@link #WRONG_HOST} or {@link #EXPIRED}
     * @return an initialised context
     */
    public static SSLContext serverContext(String name) {
        try {
            KeyStore ks = load(dir().resolve(name + ".p12"));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A client context trusting the test CA only.
     *
     * @return an initialised context
     */
    public static SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", load(dir().resolve("ca.p12")).getCertificate("ca"));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Server settings with the {@link #SERVER} certificate. */
    public static TlsSettings server() {
        return TlsSettings.of(serverContext(SERVER));
    }

    /** Client settings trusting the test CA, host name verification on. */
    public static TlsSettings client() {
        return TlsSettings.of(clientContext());
    }

    /**
     * Settings limited to one protocol version.
     *
     * @param settings the settings
     * @param protocol e.g. {@code TLSv1.2}
     * @return the settings with that protocol only
     */
    public static TlsSettings only(TlsSettings settings, String protocol) {
        return settings.withParameters(p -> p.setProtocols(new String[] {protocol}));
    }

    /**
     * The SHA-256 fingerprint of the CA certificate, hex.
     *
     * @return the fingerprint
     */
    public static String caFingerprint() {
        try {
            byte[] der = load(dir().resolve("ca.p12")).getCertificate("ca").getEncoded();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
