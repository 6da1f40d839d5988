package io.tern.autobahn.catalogue;

import io.tern.autobahn.runner.CaseContext;
import io.tern.autobahn.runner.CloseExpectation;
import io.tern.autobahn.runner.Observation;
import io.tern.autobahn.runner.OutFrame;
import io.tern.autobahn.runner.Verdict;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.tern.autobahn.catalogue.Bytes.EMPTY;
import static io.tern.autobahn.catalogue.Bytes.concat;
import static io.tern.autobahn.catalogue.Bytes.hex;
import static io.tern.autobahn.catalogue.Bytes.seconds;
import static io.tern.autobahn.catalogue.Bytes.slice;
import static io.tern.autobahn.catalogue.Bytes.utf8;

/**
 * Group 6, UTF-8 handling (RFC 6455 §5.6, §8.1): valid text in any fragmentation is echoed; invalid
 * text fails the connection with 1007, as soon as the invalid byte arrives (6.4.x check fail-fast).
 */
final class Group6 implements CaseGroup {

    private static final byte[] MIXED = utf8("Hello-\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1-UTF-8!!");
    /** κόσμε, then a lone surrogate (invalid at its second byte, the message's 13th), then "edited". */
    private static final byte[] KOSME_SURROGATE = concat(Utf8Table.KOSME, hex("eda080"), utf8("edited"));
    /** κόσμε, then the encoding of 0x110000 (invalid at its second byte, the message's 13th), then "edited". */
    private static final byte[] KOSME_TOO_HIGH = concat(Utf8Table.KOSME, hex("f4908080"), utf8("edited"));

    @Override
    public int number() {
        return 6;
    }

    @Override
    public String title() {
        return "UTF-8 Handling";
    }

    @Override
    public Map<String, String> subgroupTitles() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("6.1", "Valid UTF-8 with zero payload fragments");
        m.put("6.2", "Valid UTF-8 unfragmented, fragmented on code-points and within code-points");
        m.put("6.3", "Invalid UTF-8 differently fragmented");
        m.put("6.4", "Fail-fast on invalid UTF-8");
        int i = 5;
        for (Utf8Table.Section s : Utf8Table.sections()) {
            m.put("6." + i++, s.title());
        }
        return m;
    }

    @Override
    public List<CaseEntry> cases() {
        List<CaseEntry> out = new ArrayList<>();
        out.add(echo("6.1.1", "Sends an empty text message.", EMPTY, ctx -> ctx.send(OutFrame.of(OutFrame.TEXT, EMPTY))));
        out.add(echo("6.1.2", "Sends a text message as three empty fragments.", EMPTY, ctx -> {
            ctx.send(OutFrame.of(OutFrame.TEXT, EMPTY).fin(false));
            ctx.send(OutFrame.of(OutFrame.CONTINUATION, EMPTY).fin(false));
            ctx.send(OutFrame.of(OutFrame.CONTINUATION, EMPTY));
        }));
        byte[] middle = utf8("middle frame payload");
        out.add(echo("6.1.3", "Sends a text message as three fragments, only the middle one not empty.", middle, ctx -> {
            ctx.send(OutFrame.of(OutFrame.TEXT, EMPTY).fin(false));
            ctx.send(OutFrame.of(OutFrame.CONTINUATION, middle).fin(false));
            ctx.send(OutFrame.of(OutFrame.CONTINUATION, EMPTY));
        }));
        out.add(echo("6.2.1", "Sends valid multi-byte UTF-8 text in one frame: " + show(MIXED), MIXED,
                ctx -> ctx.sendMessage(MIXED, false, 0)));
        out.add(echo("6.2.2", "Sends valid multi-byte UTF-8 text in two fragments split between code points: "
                + show(MIXED), MIXED, ctx -> {
            ctx.send(OutFrame.of(OutFrame.TEXT, slice(MIXED, 0, 15)).fin(false));
            ctx.send(OutFrame.of(OutFrame.CONTINUATION, slice(MIXED, 15, MIXED.length)));
        }));
        out.add(echo("6.2.3", "Sends valid multi-byte UTF-8 text in 1-byte fragments, so fragments end inside code "
                + "points: " + show(MIXED), MIXED, ctx -> ctx.sendMessage(MIXED, false, 1)));
        out.add(echo("6.2.4", "Sends κόσμε in 1-byte fragments, so fragments end inside code points: "
                + show(Utf8Table.KOSME), Utf8Table.KOSME, ctx -> ctx.sendMessage(Utf8Table.KOSME, false, 1)));
        out.add(invalid("6.3.1", "Sends invalid UTF-8 text (a lone surrogate after κόσμε) in one frame: "
                + show(KOSME_SURROGATE), 1, ctx -> ctx.sendMessage(KOSME_SURROGATE, false, 0)));
        out.add(invalid("6.3.2", "Sends the same invalid UTF-8 text in 1-byte fragments: " + show(KOSME_SURROGATE), 1,
                ctx -> ctx.sendMessage(KOSME_SURROGATE, false, 1)));
        out.add(failFast("6.4.1", "Sends a text message in three fragments with 1 s pauses: κόσμε (valid), then the "
                + "encoding of 0x110000 (beyond Unicode, invalid), then \"edited\".", KOSME_TOO_HIGH, 11, 15, false));
        out.add(failFast("6.4.2", "As 6.4.1, but the second fragment is only the one byte that makes the text invalid.",
                KOSME_TOO_HIGH, 12, 13, false));
        out.add(failFast("6.4.3", "As 6.4.1, but as one frame whose payload is written in three pieces with 1 s pauses.",
                KOSME_TOO_HIGH, 11, 15, true));
        out.add(failFast("6.4.4", "As 6.4.2, but as one frame whose payload is written in three pieces with 1 s pauses.",
                KOSME_TOO_HIGH, 12, 13, true));
        int sub = 5;
        for (Utf8Table.Section s : Utf8Table.sections()) {
            int n = 1;
            for (Utf8Table.Row row : s.rows()) {
                String id = "6." + sub + "." + n++;
                byte[] p = row.bytes();
                if (row.valid()) {
                    out.add(CaseEntry.of(() -> new Scripted(id, "Sends a text message of valid UTF-8 in one frame: "
                            + show(p), "The message comes back unchanged; clean close with 1000.", ctx -> {
                        ctx.expect(Verdict.OK, List.of(Observation.text(p)));
                        ctx.expectClose(CloseExpectation.normal());
                        ctx.sendMessage(p, false, 0);
                        ctx.killAfter(seconds(0.5));
                    })));
                } else {
                    out.add(invalid(id, "Sends a text message of invalid UTF-8 in one frame: " + show(p), 0.5,
                            ctx -> ctx.sendMessage(p, false, 0)));
                }
            }
            sub++;
        }
        return out;
    }

    private static String show(byte[] b) {
        return "0x" + HexFormat.of().formatHex(b);
    }

    private static CaseEntry echo(String id, String desc, byte[] expected, java.util.function.Consumer<CaseContext> sends) {
        return CaseEntry.of(() -> new Scripted(id, desc, "The text comes back unchanged; clean close with 1000.", ctx -> {
            ctx.expect(Verdict.OK, List.of(Observation.text(expected)));
            ctx.expectClose(CloseExpectation.normal());
            sends.accept(ctx);
            ctx.closeAfter(seconds(1));
        }));
    }

    private static CaseEntry invalid(String id, String desc, double kill, java.util.function.Consumer<CaseContext> sends) {
        return CaseEntry.of(() -> new Scripted(id, desc,
                "The peer fails the connection at once with 1007 (invalid frame payload data).", ctx -> {
            ctx.expect(Verdict.OK, List.of());
            ctx.expectClose(CloseExpectation.byPeer(1007).wrongEndpointFatal());
            sends.accept(ctx);
            ctx.killAfter(seconds(kill));
        }));
    }

    /**
     * 6.4.x: three parts with 1 s pauses; a fail-fast peer fails on the second part, a lazy one only at
     * the end (NON-STRICT).
     *
     * @param cut1 end of the first part
     * @param cut2 end of the second part
     * @param oneFrame true: the parts are pieces of one frame's bytes; false: three fragments
     */
    private static CaseEntry failFast(String id, String desc, byte[] payload, int cut1, int cut2, boolean oneFrame) {
        Duration second = seconds(1);
        return CaseEntry.of(() -> new Scripted(id, desc,
                "The first part is accepted (the runner's first pause passes). The peer fails the connection with "
                        + "1007 on the second part; failing only after the third part is NON-STRICT.", ctx -> {
            ctx.expect(Verdict.OK, List.of(Observation.timeout("A")));
            ctx.expect(Verdict.NON_STRICT, List.of(Observation.timeout("A"), Observation.timeout("B")));
            ctx.expectClose(CloseExpectation.byPeer(1007).wrongEndpointFatal());
            byte[][] parts = {slice(payload, 0, cut1), slice(payload, cut1, cut2), slice(payload, cut2, payload.length)};
            byte[] wire = oneFrame ? ctx.encode(OutFrame.of(OutFrame.TEXT, payload)) : null;
            int headerLength = oneFrame ? wire.length - payload.length : 0;
            java.util.function.IntConsumer sendPart = i -> {
                if (oneFrame) {
                    int from = i == 0 ? 0 : headerLength + (i == 1 ? cut1 : cut2);
                    int to = headerLength + (i == 0 ? cut1 : i == 1 ? cut2 : payload.length);
                    ctx.sendRaw(slice(wire, from, to), 0, Duration.ZERO);
                } else {
                    ctx.send(OutFrame.of(i == 0 ? OutFrame.TEXT : OutFrame.CONTINUATION, parts[i]).fin(i == 2));
                }
            };
            sendPart.accept(0);
            ctx.continueLater(second, () -> {
                if (ctx.isOpen()) {
                    ctx.observe(Observation.timeout("A"));
                    sendPart.accept(1);
                    ctx.continueLater(second, () -> {
                        if (ctx.isOpen()) {
                            ctx.observe(Observation.timeout("B"));
                            sendPart.accept(2);
                            ctx.killAfter(second);
                        }
                    });
                }
            });
        }));
    }
}
