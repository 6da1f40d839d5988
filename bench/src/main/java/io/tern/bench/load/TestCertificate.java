package io.tern.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway server certificate for the TLS runs, made at run time with this JDK's
 * {@code keytool} the way the demo's {@code --tls} makes one (an EC P-256 key, self-signed, for
 * {@code localhost} and {@code 127.0.0.1}) into a PKCS#12 key store with a random password in a
 * temporary folder, deleted by {@link #close()}. Both servers load the same key store; the load
 * generator trusts exactly this certificate. Nothing of it is kept or committed.
 *
 * <p>Threading contract: made and closed on one thread; {@link #clientContext()} may be used
 * from any thread once made.
 */
public final class TestCertificate implements AutoCloseable {

    private final Path dir;
    private final Path keystore;
    private final String password;
    private final SSLContext clientContext;

    private TestCertificate(Path dir, Path keystore, String password, SSLContext clientContext) {
        this.dir = dir;
        this.keystore = keystore;
        this.password = password;
        this.clientContext = clientContext;
    }

    /**
     * Makes the key store and the client's context.
     *
     * @return the certificate
     * @throws IOException if keytool fails or the key store cannot be read back
     */
    public static TestCertificate create() throws IOException {
        Path dir = Files.createTempDirectory("tern-bench-tls");
        Path store = dir.resolve("server.p12");
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "tern-bench", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost, O=Tern bench", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                delete(dir, store);
                throw new IOException("keytool could not make the test certificate: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            delete(dir, store);
            throw new IOException("interrupted while keytool made the test certificate", e);
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, password.toCharArray());
            }
            Certificate cert = null;
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    cert = ks.getCertificate(alias);
                }
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            // a small cache: no session is ever resumed (see TlsClient), none needs keeping
            context.getClientSessionContext().setSessionCacheSize(64);
            return new TestCertificate(dir, store, password, context);
        } catch (GeneralSecurityException e) {
            delete(dir, store);
            throw new IOException("cannot read back the test key store " + store + ": " + e.getMessage(), e);
        }
    }

    /**
     * The PKCS#12 key store holding the server's key and certificate.
     *
     * @return its path
     */
    public Path keystore() {
        return keystore;
    }

    /**
     * The key store's password (random, for this run only).
     *
     * @return the password
     */
    public String password() {
        return password;
    }

    /**
     * A client context trusting only this certificate.
     *
     * @return the context
     */
    public SSLContext clientContext() {
        return clientContext;
    }

    @Override
    public void close() {
        delete(dir, keystore);
    }

    private static void delete(Path dir, Path store) {
        try {
            Files.deleteIfExists(store);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            store.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
        }
    }
}
