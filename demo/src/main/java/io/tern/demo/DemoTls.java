package io.tern.demo;

import io.tern.transport.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The demo's {@code --tls}: the server's key and certificate from a PKCS#12 key store
 * ({@code --tls-keystore FILE --tls-password PW}), or, without one, a self-signed certificate made
 * at start with the JDK's own {@code keytool} (an EC P-256 key, valid 30 days, for
 * {@code localhost}, {@code 127.0.0.1} and the listening host) in a temporary key store deleted at
 * exit. Either way the certificate's SHA-256 fingerprint is printed, so a client can pin it or a
 * person can compare it with what the browser shows.
 *
 * <p>Used once at start, on the main thread.
 */
final class DemoTls {

    /** The alias of the generated key entry. */
    static final String ALIAS = "tern-demo";

    /**
     * Where the key comes from.
     *
     * @param keystore a PKCS#12 file, or {@code null} to generate a self-signed certificate
     * @param password its password (required with a key store)
     */
    record Choice(Path keystore, String password) {
    }

    private DemoTls() {
    }

    /**
     * Makes the server's TLS settings and prints the certificate's fingerprint.
     *
     * @param choice the key store, or a self-signed certificate
     * @param host   the listening host (named in a generated certificate)
     * @param out    where the fingerprint line goes
     * @return the settings
     * @throws IOException when the key store cannot be read or keytool fails
     */
    static TlsSettings settings(Choice choice, String host, PrintStream out) throws IOException {
        Path file = choice.keystore();
        char[] password;
        if (file == null) {
            password = randomPassword();
            file = selfSigned(host, password);
            out.println("TLS: self-signed certificate made for localhost, 127.0.0.1"
                    + (isLocal(host) ? "" : " and " + host) + " (browsers will warn; valid 30 days)");
        } else {
            if (choice.password() == null) {
                throw new IllegalArgumentException("--tls-keystore needs --tls-password");
            }
            password = choice.password().toCharArray();
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, password);
            }
            String alias = firstKey(ks);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            out.println("TLS certificate SHA-256 fingerprint: " + fingerprint(ks.getCertificate(alias)));
            return TlsSettings.of(context);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the key store " + file + ": " + e.getMessage(), e);
        }
    }

    private static String firstKey(KeyStore ks) throws GeneralSecurityException, IOException {
        for (String alias : Collections.list(ks.aliases())) {
            if (ks.isKeyEntry(alias)) {
                return alias;
            }
        }
        throw new IOException("the key store holds no private key entry");
    }

    /**
     * The SHA-256 fingerprint as colon-separated upper-case hex pairs (as browsers show it).
     *
     * @param certificate the certificate
     * @return e.g. {@code 3A:0F:...}
     */
    static String fingerprint(Certificate certificate) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    private static boolean isLocal(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("0.0.0.0") || host.equals("::");
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }

    /** Runs {@code keytool} from this JDK; the key store is deleted when the JVM exits. */
    private static Path selfSigned(String host, char[] password) throws IOException {
        Path dir = Files.createTempDirectory("tern-demo-tls");
        Path store = dir.resolve("demo.p12");
        dir.toFile().deleteOnExit();
        store.toFile().deleteOnExit();
        String san = "san=dns:localhost,ip:127.0.0.1";
        if (!isLocal(host)) {
            san += host.matches("[0-9.]+") || host.contains(":") ? ",ip:" + host : ",dns:" + host.toLowerCase(Locale.ROOT);
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost, O=Tern demo", "-ext", san, "-validity", "30",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", new String(password)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                throw new IOException("keytool could not make a self-signed certificate: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool made the certificate", e);
        }
        return store;
    }
}
