package io.tern.codec.handshake;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Syntax of the {@code Sec-WebSocket-Extensions} header (RFC 6455 §9.1 with the list rules of
 * RFC 7230 §7). Only syntax: no parameter is interpreted here.
 *
 * <pre>
 * extension-list  = 1#extension
 * extension       = extension-token *( OWS ";" OWS extension-param )
 * extension-param = token [ OWS "=" OWS ( token / quoted-string ) ]
 * </pre>
 *
 * <p>A quoted value must be a token once unescaped. Empty list elements are skipped.
 */
public final class ExtensionHeader {

    /** The header name. */
    public static final String NAME = "Sec-WebSocket-Extensions";

    private ExtensionHeader() {
    }

    /**
     * Parses one header value.
     *
     * @param headerValue the value of one {@code Sec-WebSocket-Extensions} line
     * @return the extensions, or the reason the value is malformed
     * @throws NullPointerException if the value is null
     */
    public static Result parse(String headerValue) {
        return parse(List.of(headerValue));
    }

    /**
     * Parses several header lines as one list, the way RFC 7230 §3.2.2 combines them.
     * The combined list must contain at least one extension.
     *
     * @param headerValues the values of all {@code Sec-WebSocket-Extensions} lines, in order
     * @return the extensions, or the reason the values are malformed
     * @throws NullPointerException if the list or an element is null
     */
    public static Result parse(List<String> headerValues) {
        List<Extension> extensions = new ArrayList<>();
        for (String value : headerValues) {
            String error = new ExtensionListParser(Objects.requireNonNull(value, "headerValue")).parseInto(extensions);
            if (error != null) {
                return new Result(null, error + " in " + NAME);
            }
        }
        if (extensions.isEmpty()) {
            return new Result(null, "no extension in " + NAME);
        }
        return new Result(Collections.unmodifiableList(extensions), null);
    }

    /**
     * Parses the {@code Sec-WebSocket-Extensions} lines of a head. An absent header yields a
     * valid, empty list.
     *
     * @param headers the header fields of a request or response
     * @return the extensions (possibly none), or the reason the header is malformed
     */
    public static Result parse(HttpHeaders headers) {
        List<String> values = headers.all(NAME);
        return values.isEmpty() ? new Result(List.of(), null) : parse(values);
    }

    /**
     * Serializes extensions as one header value, for example
     * {@code permessage-deflate; client_max_window_bits=10; server_no_context_takeover}.
     *
     * @param extensions the extensions, at least one
     * @return the header value
     * @throws IllegalArgumentException if the list is empty
     */
    public static String format(List<Extension> extensions) {
        if (extensions.isEmpty()) {
            throw new IllegalArgumentException("an extension list must not be empty");
        }
        StringBuilder out = new StringBuilder();
        for (Extension extension : extensions) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(extension.name());
            for (ExtensionParam param : extension.params()) {
                out.append("; ").append(param.name());
                if (param.value() != null) {
                    out.append('=').append(param.value());
                }
            }
        }
        return out.toString();
    }

    /** Outcome of parsing: either a list of extensions or an error message. */
    public static final class Result {

        private final List<Extension> extensions;
        private final String error;

        private Result(List<Extension> extensions, String error) {
            this.extensions = extensions;
            this.error = error;
        }

        /**
         * Tells whether the header was well-formed.
         *
         * @return true if {@link #extensions()} may be called
         */
        public boolean isValid() {
            return error == null;
        }

        /**
         * Returns the parsed extensions.
         *
         * @return the extensions in header order
         * @throws IllegalStateException if the header was malformed
         */
        public List<Extension> extensions() {
            if (error != null) {
                throw new IllegalStateException("malformed header: " + error);
            }
            return extensions;
        }

        /**
         * Returns why the header is malformed.
         *
         * @return the message, or null if the header was well-formed
         */
        public String error() {
            return error;
        }

        @Override
        public String toString() {
            return error == null ? extensions.toString() : "error: " + error;
        }
    }
}
