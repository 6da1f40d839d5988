package io.tern.codec.deflate;

import io.tern.codec.handshake.Extension;
import io.tern.codec.handshake.ExtensionParam;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Negotiation of the permessage-deflate extension (RFC 7692 §5, §7.1) for both roles.
 *
 * <p>Server: {@link #negotiate(List, DeflateOptions)} walks the client's offers in order and
 * accepts the first one it can honour. An offer with an unknown, duplicated or out-of-range
 * parameter is declined and the next offer tried; the handshake itself never fails over it. Every
 * {@code server_max_window_bits} from 8 to 15 is honoured (Tern has its own DEFLATE encoder for
 * windows below 15).
 *
 * <p>Client: {@link #offer(DeflateOptions)} builds the offer; {@link #accept(List, DeflateOptions)}
 * checks the server's response against it and fails the connection (RFC 7692 §5: "_Fail the
 * WebSocket Connection_") when the response is malformed or does not match the offer.
 *
 * <pre>{@code
 * // server, inside the upgrade:
 * Optional<PerMessageDeflate.Agreement> deal =
 *         PerMessageDeflate.negotiate(acceptance.offeredExtensions(), DeflateOptions.defaults());
 * List<Extension> response = deal.map(a -> List.of(a.response())).orElse(List.of());
 * }</pre>
 */
public final class PerMessageDeflate {

    /** The extension's registered name. */
    public static final String NAME = "permessage-deflate";

    private PerMessageDeflate() {
    }

    /**
     * An accepted offer: the agreed parameters and the response element for the 101 response.
     *
     * @param parameters what both sides will use
     * @param response   the {@code permessage-deflate} element to put in the server's
     *                   {@code Sec-WebSocket-Extensions}
     */
    public record Agreement(DeflateParameters parameters, Extension response) {
    }

    /**
     * Server side: chooses the first acceptable permessage-deflate offer.
     *
     * @param offers the client's extension offers, in its order (other extensions are skipped)
     * @param policy what this server accepts and imposes
     * @return the agreement, or empty when the client offered no acceptable permessage-deflate
     */
    public static Optional<Agreement> negotiate(List<Extension> offers, DeflateOptions policy) {
        for (Extension offer : offers) {
            if (!DeflateParamParser.isPerMessageDeflate(offer)) {
                continue;
            }
            DeflateParamParser p = DeflateParamParser.parse(offer, false);
            if (p.error != null) {
                continue; // RFC 7692 §5.1: decline this offer, try the next
            }
            boolean serverNoContext = p.serverNoContextTakeover || policy.serverNoContextTakeover();
            boolean clientNoContext = p.clientNoContextTakeover || policy.clientNoContextTakeover();
            int requestedServerBits = p.serverMaxWindowBits == DeflateParamParser.ABSENT
                    ? DeflateParameters.MAX_WINDOW_BITS : p.serverMaxWindowBits;
            int serverBits = Math.min(requestedServerBits, policy.serverMaxWindowBits());
            boolean clientBitsOffered = p.clientMaxWindowBits != DeflateParamParser.ABSENT;
            int offeredClientBits = clientBitsOffered && p.clientMaxWindowBits != DeflateParamParser.NO_VALUE
                    ? p.clientMaxWindowBits : DeflateParameters.MAX_WINDOW_BITS;
            // The server may only answer client_max_window_bits when the client offered it.
            boolean limitClient = clientBitsOffered && policy.clientMaxWindowBits() < offeredClientBits;
            int clientBits = limitClient ? policy.clientMaxWindowBits() : offeredClientBits;

            List<ExtensionParam> params = new ArrayList<>(4);
            if (serverNoContext) {
                params.add(ExtensionParam.of(DeflateParamParser.SERVER_NO_CONTEXT_TAKEOVER));
            }
            if (clientNoContext) {
                params.add(ExtensionParam.of(DeflateParamParser.CLIENT_NO_CONTEXT_TAKEOVER));
            }
            // Must be answered when requested (§7.1.2.1); may be sent unrequested to limit ourselves.
            if (p.serverMaxWindowBits != DeflateParamParser.ABSENT || serverBits < DeflateParameters.MAX_WINDOW_BITS) {
                params.add(ExtensionParam.of(DeflateParamParser.SERVER_MAX_WINDOW_BITS, Integer.toString(serverBits)));
            }
            if (limitClient) {
                params.add(ExtensionParam.of(DeflateParamParser.CLIENT_MAX_WINDOW_BITS, Integer.toString(clientBits)));
            }
            DeflateParameters agreed = new DeflateParameters(serverNoContext, clientNoContext, serverBits, clientBits);
            return Optional.of(new Agreement(agreed, new Extension(NAME, params)));
        }
        return Optional.empty();
    }

    /**
     * Client side: the permessage-deflate offer for the upgrade request.
     *
     * @param options what to request and declare
     * @return one {@code permessage-deflate} element
     */
    public static Extension offer(DeflateOptions options) {
        List<ExtensionParam> params = new ArrayList<>(4);
        if (options.serverNoContextTakeover()) {
            params.add(ExtensionParam.of(DeflateParamParser.SERVER_NO_CONTEXT_TAKEOVER));
        }
        if (options.clientNoContextTakeover()) {
            params.add(ExtensionParam.of(DeflateParamParser.CLIENT_NO_CONTEXT_TAKEOVER));
        }
        if (options.serverMaxWindowBits() < DeflateParameters.MAX_WINDOW_BITS) {
            params.add(ExtensionParam.of(DeflateParamParser.SERVER_MAX_WINDOW_BITS,
                    Integer.toString(options.serverMaxWindowBits())));
        }
        // Always offered, so the server may limit our window if it wants to save memory.
        params.add(options.clientMaxWindowBits() < DeflateParameters.MAX_WINDOW_BITS
                ? ExtensionParam.of(DeflateParamParser.CLIENT_MAX_WINDOW_BITS, Integer.toString(options.clientMaxWindowBits()))
                : ExtensionParam.of(DeflateParamParser.CLIENT_MAX_WINDOW_BITS));
        return new Extension(NAME, params);
    }

    /**
     * The result of checking a server's response on the client side.
     *
     * @param parameters the agreed parameters, or {@code null} when the server did not accept
     *                   permessage-deflate (the connection goes on uncompressed) or on failure
     * @param failure    why the response is unacceptable and the connection must fail, or
     *                   {@code null}
     */
    public record ClientOutcome(DeflateParameters parameters, String failure) {

        /**
         * Whether permessage-deflate is in use.
         *
         * @return {@code true} when parameters were agreed
         */
        public boolean negotiated() {
            return parameters != null;
        }

        /**
         * Whether the response must fail the connection.
         *
         * @return {@code true} when {@link #failure()} is set
         */
        public boolean failed() {
            return failure != null;
        }
    }

    /**
     * Client side: checks the server's accepted extensions against the offer made with
     * {@link #offer(DeflateOptions)} and the same options.
     *
     * @param accepted the extensions in the server's {@code Sec-WebSocket-Extensions}
     * @param options  the options the offer was built from
     * @return the agreed parameters, no agreement, or a failure
     */
    public static ClientOutcome accept(List<Extension> accepted, DeflateOptions options) {
        Extension element = null;
        for (Extension e : accepted) {
            if (DeflateParamParser.isPerMessageDeflate(e)) {
                if (element != null) {
                    return failure("permessage-deflate accepted more than once");
                }
                element = e;
            }
        }
        if (element == null) {
            return new ClientOutcome(null, null);
        }
        DeflateParamParser p = DeflateParamParser.parse(element, true);
        if (p.error != null) {
            return failure("invalid permessage-deflate response: " + p.error);
        }
        int requestedServerBits = options.serverMaxWindowBits();
        if (requestedServerBits < DeflateParameters.MAX_WINDOW_BITS) {
            if (p.serverMaxWindowBits == DeflateParamParser.ABSENT) {
                return failure("server_max_window_bits=" + requestedServerBits + " was requested but not answered");
            }
            if (p.serverMaxWindowBits > requestedServerBits) {
                return failure("server_max_window_bits=" + p.serverMaxWindowBits + " exceeds the requested "
                        + requestedServerBits);
            }
        }
        if (options.serverNoContextTakeover() && !p.serverNoContextTakeover) {
            return failure("server_no_context_takeover was requested but not answered");
        }
        int offeredClientBits = options.clientMaxWindowBits();
        if (p.clientMaxWindowBits != DeflateParamParser.ABSENT && p.clientMaxWindowBits > offeredClientBits) {
            return failure("client_max_window_bits=" + p.clientMaxWindowBits + " exceeds the offered " + offeredClientBits);
        }
        int serverBits = p.serverMaxWindowBits == DeflateParamParser.ABSENT
                ? DeflateParameters.MAX_WINDOW_BITS : p.serverMaxWindowBits;
        int clientBits = p.clientMaxWindowBits == DeflateParamParser.ABSENT ? offeredClientBits : p.clientMaxWindowBits;
        return new ClientOutcome(new DeflateParameters(p.serverNoContextTakeover,
                p.clientNoContextTakeover || options.clientNoContextTakeover(), serverBits, clientBits), null);
    }

    private static ClientOutcome failure(String reason) {
        return new ClientOutcome(null, reason);
    }
}
