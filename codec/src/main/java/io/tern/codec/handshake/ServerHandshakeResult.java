package io.tern.codec.handshake;

/**
 * What a server answers to a WebSocket opening handshake: either a {@link HandshakeAcceptance}
 * (status 101) or a {@link HandshakeRejection} (an HTTP error response).
 */
public sealed interface ServerHandshakeResult permits HandshakeAcceptance, HandshakeRejection {

    /**
     * Returns the HTTP status of the answer.
     *
     * @return 101 for an acceptance, the error status for a rejection
     */
    int status();

    /**
     * Builds the complete response bytes with default choices (for an acceptance: no extension
     * and no extra header).
     *
     * @return the bytes to send
     */
    byte[] toBytes();

    /**
     * Tells whether the handshake was accepted.
     *
     * @return true for a {@link HandshakeAcceptance}
     */
    default boolean isAccepted() {
        return this instanceof HandshakeAcceptance;
    }
}
