package io.tern.codec.handshake;

import java.util.List;
import java.util.Objects;

/**
 * One element of a {@code Sec-WebSocket-Extensions} list (RFC 6455 §9.1): an extension name and
 * its parameters in the order they were written. Duplicate parameters are kept; deciding
 * whether they are acceptable is up to the extension's negotiator.
 *
 * @param name the extension token, such as {@code permessage-deflate}
 * @param params the parameters, in order (an unmodifiable copy is stored)
 */
public record Extension(String name, List<ExtensionParam> params) {

    /**
     * Validates the name and copies the parameter list.
     *
     * @param name the extension token
     * @param params the parameters
     * @throws NullPointerException if the name, the list or an element is null
     * @throws IllegalArgumentException if the name is not a token
     */
    public Extension {
        HttpSyntax.requireToken(name, "extension name");
        params = List.copyOf(Objects.requireNonNull(params, "params"));
    }

    /**
     * Creates an extension.
     *
     * @param name the extension token
     * @param params the parameters, in order
     * @return the extension
     */
    public static Extension of(String name, ExtensionParam... params) {
        return new Extension(name, List.of(params));
    }

    @Override
    public String toString() {
        return ExtensionHeader.format(List.of(this));
    }
}
