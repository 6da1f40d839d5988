package io.tern.transport.internal;

import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import javax.net.ssl.SSLException;

/**
 * Turns an {@link SSLException} into one sentence naming what failed, for logs and for the
 * {@code WebSocketHandshakeException} a client's connect fails with: an expired or not yet valid
 * certificate, a certificate that does not name the host, an untrusted one, a TLS alert from the
 * peer, bytes that are not TLS. The engine's own message follows the sentence.
 *
 * <p>Stateless; safe from any thread.
 */
final class TlsFailures {

    private TlsFailures() {
    }

    /**
     * Describes a failure.
     *
     * @param handshakeDone whether the TLS handshake had completed
     * @param c             the connection (for the peer's address)
     * @param e             what the engine threw
     * @return one line
     */
    static String describe(boolean handshakeDone, Connection c, SSLException e) {
        String what = handshakeDone ? "TLS failed" : "TLS handshake with " + c.remote + " failed";
        return what + ": " + cause(e) + " (" + e.getMessage() + ")";
    }

    static String cause(Throwable e) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return "the peer's certificate has expired";
            }
            if (t instanceof CertificateNotYetValidException) {
                return "the peer's certificate is not yet valid";
            }
            if (t.getMessage() != null) {
                messages.append(t.getMessage()).append(' ');
            }
            if (t.getCause() == t) {
                break;
            }
        }
        String m = messages.toString();
        if (m.contains("No subject alternative") || m.contains("No name matching")) {
            return "the peer's certificate does not name the host connected to (host name verification)";
        }
        if (m.contains("unable to find valid certification path") || m.contains("PKIX path building failed")) {
            return "the peer's certificate is not trusted (no chain to a trusted certificate authority)";
        }
        if (m.contains("validity check failed")) {
            return "the peer's certificate is outside its validity period";
        }
        if (m.contains("Received fatal alert")) {
            return "the peer sent a fatal TLS alert";
        }
        if (m.contains("Unsupported or unrecognized SSL message") || m.contains("plaintext connection")) {
            return "the bytes received are not TLS";
        }
        if (m.contains("renegotiation")) {
            return "a renegotiation was refused";
        }
        if (m.contains("protocol") || m.contains("cipher suite")) {
            return "no TLS protocol version or cipher suite both sides accept";
        }
        return "the TLS engine refused the connection";
    }
}
