package io.tern.autobahn.official;

/**
 * One case's entry in an official Autobahn report's {@code index.json}.
 *
 * <p>The official suite writes, per agent and case ID, the case's {@code behavior} (OK,
 * NON-STRICT, FAILED, INFORMATIONAL, UNIMPLEMENTED, WRONG CODE, UNCLEAN, FAILED BY CLIENT), its
 * separate {@code behaviorClose} verdict on the closing handshake, the close code the testee sent
 * ({@code remoteCloseCode}, absent when it sent none), the case's {@code duration} in milliseconds
 * and the name of the case's own JSON report.
 *
 * @param caseId          the case ID, e.g. {@code 6.4.1}
 * @param behavior        the case verdict as written
 * @param behaviorClose   the close-behaviour verdict as written
 * @param remoteCloseCode the testee's close code, or {@code null}
 * @param durationMillis  how long the case took, in milliseconds
 * @param reportFile      the case report's file name, relative to {@code index.json}
 */
public record CaseResult(String caseId, String behavior, String behaviorClose, Integer remoteCloseCode,
                         long durationMillis, String reportFile) {
}
