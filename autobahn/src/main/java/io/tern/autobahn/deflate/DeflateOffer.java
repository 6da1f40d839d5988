package io.tern.autobahn.deflate;

import java.util.List;
import java.util.Map;

/**
 * One permessage-deflate offer a client makes (RFC 7692 §5, §7.1), in the terms the Autobahn cases
 * use: what the client accepts for its own direction and what it requests for the server's.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param acceptsClientNoContextTakeover the offer carries {@code client_no_context_takeover}: the
 *     client will compress without context takeover if the server asks (§7.1.1.2)
 * @param acceptsClientMaxWindowBits the offer carries {@code client_max_window_bits} without a
 *     value: the server may limit the client's window (§7.1.2.2)
 * @param requestsServerNoContextTakeover the offer carries {@code server_no_context_takeover} (§7.1.1.1)
 * @param requestedServerMaxWindowBits the offer's {@code server_max_window_bits} value, 8 to 15, or 0
 *     if absent (§7.1.2.1)
 */
public record DeflateOffer(boolean acceptsClientNoContextTakeover, boolean acceptsClientMaxWindowBits,
        boolean requestsServerNoContextTakeover, int requestedServerMaxWindowBits) {

    /** The extension token. */
    public static final String NAME = "permessage-deflate";

    /**
     * The default offer of the official cases: accepts both client limits, requests nothing:
     * {@code permessage-deflate; client_no_context_takeover; client_max_window_bits}.
     */
    public static final DeflateOffer DEFAULT = new DeflateOffer(true, true, false, 0);

    /**
     * Checks the window.
     *
     * @param acceptsClientNoContextTakeover the offer carries {@code client_no_context_takeover}
     * @param acceptsClientMaxWindowBits the offer carries {@code client_max_window_bits}
     * @param requestsServerNoContextTakeover the offer carries {@code server_no_context_takeover}
     * @param requestedServerMaxWindowBits {@code server_max_window_bits} (8..15), or 0
     * @throws IllegalArgumentException if the window bits are not 0 or 8..15
     */
    public DeflateOffer {
        if (requestedServerMaxWindowBits != 0 && (requestedServerMaxWindowBits < 8 || requestedServerMaxWindowBits > 15)) {
            throw new IllegalArgumentException("server_max_window_bits must be 8..15: " + requestedServerMaxWindowBits);
        }
    }

    /**
     * An offer that accepts both client limits and requests the given server terms, as the cases'
     * offers do.
     *
     * @param serverNoContextTakeover request {@code server_no_context_takeover}
     * @param serverMaxWindowBits request {@code server_max_window_bits} (8..15), or 0 for none
     * @return the offer
     */
    public static DeflateOffer requesting(boolean serverNoContextTakeover, int serverMaxWindowBits) {
        return new DeflateOffer(true, true, serverNoContextTakeover, serverMaxWindowBits);
    }

    /**
     * @return the offer as a header element, parameters in the order the official suite sends them:
     *     {@code client_no_context_takeover}, {@code client_max_window_bits},
     *     {@code server_no_context_takeover}, {@code server_max_window_bits=N}
     */
    public String headerElement() {
        StringBuilder sb = new StringBuilder(NAME);
        if (acceptsClientNoContextTakeover) {
            sb.append("; client_no_context_takeover");
        }
        if (acceptsClientMaxWindowBits) {
            sb.append("; client_max_window_bits");
        }
        if (requestsServerNoContextTakeover) {
            sb.append("; server_no_context_takeover");
        }
        if (requestedServerMaxWindowBits != 0) {
            sb.append("; server_max_window_bits=").append(requestedServerMaxWindowBits);
        }
        return sb.toString();
    }

    /**
     * @param offers offers in order of preference
     * @return the {@code Sec-WebSocket-Extensions} value carrying them all, joined with {@code ", "}
     */
    public static String headerValue(List<DeflateOffer> offers) {
        StringBuilder sb = new StringBuilder();
        for (DeflateOffer o : offers) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(o.headerElement());
        }
        return sb.toString();
    }

    /**
     * Reads a client's permessage-deflate offer the way the official fuzzing server does: every
     * parameter at most once, only the four of RFC 7692, the two {@code *_no_context_takeover}
     * without a value, {@code server_max_window_bits} with a value 8..15,
     * {@code client_max_window_bits} with no value or a value 8..15. Note that the official server
     * treats every offer as accepting {@code client_no_context_takeover} (RFC 7692 §7.1.1.2 lets a
     * server ask for it anyway), so {@link #acceptsClientNoContextTakeover()} is always true here.
     *
     * @param element an element named {@code permessage-deflate}
     * @return the offer
     * @throws NegotiationException naming the parameter at fault; the official server then fails
     *     the opening handshake
     */
    public static DeflateOffer parse(ExtensionElement element) throws NegotiationException {
        boolean clientMaxWindowBits = false;
        boolean serverNoContextTakeover = false;
        int serverMaxWindowBits = 0;
        for (Map.Entry<String, List<String>> p : element.paramsByName().entrySet()) {
            String name = p.getKey();
            if (p.getValue().size() > 1) {
                throw new NegotiationException("permessage-deflate offer repeats " + name + ": " + element);
            }
            String value = p.getValue().get(0);
            switch (name) {
                case "client_max_window_bits" -> {
                    if (value != null) {
                        windowBits(name, value, element);
                    }
                    clientMaxWindowBits = true;
                }
                case "client_no_context_takeover" -> noValue(name, value, element);
                case "server_max_window_bits" -> serverMaxWindowBits = windowBits(name, value, element);
                case "server_no_context_takeover" -> {
                    noValue(name, value, element);
                    serverNoContextTakeover = true;
                }
                default -> throw new NegotiationException("permessage-deflate offer has unknown parameter " + name + ": " + element);
            }
        }
        return new DeflateOffer(true, clientMaxWindowBits, serverNoContextTakeover, serverMaxWindowBits);
    }

    static void noValue(String name, String value, ExtensionElement element) throws NegotiationException {
        if (value != null) {
            throw new NegotiationException(name + " takes no value (RFC 7692 §7.1.1), got \"" + value + "\": " + element);
        }
    }

    /** RFC 7692 §7.1.2: a decimal integer 8..15 without leading zeros. */
    static int windowBits(String name, String value, ExtensionElement element) throws NegotiationException {
        if (value == null || !value.matches("[1-9][0-9]?") || Integer.parseInt(value) < 8 || Integer.parseInt(value) > 15) {
            throw new NegotiationException(name + " needs a value 8..15 (RFC 7692 §7.1.2), got "
                    + (value == null ? "none" : "\"" + value + "\"") + ": " + element);
        }
        return Integer.parseInt(value);
    }
}
