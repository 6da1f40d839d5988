package io.tern.codec.handshake;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Optional;

/**
 * A request-target split into the path and query a server routes by (RFC 9112 §3.2). Immutable.
 *
 * <p>Three of the four forms are understood: origin-form ({@code /chat?room=1}), absolute-form
 * with an {@code http} or {@code https} URI ({@code http://example.com/chat}), and asterisk-form
 * ({@code *}, meaningful only with {@code OPTIONS}). Authority-form ({@code host:port}) exists
 * only for {@code CONNECT} to a proxy and is not parsed. Path and query stay percent-encoded, as
 * they were sent. A fragment ({@code #...}) is never part of a request-target, so a target
 * containing {@code #} is refused, and so is an absolute-form target with user information
 * ({@code http://user@host/}), which RFC 9110 §4.2.4 tells recipients to treat as an error.
 */
public final class RequestTarget {

    /** The form of a request-target (RFC 9112 §3.2.1–3.2.4). */
    public enum Form {
        /** {@code absolute-path [ "?" query ]}, the usual form. */
        ORIGIN,
        /** An absolute {@code http} or {@code https} URI. */
        ABSOLUTE,
        /** {@code *}, for a server-wide {@code OPTIONS}. */
        ASTERISK
    }

    private final Form form;
    private final String path;
    private final String query;

    private RequestTarget(Form form, String path, String query) {
        this.form = form;
        this.path = path;
        this.query = query;
    }

    /**
     * Parses a request-target.
     *
     * @param target the request-target as on the request line
     * @return the parsed target, or empty when it is in none of the understood forms (a server
     *     answers 400)
     */
    public static Optional<RequestTarget> parse(String target) {
        Objects.requireNonNull(target, "target");
        if (target.isEmpty() || target.indexOf('#') >= 0) {
            return Optional.empty();
        }
        if (target.charAt(0) == '/') {
            int q = target.indexOf('?');
            return Optional.of(q < 0 ? new RequestTarget(Form.ORIGIN, target, null)
                    : new RequestTarget(Form.ORIGIN, target.substring(0, q), target.substring(q + 1)));
        }
        if (target.equals("*")) {
            return Optional.of(new RequestTarget(Form.ASTERISK, "*", null));
        }
        URI uri;
        try {
            uri = new URI(target);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme();
        if (!uri.isAbsolute() || uri.getRawAuthority() == null || uri.getRawUserInfo() != null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            return Optional.empty();
        }
        String rawPath = uri.getRawPath();
        return Optional.of(new RequestTarget(Form.ABSOLUTE, rawPath == null || rawPath.isEmpty() ? "/" : rawPath,
                uri.getRawQuery()));
    }

    /**
     * Returns the form the target was sent in.
     *
     * @return the form
     */
    public Form form() {
        return form;
    }

    /**
     * Returns the path, percent-encoded as sent: {@code /} for an absolute-form target without a
     * path, {@code *} for asterisk-form.
     *
     * @return the path
     */
    public String path() {
        return path;
    }

    /**
     * Returns the query without its {@code ?}, percent-encoded as sent.
     *
     * @return the query (possibly empty), or null when the target has no {@code ?}
     */
    public String query() {
        return query;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RequestTarget that && form == that.form && path.equals(that.path)
                && Objects.equals(query, that.query);
    }

    @Override
    public int hashCode() {
        return Objects.hash(form, path, query);
    }

    @Override
    public String toString() {
        return form + " " + path + (query == null ? "" : "?" + query);
    }
}
