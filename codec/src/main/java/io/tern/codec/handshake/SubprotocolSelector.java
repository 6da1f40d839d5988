package io.tern.codec.handshake;

import java.util.List;

/**
 * Chooses the subprotocol a server speaks from those a client offered in
 * {@code Sec-WebSocket-Protocol} (RFC 6455 §4.2.2).
 */
@FunctionalInterface
public interface SubprotocolSelector {

    /**
     * Chooses a subprotocol.
     *
     * @param offered the client's subprotocols in the client's order of preference, never empty
     * @return one of the offered values (exactly as offered), or null to select none
     */
    String select(List<String> offered);

    /**
     * A selector that never selects a subprotocol.
     *
     * @return the selector
     */
    static SubprotocolSelector none() {
        return offered -> null;
    }

    /**
     * A selector that picks the first subprotocol, in the client's order, that is also in
     * {@code supported}. Names are compared exactly (case-sensitively).
     *
     * @param supported the subprotocols the server speaks
     * @return the selector
     * @throws IllegalArgumentException if a supported name is not a token
     */
    static SubprotocolSelector firstSupported(List<String> supported) {
        List<String> copy = List.copyOf(supported);
        for (String name : copy) {
            HttpSyntax.requireToken(name, "subprotocol");
        }
        return offered -> {
            for (String candidate : offered) {
                if (copy.contains(candidate)) {
                    return candidate;
                }
            }
            return null;
        };
    }
}
