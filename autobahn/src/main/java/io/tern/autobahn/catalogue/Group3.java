package io.tern.autobahn.catalogue;

import io.tern.autobahn.runner.CaseContext;
import io.tern.autobahn.runner.CloseExpectation;
import io.tern.autobahn.runner.Observation;
import io.tern.autobahn.runner.OutFrame;
import io.tern.autobahn.runner.Verdict;

import java.util.List;
import java.util.function.UnaryOperator;

import static io.tern.autobahn.catalogue.Bytes.EMPTY;
import static io.tern.autobahn.catalogue.Bytes.hex;
import static io.tern.autobahn.catalogue.Bytes.seconds;
import static io.tern.autobahn.catalogue.Bytes.utf8;

/**
 * Group 3, reserved bits: a frame with any RSV bit set, when no extension gives them a meaning, fails
 * the connection with 1002 (RFC 6455 §5.2). Where a valid message precedes the bad frame, echoing it
 * first is the strict behaviour; failing before echoing is NON-STRICT.
 */
final class Group3 implements CaseGroup {

    private static final byte[] HELLO = utf8("Hello, world!");

    @Override
    public int number() {
        return 3;
    }

    @Override
    public String title() {
        return "Reserved Bits";
    }

    @Override
    public List<CaseEntry> cases() {
        return List.of(
                alone("3.1", "Sends a short text message with RSV = 1 (the RSV3 bit).",
                        OutFrame.of(OutFrame.TEXT, HELLO).rsv(1)),
                afterEcho("3.2", "Sends a valid text message, then one with RSV = 2, then a ping.", 2, f -> f),
                afterEcho("3.3", "Sends a valid text message, then one with RSV = 3, then a ping, each frame in its own "
                        + "flushed write.", 3, f -> f.sync(true)),
                afterEcho("3.4", "Sends a valid text message, then one with RSV = 4, then a ping, all written one byte "
                        + "at a time.", 4, f -> f.chop(1)),
                alone("3.5", "Sends a binary message of 8 bytes with RSV = 5.",
                        OutFrame.of(OutFrame.BINARY, hex("00fffefdfcfb00ff")).rsv(5)),
                alone("3.6", "Sends a ping with RSV = 6.", OutFrame.of(OutFrame.PING, HELLO).rsv(6)),
                alone("3.7", "Sends a close frame with RSV = 7.", OutFrame.of(OutFrame.CLOSE, EMPTY).rsv(7)));
    }

    private static CaseEntry alone(String id, String desc, OutFrame frame) {
        return CaseEntry.of(() -> new Scripted(id, desc,
                "The peer fails the connection at once with 1002: no extension defines RSV bits here.", ctx -> {
            ctx.expect(Verdict.OK, List.of());
            ctx.expectClose(CloseExpectation.byPeer(1002));
            ctx.send(frame);
            ctx.killAfter(seconds(1));
        }));
    }

    private static CaseEntry afterEcho(String id, String desc, int rsv, UnaryOperator<OutFrame> how) {
        return CaseEntry.of(() -> new Scripted(id, desc,
                "The first message is echoed, then the peer fails the connection with 1002 on the bad frame and "
                        + "does not answer the ping. Failing before the echo is NON-STRICT.", ctx -> {
            sendBadAfterGood(ctx, OutFrame.of(OutFrame.TEXT, HELLO).rsv(rsv), how);
        }));
    }

    /** The shape of 3.2–3.4 and 4.1.3–4.2.5: a good message, a bad frame, a ping. */
    static void sendBadAfterGood(CaseContext ctx, OutFrame bad, UnaryOperator<OutFrame> how) {
        ctx.expect(Verdict.OK, List.of(Observation.text(HELLO)));
        ctx.expect(Verdict.NON_STRICT, List.of());
        ctx.expectClose(CloseExpectation.byPeer(1002));
        ctx.send(how.apply(OutFrame.of(OutFrame.TEXT, HELLO)));
        ctx.send(how.apply(bad));
        ctx.send(how.apply(OutFrame.of(OutFrame.PING, EMPTY)));
        ctx.killAfter(seconds(1));
    }
}
