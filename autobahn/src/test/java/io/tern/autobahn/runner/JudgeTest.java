package io.tern.autobahn.runner;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The official verdict rules, case by case. */
class JudgeTest {

    private static final Observation HELLO = Observation.text("Hello, world!");

    private static Map<Verdict, List<Observation>> okOrNonStrict() {
        Map<Verdict, List<Observation>> m = new LinkedHashMap<>();
        m.put(Verdict.OK, List.of(HELLO));
        m.put(Verdict.NON_STRICT, List.of());
        return m;
    }

    private static Judge.Ending peerClosed(Integer code) {
        return new Judge.Ending(false, false, code, Role.CLIENT, false);
    }

    @Test
    void observationsPickTheFirstMatchingVerdict() {
        CloseExpectation c = CloseExpectation.byPeer(1002);
        assertEquals(Verdict.OK, Judge.judge(okOrNonStrict(), List.of(HELLO), null, null, c, peerClosed(1002)).behavior());
        assertEquals(Verdict.NON_STRICT, Judge.judge(okOrNonStrict(), List.of(), null, null, c, peerClosed(1002)).behavior());
        Judge.Verdicts none = Judge.judge(okOrNonStrict(), List.of(HELLO, HELLO), null, null, c, peerClosed(1002));
        assertEquals(Verdict.FAILED, none.behavior());
        assertEquals("Actual events differ from any expected.", none.result());
    }

    @Test
    void payloadAndTypeBothCount() {
        Map<Verdict, List<Observation>> m = Map.of(Verdict.OK, List.of(HELLO));
        CloseExpectation c = CloseExpectation.normal();
        Judge.Ending clean = new Judge.Ending(true, true, 1000, Role.CLIENT, false);
        assertEquals(Verdict.FAILED, Judge.judge(m, List.of(Observation.binary("Hello, world!".getBytes(
                java.nio.charset.StandardCharsets.UTF_8))), null, null, c, clean).behavior());
        assertEquals(Verdict.FAILED, Judge.judge(m, List.of(Observation.text("Hello, world?")), null, null, c, clean).behavior());
        assertEquals(Verdict.OK, Judge.judge(m, List.of(Observation.text("Hello, world!")), null, null, c, clean).behavior());
    }

    @Test
    void closeVerdictsInTheOfficialOrder() {
        Map<Verdict, List<Observation>> none = Map.of(Verdict.OK, List.of());
        CloseExpectation normal = CloseExpectation.normal();
        // wrong endpoint beats everything
        assertClose(Verdict.FAILED, "The connection was failed by the wrong endpoint",
                Judge.judge(none, List.of(), null, null, normal, new Judge.Ending(false, true, 1000, Role.CLIENT, false)));
        // unclean when clean is required
        assertClose(Verdict.UNCLEAN, "The spec requires the connection to be failed cleanly here",
                Judge.judge(none, List.of(), null, null, normal, new Judge.Ending(true, false, 1000, Role.CLIENT, false)));
        // a code outside the list
        assertClose(Verdict.WRONG_CODE, "The close code should have been 1000,1001 or empty",
                Judge.judge(none, List.of(), null, null, CloseExpectation.byMe(true, 1000, 1001),
                        new Judge.Ending(true, true, 1002, Role.CLIENT, false)));
        // no code at all is always acceptable
        assertClose(Verdict.OK, "Connection was properly closed",
                Judge.judge(none, List.of(), null, null, normal, new Judge.Ending(true, true, null, Role.CLIENT, false)));
        // the client had to drop TCP
        assertClose(Verdict.FAILED_BY_CLIENT, "It is preferred that the server close the TCP connection",
                Judge.judge(none, List.of(), null, null, CloseExpectation.byMe(false, 1000),
                        new Judge.Ending(true, false, 1000, Role.CLIENT, true)));
        // ... which is the server's job in server mode
        assertClose(Verdict.OK, "Connection was properly closed",
                Judge.judge(none, List.of(), null, null, normal, new Judge.Ending(true, true, 1000, Role.SERVER, true)));
    }

    @Test
    void wrongEndpointIsFatalForUtf8Cases() {
        Map<Verdict, List<Observation>> none = Map.of(Verdict.OK, List.of());
        CloseExpectation utf8 = CloseExpectation.byPeer(1007).wrongEndpointFatal();
        Judge.Verdicts v = Judge.judge(none, List.of(), null, null, utf8, new Judge.Ending(true, true, 1000, Role.CLIENT, false));
        assertEquals(Verdict.FAILED, v.behavior());
        assertEquals(Verdict.FAILED, v.behaviorClose());
        Judge.Verdicts right = Judge.judge(none, List.of(), null, null, utf8, peerClosed(1007));
        assertEquals(Verdict.OK, right.behavior());
        assertEquals(Verdict.OK, right.behaviorClose());
        assertEquals(Verdict.WRONG_CODE, Judge.judge(none, List.of(), null, null, utf8, peerClosed(1002)).behaviorClose());
    }

    @Test
    void anExplicitBehaviorStandsUnlessObservationsMatch() {
        Judge.Verdicts v = Judge.judge(Map.of(), List.of(), Verdict.UNIMPLEMENTED, "no deflate", CloseExpectation.normal(),
                new Judge.Ending(true, true, 1000, Role.CLIENT, false));
        assertEquals(Verdict.UNIMPLEMENTED, v.behavior());
        assertEquals("no deflate", v.result());
    }

    private static void assertClose(Verdict want, String why, Judge.Verdicts v) {
        assertEquals(want, v.behaviorClose());
        assertEquals(why, v.resultClose());
    }
}
