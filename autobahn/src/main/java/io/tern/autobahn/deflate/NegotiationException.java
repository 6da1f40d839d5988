package io.tern.autobahn.deflate;

/**
 * A {@code Sec-WebSocket-Extensions} value that breaks RFC 6455 §9.1 or RFC 7692 §7, with a message
 * naming the element and parameter at fault. Immutable.
 */
public final class NegotiationException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the parameter and the header value */
    public NegotiationException(String message) {
        super(message);
    }
}
