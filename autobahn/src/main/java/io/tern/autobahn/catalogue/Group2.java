package io.tern.autobahn.catalogue;

import io.tern.autobahn.runner.CloseExpectation;
import io.tern.autobahn.runner.Observation;
import io.tern.autobahn.runner.OutFrame;
import io.tern.autobahn.runner.Verdict;

import java.util.ArrayList;
import java.util.List;

import static io.tern.autobahn.catalogue.Bytes.EMPTY;
import static io.tern.autobahn.catalogue.Bytes.hex;
import static io.tern.autobahn.catalogue.Bytes.repeat;
import static io.tern.autobahn.catalogue.Bytes.seconds;
import static io.tern.autobahn.catalogue.Bytes.utf8;

/**
 * Group 2, pings and pongs (RFC 6455 §5.5.2, §5.5.3): a ping is answered with a pong carrying the same
 * application data, an unsolicited pong is ignored, a control frame over 125 bytes fails the connection.
 */
final class Group2 implements CaseGroup {

    @Override
    public int number() {
        return 2;
    }

    @Override
    public String title() {
        return "Pings/Pongs";
    }

    @Override
    public List<CaseEntry> cases() {
        List<CaseEntry> out = new ArrayList<>();
        out.add(ping("2.1", "Sends a ping without application data.", EMPTY, 0, 1));
        out.add(ping("2.2", "Sends a ping whose application data is a short text.", utf8("Hello, world!"), 0, 1));
        out.add(ping("2.3", "Sends a ping with 8 bytes of binary application data.", hex("00fffefdfcfb00ff"), 0, 1));
        out.add(ping("2.4", "Sends a ping with 125 bytes of binary application data (the most a control frame may carry).",
                repeat(0xfe, 125), 0, 1));
        out.add(CaseEntry.of(() -> new Scripted("2.5",
                "Sends a ping with 126 bytes of binary application data (one more than a control frame may carry).",
                "The peer fails the connection at once, with 1002 (protocol error).", ctx -> {
            ctx.expect(Verdict.OK, List.of());
            ctx.expectClose(CloseExpectation.byPeer(1002));
            ctx.send(OutFrame.of(OutFrame.PING, repeat(0xfe, 126)));
            ctx.killAfter(seconds(1));
        })));
        out.add(ping("2.6", "Sends a ping with 125 bytes of binary application data, written one byte per socket write.",
                repeat(0xfe, 125), 1, 2));
        out.add(CaseEntry.of(() -> new Scripted("2.7",
                "Sends an unsolicited pong without application data, then a close.",
                "The pong is ignored; clean close with 1000.", ctx -> {
            ctx.expect(Verdict.OK, List.of());
            ctx.expectClose(CloseExpectation.normal());
            ctx.send(OutFrame.of(OutFrame.PONG, EMPTY));
            ctx.sendClose(1000);
            ctx.closeAfter(seconds(1));
        })));
        out.add(CaseEntry.of(() -> new Scripted("2.8",
                "Sends an unsolicited pong with application data, then a close.",
                "The pong is ignored; clean close with 1000.", ctx -> {
            ctx.expect(Verdict.OK, List.of());
            ctx.expectClose(CloseExpectation.normal());
            ctx.send(OutFrame.of(OutFrame.PONG, utf8("unsolicited pong payload")));
            ctx.sendClose(1000);
            ctx.closeAfter(seconds(1));
        })));
        out.add(CaseEntry.of(() -> new Scripted("2.9",
                "Sends an unsolicited pong, then a ping with application data.",
                "The pong is ignored and the ping answered with a pong carrying its data; clean close with 1000.", ctx -> {
            byte[] data = utf8("ping payload");
            ctx.expect(Verdict.OK, List.of(Observation.pong(data)));
            ctx.expectClose(CloseExpectation.normal());
            ctx.send(OutFrame.of(OutFrame.PONG, utf8("unsolicited pong payload")));
            ctx.send(OutFrame.of(OutFrame.PING, data));
            ctx.closeAfter(seconds(1));
        })));
        out.add(tenPings("2.10", 0));
        out.add(tenPings("2.11", 1));
        return out;
    }

    private static CaseEntry ping(String id, String desc, byte[] data, int chop, double closeAfter) {
        return CaseEntry.of(() -> new Scripted(id, desc,
                "A pong carrying the same application data answers the ping; clean close with 1000.", ctx -> {
            ctx.expect(Verdict.OK, List.of(Observation.pong(data)));
            ctx.expectClose(CloseExpectation.normal());
            ctx.send(OutFrame.of(OutFrame.PING, data).chop(chop));
            ctx.closeAfter(seconds(closeAfter));
        }));
    }

    private static CaseEntry tenPings(String id, int chop) {
        String desc = "Sends 10 pings, each with its own application data"
                + (chop > 0 ? ", written one byte per socket write." : ".");
        return CaseEntry.of(() -> new Scripted(id, desc,
                "Ten pongs, one per ping with its data, in order (RFC 6455 allows answering only the latest ping, "
                        + "the suite checks for all); clean close with 1000.", ctx -> {
            List<Observation> expected = new ArrayList<>();
            ctx.expectClose(CloseExpectation.normal());
            for (int i = 0; i < 10; i++) {
                byte[] data = utf8("payload-" + i);
                expected.add(Observation.pong(data));
            }
            ctx.expect(Verdict.OK, expected);
            for (int i = 0; i < 10; i++) {
                ctx.send(OutFrame.of(OutFrame.PING, utf8("payload-" + i)).chop(chop));
            }
            ctx.closeAfter(seconds(3));
        }));
    }
}
