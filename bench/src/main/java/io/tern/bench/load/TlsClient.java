package io.tern.bench.load;

import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * How the load generator speaks {@code wss://}: the JDK's {@link SSLContext} trusting the run's
 * test certificate, one protocol version or the JDK's default, HTTPS hostname verification on,
 * and AES-128-GCM suites only, so both servers negotiate the same cipher whatever their own
 * preference order is.
 *
 * <p>Every engine is made for a peer port of its own ({@code sessionKey}): the JDK client reuses
 * a cached session (TLS 1.2 session id, TLS 1.3 PSK) only for the same host and port, so every
 * handshake is a full one. Immutable; thread-safe.
 *
 * @param context  trusts the server's certificate
 * @param protocol {@code TLSv1.3}, {@code TLSv1.2}, or {@code default} for the JDK's enabled set
 */
public record TlsClient(SSLContext context, String protocol) {

    /** The suites offered: AES-128-GCM in TLS 1.3 and, with the demo's EC key, in TLS 1.2. */
    static final List<String> CIPHER_SUITES = List.of("TLS_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

    /** Checks the protocol name. */
    public TlsClient {
        if (!List.of("TLSv1.3", "TLSv1.2", "default").contains(protocol)) {
            throw new IllegalArgumentException("TLS protocol must be TLSv1.3, TLSv1.2 or default: " + protocol);
        }
    }

    /**
     * A client engine for one connection.
     *
     * @param host       the server's host as connected to (checked against the certificate)
     * @param sessionKey a number unique to the connection (stands in for the peer port of the
     *                   session cache's key, so no session is resumed)
     * @return the engine, in client mode
     */
    public SSLEngine engine(String host, int sessionKey) {
        SSLEngine engine = context.createSSLEngine(host, 1 + (sessionKey & 0x7fff_ffff) % 2_000_000_000);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!protocol.equals("default")) {
            p.setProtocols(new String[] {protocol});
        }
        p.setCipherSuites(CIPHER_SUITES.toArray(String[]::new));
        engine.setSSLParameters(p);
        return engine;
    }
}
