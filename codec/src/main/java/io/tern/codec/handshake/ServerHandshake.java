package io.tern.codec.handshake;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Server side of the RFC 6455 opening handshake (§4.2): checks a parsed request head and
 * answers with a {@link HandshakeAcceptance} or a {@link HandshakeRejection}. Immutable and
 * thread-safe if its {@link SubprotocolSelector} is.
 *
 * <p>Checks, in this order: method {@code GET} (else 405 with {@code Allow: GET}); version
 * HTTP/1.1 (else 505); request-target in origin-form or an absolute http/https URI (else 400);
 * exactly one {@code Host} whose value is a valid non-empty {@code uri-host [":" port]} (else
 * 400, see {@link #checkRequest}); an {@code Upgrade} list of well-formed protocols (RFC 9110
 * §7.8) listing {@code websocket} (else 400); a {@code Connection} list of tokens (RFC 9110
 * §7.6.1) listing {@code upgrade} (else 400); one {@code Sec-WebSocket-Version} line (else 400
 * if repeated) whose value is {@code 13} (else 426 with {@code Sec-WebSocket-Version: 13}); one
 * {@code Sec-WebSocket-Key} that is base64 of 16 bytes (else 400); at most one {@code Origin},
 * a serialized origin or {@code null} (RFC 6454 §7.1, else 400); a {@code Sec-WebSocket-Protocol}
 * list of distinct tokens (RFC 6455 §4.1 item 10, else 400); a well-formed
 * {@code Sec-WebSocket-Extensions} (else 400). Control characters in field values never get
 * this far: {@link HttpHeadParser} answers 400 to them.
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
        Optional<HandshakeRejection> hostProblem = checkRequest(request);
        if (hostProblem.isPresent()) {
            return hostProblem.get();
        }
        if (!isList(headers, "Upgrade", true)) {
            return badRequest("malformed Upgrade header: not a list of protocol names");
        }
        if (!isUpgradeRequest(request)) {
            return badRequest(headers.contains("Upgrade") ? "Upgrade header does not list websocket"
                    : "missing Upgrade header");
        }
        if (!isList(headers, "Connection", false)) {
            return badRequest("malformed Connection header: not a list of tokens");
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
        List<String> origins = headers.all("Origin");
        if (origins.size() > 1) {
            return badRequest("repeated Origin header");
        }
        if (origins.size() == 1 && !HeaderSyntax.isOrigin(origins.get(0))) {
            return badRequest("malformed Origin header: not a serialized origin or null");
        }
        String subprotocol = null;
        if (headers.contains("Sec-WebSocket-Protocol")) {
            List<String> offered = headers.tokens("Sec-WebSocket-Protocol");
            if (offered.isEmpty()) {
                return badRequest("empty Sec-WebSocket-Protocol header");
            }
            Set<String> seen = new HashSet<>();
            for (String name : offered) {
                if (!HttpSyntax.isToken(name)) {
                    return badRequest("invalid subprotocol name in Sec-WebSocket-Protocol");
                }
                if (!seen.add(name)) {
                    return badRequest("subprotocol " + name + " offered twice in Sec-WebSocket-Protocol");
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

    /**
     * Checks what RFC 9112 §3.2 requires of every HTTP/1.1 request a server answers, upgrade or
     * not: exactly one {@code Host} field line, whose value is a non-empty
     * {@code uri-host [":" port]} ({@link HeaderSyntax#isHost}); a server "MUST respond with a
     * 400 (Bad Request) status code" to a request lacking it, with several, or with an invalid
     * value.
     *
     * @param request the parsed request head
     * @return the 400 rejection to send, or empty when the request may be answered
     */
    public static Optional<HandshakeRejection> checkRequest(HttpRequestHead request) {
        List<String> hosts = request.headers().all("Host");
        if (hosts.size() != 1) {
            return Optional.of(badRequest(hosts.isEmpty() ? "missing Host header" : "repeated Host header"));
        }
        String host = hosts.get(0);
        if (host.isEmpty()) {
            return Optional.of(badRequest("empty Host header"));
        }
        if (!HeaderSyntax.isHost(host)) {
            return Optional.of(badRequest("malformed Host header: not uri-host [\":\" port]"));
        }
        return Optional.empty();
    }

    /**
     * Whether every element of a comma-separated list field is a token ({@code Connection}) or a
     * {@code protocol = protocol-name ["/" protocol-version]} of two tokens ({@code Upgrade}).
     * Empty elements are allowed and ignored (RFC 9110 §5.6.1.2).
     */
    private static boolean isList(HttpHeaders headers, String name, boolean protocols) {
        for (String element : headers.tokens(name)) {
            int slash = protocols ? element.indexOf('/') : -1;
            boolean valid = slash < 0 ? HttpSyntax.isToken(element)
                    : HttpSyntax.isToken(element.substring(0, slash)) && HttpSyntax.isToken(element.substring(slash + 1));
            if (!valid) {
                return false;
            }
        }
        return true;
    }

    /** RFC 6455 §4.2.1 item 1: a /resource name/ or an absolute http/https URI containing one. */
    private static boolean isResourceName(String target) {
        Optional<RequestTarget> parsed = RequestTarget.parse(target);
        return parsed.isPresent() && parsed.get().form() != RequestTarget.Form.ASTERISK;
    }

    private static HandshakeRejection badRequest(String message) {
        return HandshakeRejection.of(400, message);
    }
}
