package io.tern.codec.handshake;

/**
 * One parameter of a WebSocket extension (RFC 6455 §9.1): a name with an optional value.
 *
 * <p>Both the name and the value are tokens. On the wire the value may have been sent as a
 * quoted-string; it is stored unquoted and unescaped.
 *
 * @param name the parameter name, an RFC 7230 token
 * @param value the parameter value, a token, or null for a parameter without value
 */
public record ExtensionParam(String name, String value) {

    /**
     * Validates the components.
     *
     * @param name the parameter name
     * @param value the value or null
     * @throws NullPointerException if the name is null
     * @throws IllegalArgumentException if the name or a non-null value is not a token
     */
    public ExtensionParam {
        HttpSyntax.requireToken(name, "extension parameter name");
        if (value != null) {
            HttpSyntax.requireToken(value, "extension parameter value");
        }
    }

    /**
     * Creates a parameter without value.
     *
     * @param name the parameter name
     * @return the parameter
     */
    public static ExtensionParam of(String name) {
        return new ExtensionParam(name, null);
    }

    /**
     * Creates a parameter with a value.
     *
     * @param name the parameter name
     * @param value the value, a token
     * @return the parameter
     */
    public static ExtensionParam of(String name, String value) {
        return new ExtensionParam(name, java.util.Objects.requireNonNull(value, "value"));
    }

    /**
     * Tells whether the parameter carries a value.
     *
     * @return true if {@link #value()} is not null
     */
    public boolean hasValue() {
        return value != null;
    }

    @Override
    public String toString() {
        return value == null ? name : name + "=" + value;
    }
}
