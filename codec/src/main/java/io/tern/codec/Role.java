package io.tern.codec;

/**
 * Which end of a WebSocket connection a codec object serves.
 *
 * <p>The role decides the masking rules of RFC 6455 §5.1 and §5.3: a {@link #CLIENT} masks every
 * frame it sends and refuses masked frames from the server; a {@link #SERVER} sends unmasked
 * frames and refuses unmasked frames from the client.
 */
public enum Role {
    /** The endpoint that opened the connection and sent the upgrade request. */
    CLIENT,
    /** The endpoint that accepted the connection and answered the upgrade request. */
    SERVER;

    /**
     * Whether frames this endpoint receives must carry a mask.
     *
     * @return {@code true} for a server, which only accepts masked frames
     */
    public boolean expectsMaskedFrames() {
        return this == SERVER;
    }

    /**
     * Whether frames this endpoint sends carry a mask.
     *
     * @return {@code true} for a client, which must mask every frame it sends
     */
    public boolean masksOutgoingFrames() {
        return this == CLIENT;
    }
}
