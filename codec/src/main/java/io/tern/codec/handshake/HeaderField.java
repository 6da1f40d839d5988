package io.tern.codec.handshake;

import java.util.Objects;

/**
 * One HTTP header field line: a name and its value with surrounding whitespace removed.
 *
 * <p>The name must be an RFC 7230 token; the value may contain SP, HTAB, visible ASCII and
 * obs-text (characters U+0080 to U+00FF, i.e. ISO-8859-1 bytes), but neither control
 * characters nor leading or trailing whitespace.
 *
 * @param name the field name as written (its case is preserved, lookups ignore it)
 * @param value the field value
 */
public record HeaderField(String name, String value) {

    /**
     * Validates the name and value.
     *
     * @param name the field name, an RFC 7230 token
     * @param value the field value
     * @throws NullPointerException if either argument is null
     * @throws IllegalArgumentException if the name is not a token or the value is not a valid
     *     field value
     */
    public HeaderField {
        HttpSyntax.requireToken(name, "header name");
        Objects.requireNonNull(value, "header value");
        if (!HttpSyntax.isFieldValue(value)) {
            throw new IllegalArgumentException("invalid value for header " + name
                    + " (control character, non-ISO-8859-1 character or surrounding whitespace)");
        }
    }

    /**
     * Tells whether this field has the given name, ignoring ASCII case.
     *
     * @param otherName the name to compare with
     * @return true if the names are equal ignoring ASCII case
     */
    public boolean hasName(String otherName) {
        return HttpSyntax.equalsIgnoreAsciiCase(name, otherName);
    }

    @Override
    public String toString() {
        return name + ": " + value;
    }
}
