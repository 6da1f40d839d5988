package io.tern.transport.internal;

import io.tern.transport.TlsSettings;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Makes the {@link SSLEngine} of one connection from {@link TlsSettings}: server or client mode,
 * the client's server name indication (RFC 6066 §3) and host name verification (the HTTPS rules,
 * RFC 2818 §3.1), then the embedder's customiser.
 *
 * <p>Stateless; called on loop threads.
 */
final class TlsEngines {

    private TlsEngines() {
    }

    static SSLEngine server(TlsSettings tls, SocketAddress remote) {
        SSLEngine engine = remote instanceof InetSocketAddress a
                ? tls.context().createSSLEngine(a.getHostString(), a.getPort())
                : tls.context().createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters p = engine.getSSLParameters();
        tls.parameters().accept(p);
        engine.setSSLParameters(p);
        return engine;
    }

    static SSLEngine client(TlsSettings tls, String host, int port) {
        SSLEngine engine = tls.context().createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        if (tls.hostnameVerification()) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!isIpLiteral(host)) {
            p.setServerNames(List.of(new SNIHostName(host)));
        }
        tls.parameters().accept(p);
        engine.setSSLParameters(p);
        return engine;
    }

    /** RFC 6066 §3: no literal IPv4 or IPv6 address in the server name. */
    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0 || host.startsWith("[")) {
            return true;
        }
        int dots = 0;
        for (int i = 0; i < host.length(); i++) {
            char ch = host.charAt(i);
            if (ch == '.') {
                dots++;
            } else if (ch < '0' || ch > '9') {
                return false;
            }
        }
        return dots == 3;
    }
}
