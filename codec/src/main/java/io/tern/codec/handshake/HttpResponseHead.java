package io.tern.codec.handshake;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The head of an HTTP/1.x response: status line and header fields. Immutable.
 */
public final class HttpResponseHead {

    private final String version;
    private final int statusCode;
    private final String reasonPhrase;
    private final HttpHeaders headers;

    /**
     * Creates a response head.
     *
     * @param version the HTTP version, of the form {@code HTTP/d.d}
     * @param statusCode the status code, 100 to 999
     * @param reasonPhrase the reason phrase, possibly empty (SP, HTAB, visible ASCII, obs-text)
     * @param headers the header fields
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an argument does not have valid syntax
     */
    public HttpResponseHead(String version, int statusCode, String reasonPhrase, HttpHeaders headers) {
        this.version = Objects.requireNonNull(version, "version");
        this.reasonPhrase = Objects.requireNonNull(reasonPhrase, "reasonPhrase");
        this.headers = Objects.requireNonNull(headers, "headers");
        this.statusCode = statusCode;
        if (!HttpSyntax.isHttpVersion(version)) {
            throw new IllegalArgumentException("invalid HTTP version: \"" + version + "\"");
        }
        if (statusCode < 100 || statusCode > 999) {
            throw new IllegalArgumentException("status code must have three digits: " + statusCode);
        }
        if (!HttpSyntax.isText(reasonPhrase)) {
            throw new IllegalArgumentException("invalid character in reason phrase");
        }
    }

    /**
     * Returns the HTTP version.
     *
     * @return the version such as {@code HTTP/1.1}
     */
    public String version() {
        return version;
    }

    /**
     * Returns the status code.
     *
     * @return the three-digit status code
     */
    public int statusCode() {
        return statusCode;
    }

    /**
     * Returns the reason phrase.
     *
     * @return the reason phrase, possibly empty
     */
    public String reasonPhrase() {
        return reasonPhrase;
    }

    /**
     * Returns the header fields.
     *
     * @return the headers in arrival order
     */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * Serializes this head: status line, header lines and the empty line, in ISO-8859-1.
     *
     * @return the bytes of the head
     */
    public byte[] toBytes() {
        StringBuilder out = new StringBuilder(128);
        out.append(version).append(' ').append(statusCode).append(' ').append(reasonPhrase).append("\r\n");
        headers.appendTo(out);
        out.append("\r\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof HttpResponseHead)) {
            return false;
        }
        HttpResponseHead that = (HttpResponseHead) other;
        return version.equals(that.version) && statusCode == that.statusCode
                && reasonPhrase.equals(that.reasonPhrase) && headers.equals(that.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, statusCode, reasonPhrase, headers);
    }

    @Override
    public String toString() {
        return version + " " + statusCode + " " + reasonPhrase + " " + headers;
    }
}
