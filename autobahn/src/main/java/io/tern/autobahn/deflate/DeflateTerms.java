package io.tern.autobahn.deflate;

import java.util.List;
import java.util.Map;

/**
 * The permessage-deflate terms a connection agreed on (RFC 7692 §7.1): per direction, the LZ77
 * window in bits (15 when not limited) and whether context takeover is forbidden.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param serverNoContextTakeover the server compresses every message on its own (§7.1.1.1)
 * @param clientNoContextTakeover the client compresses every message on its own (§7.1.1.2)
 * @param serverMaxWindowBits the server's window, 8..15 (§7.1.2.1)
 * @param clientMaxWindowBits the client's window, 8..15 (§7.1.2.2)
 */
public record DeflateTerms(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
        int serverMaxWindowBits, int clientMaxWindowBits) {

    /**
     * Checks the windows.
     *
     * @param serverNoContextTakeover the server compresses every message on its own
     * @param clientNoContextTakeover the client compresses every message on its own
     * @param serverMaxWindowBits the server's window, 8..15
     * @param clientMaxWindowBits the client's window, 8..15
     * @throws IllegalArgumentException if a window is not 8..15
     */
    public DeflateTerms {
        if (serverMaxWindowBits < 8 || serverMaxWindowBits > 15 || clientMaxWindowBits < 8 || clientMaxWindowBits > 15) {
            throw new IllegalArgumentException("window bits must be 8..15: " + serverMaxWindowBits + ", " + clientMaxWindowBits);
        }
    }

    /**
     * Checks a server's {@code Sec-WebSocket-Extensions} response against the offers the client
     * made, strictly per RFC 7692 §7 and RFC 6455 §9.1: exactly one element, named
     * {@code permessage-deflate}; each of the four parameters at most once and no other; the
     * {@code *_no_context_takeover} parameters without a value; window bits with a value 8..15
     * without leading zeros; {@code client_max_window_bits} only if an offer carried it
     * (§7.1.2.2); and the response must accept one of the offers: every server parameter that
     * offer requested present, {@code server_max_window_bits} no larger than requested (§7.1.1.1,
     * §7.1.2.1).
     *
     * @param headerValue the response's header value(s) joined with {@code ","}, or null if absent
     * @param offers the offers the client sent, in order
     * @return the agreed terms, or null if the server accepted no extension
     * @throws NegotiationException naming what is wrong; the client must then fail the connection
     */
    public static DeflateTerms fromResponse(String headerValue, List<DeflateOffer> offers) throws NegotiationException {
        if (headerValue == null) {
            return null;
        }
        List<ExtensionElement> elements = ExtensionElement.parseHeader(headerValue);
        if (elements.isEmpty()) {
            return null;
        }
        if (elements.size() > 1) {
            throw new NegotiationException("response accepts " + elements.size() + " extensions, only permessage-deflate was offered: " + headerValue);
        }
        ExtensionElement e = elements.get(0);
        if (!e.name().equalsIgnoreCase(DeflateOffer.NAME)) {
            throw new NegotiationException("response accepts extension " + e.name() + ", which was not offered");
        }
        boolean serverNct = false;
        boolean clientNct = false;
        int serverBits = 0;
        int clientBits = 0;
        for (Map.Entry<String, List<String>> p : e.paramsByName().entrySet()) {
            String name = p.getKey();
            if (p.getValue().size() > 1) {
                throw new NegotiationException("response repeats " + name + " (RFC 7692 §7): " + e);
            }
            String value = p.getValue().get(0);
            switch (name) {
                case "server_no_context_takeover" -> {
                    DeflateOffer.noValue(name, value, e);
                    serverNct = true;
                }
                case "client_no_context_takeover" -> {
                    DeflateOffer.noValue(name, value, e);
                    clientNct = true;
                }
                case "server_max_window_bits" -> serverBits = DeflateOffer.windowBits(name, value, e);
                case "client_max_window_bits" -> clientBits = DeflateOffer.windowBits(name, value, e);
                default -> throw new NegotiationException("response has unknown parameter " + name + " (RFC 7692 §7): " + e);
            }
        }
        String why = null;
        for (DeflateOffer o : offers) {
            why = null;
            if (clientBits != 0 && !o.acceptsClientMaxWindowBits()) {
                why = "client_max_window_bits in the response but not in the offer (RFC 7692 §7.1.2.2)";
            } else if (o.requestsServerNoContextTakeover() && !serverNct) {
                why = "the offer requested server_no_context_takeover, the response lacks it (RFC 7692 §7.1.1.1)";
            } else if (o.requestedServerMaxWindowBits() != 0 && serverBits == 0) {
                why = "the offer requested server_max_window_bits=" + o.requestedServerMaxWindowBits() + ", the response lacks it (RFC 7692 §7.1.2.1)";
            } else if (o.requestedServerMaxWindowBits() != 0 && serverBits > o.requestedServerMaxWindowBits()) {
                why = "server_max_window_bits=" + serverBits + " is larger than the offered " + o.requestedServerMaxWindowBits() + " (RFC 7692 §7.1.2.1)";
            }
            if (why == null) {
                return new DeflateTerms(serverNct, clientNct, serverBits == 0 ? 15 : serverBits, clientBits == 0 ? 15 : clientBits);
            }
        }
        throw new NegotiationException("response \"" + e + "\" accepts none of the offers: " + why);
    }

    /**
     * @param server true for the server's side of the connection
     * @param level deflate level for the runner's own sends (affects only the ratio)
     * @return a compressor for what that side sends, keeping its window and context terms
     */
    public WindowedCompressor compressorFor(boolean server, int level) {
        return server ? new WindowedCompressor(serverMaxWindowBits, serverNoContextTakeover, level)
                : new WindowedCompressor(clientMaxWindowBits, clientNoContextTakeover, level);
    }

    /**
     * @param server true for the server's side of the connection
     * @param maxMessageBytes the inflated size limit per message
     * @return an inflater that checks what the other side sends against that side's terms
     */
    public CheckingInflater inflaterFor(boolean server, int maxMessageBytes) {
        return server ? new CheckingInflater(clientMaxWindowBits, clientNoContextTakeover, maxMessageBytes)
                : new CheckingInflater(serverMaxWindowBits, serverNoContextTakeover, maxMessageBytes);
    }

    @Override
    public String toString() {
        return "server_no_context_takeover=" + serverNoContextTakeover + ", client_no_context_takeover=" + clientNoContextTakeover
                + ", server_max_window_bits=" + serverMaxWindowBits + ", client_max_window_bits=" + clientMaxWindowBits;
    }
}
