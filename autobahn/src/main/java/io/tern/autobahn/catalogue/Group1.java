package io.tern.autobahn.catalogue;

import io.tern.autobahn.runner.CloseExpectation;
import io.tern.autobahn.runner.Observation;
import io.tern.autobahn.runner.OutFrame;
import io.tern.autobahn.runner.Verdict;

import java.util.ArrayList;
import java.util.List;

import static io.tern.autobahn.catalogue.Bytes.repeat;
import static io.tern.autobahn.catalogue.Bytes.seconds;

/**
 * Group 1, framing: text (1.1.x) and binary (1.2.x) messages of lengths around the 7-bit, 16-bit and
 * 64-bit payload length encodings (RFC 6455 §5.2), each expected back unchanged.
 */
final class Group1 implements CaseGroup {

    private static final int[] LENGTHS = {0, 125, 126, 127, 128, 65535, 65536, 65536};

    @Override
    public int number() {
        return 1;
    }

    @Override
    public String title() {
        return "Framing";
    }

    @Override
    public java.util.Map<String, String> subgroupTitles() {
        return java.util.Map.of("1.1", "Text Messages", "1.2", "Binary Messages");
    }

    @Override
    public List<CaseEntry> cases() {
        List<CaseEntry> out = new ArrayList<>();
        for (int kind = 1; kind <= 2; kind++) {
            boolean binary = kind == 2;
            for (int i = 0; i < LENGTHS.length; i++) {
                int len = LENGTHS[i];
                boolean chopped = i == 7;
                String id = "1." + kind + "." + (i + 1);
                String what = binary ? "binary" : "text";
                String desc = "Sends a " + what + " message of " + len + " payload bytes in one frame"
                        + (chopped ? ", written to the socket in pieces of 997 bytes." : ".");
                String exp = "The " + what + " message comes back unchanged; then a clean close with 1000.";
                byte[] payload = repeat(binary ? 0xfe : '*', len);
                int opcode = binary ? OutFrame.BINARY : OutFrame.TEXT;
                double kill = len > 128 ? 10 : 1;
                out.add(CaseEntry.of(() -> new Scripted(id, desc, exp, ctx -> {
                    ctx.expect(Verdict.OK, List.of(Observation.message(payload, binary)));
                    ctx.expectClose(CloseExpectation.normal());
                    OutFrame f = OutFrame.of(opcode, payload);
                    ctx.send(chopped ? f.chop(997) : f);
                    ctx.killAfter(seconds(kill));
                })));
            }
        }
        return out;
    }
}
