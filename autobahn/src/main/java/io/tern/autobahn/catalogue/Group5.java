package io.tern.autobahn.catalogue;

import io.tern.autobahn.runner.CaseContext;
import io.tern.autobahn.runner.CloseExpectation;
import io.tern.autobahn.runner.Observation;
import io.tern.autobahn.runner.OutFrame;
import io.tern.autobahn.runner.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static io.tern.autobahn.catalogue.Bytes.seconds;
import static io.tern.autobahn.catalogue.Bytes.utf8;

/**
 * Group 5, fragmentation (RFC 6455 §5.4): control frames must not be fragmented, a continuation needs a
 * message to continue, a new message must not start inside another, and control frames may arrive
 * between the fragments of a message.
 */
final class Group5 implements CaseGroup {

    private static final UnaryOperator<OutFrame> PLAIN = f -> f;
    private static final UnaryOperator<OutFrame> SYNC = f -> f.sync(true);
    private static final UnaryOperator<OutFrame> BYTEWISE = f -> f.chop(1);

    @Override
    public int number() {
        return 5;
    }

    @Override
    public String title() {
        return "Fragmentation";
    }

    @Override
    public List<CaseEntry> cases() {
        List<CaseEntry> out = new ArrayList<>();
        out.add(fail("5.1", "Sends a ping in two fragments (a fragmented control frame).", ctx -> {
            ctx.send(frame(OutFrame.PING, false, "fragment1"));
            ctx.send(frame(OutFrame.CONTINUATION, true, "fragment2"));
        }));
        out.add(fail("5.2", "Sends a pong in two fragments (a fragmented control frame).", ctx -> {
            ctx.send(frame(OutFrame.PONG, false, "fragment1"));
            ctx.send(frame(OutFrame.CONTINUATION, true, "fragment2"));
        }));
        String[] how = {"", ", each frame in its own flushed write", ", written one byte at a time"};
        List<UnaryOperator<OutFrame>> ways = List.of(PLAIN, SYNC, BYTEWISE);
        for (int i = 0; i < 3; i++) {
            UnaryOperator<OutFrame> w = ways.get(i);
            out.add(echo("5." + (3 + i), "Sends a text message in two fragments" + how[i] + ".",
                    "The message comes back whole; clean close with 1000.",
                    List.of(Observation.text("fragment1fragment2")), ctx -> {
                        ctx.send(w.apply(frame(OutFrame.TEXT, false, "fragment1")));
                        ctx.send(w.apply(frame(OutFrame.CONTINUATION, true, "fragment2")));
                    }));
        }
        for (int i = 0; i < 3; i++) {
            UnaryOperator<OutFrame> w = ways.get(i);
            out.add(echo("5." + (6 + i), "Sends a text message in two fragments with a ping between them" + how[i] + ".",
                    "The ping is answered at once, then the message comes back whole; clean close with 1000.",
                    List.of(Observation.pong("ping payload"), Observation.text("fragment1fragment2")), ctx -> {
                        ctx.send(w.apply(frame(OutFrame.TEXT, false, "fragment1")));
                        ctx.send(w.apply(frame(OutFrame.PING, true, "ping payload")));
                        ctx.send(w.apply(frame(OutFrame.CONTINUATION, true, "fragment2")));
                    }));
        }
        for (int i = 0; i < 3; i++) {
            UnaryOperator<OutFrame> w = ways.get(i);
            out.add(fail("5." + (9 + i), "Sends a final continuation frame with nothing to continue, then a text message"
                    + how[i] + ".", ctx -> {
                ctx.send(w.apply(frame(OutFrame.CONTINUATION, true, "non-continuation payload")));
                ctx.send(w.apply(frame(OutFrame.TEXT, true, "Hello, world!")));
            }));
        }
        for (int i = 0; i < 3; i++) {
            UnaryOperator<OutFrame> w = ways.get(i);
            out.add(fail("5." + (12 + i), "Sends a non-final continuation frame with nothing to continue, then a text "
                    + "message" + how[i] + ".", ctx -> {
                ctx.send(w.apply(frame(OutFrame.CONTINUATION, false, "non-continuation payload")));
                ctx.send(w.apply(frame(OutFrame.TEXT, true, "Hello, world!")));
            }));
        }
        out.add(CaseEntry.of(() -> new Scripted("5.15",
                "Sends a text message in two fragments, then a continuation frame with no message open, then a text frame.",
                "The first message is echoed, then the peer fails the connection with 1002. Failing before the echo "
                        + "is NON-STRICT.", ctx -> {
            ctx.expect(Verdict.OK, List.of(Observation.text("fragment1fragment2")));
            ctx.expect(Verdict.NON_STRICT, List.of());
            ctx.expectClose(CloseExpectation.byPeer(1002));
            ctx.send(frame(OutFrame.TEXT, false, "fragment1"));
            ctx.send(frame(OutFrame.CONTINUATION, true, "fragment2"));
            ctx.send(frame(OutFrame.CONTINUATION, false, "fragment3"));
            ctx.send(frame(OutFrame.TEXT, true, "fragment4"));
            ctx.killAfter(seconds(1));
        })));
        out.add(fail("5.16", "Twice: a non-final continuation with nothing to continue, a text start, a final continuation.",
                ctx -> {
                    for (int n = 0; n < 2; n++) {
                        ctx.send(frame(OutFrame.CONTINUATION, false, "fragment1"));
                        ctx.send(frame(OutFrame.TEXT, false, "fragment2"));
                        ctx.send(frame(OutFrame.CONTINUATION, true, "fragment3"));
                    }
                }));
        out.add(fail("5.17", "Twice: a final continuation with nothing to continue, a text start, a final continuation.",
                ctx -> {
                    for (int n = 0; n < 2; n++) {
                        ctx.send(frame(OutFrame.CONTINUATION, true, "fragment1"));
                        ctx.send(frame(OutFrame.TEXT, false, "fragment2"));
                        ctx.send(frame(OutFrame.CONTINUATION, true, "fragment3"));
                    }
                }));
        out.add(fail("5.18", "Sends a text start frame, then another text frame instead of a continuation.", ctx -> {
            ctx.send(frame(OutFrame.TEXT, false, "fragment1"));
            ctx.send(frame(OutFrame.TEXT, true, "fragment2"));
        }));
        out.add(pingsInside("5.19", false));
        out.add(pingsInside("5.20", true));
        return out;
    }

    static OutFrame frame(int opcode, boolean fin, String payload) {
        return OutFrame.of(opcode, utf8(payload)).fin(fin);
    }

    private static CaseEntry fail(String id, String desc, java.util.function.Consumer<CaseContext> sends) {
        return CaseEntry.of(() -> new Scripted(id, desc, "The peer fails the connection at once with 1002.", ctx -> {
            ctx.expect(Verdict.OK, List.of());
            ctx.expectClose(CloseExpectation.byPeer(1002));
            sends.accept(ctx);
            ctx.killAfter(seconds(1));
        }));
    }

    private static CaseEntry echo(String id, String desc, String exp, List<Observation> expected,
                                  java.util.function.Consumer<CaseContext> sends) {
        return CaseEntry.of(() -> new Scripted(id, desc, exp, ctx -> {
            ctx.expect(Verdict.OK, expected);
            ctx.expectClose(CloseExpectation.normal());
            sends.accept(ctx);
            ctx.closeAfter(seconds(1));
        }));
    }

    /** 5.19 and 5.20: five text fragments with two pings among them and a one-second pause. */
    private static CaseEntry pingsInside(String id, boolean sync) {
        UnaryOperator<OutFrame> w = sync ? SYNC : PLAIN;
        String desc = "Sends two text fragments and a ping, waits 1 s, then two more fragments, a second ping and the "
                + "last fragment" + (sync ? ", each frame in its own flushed write." : ".");
        return CaseEntry.of(() -> new Scripted(id, desc,
                "Each ping is answered as it arrives (the first before the message is complete), and the message "
                        + "comes back whole; clean close with 1000.", ctx -> {
            ctx.expect(Verdict.OK, List.of(Observation.pong("pongme 1!"), Observation.pong("pongme 2!"),
                    Observation.text("fragment1fragment2fragment3fragment4fragment5")));
            ctx.expectClose(CloseExpectation.normal());
            ctx.send(w.apply(frame(OutFrame.TEXT, false, "fragment1")));
            ctx.send(w.apply(frame(OutFrame.CONTINUATION, false, "fragment2")));
            ctx.send(w.apply(frame(OutFrame.PING, true, "pongme 1!")));
            ctx.continueLater(seconds(1), () -> {
                ctx.send(w.apply(frame(OutFrame.CONTINUATION, false, "fragment3")));
                ctx.send(w.apply(frame(OutFrame.CONTINUATION, false, "fragment4")));
                ctx.send(w.apply(frame(OutFrame.PING, true, "pongme 2!")));
                ctx.send(w.apply(frame(OutFrame.CONTINUATION, true, "fragment5")));
                ctx.closeAfter(seconds(1));
            });
        }));
    }
}
