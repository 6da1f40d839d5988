package io.tern.autobahn.deflate;

/**
 * A server's acceptance of one permessage-deflate offer (RFC 7692 §7.1): the offer's own requests
 * granted as they are, plus what the server asks of the client.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param offer the accepted offer
 * @param requestClientNoContextTakeover answer with {@code client_no_context_takeover} (§7.1.1.2)
 * @param requestClientMaxWindowBits answer with {@code client_max_window_bits=N} (8..15; needs the
 *     offer to carry the parameter, §7.1.2.2), or 0 for none
 */
public record DeflateAccept(DeflateOffer offer, boolean requestClientNoContextTakeover, int requestClientMaxWindowBits) {

    /**
     * Checks the window.
     *
     * @param offer the accepted offer
     * @param requestClientNoContextTakeover answer with {@code client_no_context_takeover}
     * @param requestClientMaxWindowBits answer with {@code client_max_window_bits=N}, or 0
     * @throws IllegalArgumentException if the window is out of range or the offer does not allow it
     */
    public DeflateAccept {
        if (requestClientMaxWindowBits != 0 && (requestClientMaxWindowBits < 8 || requestClientMaxWindowBits > 15)) {
            throw new IllegalArgumentException("client_max_window_bits must be 8..15: " + requestClientMaxWindowBits);
        }
        if (requestClientMaxWindowBits != 0 && !offer.acceptsClientMaxWindowBits()) {
            throw new IllegalArgumentException("the offer does not carry client_max_window_bits");
        }
    }

    /**
     * @return the response element, parameters in the official server's order:
     *     {@code server_no_context_takeover}, {@code server_max_window_bits=N},
     *     {@code client_no_context_takeover}, {@code client_max_window_bits=N}
     */
    public String headerValue() {
        StringBuilder sb = new StringBuilder(DeflateOffer.NAME);
        if (offer.requestsServerNoContextTakeover()) {
            sb.append("; server_no_context_takeover");
        }
        if (offer.requestedServerMaxWindowBits() != 0) {
            sb.append("; server_max_window_bits=").append(offer.requestedServerMaxWindowBits());
        }
        if (requestClientNoContextTakeover) {
            sb.append("; client_no_context_takeover");
        }
        if (requestClientMaxWindowBits != 0) {
            sb.append("; client_max_window_bits=").append(requestClientMaxWindowBits);
        }
        return sb.toString();
    }

    /** @return the terms both sides then keep (windows default to 15 bits) */
    public DeflateTerms terms() {
        return new DeflateTerms(offer.requestsServerNoContextTakeover(), requestClientNoContextTakeover,
                offer.requestedServerMaxWindowBits() == 0 ? 15 : offer.requestedServerMaxWindowBits(),
                requestClientMaxWindowBits == 0 ? 15 : requestClientMaxWindowBits);
    }
}
