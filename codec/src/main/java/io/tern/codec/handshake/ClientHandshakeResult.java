package io.tern.codec.handshake;

import java.util.List;

/**
 * Outcome of checking a server's handshake response: success with the negotiated subprotocol
 * and extensions, or failure with a reason (the client must then fail the connection,
 * RFC 6455 §4.1). Immutable.
 */
public final class ClientHandshakeResult {

    private final String failureReason;
    private final String subprotocol;
    private final List<Extension> extensions;

    private ClientHandshakeResult(String failureReason, String subprotocol, List<Extension> extensions) {
        this.failureReason = failureReason;
        this.subprotocol = subprotocol;
        this.extensions = extensions;
    }

    static ClientHandshakeResult success(String subprotocol, List<Extension> extensions) {
        return new ClientHandshakeResult(null, subprotocol, List.copyOf(extensions));
    }

    static ClientHandshakeResult failure(String reason) {
        return new ClientHandshakeResult(reason, null, List.of());
    }

    /**
     * Tells whether the server accepted the handshake correctly.
     *
     * @return true on success
     */
    public boolean isSuccess() {
        return failureReason == null;
    }

    /**
     * Returns the subprotocol the server selected.
     *
     * @return the subprotocol, or null if the server selected none
     * @throws IllegalStateException if the handshake failed
     */
    public String subprotocol() {
        requireSuccess();
        return subprotocol;
    }

    /**
     * Returns the extensions the server accepted, in the order of its
     * {@code Sec-WebSocket-Extensions} header, parameters uninterpreted.
     *
     * @return the accepted extensions, possibly empty
     * @throws IllegalStateException if the handshake failed
     */
    public List<Extension> extensions() {
        requireSuccess();
        return extensions;
    }

    /**
     * Returns why the handshake failed.
     *
     * @return the reason, or null on success
     */
    public String failureReason() {
        return failureReason;
    }

    private void requireSuccess() {
        if (failureReason != null) {
            throw new IllegalStateException("handshake failed: " + failureReason);
        }
    }

    @Override
    public String toString() {
        return failureReason == null ? "success (subprotocol=" + subprotocol + ", extensions=" + extensions + ")"
                : "failure: " + failureReason;
    }
}
