package io.tern.codec.handshake;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Objects;

/**
 * Server side of the RFC 6455 opening handshake (§4.2): checks a parsed request head and
 * answers with a {@link HandshakeAcceptance} or a {@link HandshakeRejection}. Immutable and
 * thread-safe if its {@link SubprotocolSelector} is.
 *
 * <p>Checks, in this order: method {@code GET} (else 405 with {@code Allow: GET}); version
 * HTTP/1.1 (else 505); request-target in origin-form or an absolute http/https URI (else 400);
 * exactly one non-empty {@code Host} (else 400); {@code Upgrade} listing {@code websocket} (else
 * 400); {@code Connection} listing {@code upgrade} (else 400); one {@code Sec-WebSocket-Version}
 * line (else 400 if repeated) whose value is {@code 13} (else 426 with
 * {@code Sec-WebSocket-Version: 13}); one {@code Sec-WebSocket-Key} that is base64 of 16 bytes
 * (else 400); a well-formed token list in {@code Sec-WebSocket-Protocol} (else 400); a
 * well-formed {@code Sec-WebSocket-Extensions} (else 400).
 */
public final class ServerHandshake {

    /** The only protocol version this implementation speaks. */
    public static final String VERSION = "13";

    private final SubprotocolSelector selector;

    private ServerHandshake(SubprotocolSelector selector) {
        this.selector = selector;
    }

    /**
     * Creates a handshake that selects no subprotocol.
     *
     * @return the handshake
     */
    public static ServerHandshake create() {
        return new ServerHandshake(SubprotocolSelector.none());
    }

    /**
     * Creates a handshake that selects the first subprotocol, in the client's order, among
     * {@code supported}.
     *
     * @param supported the subprotocols the server speaks
     * @return the handshake
     * @throws IllegalArgumentException if a name is not a token
     */
    public static ServerHandshake supporting(List<String> supported) {
        return new ServerHandshake(SubprotocolSelector.firstSupported(supported));
    }

    /**
     * Creates a handshake with a custom subprotocol selector.
     *
     * @param selector chooses among the offered subprotocols; it must return one of them or null
     * @return the handshake
     */
    public static ServerHandshake withSelector(SubprotocolSelector selector) {
        return new ServerHandshake(Objects.requireNonNull(selector, "selector"));
    }

    /**
     * Tells whether a request asks for a WebSocket upgrade at all, that is whether its
     * {@code Upgrade} header lists {@code websocket} (ASCII case-insensitive). A server can
     * route other requests elsewhere; requests that pass still need {@link #handle}.
     *
     * @param request the request head
     * @return true if the request asks to upgrade to WebSocket
     */
    public static boolean isUpgradeRequest(HttpRequestHead request) {
        return request.headers().containsToken("Upgrade", "websocket");
    }

    /**
     * Validates an opening handshake request.
     *
     * @param request the parsed request head
     * @return an acceptance or a rejection, never null
     * @throws IllegalStateException if the selector returns a subprotocol that was not offered
     */
    public ServerHandshakeResult handle(HttpRequestHead request) {
        HttpHeaders headers = request.headers();
        if (!request.method().equals("GET")) {
            return HandshakeRejection.of(405, "method " + request.method()
                    + " not allowed for a WebSocket handshake, use GET", HttpHeaders.of("Allow", "GET"));
        }
        if (!request.version().equals(HttpSyntax.HTTP_1_1)) {
            return HandshakeRejection.of(505, "HTTP version " + request.version() + " not supported, only HTTP/1.1");
        }
        if (!isResourceName(request.requestTarget())) {
            return badRequest("request-target is neither an absolute path nor an absolute http/https URI");
        }
        int hosts = headers.count("Host");
        if (hosts != 1) {
            return badRequest(hosts == 0 ? "missing Host header" : "repeated Host header");
        }
        if (headers.first("Host").isEmpty()) {
            return badRequest("empty Host header");
        }
        if (!isUpgradeRequest(request)) {
            return badRequest(headers.contains("Upgrade") ? "Upgrade header does not list websocket"
                    : "missing Upgrade header");
        }
        if (!headers.containsToken("Connection", "upgrade")) {
            return badRequest(headers.contains("Connection") ? "Connection header does not list upgrade"
                    : "missing Connection header");
        }
        ServerHandshakeResult versionProblem = checkVersion(headers);
        if (versionProblem != null) {
            return versionProblem;
        }
        List<String> keys = headers.all("Sec-WebSocket-Key");
        if (keys.size() != 1) {
            return badRequest(keys.isEmpty() ? "missing Sec-WebSocket-Key header" : "repeated Sec-WebSocket-Key header");
        }
        if (!WebSocketAccept.isValidKey(keys.get(0))) {
            return badRequest("Sec-WebSocket-Key is not the base64 encoding of 16 bytes");
        }
        String subprotocol = null;
        if (headers.contains("Sec-WebSocket-Protocol")) {
            List<String> offered = headers.tokens("Sec-WebSocket-Protocol");
            if (offered.isEmpty()) {
                return badRequest("empty Sec-WebSocket-Protocol header");
            }
            for (String name : offered) {
                if (!HttpSyntax.isToken(name)) {
                    return badRequest("invalid subprotocol name in Sec-WebSocket-Protocol");
                }
            }
            subprotocol = selector.select(offered);
            if (subprotocol != null && !offered.contains(subprotocol)) {
                throw new IllegalStateException("selector chose subprotocol " + subprotocol + " which was not offered");
            }
        }
        ExtensionHeader.Result extensions = ExtensionHeader.parse(headers);
        if (!extensions.isValid()) {
            return badRequest("malformed " + ExtensionHeader.NAME + ": " + extensions.error());
        }
        return new HandshakeAcceptance(request, WebSocketAccept.forKey(keys.get(0)), subprotocol,
                extensions.extensions());
    }

    private static ServerHandshakeResult checkVersion(HttpHeaders headers) {
        List<String> versions = headers.all("Sec-WebSocket-Version");
        if (versions.size() > 1) {
            return badRequest("repeated Sec-WebSocket-Version header");
        }
        if (versions.isEmpty() || !versions.get(0).equals(VERSION)) {
            String message = versions.isEmpty() ? "missing Sec-WebSocket-Version header"
                    : "unsupported Sec-WebSocket-Version " + versions.get(0);
            return HandshakeRejection.of(426, message + ", this server speaks version 13",
                    HttpHeaders.of("Upgrade", "websocket", "Sec-WebSocket-Version", VERSION));
        }
        return null;
    }

    /** RFC 6455 §4.2.1 item 1: a /resource name/ or an absolute http/https URI containing one. */
    private static boolean isResourceName(String target) {
        if (target.startsWith("/")) {
            return true;
        }
        try {
            URI uri = new URI(target);
            String scheme = uri.getScheme();
            return uri.isAbsolute() && uri.getRawAuthority() != null
                    && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static HandshakeRejection badRequest(String message) {
        return HandshakeRejection.of(400, message);
    }
}
