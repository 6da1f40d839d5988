package io.tern.autobahn.catalogue;

import io.tern.autobahn.runner.CloseExpectation;
import io.tern.autobahn.runner.OutFrame;
import io.tern.autobahn.runner.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static io.tern.autobahn.catalogue.Bytes.EMPTY;
import static io.tern.autobahn.catalogue.Bytes.seconds;
import static io.tern.autobahn.catalogue.Bytes.utf8;

/**
 * Group 4, opcodes: frames with the reserved non-control opcodes 3–7 (4.1.x) and control opcodes
 * 11–15 (4.2.x) fail the connection with 1002 (RFC 6455 §5.2).
 */
final class Group4 implements CaseGroup {

    @Override
    public int number() {
        return 4;
    }

    @Override
    public String title() {
        return "Opcodes";
    }

    @Override
    public Map<String, String> subgroupTitles() {
        return Map.of("4.1", "Non-control Opcodes", "4.2", "Control Opcodes");
    }

    @Override
    public List<CaseEntry> cases() {
        List<CaseEntry> out = new ArrayList<>();
        for (int sub = 1; sub <= 2; sub++) {
            int base = sub == 1 ? 3 : 11;
            String kind = sub == 1 ? "non-control" : "control";
            out.add(alone("4." + sub + ".1", base, kind, EMPTY));
            out.add(alone("4." + sub + ".2", base + 1, kind, utf8("reserved opcode payload")));
            out.add(afterEcho("4." + sub + ".3", base + 2, kind, EMPTY, "", f -> f));
            out.add(afterEcho("4." + sub + ".4", base + 3, kind, utf8("Hello, world!"), " with a payload", f -> f));
            out.add(afterEcho("4." + sub + ".5", base + 4, kind, utf8("Hello, world!"), " with a payload",
                    f -> f.chop(1)));
        }
        return out;
    }

    private static CaseEntry alone(String id, int opcode, String kind, byte[] payload) {
        String desc = "Sends a frame with the reserved " + kind + " opcode " + opcode
                + (payload.length > 0 ? " and a payload." : ".");
        return CaseEntry.of(() -> new Scripted(id, desc, "The peer fails the connection at once with 1002.", ctx -> {
            ctx.expect(Verdict.OK, List.of());
            ctx.expectClose(CloseExpectation.byPeer(1002));
            ctx.send(OutFrame.of(opcode, payload));
            ctx.killAfter(seconds(1));
        }));
    }

    private static CaseEntry afterEcho(String id, int opcode, String kind, byte[] payload, String with,
                                       UnaryOperator<OutFrame> how) {
        boolean chopped = payload.length > 0 && id.endsWith(".5");
        String desc = "Sends a valid text message, then a frame with the reserved " + kind + " opcode " + opcode + with
                + ", then a ping" + (chopped ? ", all written one byte at a time." : ".");
        return CaseEntry.of(() -> new Scripted(id, desc,
                "The first message is echoed, then the peer fails the connection with 1002 and does not answer the "
                        + "ping. Failing before the echo is NON-STRICT.",
                ctx -> Group3.sendBadAfterGood(ctx, OutFrame.of(opcode, payload), how)));
    }
}
