package io.tern.transport;

/**
 * A step of the upgrade chain: looks at an upgrade request that passed the protocol checks and
 * decides (accept with an attachment, pass, reject, or decide asynchronously; see
 * {@link UpgradeDecision} for the chain's rules). Added globally with
 * {@link WebSocketServer.Builder#intercept(UpgradeInterceptor)} or per route with
 * {@link WebSocketServer.Builder#route(String, WebSocketHandler, ConnectionSettings, java.util.List)}.
 *
 * <p>Runs on the connection's event loop thread and must not block (return
 * {@link UpgradeDecision#async} instead). One instance serves every loop of the server, so it
 * must be safe to call from several threads at once. An exception thrown from it answers 500 and
 * is logged; the loop goes on.
 *
 * <p>Built-in interceptors: {@link OriginAllowList}, {@link AddressLimits} and
 * {@link BearerTokenAuth}.
 *
 * <pre>{@code
 * UpgradeInterceptor onlyInternal = request ->
 *         request.header("X-Internal") != null ? UpgradeDecision.pass()
 *                                               : UpgradeDecision.reject(403, "internal clients only");
 * }</pre>
 */
@FunctionalInterface
public interface UpgradeInterceptor {

    /**
     * Decides about one upgrade request.
     *
     * @param request the request, with the attachment chosen so far and hooks for the end of the
     *                handshake and of the connection
     * @return the decision; null counts as {@link UpgradeDecision#pass()}
     */
    UpgradeDecision<?> intercept(UpgradeRequest request);
}
