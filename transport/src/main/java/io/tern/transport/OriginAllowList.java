package io.tern.transport;

import io.tern.codec.handshake.HeaderSyntax;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * An upgrade interceptor that lets through only requests whose {@code Origin} is on a list: the
 * defence against cross-site WebSocket hijacking, where a page on another site opens a WebSocket
 * to this server with the user's cookies (RFC 6455 §10.2: the server may reject an origin it does
 * not want, and a browser always sends {@code Origin} with a WebSocket handshake). Immutable and
 * thread-safe.
 *
 * <p>Origins are compared as RFC 6454 §5 compares them: scheme and host ignoring ASCII case, and
 * the port, where the scheme's default port ({@code 80} for {@code http}/{@code ws}, {@code 443}
 * for {@code https}/{@code wss}) counts as no port. A request whose origin is not listed gets
 * {@code 403 Forbidden}; so does the opaque origin {@code null} (sandboxed frames, local files),
 * which can never be listed because any page can produce it. A request without {@code Origin}
 * comes from a non-browser client and is let through, unless {@link #requireOrigin()} was asked
 * for. The value's syntax was checked before any interceptor runs (400 if malformed).
 *
 * <pre>{@code
 * WebSocketServer.builder()
 *         .intercept(OriginAllowList.of(List.of("https://chat.example.com", "http://localhost:8080")))
 * }</pre>
 */
public final class OriginAllowList implements UpgradeInterceptor {

    private final Set<String> allowed;
    private final boolean required;

    private OriginAllowList(Set<String> allowed, boolean required) {
        this.allowed = allowed;
        this.required = required;
    }

    /**
     * Creates an allow-list that lets requests without {@code Origin} through.
     *
     * @param origins serialized origins, e.g. {@code https://example.com} or
     *                {@code http://localhost:8080} (no path, no trailing slash)
     * @return the interceptor
     * @throws IllegalArgumentException if an entry is not a serialized origin (RFC 6454 §7.1) or
     *     is {@code null}
     */
    public static OriginAllowList of(Collection<String> origins) {
        Set<String> normalized = new LinkedHashSet<>();
        for (String origin : origins) {
            if (!HeaderSyntax.isSerializedOrigin(Objects.requireNonNull(origin, "origin"))) {
                throw new IllegalArgumentException("not a serialized origin (scheme://host[:port]): " + origin);
            }
            normalized.add(normalize(origin));
        }
        return new OriginAllowList(Set.copyOf(normalized), false);
    }

    /**
     * Returns a copy that also refuses requests without {@code Origin} (403): for endpoints only
     * browsers may use.
     *
     * @return the stricter interceptor
     */
    public OriginAllowList requireOrigin() {
        return new OriginAllowList(allowed, true);
    }

    /**
     * Tells whether an {@code Origin} value is on the list.
     *
     * @param origin the field value
     * @return true if it names a listed origin
     */
    public boolean allows(String origin) {
        return origin != null && HeaderSyntax.isSerializedOrigin(origin) && allowed.contains(normalize(origin));
    }

    @Override
    public UpgradeDecision<?> intercept(UpgradeRequest request) {
        String origin = request.header("Origin");
        if (origin == null) {
            return required ? UpgradeDecision.reject(403, "an Origin header is required") : UpgradeDecision.pass();
        }
        return allows(origin) ? UpgradeDecision.pass() : UpgradeDecision.reject(403, "origin not allowed: " + origin);
    }

    /** Lower-cases scheme and host and drops the scheme's default port. */
    private static String normalize(String origin) {
        String lower = origin.toLowerCase(Locale.ROOT);
        int hostStart = lower.indexOf("://") + 3;
        String scheme = lower.substring(0, hostStart - 3);
        int colon = lower.lastIndexOf(':');
        if (colon < hostStart || lower.indexOf(']', colon) >= 0) {
            return lower;
        }
        String port = lower.substring(colon + 1);
        boolean defaultPort = port.isEmpty()
                || (port.equals("80") && (scheme.equals("http") || scheme.equals("ws")))
                || (port.equals("443") && (scheme.equals("https") || scheme.equals("wss")));
        return defaultPort ? lower.substring(0, colon) : lower;
    }

    @Override
    public String toString() {
        return "OriginAllowList" + allowed + (required ? " (Origin required)" : "");
    }
}
