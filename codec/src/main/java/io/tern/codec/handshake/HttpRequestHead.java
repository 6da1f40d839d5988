package io.tern.codec.handshake;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The head of an HTTP/1.x request: request line and header fields. Immutable.
 */
public final class HttpRequestHead {

    private final String method;
    private final String requestTarget;
    private final String version;
    private final HttpHeaders headers;

    /**
     * Creates a request head.
     *
     * @param method the method, an RFC 7230 token such as {@code GET}
     * @param requestTarget the request-target, one or more visible ASCII characters
     * @param version the HTTP version, of the form {@code HTTP/d.d}
     * @param headers the header fields
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an argument does not have valid syntax
     */
    public HttpRequestHead(String method, String requestTarget, String version, HttpHeaders headers) {
        this.method = HttpSyntax.requireToken(method, "method");
        this.requestTarget = Objects.requireNonNull(requestTarget, "requestTarget");
        this.version = Objects.requireNonNull(version, "version");
        this.headers = Objects.requireNonNull(headers, "headers");
        if (!HttpSyntax.isRequestTarget(requestTarget)) {
            throw new IllegalArgumentException("invalid request-target: \"" + requestTarget + "\"");
        }
        if (!HttpSyntax.isHttpVersion(version)) {
            throw new IllegalArgumentException("invalid HTTP version: \"" + version + "\"");
        }
    }

    /**
     * Returns the method.
     *
     * @return the method token, case preserved
     */
    public String method() {
        return method;
    }

    /**
     * Returns the request-target.
     *
     * @return the request-target exactly as on the request line
     */
    public String requestTarget() {
        return requestTarget;
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
     * Returns the header fields.
     *
     * @return the headers in arrival order
     */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * Serializes this head: request line, header lines and the empty line, in ISO-8859-1.
     *
     * @return the bytes of the head
     */
    public byte[] toBytes() {
        StringBuilder out = new StringBuilder(128);
        out.append(method).append(' ').append(requestTarget).append(' ').append(version).append("\r\n");
        headers.appendTo(out);
        out.append("\r\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof HttpRequestHead)) {
            return false;
        }
        HttpRequestHead that = (HttpRequestHead) other;
        return method.equals(that.method) && requestTarget.equals(that.requestTarget)
                && version.equals(that.version) && headers.equals(that.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, requestTarget, version, headers);
    }

    @Override
    public String toString() {
        return method + " " + requestTarget + " " + version + " " + headers;
    }
}
