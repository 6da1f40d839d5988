package io.tern.autobahn.broken;

import java.util.Locale;

/**
 * The permessage-deflate parameters agreed for one connection (RFC 7692 §7.1), seen from one
 * endpoint: whether each side resets its context after a message, and the window this endpoint's
 * compressor must stay within. Also parses offers and answers and writes a server's answer.
 *
 * @param ownNoContextTakeover  this endpoint resets its compressor after each message
 * @param peerNoContextTakeover the peer resets its compressor (so this endpoint may reset its
 *                              decompressor)
 * @param ownWindowBits         the largest window this endpoint's compressor may use, 8–15
 */
record DeflateAgreement(boolean ownNoContextTakeover, boolean peerNoContextTakeover, int ownWindowBits) {

    /**
     * The parameters of one offer or answer, as written.
     *
     * @param serverNoContextTakeover present
     * @param clientNoContextTakeover present
     * @param serverMaxWindowBits     the value, or 0 when absent
     * @param clientMaxWindowBits     the value, 0 when absent, -1 when present without a value
     */
    record Params(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits,
                  int clientMaxWindowBits) {

        /**
         * Parses {@code permessage-deflate; name[=value]...}.
         *
         * @param extension one element of a {@code Sec-WebSocket-Extensions} list
         * @return the parameters, or {@code null} when it is not a valid permessage-deflate element
         */
        static Params parse(String extension) {
            String[] parts = extension.split(";");
            if (!parts[0].trim().equalsIgnoreCase("permessage-deflate")) {
                return null;
            }
            boolean snct = false;
            boolean cnct = false;
            int sbits = 0;
            int cbits = 0;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                int eq = p.indexOf('=');
                String name = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                String value = eq < 0 ? null : p.substring(eq + 1).trim().replace("\"", "");
                switch (name) {
                    case "server_no_context_takeover" -> {
                        if (snct || value != null) {
                            return null;
                        }
                        snct = true;
                    }
                    case "client_no_context_takeover" -> {
                        if (cnct || value != null) {
                            return null;
                        }
                        cnct = true;
                    }
                    case "server_max_window_bits" -> {
                        if (sbits != 0 || value == null || !value.matches("[89]|1[0-5]")) {
                            return null;
                        }
                        sbits = Integer.parseInt(value);
                    }
                    case "client_max_window_bits" -> {
                        if (cbits != 0 || (value != null && !value.matches("[89]|1[0-5]"))) {
                            return null;
                        }
                        cbits = value == null ? -1 : Integer.parseInt(value);
                    }
                    default -> {
                        return null;
                    }
                }
            }
            return new Params(snct, cnct, sbits, cbits);
        }
    }

    /**
     * A server's answer to the first valid permessage-deflate offer in a header: accepts every
     * parameter as offered (RFC 7692 §7.1).
     *
     * @param header the request's {@code Sec-WebSocket-Extensions}, or {@code null}
     * @return the answer header value and the agreement, or {@code null} when nothing valid is offered
     */
    static Answer answer(String header) {
        if (header == null) {
            return null;
        }
        for (String element : header.split(",")) {
            Params p = Params.parse(element.trim());
            if (p == null) {
                continue;
            }
            StringBuilder answer = new StringBuilder("permessage-deflate");
            if (p.serverNoContextTakeover()) {
                answer.append("; server_no_context_takeover");
            }
            if (p.clientNoContextTakeover()) {
                answer.append("; client_no_context_takeover");
            }
            if (p.serverMaxWindowBits() != 0) {
                answer.append("; server_max_window_bits=").append(p.serverMaxWindowBits());
            }
            if (p.clientMaxWindowBits() > 0) {
                answer.append("; client_max_window_bits=").append(p.clientMaxWindowBits());
            }
            int ownBits = p.serverMaxWindowBits() == 0 ? 15 : p.serverMaxWindowBits();
            return new Answer(answer.toString(),
                    new DeflateAgreement(p.serverNoContextTakeover(), p.clientNoContextTakeover(), ownBits));
        }
        return null;
    }

    /**
     * A client's view of a server's answer.
     *
     * @param header the response's {@code Sec-WebSocket-Extensions}, or {@code null}
     * @return the agreement, or {@code null} when the server declined (or answered nonsense)
     */
    static DeflateAgreement fromAnswer(String header) {
        if (header == null) {
            return null;
        }
        Params p = Params.parse(header.trim());
        if (p == null) {
            return null;
        }
        int ownBits = p.clientMaxWindowBits() > 0 ? p.clientMaxWindowBits() : 15;
        return new DeflateAgreement(p.clientNoContextTakeover(), p.serverNoContextTakeover(), ownBits);
    }

    /**
     * A server's answer and what it agreed to.
     *
     * @param header    the {@code Sec-WebSocket-Extensions} value to send
     * @param agreement the agreement from the server's side
     */
    record Answer(String header, DeflateAgreement agreement) {
    }
}
