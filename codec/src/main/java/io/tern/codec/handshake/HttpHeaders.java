package io.tern.codec.handshake;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * An immutable, ordered list of HTTP header fields with ASCII case-insensitive name lookup.
 *
 * <p>Repeated fields are kept as separate entries in arrival order. Values are ISO-8859-1
 * strings (one character per byte on the wire).
 */
public final class HttpHeaders implements Iterable<HeaderField> {

    private static final HttpHeaders EMPTY = new HttpHeaders(List.of());

    private final List<HeaderField> fields;

    private HttpHeaders(List<HeaderField> fields) {
        this.fields = fields;
    }

    /**
     * Returns the empty header list.
     *
     * @return a header list without fields
     */
    public static HttpHeaders empty() {
        return EMPTY;
    }

    /**
     * Builds a header list from alternating names and values.
     *
     * @param namesAndValues name, value, name, value, ...
     * @return the header list
     * @throws IllegalArgumentException if the number of arguments is odd or a field is invalid
     */
    public static HttpHeaders of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        Builder builder = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder.build();
    }

    /**
     * Starts an empty builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a builder that already holds this list's fields.
     *
     * @return a new builder initialised with these fields
     */
    public Builder toBuilder() {
        return new Builder().addAll(this);
    }

    /**
     * Returns the number of field lines.
     *
     * @return the number of fields, counting repeated names separately
     */
    public int size() {
        return fields.size();
    }

    /**
     * Tells whether there are no fields.
     *
     * @return true if the list is empty
     */
    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * Returns all fields in order.
     *
     * @return an unmodifiable list of the fields
     */
    public List<HeaderField> fields() {
        return fields;
    }

    /**
     * Returns the value of the first field with the given name.
     *
     * @param name the field name, compared ignoring ASCII case
     * @return the first value, or null if there is no such field
     */
    public String first(String name) {
        Objects.requireNonNull(name, "name");
        for (HeaderField field : fields) {
            if (field.hasName(name)) {
                return field.value();
            }
        }
        return null;
    }

    /**
     * Returns the values of all fields with the given name, in order.
     *
     * @param name the field name, compared ignoring ASCII case
     * @return an unmodifiable list of values, empty if there is no such field
     */
    public List<String> all(String name) {
        Objects.requireNonNull(name, "name");
        List<String> values = new ArrayList<>();
        for (HeaderField field : fields) {
            if (field.hasName(name)) {
                values.add(field.value());
            }
        }
        return Collections.unmodifiableList(values);
    }

    /**
     * Counts the field lines with the given name.
     *
     * @param name the field name, compared ignoring ASCII case
     * @return the number of such lines
     */
    public int count(String name) {
        Objects.requireNonNull(name, "name");
        int count = 0;
        for (HeaderField field : fields) {
            if (field.hasName(name)) {
                count++;
            }
        }
        return count;
    }

    /**
     * Tells whether at least one field has the given name.
     *
     * @param name the field name, compared ignoring ASCII case
     * @return true if such a field exists
     */
    public boolean contains(String name) {
        return first(name) != null;
    }

    /**
     * Returns the elements of a comma-separated list header (RFC 7230 §7), taken from all lines
     * with that name as if they were one line. Elements are trimmed of whitespace and empty
     * elements are dropped. Quoted strings are not interpreted, so this is meant for lists of
     * tokens.
     *
     * @param name the field name, compared ignoring ASCII case
     * @return an unmodifiable list of the non-empty elements, in order
     */
    public List<String> tokens(String name) {
        List<String> elements = new ArrayList<>();
        for (String value : all(name)) {
            HttpSyntax.splitList(value, elements);
        }
        return Collections.unmodifiableList(elements);
    }

    /**
     * Tells whether a comma-separated list header contains an element equal to {@code token},
     * ignoring ASCII case.
     *
     * @param name the field name, compared ignoring ASCII case
     * @param token the element to look for
     * @return true if some element of the list matches
     */
    public boolean containsToken(String name, String token) {
        Objects.requireNonNull(token, "token");
        for (String element : tokens(name)) {
            if (HttpSyntax.equalsIgnoreAsciiCase(element, token)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Iterates over the fields in order.
     *
     * @return an iterator that does not support removal
     */
    @Override
    public Iterator<HeaderField> iterator() {
        return fields.iterator();
    }

    /** Appends {@code name: value CRLF} for every field. */
    void appendTo(StringBuilder out) {
        for (HeaderField field : fields) {
            out.append(field.name()).append(": ").append(field.value()).append("\r\n");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HttpHeaders && ((HttpHeaders) other).fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return fields.toString();
    }

    /** Accumulates header fields in order; not thread-safe. */
    public static final class Builder {

        private final List<HeaderField> fields = new ArrayList<>();

        private Builder() {
        }

        /**
         * Appends a field.
         *
         * @param name the field name, an RFC 7230 token
         * @param value the field value (ISO-8859-1, no control characters, no surrounding
         *     whitespace)
         * @return this builder
         * @throws IllegalArgumentException if the name or value is invalid
         */
        public Builder add(String name, String value) {
            fields.add(new HeaderField(name, value));
            return this;
        }

        /**
         * Appends a field.
         *
         * @param field the field
         * @return this builder
         */
        public Builder add(HeaderField field) {
            fields.add(Objects.requireNonNull(field, "field"));
            return this;
        }

        /**
         * Appends all fields of another list.
         *
         * @param headers the fields to append
         * @return this builder
         */
        public Builder addAll(HttpHeaders headers) {
            fields.addAll(headers.fields);
            return this;
        }

        /**
         * Creates the immutable header list.
         *
         * @return the headers added so far
         */
        public HttpHeaders build() {
            return fields.isEmpty() ? EMPTY : new HttpHeaders(List.copyOf(fields));
        }
    }
}
