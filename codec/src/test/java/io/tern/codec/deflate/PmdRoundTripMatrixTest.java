package io.tern.codec.deflate;

import static io.tern.codec.deflate.PmdSupport.params;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tern.codec.Feeding;
import io.tern.codec.MessageReader;
import io.tern.codec.Opcode;
import io.tern.codec.ReaderRun;
import io.tern.codec.ReaderSettings;
import io.tern.codec.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Round trips through PerMessageDeflater → MessageWriter → MessageReader + PerMessageInflater for
 * every negotiable combination (no-context-takeover flags × server window × client window), both
 * directions, whole and fragmented messages, several messages per connection; every compressed
 * payload is also inflated independently with java.util.zip.
 */
class PmdRoundTripMatrixTest {

    private static final ZStreamPool POOL = new ZStreamPool();

    @AfterAll
    static void closePool() {
        POOL.close();
    }

    static Stream<Arguments> allCombinations() {
        List<Arguments> out = new ArrayList<>();
        for (int flags = 0; flags < 4; flags++) {
            for (int sb = 8; sb <= 15; sb++) {
                for (int cb = 8; cb <= 15; cb++) {
                    out.add(Arguments.of((flags & 1) != 0, (flags & 2) != 0, sb, cb));
                }
            }
        }
        return out.stream();
    }

    /** Every window size on each side, every flag combination at least twice. */
    static Stream<Arguments> subset() {
        List<Arguments> out = new ArrayList<>();
        for (int sb = 8; sb <= 15; sb++) {
            out.add(Arguments.of((sb & 1) != 0, (sb & 2) != 0, sb, 23 - sb));
        }
        out.add(Arguments.of(false, false, 15, 15));
        out.add(Arguments.of(true, true, 8, 8));
        return out.stream();
    }

    /** A message to send: type, bytes, uncompressed bytes per fragment (0: one frame). */
    private record Msg(int opcode, byte[] plain, int fragment) {
    }

    @ParameterizedTest(name = "snct={0} cnct={1} sbits={2} cbits={3}")
    @MethodSource("allCombinations")
    void everyCombination(boolean snct, boolean cnct, int sb, int cb) throws Exception {
        long seed = (sb * 16L + cb) * 4 + (snct ? 1 : 0) + (cnct ? 2 : 0);
        byte[] text = PmdSupport.text(1000, seed);
        List<Msg> msgs = new ArrayList<>();
        // The empty message goes first: see PmdRulesTest for empty messages after others.
        msgs.add(new Msg(Opcode.TEXT, new byte[0], 0));
        msgs.add(new Msg(Opcode.BINARY, new byte[] {7}, 0));
        msgs.add(new Msg(Opcode.TEXT, PmdSupport.text(126, seed + 1), 0));
        msgs.add(new Msg(Opcode.TEXT, text, 0));
        msgs.add(new Msg(Opcode.BINARY, PmdSupport.random(700, seed + 2), 0));
        msgs.add(new Msg(Opcode.TEXT, text, 0));                               // the same again: context pays
        msgs.add(new Msg(Opcode.TEXT, PmdSupport.text(5000, seed + 3), 0));
        msgs.add(new Msg(Opcode.TEXT, text, 97));                              // fragmented
        msgs.add(new Msg(Opcode.BINARY, PmdSupport.random(2000, seed + 4), 1000));
        msgs.add(new Msg(Opcode.TEXT, PmdSupport.text(2, seed + 5), 1));
        Feeding[] feedings = {Feeding.WHOLE_HEAP, Feeding.values()[4 + (int) (seed % 4)]};
        check(params(snct, cnct, sb, cb), msgs, feedings, (int) seed);
    }

    @ParameterizedTest(name = "snct={0} cnct={1} sbits={2} cbits={3}")
    @MethodSource("subset")
    void allSizes(boolean snct, boolean cnct, int sb, int cb) throws Exception {
        long seed = sb * 100L + cb;
        List<Msg> msgs = new ArrayList<>();
        List<Msg> small = new ArrayList<>();
        for (int size : PmdSupport.ALL_SIZES) {
            Msg t = new Msg(Opcode.TEXT, PmdSupport.text(size, seed + size), 0);
            Msg b = new Msg(Opcode.BINARY, PmdSupport.random(size, seed - size), 0);
            // One empty message, first: see PmdRulesTest for empty messages after others.
            List<Msg> both = size == 0 ? List.of(t) : List.of(t, b);
            msgs.addAll(both);
            if (size <= 1000) {
                small.addAll(both);
            }
        }
        for (int size : PmdSupport.ALL_SIZES) {
            if (size > 0) {
                int fragment = size < 200 ? 1 + size / 3 : size / 3 + 1;
                msgs.add(new Msg(Opcode.TEXT, PmdSupport.text(size, seed + size), fragment));
                msgs.add(new Msg(Opcode.BINARY, PmdSupport.random(size, seed + 7 * size), 16_384 + 7));
            }
        }
        // The fragmented texts repeat the whole ones: with context takeover they refer back.
        check(params(snct, cnct, sb, cb), msgs,
                new Feeding[] {Feeding.WHOLE_DIRECT, Feeding.RANDOM_SPLITS_SEED_1}, (int) seed);
        check(params(snct, cnct, sb, cb), small,
                new Feeding[] {Feeding.BYTE_BY_BYTE_HEAP, Feeding.BYTE_BY_BYTE_DIRECT, Feeding.RANDOM_SPLITS_SEED_4},
                (int) seed + 1);
    }

    private static void check(DeflateParameters p, List<Msg> msgs, Feeding[] feedings, int seed) throws Exception {
        for (Role senderRole : Role.values()) {
            Role readerRole = PmdSupport.peer(senderRole);
            String dir = senderRole + "->" + readerRole + " " + p;
            PmdSupport.TrackingPool senderBuffers = new PmdSupport.TrackingPool();
            PmdSupport.Sender sender = new PmdSupport.Sender(p, senderRole, DeflateOptions.defaults(), POOL)
                    .input(PmdSupport.Input.values()[Math.floorMod(seed + senderRole.ordinal(), 3)])
                    .buffers(senderBuffers);
            boolean noContext = p.sendNoContextTakeover(senderRole);
            assertEquals(p.sendWindowBits(senderRole), sender.deflater.windowBits(), dir);
            for (Msg m : msgs) {
                sender.send(m.opcode(), m.plain(), m.fragment());
                if (noContext) {
                    assertFalse(sender.deflater.holdsStream(), dir + ": stream kept after a message");
                }
            }
            sender.deflater.release();
            assertFalse(sender.deflater.holdsStream());
            assertEquals(List.of(), senderBuffers.errors, dir);
            assertEquals(0, senderBuffers.outstanding(), dir + ": deflater output buffers not given back");
            byte[] wire = sender.wire();
            List<String> expected = sender.expectedEvents();
            // Once more with awkward reader buffers, checking that every one comes back once.
            for (ReaderSettings.Delivery d : ReaderSettings.Delivery.values()) {
                PmdSupport.TrackingPool readerBuffers = new PmdSupport.TrackingPool();
                List<String> problems = new ArrayList<>();
                List<String> got = PmdSupport.readWith(readerBuffers, readerRole, p, POOL, PmdSupport.settings(d),
                        wire, feedings[feedings.length - 1], problems).events;
                assertEquals(List.of(), problems, dir + " " + d);
                assertEquals(List.of(), readerBuffers.errors, dir + " " + d);
                assertEquals(0, readerBuffers.outstanding(), dir + " " + d + ": reader buffers not given back");
                if (!expected.equals(got)) {
                    assertEquals(summary(expected), summary(got), dir + " " + d + " tracking pool");
                    assertEquals(expected, got, dir + " " + d + " tracking pool");
                }
            }
            for (ReaderSettings.Delivery d : ReaderSettings.Delivery.values()) {
                for (Feeding f : feedings) {
                    ReaderRun run = PmdSupport.read(readerRole, p, POOL, PmdSupport.settings(d), wire, f);
                    List<String> got = run.outcome();
                    if (!expected.equals(got)) {
                        assertEquals(summary(expected), summary(got), dir + " " + d + " " + f);
                        assertEquals(expected, got, dir + " " + d + " " + f);
                    }
                    assertEquals(MessageReader.NEED_MORE, run.status);
                    assertEquals(wire.length, run.consumed);
                    run.reader.releaseBuffers();
                }
            }
            independentInflate(sender.sent, noContext, dir);
        }
    }

    /** java.util.zip inflates the same payloads: alone when allowed, and in order on one stream. */
    static void independentInflate(List<PmdSupport.Sent> sent, boolean noContext, String label) throws Exception {
        Inflater shared = new Inflater(true);
        try {
            for (int i = 0; i < sent.size(); i++) {
                PmdSupport.Sent s = sent.get(i);
                byte[] c = s.joined();
                assertArrayEquals(s.plain, PmdSupport.inflate(shared, c), label + " message " + i + " in order");
                if (noContext || i == 0) {
                    assertArrayEquals(s.plain, PmdSupport.inflateAlone(c), label + " message " + i + " alone");
                }
            }
        } finally {
            shared.end();
        }
    }

    /** Short form of events for a readable first failure: type and length. */
    private static List<String> summary(List<String> events) {
        List<String> out = new ArrayList<>();
        for (String e : events) {
            out.add(e.length() > 40 ? e.substring(0, e.indexOf(':') + 1) + "<" + e.length() + " chars>" : e);
        }
        return out;
    }
}
