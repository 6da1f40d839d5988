package io.tern.autobahn.deflate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The permessage-deflate parameter sets of the Autobahn compression cases: what the runner offers
 * when it is the client, and how it answers a client's offers when it is the server. Group 12 uses
 * {@link #DEFAULT}; sub-group 13.N uses the N-th constant.
 *
 * <p>As client the runner sends {@link #offers()}. As server it reads the client's offers and
 * accepts the first that fits the set's rule (below); if none fits it accepts no extension, and
 * the case is then UNIMPLEMENTED, as in the official suite.
 *
 * <p>Immutable; safe to share between threads.
 */
public enum DeflateParameterSet {

    /** 13.1 (and group 12): default offer; the server accepts the first offer as it is. */
    DEFAULT(List.of(DeflateOffer.DEFAULT), "[(False, 0)]"),
    /** 13.2: the client requests server_no_context_takeover; the server requests client_no_context_takeover. */
    NO_CONTEXT(List.of(DeflateOffer.requesting(true, 0)), "[(True, 0)]"),
    /** 13.3: the client requests server_max_window_bits=9; the server requests client_max_window_bits=9. */
    WINDOW_9(List.of(DeflateOffer.requesting(false, 9)), "[(False, 9)]"),
    /** 13.4: both windows 15, explicitly. */
    WINDOW_15(List.of(DeflateOffer.requesting(false, 15)), "[(False, 15)]"),
    /** 13.5: no context takeover and window 9, both directions. */
    NO_CONTEXT_WINDOW_9(List.of(DeflateOffer.requesting(true, 9)), "[(True, 9)]"),
    /** 13.6: no context takeover and window 15, both directions. */
    NO_CONTEXT_WINDOW_15(List.of(DeflateOffer.requesting(true, 15)), "[(True, 15)]"),
    /**
     * 13.7: three offers in one header, (no context takeover, 9), (no context takeover), default; the
     * server tries the rules of 13.5, then 13.2, then 13.1.
     */
    THREE_OFFERS(List.of(DeflateOffer.requesting(true, 9), DeflateOffer.requesting(true, 0), DeflateOffer.DEFAULT),
            "[(True, 9), (True, 0), (False, 0)]");

    private final List<DeflateOffer> offers;
    private final String serverRule;

    DeflateParameterSet(List<DeflateOffer> offers, String serverRule) {
        this.offers = offers;
        this.serverRule = serverRule;
    }

    /**
     * @param subgroup 1..7
     * @return the parameter set of case sub-group 13.{@code subgroup}
     * @throws IllegalArgumentException if there is no such sub-group
     */
    public static DeflateParameterSet ofGroup13(int subgroup) {
        if (subgroup < 1 || subgroup > 7) {
            throw new IllegalArgumentException("no sub-group 13." + subgroup);
        }
        return values()[subgroup - 1];
    }

    /** @return the offers the runner makes as client, in order */
    public List<DeflateOffer> offers() {
        return offers;
    }

    /** @return the {@code Sec-WebSocket-Extensions} value of {@link #offers()} */
    public String offerHeader() {
        return DeflateOffer.headerValue(offers);
    }

    /**
     * @return a description in the official suite's terms, e.g.
     *     {@code client offers (requestNoContextTakeover, requestMaxWindowBits): [(True, 9)] / server accept (requestNoContextTakeover, requestMaxWindowBits): [(True, 9)]}
     */
    public String description() {
        StringBuilder sb = new StringBuilder("client offers (requestNoContextTakeover, requestMaxWindowBits): [");
        for (int i = 0; i < offers.size(); i++) {
            DeflateOffer o = offers.get(i);
            sb.append(i == 0 ? "" : ", ").append('(').append(o.requestsServerNoContextTakeover() ? "True" : "False")
                    .append(", ").append(o.requestedServerMaxWindowBits()).append(')');
        }
        return sb.append("] / server accept (requestNoContextTakeover, requestMaxWindowBits): ").append(serverRule).toString();
    }

    /**
     * Reads the permessage-deflate offers of a client's header value (other extensions ignored).
     *
     * @param headerValue the value(s) joined with {@code ","}, or null
     * @return the offers in order; empty if none
     * @throws NegotiationException if the header or an offer is malformed (see {@link DeflateOffer#parse})
     */
    public static List<DeflateOffer> parseOffers(String headerValue) throws NegotiationException {
        List<DeflateOffer> result = new ArrayList<>();
        if (headerValue == null) {
            return result;
        }
        for (ExtensionElement e : ExtensionElement.parseHeader(headerValue)) {
            if (e.name().equalsIgnoreCase(DeflateOffer.NAME)) {
                result.add(DeflateOffer.parse(e));
            }
        }
        return result;
    }

    /**
     * Picks the server's answer to a client's offers by this set's rule.
     *
     * @param clientOffers the client's permessage-deflate offers, in order
     * @return the acceptance, or empty if no offer fits (no extension is then accepted)
     */
    public Optional<DeflateAccept> accept(List<DeflateOffer> clientOffers) {
        return switch (this) {
            case DEFAULT -> first(clientOffers, false, false, false, 0);
            case NO_CONTEXT -> first(clientOffers, true, false, true, 0);
            case WINDOW_9 -> first(clientOffers, false, true, false, 9);
            case WINDOW_15 -> first(clientOffers, false, true, false, 15);
            case NO_CONTEXT_WINDOW_9 -> first(clientOffers, true, true, true, 9);
            case NO_CONTEXT_WINDOW_15 -> first(clientOffers, true, true, true, 15);
            case THREE_OFFERS -> NO_CONTEXT_WINDOW_9.accept(clientOffers)
                    .or(() -> NO_CONTEXT.accept(clientOffers))
                    .or(() -> DEFAULT.accept(clientOffers));
        };
    }

    private static Optional<DeflateAccept> first(List<DeflateOffer> offers, boolean needNoContext, boolean needWindow,
            boolean noContext, int windowBits) {
        for (DeflateOffer o : offers) {
            if ((!needNoContext || o.acceptsClientNoContextTakeover()) && (!needWindow || o.acceptsClientMaxWindowBits())) {
                return Optional.of(new DeflateAccept(o, noContext, windowBits));
            }
        }
        return Optional.empty();
    }
}
