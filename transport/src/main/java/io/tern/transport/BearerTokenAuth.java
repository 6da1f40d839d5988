package io.tern.transport;

import io.tern.codec.handshake.HttpHeaders;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * An upgrade interceptor that reads an OAuth 2.0 bearer token (RFC 6750) from the request and
 * hands it to the application's verifier, which turns a valid token into the connection's
 * attachment (a user, a session) and an invalid one into null. Immutable and thread-safe if the
 * verifier is.
 *
 * <p>Where the token is read: the {@code Authorization: Bearer <token>} header (RFC 6750 §2.1;
 * scheme name in any case, token as {@code b64token}), and, only if
 * {@link #withQueryParameter(String)} names it, a query parameter (RFC 6750 §2.3 calls it
 * {@code access_token}), form-decoded. Browsers cannot set headers on a WebSocket handshake, so
 * the query is how a browser sends a token; mind that URLs with tokens end up in logs.
 *
 * <p>Answers (RFC 6750 §3): no token → {@code 401} with {@code WWW-Authenticate: Bearer}; a
 * malformed {@code Authorization: Bearer} value, several {@code Authorization} headers, a
 * repeated or badly encoded query parameter, or a token sent both ways (§2: "MUST NOT use more
 * than one method") → {@code 400} with {@code error="invalid_request"}; a token the verifier
 * refuses → {@code 401} with {@code error="invalid_token"}; a verifier that throws or whose stage
 * fails → 500. A non-bearer {@code Authorization} (such as {@code Basic}) counts as no token.
 *
 * <pre>{@code
 * BearerTokenAuth auth = BearerTokenAuth.verifying((token, request) -> users.byToken(token))
 *         .withQueryParameter("access_token");
 * BearerTokenAuth remote = BearerTokenAuth.verifyingAsync((token, request) -> authService.lookup(token));
 * }</pre>
 */
public final class BearerTokenAuth implements UpgradeInterceptor {

    private final BiFunction<String, UpgradeRequest, ? extends CompletionStage<?>> asyncVerifier;
    private final BiFunction<String, UpgradeRequest, ?> syncVerifier;
    private final String queryParameter;
    private final String realm;
    private final String challenge;

    private BearerTokenAuth(BiFunction<String, UpgradeRequest, ?> syncVerifier,
                            BiFunction<String, UpgradeRequest, ? extends CompletionStage<?>> asyncVerifier,
                            String queryParameter, String realm) {
        this.syncVerifier = syncVerifier;
        this.asyncVerifier = asyncVerifier;
        this.queryParameter = queryParameter;
        this.realm = realm;
        this.challenge = realm == null ? "Bearer" : "Bearer realm=\"" + realm + "\"";
    }

    /**
     * Creates the interceptor with a verifier that answers on the loop thread (it must not block).
     *
     * @param verifier returns the connection's attachment for a valid token, null for an invalid
     *                 one
     * @return the interceptor, reading the {@code Authorization} header only
     */
    public static BearerTokenAuth verifying(BiFunction<String, UpgradeRequest, ?> verifier) {
        return new BearerTokenAuth(Objects.requireNonNull(verifier, "verifier"), null, null, null);
    }

    /**
     * Creates the interceptor with a verifier that answers later, for a lookup that must not
     * block the loop; the handshake waits (up to the route's handshake timeout) and goes on on
     * the loop thread (see {@link UpgradeDecision#async}).
     *
     * @param verifier returns a stage completing with the attachment for a valid token, with
     *                 null for an invalid one
     * @return the interceptor, reading the {@code Authorization} header only
     */
    public static BearerTokenAuth verifyingAsync(BiFunction<String, UpgradeRequest, ? extends CompletionStage<?>> verifier) {
        return new BearerTokenAuth(null, Objects.requireNonNull(verifier, "verifier"), null, null);
    }

    /**
     * Returns a copy that also reads the token from a query parameter.
     *
     * @param name the parameter name, e.g. {@code access_token}
     * @return the changed interceptor
     * @throws IllegalArgumentException if the name is empty
     */
    public BearerTokenAuth withQueryParameter(String name) {
        if (Objects.requireNonNull(name, "name").isEmpty()) {
            throw new IllegalArgumentException("empty query parameter name");
        }
        return new BearerTokenAuth(syncVerifier, asyncVerifier, name, realm);
    }

    /**
     * Returns a copy whose challenges name a realm: {@code WWW-Authenticate: Bearer realm="..."}.
     *
     * @param realm the realm, printable ASCII without {@code "} or {@code \}
     * @return the changed interceptor
     * @throws IllegalArgumentException if the realm holds another character
     */
    public BearerTokenAuth withRealm(String realm) {
        for (int i = 0; i < realm.length(); i++) {
            char c = realm.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                throw new IllegalArgumentException("realm must be printable ASCII without quotes or backslashes");
            }
        }
        return new BearerTokenAuth(syncVerifier, asyncVerifier, queryParameter, realm);
    }

    @Override
    public UpgradeDecision<?> intercept(UpgradeRequest request) {
        List<String> authorizations = request.headers().all("Authorization");
        if (authorizations.size() > 1) {
            return invalidRequest("more than one Authorization header");
        }
        String fromHeader = null;
        if (authorizations.size() == 1) {
            String value = authorizations.get(0);
            int space = value.indexOf(' ');
            String scheme = space < 0 ? value : value.substring(0, space);
            if (scheme.equalsIgnoreCase("Bearer")) {
                String token = space < 0 ? "" : value.substring(space + 1).stripLeading();
                if (!isB64Token(token)) {
                    return invalidRequest("malformed bearer token in the Authorization header");
                }
                fromHeader = token;
            }
        }
        String fromQuery = null;
        if (queryParameter != null && request.query() != null) {
            List<String> values;
            try {
                values = parameter(request.query(), queryParameter);
            } catch (IllegalArgumentException e) {
                return invalidRequest("badly encoded query");
            }
            if (values.size() > 1) {
                return invalidRequest("query parameter " + queryParameter + " repeated");
            }
            if (values.size() == 1) {
                if (values.get(0).isEmpty()) {
                    return invalidRequest("empty query parameter " + queryParameter);
                }
                fromQuery = values.get(0);
            }
        }
        if (fromHeader != null && fromQuery != null) {
            return invalidRequest("token sent both in the Authorization header and in the query");
        }
        String token = fromHeader != null ? fromHeader : fromQuery;
        if (token == null) {
            return UpgradeDecision.reject(401, "a bearer token is required", HttpHeaders.of("WWW-Authenticate", challenge));
        }
        if (syncVerifier != null) {
            return decide(syncVerifier.apply(token, request));
        }
        CompletionStage<?> pending = asyncVerifier.apply(token, request);
        if (pending == null) {
            throw new IllegalStateException("the asynchronous token verifier returned no stage");
        }
        return UpgradeDecision.async(pending.thenApply(this::decide));
    }

    private UpgradeDecision<?> decide(Object attachment) {
        return attachment != null ? UpgradeDecision.accept(attachment)
                : UpgradeDecision.reject(401, "invalid bearer token",
                        HttpHeaders.of("WWW-Authenticate", challenge + (realm == null ? " " : ", ")
                                + "error=\"invalid_token\""));
    }

    private UpgradeDecision<?> invalidRequest(String why) {
        return UpgradeDecision.reject(400, why, HttpHeaders.of("WWW-Authenticate",
                challenge + (realm == null ? " " : ", ") + "error=\"invalid_request\""));
    }

    /** b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" (RFC 6750 §2.1). */
    static boolean isB64Token(String token) {
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The form-decoded values of a query parameter (application/x-www-form-urlencoded, as RFC
     * 6750 §2.3 uses it).
     *
     * @throws IllegalArgumentException for a malformed percent escape
     */
    static List<String> parameter(String query, String name) {
        List<String> values = new ArrayList<>(1);
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                values.add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    @Override
    public String toString() {
        return "BearerTokenAuth[" + challenge + (queryParameter == null ? "" : ", query " + queryParameter) + "]";
    }
}
