package io.tern.codec.handshake;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Client side of the RFC 6455 opening handshake (§4.1): builds the request for a
 * {@code ws}/{@code wss} URI and checks the server's response. Immutable.
 */
public final class ClientHandshake {

    private static final List<String> RESERVED = List.of("Host", "Upgrade", "Connection", "Sec-WebSocket-Key",
            "Sec-WebSocket-Version", "Sec-WebSocket-Protocol", ExtensionHeader.NAME, "Sec-WebSocket-Accept",
            "Content-Length", "Transfer-Encoding");

    private final URI uri;
    private final boolean secure;
    private final String host;
    private final int port;
    private final String key;
    private final List<String> subprotocols;
    private final List<Extension> extensions;
    private final HttpRequestHead requestHead;

    private ClientHandshake(Builder builder) {
        URI ascii = URI.create(builder.uri.toASCIIString());
        String scheme = ascii.getScheme() == null ? "" : ascii.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("URI scheme must be ws or wss: " + builder.uri);
        }
        if (ascii.isOpaque() || ascii.getHost() == null) {
            throw new IllegalArgumentException("URI has no host: " + builder.uri);
        }
        if (ascii.getRawUserInfo() != null) {
            throw new IllegalArgumentException("a WebSocket URI must not contain user information: " + builder.uri);
        }
        if (ascii.getRawFragment() != null) {
            throw new IllegalArgumentException("a WebSocket URI must not contain a fragment: " + builder.uri);
        }
        if (ascii.getPort() == 0 || ascii.getPort() > 65535) {
            throw new IllegalArgumentException("port out of range: " + builder.uri);
        }
        this.uri = builder.uri;
        this.secure = scheme.equals("wss");
        int defaultPort = secure ? 443 : 80;
        this.port = ascii.getPort() < 0 ? defaultPort : ascii.getPort();
        String bracketedHost = ascii.getHost();
        this.host = bracketedHost.startsWith("[") ? bracketedHost.substring(1, bracketedHost.length() - 1)
                : bracketedHost;
        this.key = builder.key != null ? builder.key : WebSocketAccept.generateKey();
        this.subprotocols = List.copyOf(builder.subprotocols);
        this.extensions = List.copyOf(builder.extensions);

        String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
        String target = ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
        HttpHeaders.Builder headers = HttpHeaders.builder()
                .add("Host", port == defaultPort ? bracketedHost : bracketedHost + ":" + port)
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Key", key)
                .add("Sec-WebSocket-Version", ServerHandshake.VERSION);
        if (!subprotocols.isEmpty()) {
            headers.add("Sec-WebSocket-Protocol", String.join(", ", subprotocols));
        }
        if (!extensions.isEmpty()) {
            headers.add(ExtensionHeader.NAME, ExtensionHeader.format(extensions));
        }
        headers.addAll(builder.extraHeaders.build());
        this.requestHead = new HttpRequestHead("GET", target, HttpSyntax.HTTP_1_1, headers.build());
    }

    /**
     * Starts building a handshake for a {@code ws} or {@code wss} URI.
     *
     * @param uri the WebSocket URI
     * @return a new builder
     */
    public static Builder builder(URI uri) {
        return new Builder(Objects.requireNonNull(uri, "uri"));
    }

    /**
     * Returns the URI this handshake was built for.
     *
     * @return the URI as given
     */
    public URI uri() {
        return uri;
    }

    /**
     * Tells whether the URI scheme is {@code wss}, so the connection must use TLS.
     *
     * @return true for {@code wss}
     */
    public boolean isSecure() {
        return secure;
    }

    /**
     * Returns the host to connect to.
     *
     * @return the host name or address, IPv6 literals without brackets
     */
    public String host() {
        return host;
    }

    /**
     * Returns the port to connect to.
     *
     * @return the explicit port, or 80 for {@code ws} and 443 for {@code wss}
     */
    public int port() {
        return port;
    }

    /**
     * Returns the {@code Sec-WebSocket-Key} sent.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    /**
     * Returns the subprotocols offered.
     *
     * @return the offered subprotocols in order of preference, possibly empty
     */
    public List<String> subprotocols() {
        return subprotocols;
    }

    /**
     * Returns the extensions offered.
     *
     * @return the offered extensions, possibly empty
     */
    public List<Extension> extensions() {
        return extensions;
    }

    /**
     * Returns the request head to send.
     *
     * @return the request head
     */
    public HttpRequestHead requestHead() {
        return requestHead;
    }

    /**
     * Returns the request bytes to send.
     *
     * @return the serialized request head
     */
    public byte[] toBytes() {
        return requestHead.toBytes();
    }

    /**
     * Checks the server's response as RFC 6455 §4.1 requires: status 101 with HTTP/1.1,
     * {@code Upgrade: websocket}, {@code Connection} listing {@code upgrade}, the right
     * {@code Sec-WebSocket-Accept}, only offered extensions, and at most one offered subprotocol.
     *
     * @param response the parsed response head
     * @return success with the negotiated subprotocol and extensions, or failure with a reason
     */
    public ClientHandshakeResult validate(HttpResponseHead response) {
        HttpHeaders headers = response.headers();
        if (response.statusCode() != 101) {
            return ClientHandshakeResult.failure("server answered with status " + response.statusCode()
                    + (response.reasonPhrase().isEmpty() ? "" : " " + response.reasonPhrase())
                    + " instead of 101 Switching Protocols");
        }
        if (!response.version().equals(HttpSyntax.HTTP_1_1)) {
            return ClientHandshakeResult.failure("101 response has version " + response.version()
                    + " instead of HTTP/1.1");
        }
        List<String> upgrade = headers.all("Upgrade");
        if (upgrade.size() != 1 || !HttpSyntax.equalsIgnoreAsciiCase(upgrade.get(0), "websocket")) {
            return ClientHandshakeResult.failure(upgrade.isEmpty() ? "response lacks the Upgrade header"
                    : "response Upgrade header is not websocket");
        }
        if (!headers.containsToken("Connection", "upgrade")) {
            return ClientHandshakeResult.failure(headers.contains("Connection")
                    ? "response Connection header does not list upgrade" : "response lacks the Connection header");
        }
        List<String> accept = headers.all("Sec-WebSocket-Accept");
        if (accept.size() != 1) {
            return ClientHandshakeResult.failure(accept.isEmpty() ? "response lacks Sec-WebSocket-Accept"
                    : "response repeats Sec-WebSocket-Accept");
        }
        String expected = WebSocketAccept.forKey(key);
        if (!accept.get(0).equals(expected)) {
            return ClientHandshakeResult.failure("wrong Sec-WebSocket-Accept: expected " + expected
                    + " but got " + accept.get(0));
        }
        ExtensionHeader.Result accepted = ExtensionHeader.parse(headers);
        if (!accepted.isValid()) {
            return ClientHandshakeResult.failure("malformed " + ExtensionHeader.NAME + " in response: "
                    + accepted.error());
        }
        for (Extension extension : accepted.extensions()) {
            if (!offeredExtension(extension.name())) {
                return ClientHandshakeResult.failure("server accepted extension " + extension.name()
                        + " which was not offered");
            }
        }
        String subprotocol = null;
        List<String> protocols = headers.all("Sec-WebSocket-Protocol");
        if (!protocols.isEmpty()) {
            List<String> values = headers.tokens("Sec-WebSocket-Protocol");
            if (protocols.size() != 1 || values.size() != 1) {
                return ClientHandshakeResult.failure("response Sec-WebSocket-Protocol must name exactly one subprotocol");
            }
            subprotocol = values.get(0);
            if (!subprotocols.contains(subprotocol)) {
                return ClientHandshakeResult.failure("server selected subprotocol " + subprotocol
                        + " which was not offered");
            }
        }
        return ClientHandshakeResult.success(subprotocol, accepted.extensions());
    }

    private boolean offeredExtension(String name) {
        for (Extension offered : extensions) {
            if (HttpSyntax.equalsIgnoreAsciiCase(offered.name(), name)) {
                return true;
            }
        }
        return false;
    }

    /** Collects the options of a {@link ClientHandshake}; not thread-safe. */
    public static final class Builder {

        private final URI uri;
        private final List<String> subprotocols = new ArrayList<>();
        private final List<Extension> extensions = new ArrayList<>();
        private final HttpHeaders.Builder extraHeaders = HttpHeaders.builder();
        private String key;

        private Builder(URI uri) {
            this.uri = uri;
        }

        /**
         * Adds subprotocols to offer, in order of preference.
         *
         * @param names subprotocol names, tokens, each offered at most once
         * @return this builder
         * @throws IllegalArgumentException if a name is not a token or is already offered
         */
        public Builder subprotocols(String... names) {
            return subprotocols(List.of(names));
        }

        /**
         * Adds subprotocols to offer, in order of preference.
         *
         * @param names subprotocol names, tokens, each offered at most once
         * @return this builder
         * @throws IllegalArgumentException if a name is not a token or is already offered
         */
        public Builder subprotocols(List<String> names) {
            for (String name : names) {
                HttpSyntax.requireToken(name, "subprotocol");
                if (subprotocols.contains(name)) {
                    throw new IllegalArgumentException("subprotocol offered twice: " + name);
                }
                subprotocols.add(name);
            }
            return this;
        }

        /**
         * Adds extension offers, in order of preference. The same extension may be offered
         * several times with different parameters.
         *
         * @param offers the extensions to offer
         * @return this builder
         */
        public Builder extensions(List<Extension> offers) {
            for (Extension offer : offers) {
                extensions.add(Objects.requireNonNull(offer, "extension"));
            }
            return this;
        }

        /**
         * Adds a header sent after the handshake headers, such as {@code Origin}.
         *
         * @param name the header name
         * @param value the header value
         * @return this builder
         * @throws IllegalArgumentException if the field is invalid or is one the handshake
         *     writes itself ({@code Host}, {@code Upgrade}, {@code Connection},
         *     {@code Sec-WebSocket-*}, {@code Content-Length}, {@code Transfer-Encoding})
         */
        public Builder header(String name, String value) {
            HeaderField field = new HeaderField(name, value);
            HttpSyntax.requireNoneOf(HttpHeaders.builder().add(field).build(), RESERVED);
            extraHeaders.add(field);
            return this;
        }

        /**
         * Sets the {@code Sec-WebSocket-Key} instead of generating a random one (for tests).
         *
         * @param secWebSocketKey base64 of 16 bytes
         * @return this builder
         * @throws IllegalArgumentException if the key is not base64 of 16 bytes
         */
        public Builder key(String secWebSocketKey) {
            if (!WebSocketAccept.isValidKey(secWebSocketKey)) {
                throw new IllegalArgumentException("key is not the base64 encoding of 16 bytes");
            }
            this.key = secWebSocketKey;
            return this;
        }

        /**
         * Creates the handshake.
         *
         * @return the handshake
         * @throws IllegalArgumentException if the URI is not a valid ws or wss URI (no host,
         *     user information, fragment, port out of range, or another scheme)
         */
        public ClientHandshake build() {
            return new ClientHandshake(this);
        }
    }
}
