package io.tern.autobahn.runner;

import java.util.List;
import java.util.Map;

/**
 * Everything one run of one case produced, as the official suite's per-case report holds it.
 * Immutable.
 *
 * @param agent            the agent (peer) name
 * @param id               case id, e.g. {@code "5.19"}
 * @param caseIndex        1-based position in the run's case selection
 * @param description      what the case sends
 * @param expectation      what a conformant peer does
 * @param informational    true if the case only records behaviour the specification leaves open
 * @param started          wall-clock start, ISO-8601 UTC to the second (as the official reports)
 * @param durationMillis   from the open connection to the TCP close, in milliseconds
 * @param reportTime       whether the case asks for its duration to be shown
 * @param behavior         verdict on what the peer sent back
 * @param result           why {@code behavior}
 * @param behaviorClose    verdict on how the connection ended
 * @param resultClose      why {@code behaviorClose}
 * @param expected         acceptable observation sequences by verdict, in declaration order
 * @param expectedClose    the close expectation (null if the opening handshake failed)
 * @param received         what was observed, in order
 * @param isServer         true in fuzzing server mode
 * @param closedByMe       the runner started the closing handshake (or failed the connection) first
 * @param failedByMe       the runner failed the connection (protocol error by the peer, or a kill timer)
 * @param droppedByMe      the runner closed the TCP connection
 * @param wasClean         closing handshake complete and TCP closed by the server
 * @param wasNotCleanReason why not clean, or null
 * @param wasServerConnectionDropTimeout client mode: the server did not close TCP in time
 * @param wasOpenHandshakeTimeout the opening handshake did not finish in time
 * @param wasCloseHandshakeTimeout the peer did not answer the runner's close in time
 * @param localCloseCode   code of the runner's close frame, or null
 * @param localCloseReason reason of the runner's close frame, or null
 * @param remoteCloseCode  code of the peer's close frame, or null
 * @param remoteCloseReason reason of the peer's close frame, or null
 * @param httpRequest      the upgrade request head as sent or received
 * @param httpResponse     the upgrade response head as sent or received
 * @param wirelog          the wire log
 * @param rxFrameStats     received frames by opcode
 * @param txFrameStats     sent frames by opcode
 * @param rxOctetStats     socket reads by size
 * @param txOctetStats     socket writes by size
 */
public record CaseResult(String agent, String id, int caseIndex, String description, String expectation,
                         boolean informational, String started, long durationMillis, boolean reportTime,
                         Verdict behavior, String result, Verdict behaviorClose, String resultClose,
                         Map<Verdict, List<Observation>> expected, CloseExpectation expectedClose,
                         List<Observation> received, boolean isServer, boolean closedByMe, boolean failedByMe,
                         boolean droppedByMe, boolean wasClean, String wasNotCleanReason,
                         boolean wasServerConnectionDropTimeout, boolean wasOpenHandshakeTimeout,
                         boolean wasCloseHandshakeTimeout, Integer localCloseCode, String localCloseReason,
                         Integer remoteCloseCode, String remoteCloseReason, String httpRequest, String httpResponse,
                         List<WireEvent> wirelog, Map<Integer, Integer> rxFrameStats, Map<Integer, Integer> txFrameStats,
                         Map<Integer, Integer> rxOctetStats, Map<Integer, Integer> txOctetStats) {
}
