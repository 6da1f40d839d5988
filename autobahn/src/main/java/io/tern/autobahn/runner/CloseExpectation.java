package io.tern.autobahn.runner;

import java.util.List;

/**
 * How a case expects the connection to end, as the official suite's {@code expectedClose}.
 *
 * @param closedByMe   true if the runner must be the one to start the closing handshake (or fail the
 *                     connection); false if the peer must
 * @param closeCodes   acceptable close codes from the peer (RFC 6455 §7.4); the first is the code the
 *                     runner sends when it closes after the expected events arrived. A peer close frame
 *                     without a code is always acceptable.
 * @param requireClean true if a complete closing handshake followed by the server dropping TCP is
 *                     required (RFC 6455 §7.1.1, §7.1.4)
 * @param closedByWrongEndpointIsFatal if true and the wrong endpoint closed, {@code behavior} becomes
 *                     FAILED as well (used by the UTF-8 cases: the peer never noticed the invalid text)
 */
public record CloseExpectation(boolean closedByMe, List<Integer> closeCodes, boolean requireClean,
                               boolean closedByWrongEndpointIsFatal) {

    public CloseExpectation {
        closeCodes = List.copyOf(closeCodes);
        if (closeCodes.isEmpty()) {
            throw new IllegalArgumentException("at least one acceptable close code");
        }
    }

    /** The runner closes with normal closure (1000) and requires a clean close: the suite's default. */
    public static CloseExpectation normal() {
        return new CloseExpectation(true, List.of(1000), true, false);
    }

    /** The runner closes; the peer may answer with any of {@code codes}. */
    public static CloseExpectation byMe(boolean requireClean, Integer... codes) {
        return new CloseExpectation(true, List.of(codes), requireClean, false);
    }

    /** The peer must fail the connection with one of {@code codes}; a clean close is not required. */
    public static CloseExpectation byPeer(Integer... codes) {
        return new CloseExpectation(false, List.of(codes), false, false);
    }

    /** This expectation, with {@code closedByWrongEndpointIsFatal} set. */
    public CloseExpectation wrongEndpointFatal() {
        return new CloseExpectation(closedByMe, closeCodes, requireClean, true);
    }
}
