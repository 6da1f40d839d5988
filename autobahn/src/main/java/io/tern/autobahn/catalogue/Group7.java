package io.tern.autobahn.catalogue;

import io.tern.autobahn.runner.CaseContext;
import io.tern.autobahn.runner.CloseExpectation;
import io.tern.autobahn.runner.Observation;
import io.tern.autobahn.runner.OutFrame;
import io.tern.autobahn.runner.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.tern.autobahn.catalogue.Bytes.EMPTY;
import static io.tern.autobahn.catalogue.Bytes.concat;
import static io.tern.autobahn.catalogue.Bytes.hex;
import static io.tern.autobahn.catalogue.Bytes.repeat;
import static io.tern.autobahn.catalogue.Bytes.seconds;
import static io.tern.autobahn.catalogue.Bytes.utf8;

/**
 * Group 7, close handling (RFC 6455 §5.5.1, §7): the closing handshake started by the runner, nothing
 * after a close, the close frame's payload (length, code, UTF-8 reason), valid and invalid codes. In
 * every case but the informational ones, a close code outside the acceptable set makes the case FAILED.
 */
final class Group7 implements CaseGroup {

    private static final int[] VALID_CODES = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
    private static final int[] INVALID_CODES = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};

    @Override
    public int number() {
        return 7;
    }

    @Override
    public String title() {
        return "Close Handling";
    }

    @Override
    public Map<String, String> subgroupTitles() {
        return Map.of("7.1", "Basic close behavior (fuzzer initiated)",
                "7.3", "Close frame structure: payload length (fuzzer initiated)",
                "7.5", "Close frame structure: payload value (fuzzer initiated)",
                "7.7", "Close frame structure: valid close codes (fuzzer initiated)",
                "7.9", "Close frame structure: invalid close codes (fuzzer initiated)",
                "7.13", "Informational close information (fuzzer initiated)");
    }

    @Override
    public List<CaseEntry> cases() {
        List<CaseEntry> out = new ArrayList<>();
        byte[] hello = utf8("Hello World!");
        out.add(strict(new Scripted("7.1.1", "Sends a text message, then the runner starts the closing handshake.",
                "The message is echoed, then a clean close with 1000.", ctx -> {
            ctx.expect(Verdict.OK, List.of(Observation.text(hello)));
            ctx.expectClose(CloseExpectation.normal());
            ctx.send(OutFrame.of(OutFrame.TEXT, hello));
            ctx.killAfter(seconds(1));
        })));
        out.add(afterClose("7.1.2", "Starts the closing handshake, then sends a second close frame.",
                ctx -> ctx.send(OutFrame.of(OutFrame.CLOSE, EMPTY))));
        out.add(afterClose("7.1.3", "Starts the closing handshake, then sends a ping.",
                ctx -> ctx.send(OutFrame.of(OutFrame.PING, EMPTY))));
        out.add(afterClose("7.1.4", "Starts the closing handshake, then sends a text message.",
                ctx -> ctx.send(OutFrame.of(OutFrame.TEXT, hello))));
        out.add(strict(new Scripted("7.1.5", "Sends the first fragment of a text message, starts the closing handshake, "
                + "then sends the last fragment.", "Nothing after the close is processed; clean close with 1000.", ctx -> {
            ctx.expect(Verdict.OK, List.of());
            ctx.expectClose(CloseExpectation.normal());
            ctx.send(OutFrame.of(OutFrame.TEXT, utf8("fragment1")).fin(false));
            ctx.sendClose(1000);
            ctx.send(OutFrame.of(OutFrame.CONTINUATION, utf8("fragment2")));
            ctx.killAfter(seconds(1));
        }).suppressingClose()));
        out.add(CaseEntry.of(() -> new Informational("7.1.6",
                "Sends a 256 KiB text message and a short one, starts the closing handshake, then sends a ping.",
                "The specification leaves open whether the messages are echoed before the close is processed; the case "
                        + "records which.", ctx -> {
            ctx.expect(Verdict.OK, List.of(Observation.text(hello)));
            ctx.expect(Verdict.NON_STRICT, List.of());
            ctx.expectClose(CloseExpectation.normal());
            ctx.send(OutFrame.of(OutFrame.TEXT, utf8("BAsd7&jh23")).repeatTo(256 * 1024));
            ctx.send(OutFrame.of(OutFrame.TEXT, hello));
            ctx.sendClose(1000);
            ctx.send(OutFrame.of(OutFrame.PING, EMPTY));
            ctx.killAfter(seconds(1));
        }, c -> {
            if (c.behavior() == Verdict.OK) {
                c.setBehavior(Verdict.INFORMATIONAL, "The text message was processed before the close.");
            } else if (c.behavior() == Verdict.NON_STRICT) {
                c.setBehavior(Verdict.INFORMATIONAL, "The close was processed before the text message could be echoed.");
            } else {
                c.setBehavior(Verdict.INFORMATIONAL, "Received " + c.received().size() + " events before the close.");
            }
        })));
        out.add(closing("7.3.1", "Sends a close frame with an empty payload (no code, no reason).",
                "Clean close with 1000 (or no code).", null, null, CloseExpectation.normal()));
        out.add(closing("7.3.2", "Sends a close frame with a 1-byte payload.",
                "The peer answers with 1002 or drops TCP.", null, utf8("a"), CloseExpectation.byMe(false, 1002)));
        out.add(closing("7.3.3", "Sends a close frame with code 1000 and no reason.",
                "Clean close with 1000.", 1000, null, CloseExpectation.normal()));
        out.add(closing("7.3.4", "Sends a close frame with code 1000 and a short reason.",
                "Clean close with 1000.", 1000, hello, CloseExpectation.normal()));
        out.add(closing("7.3.5", "Sends a close frame with code 1000 and a 123-byte reason (a 125-byte payload).",
                "Clean close with 1000.", 1000, repeat('*', 123), CloseExpectation.normal()));
        out.add(closing("7.3.6", "Sends a close frame with code 1000 and a 124-byte reason (a 126-byte payload, over "
                        + "the control frame limit).", "The peer answers with 1002 or drops TCP.", 1000, repeat('*', 124),
                CloseExpectation.byMe(false, 1002)));
        byte[] badReason = concat(hex("cebae1bdb9cf83cebcceb5"), hex("eda080"), utf8("edited"));
        out.add(closing("7.5.1", "Sends a close frame with code 1000 and a reason that is not valid UTF-8.",
                "The peer answers with 1002 or 1007, or drops TCP.", 1000, badReason, CloseExpectation.byMe(false, 1002, 1007)));
        int n = 1;
        for (int code : VALID_CODES) {
            out.add(closing("7.7." + n++, "Sends a close frame with the valid code " + code + ".",
                    "Clean close with 1000 or the same code.", code, null, CloseExpectation.byMe(true, 1000, code)));
        }
        n = 1;
        for (int code : INVALID_CODES) {
            out.add(closing("7.9." + n++, "Sends a close frame with the invalid code " + code + ".",
                    "The peer answers with 1002 or drops TCP.", code, null, CloseExpectation.byMe(false, 1002)));
        }
        out.add(informationalCode("7.13.1", 5000));
        out.add(informationalCode("7.13.2", 65535));
        return out;
    }

    /** WRONG CODE makes the case FAILED, as in all of group 7 but 7.1.6 and 7.13.x. */
    private static CaseEntry strict(Scripted c) {
        Scripted s = c.afterVerdict(ctx -> {
            if (ctx.behaviorClose() == Verdict.WRONG_CODE) {
                ctx.setBehavior(Verdict.FAILED, ctx.resultClose());
            }
        });
        return CaseEntry.of(() -> s);
    }

    private static CaseEntry afterClose(String id, String desc, Consumer<CaseContext> after) {
        return strict(new Scripted(id, desc, "Nothing after the close is processed; clean close with 1000.", ctx -> {
            ctx.expect(Verdict.OK, List.of());
            ctx.expectClose(CloseExpectation.normal());
            ctx.sendClose(1000);
            after.accept(ctx);
            ctx.killAfter(seconds(1));
        }).suppressingClose());
    }

    private static CaseEntry closing(String id, String desc, String exp, Integer code, byte[] reason, CloseExpectation close) {
        return strict(new Scripted(id, desc, exp, ctx -> {
            ctx.expect(Verdict.OK, List.of());
            ctx.expectClose(close);
            ctx.sendClose(code, reason);
            ctx.killAfter(seconds(1));
        }).suppressingClose());
    }

    private static CaseEntry informationalCode(String id, int code) {
        return CaseEntry.of(() -> new Informational(id, "Sends a close frame with the code " + code
                + ", outside every range RFC 6455 defines.", "The specification does not say what happens; the case "
                + "records it.", ctx -> {
            ctx.expect(Verdict.OK, List.of());
            ctx.expectClose(CloseExpectation.byMe(false, 1000, code, 1002));
            ctx.sendClose(code, null);
            ctx.killAfter(seconds(1));
        }, c -> c.setBehavior(Verdict.INFORMATIONAL, "Actual events are undefined by the spec.")));
    }

    /** A case that always ends INFORMATIONAL in both verdicts. */
    private static final class Informational extends io.tern.autobahn.runner.AutobahnCase {
        private final Consumer<CaseContext> open;
        private final Consumer<CaseContext> judge;

        Informational(String id, String desc, String exp, Consumer<CaseContext> open, Consumer<CaseContext> judge) {
            super(id, desc, exp);
            this.open = open;
            this.judge = judge;
        }

        @Override
        public boolean informational() {
            return true;
        }

        @Override
        public boolean suppressClose() {
            return true;
        }

        @Override
        public void onOpen(CaseContext ctx) {
            open.accept(ctx);
        }

        @Override
        public void onConnectionLost(CaseContext ctx) {
            judge.accept(ctx);
            ctx.setBehaviorClose(Verdict.INFORMATIONAL, ctx.resultClose());
        }
    }
}
