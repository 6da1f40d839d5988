package io.tern.autobahn.catalogue;

import io.tern.autobahn.runner.CloseExpectation;
import io.tern.autobahn.runner.Observation;
import io.tern.autobahn.runner.OutFrame;
import io.tern.autobahn.runner.Verdict;

import java.util.List;
import java.util.Map;

import static io.tern.autobahn.catalogue.Bytes.repeat;
import static io.tern.autobahn.catalogue.Bytes.seconds;

/** Group 10, miscellaneous: 10.1.1 sends a 64 KiB text message cut into 1300-byte fragments. */
final class Group10 implements CaseGroup {

    @Override
    public int number() {
        return 10;
    }

    @Override
    public String title() {
        return "Misc";
    }

    @Override
    public Map<String, String> subgroupTitles() {
        return Map.of("10.1", "Auto-Fragmentation");
    }

    @Override
    public List<CaseEntry> cases() {
        byte[] payload = repeat('*', 65536);
        return List.of(CaseEntry.of(() -> new Scripted("10.1.1",
                "Sends a text message of 65536 bytes in fragments of 1300 bytes (50 full ones and a last of 536).",
                "The message comes back whole; clean close with 1000.", ctx -> {
            ctx.expect(Verdict.OK, List.of(Observation.text(payload)));
            ctx.expectClose(CloseExpectation.normal());
            ctx.sendMessage(payload, false, 1300);
            ctx.killAfter(seconds(10));
        }).afterVerdict(ctx -> {
            // the suite also checks its own side: 65536 / 1300 gives 50 continuations after the first frame
            int text = ctx.framesSent(OutFrame.TEXT);
            int continuation = ctx.framesSent(OutFrame.CONTINUATION);
            if (text != 1 || continuation != 50) {
                ctx.setBehavior(Verdict.FAILED, "Frames sent: " + text + " text and " + continuation
                        + " continuation, expected 1 and 50.");
            }
        })));
    }
}
