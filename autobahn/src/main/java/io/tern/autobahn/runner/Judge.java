package io.tern.autobahn.runner;

import java.util.List;
import java.util.Map;

/**
 * The official suite's verdict rules, as a pure function of what a run observed (its
 * {@code Case.onConnectionLost}). Stateless.
 */
final class Judge {

    private Judge() {
    }

    /** The verdicts and their explanations. */
    record Verdicts(Verdict behavior, String result, Verdict behaviorClose, String resultClose) {
    }

    /** What a run observed about the end of the connection. */
    record Ending(boolean closedByMe, boolean wasClean, Integer remoteCloseCode, Role role, boolean droppedByMe) {
    }

    /**
     * @param expected     acceptable observation sequences by verdict, in declaration order
     * @param received     the observations
     * @param explicit     a behavior the case set itself, or null
     * @param explicitWhy  its explanation
     * @param close        the close expectation
     * @param end          how the connection ended
     */
    static Verdicts judge(Map<Verdict, List<Observation>> expected, List<Observation> received, Verdict explicit,
                          String explicitWhy, CloseExpectation close, Ending end) {
        Verdict behavior = explicit == null ? Verdict.FAILED : explicit;
        String result = explicit == null ? "Actual events differ from any expected." : explicitWhy;
        for (Map.Entry<Verdict, List<Observation>> e : expected.entrySet()) {
            if (e.getValue().equals(received)) {
                behavior = e.getKey();
                result = "Actual events match at least one expected.";
                break;
            }
        }
        Verdict behaviorClose;
        String resultClose;
        if (close.closedByMe() != end.closedByMe()) {
            behaviorClose = Verdict.FAILED;
            resultClose = "The connection was failed by the wrong endpoint";
        } else if (close.requireClean() && !end.wasClean()) {
            behaviorClose = Verdict.UNCLEAN;
            resultClose = "The spec requires the connection to be failed cleanly here";
        } else if (end.remoteCloseCode() != null && !close.closeCodes().contains(end.remoteCloseCode())) {
            behaviorClose = Verdict.WRONG_CODE;
            StringBuilder codes = new StringBuilder();
            for (Integer c : close.closeCodes()) {
                codes.append(codes.length() == 0 ? "" : ",").append(c);
            }
            resultClose = "The close code should have been " + codes + " or empty";
        } else if (end.role() == Role.CLIENT && end.droppedByMe()) {
            behaviorClose = Verdict.FAILED_BY_CLIENT;
            resultClose = "It is preferred that the server close the TCP connection";
        } else {
            behaviorClose = Verdict.OK;
            resultClose = "Connection was properly closed";
        }
        if (close.closedByWrongEndpointIsFatal() && close.closedByMe() != end.closedByMe()) {
            behavior = Verdict.FAILED;
            result = "The peer did not fail the connection, so it did not detect the problem at all.";
        }
        return new Verdicts(behavior, result, behaviorClose, resultClose);
    }
}
