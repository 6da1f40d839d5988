package io.tern.codec.handshake;

import java.util.List;
import java.util.Objects;

/**
 * A valid opening handshake that the server accepts. Exposes what the client asked for and
 * builds the {@code 101 Switching Protocols} response once the caller has negotiated the
 * extensions. Immutable.
 */
public final class HandshakeAcceptance implements ServerHandshakeResult {

    private static final List<String> RESERVED = List.of("Upgrade", "Connection", "Sec-WebSocket-Accept",
            "Sec-WebSocket-Protocol", ExtensionHeader.NAME);

    private final HttpRequestHead request;
    private final String acceptValue;
    private final String subprotocol;
    private final List<Extension> offeredExtensions;

    HandshakeAcceptance(HttpRequestHead request, String acceptValue, String subprotocol,
            List<Extension> offeredExtensions) {
        this.request = request;
        this.acceptValue = acceptValue;
        this.subprotocol = subprotocol;
        this.offeredExtensions = List.copyOf(offeredExtensions);
    }

    /**
     * Returns the request that was accepted.
     *
     * @return the request head (resource name, Origin and other headers are available there)
     */
    public HttpRequestHead request() {
        return request;
    }

    /**
     * Returns the value of the {@code Sec-WebSocket-Accept} header to send.
     *
     * @return the accept value computed from the client's key
     */
    public String acceptValue() {
        return acceptValue;
    }

    /**
     * Returns the selected subprotocol.
     *
     * @return the subprotocol echoed in {@code Sec-WebSocket-Protocol}, or null if none
     */
    public String subprotocol() {
        return subprotocol;
    }

    /**
     * Returns the extensions the client offered, in the client's order, for a negotiator to
     * choose from.
     *
     * @return the offers, empty if the client sent no {@code Sec-WebSocket-Extensions}
     */
    public List<Extension> offeredExtensions() {
        return offeredExtensions;
    }

    @Override
    public int status() {
        return 101;
    }

    /**
     * Builds the 101 response head.
     *
     * @param acceptedExtensions the extensions the server agreed to, in the order they apply;
     *     each name must have been offered; empty for none
     * @param extraHeaders headers to append last; must not contain {@code Upgrade},
     *     {@code Connection} or any {@code Sec-WebSocket-Accept/Protocol/Extensions} field
     * @return the response head
     * @throws IllegalArgumentException if an extension was not offered or an extra header is
     *     reserved
     */
    public HttpResponseHead responseHead(List<Extension> acceptedExtensions, HttpHeaders extraHeaders) {
        Objects.requireNonNull(acceptedExtensions, "acceptedExtensions");
        HttpSyntax.requireNoneOf(Objects.requireNonNull(extraHeaders, "extraHeaders"), RESERVED);
        for (Extension accepted : acceptedExtensions) {
            if (!wasOffered(accepted.name())) {
                throw new IllegalArgumentException("extension " + accepted.name() + " was not offered by the client");
            }
        }
        HttpHeaders.Builder headers = HttpHeaders.builder()
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Accept", acceptValue);
        if (subprotocol != null) {
            headers.add("Sec-WebSocket-Protocol", subprotocol);
        }
        if (!acceptedExtensions.isEmpty()) {
            headers.add(ExtensionHeader.NAME, ExtensionHeader.format(acceptedExtensions));
        }
        headers.addAll(extraHeaders);
        return new HttpResponseHead(HttpSyntax.HTTP_1_1, 101, "Switching Protocols", headers.build());
    }

    /**
     * Builds the 101 response bytes.
     *
     * @param acceptedExtensions the extensions the server agreed to, empty for none
     * @param extraHeaders headers to append last
     * @return the bytes to send
     * @throws IllegalArgumentException as for {@link #responseHead(List, HttpHeaders)}
     */
    public byte[] toBytes(List<Extension> acceptedExtensions, HttpHeaders extraHeaders) {
        return responseHead(acceptedExtensions, extraHeaders).toBytes();
    }

    /**
     * Builds the 101 response bytes without extensions and extra headers.
     *
     * @return the bytes to send
     */
    @Override
    public byte[] toBytes() {
        return toBytes(List.of(), HttpHeaders.empty());
    }

    private boolean wasOffered(String name) {
        for (Extension offered : offeredExtensions) {
            if (HttpSyntax.equalsIgnoreAsciiCase(offered.name(), name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "101 Switching Protocols (subprotocol=" + subprotocol + ", offered=" + offeredExtensions + ")";
    }
}
