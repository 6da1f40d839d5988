package io.tern.codec.autobahn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.Bytes;
import io.tern.codec.Feeding;
import io.tern.codec.MessageReader;
import io.tern.codec.ReaderSettings;
import io.tern.codec.RecordingListener;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Autobahn 5.x (fragmentation): control frames must not be fragmented, may come between the
 * fragments of a message, and continuation frames must continue something; a new text frame may
 * not start while a message is open. Valid cases end with the fuzzer's close (1000).
 */
class Case5FragmentationTest {

    private static final int TEXT = ClientStream.TEXT;
    private static final int CONT = ClientStream.CONTINUATION;

    private static String hex(String s) {
        return Bytes.hex(Bytes.utf8(s));
    }

    // 5.1: Send Ping fragmented into 2 fragments.
    // Expected: Connection is failed immediately, since control message MUST NOT be fragmented.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_1(Feeding feeding) {
        ClientStream s = new ClientStream().frame(false, ClientStream.PING, "fragment1").frame(true, CONT, "fragment2");
        Expect.of(s, "FAIL:1002").failsAtHeaderByte(0).check(Chunking.of(feeding));
    }

    // 5.2: Send Pong fragmented into 2 fragments.
    // Expected: Connection is failed immediately, since control message MUST NOT be fragmented.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_2(Feeding feeding) {
        ClientStream s = new ClientStream().frame(false, ClientStream.PONG, "fragment1").frame(true, CONT, "fragment2");
        Expect.of(s, "FAIL:1002").failsAtHeaderByte(0).check(Chunking.of(feeding));
    }

    private static Expect twoFragments() {
        ClientStream s = new ClientStream().frame(false, TEXT, "fragment1").frame(true, CONT, "fragment2").close(1000);
        return Expect.of(s, "TEXT:fragment1fragment2", "CLOSE:1000:");
    }

    // 5.3: Send text Message fragmented into 2 fragments.
    // Expected: Message is processed and echo'ed back to us.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_3(Feeding feeding) {
        twoFragments().check(Chunking.of(feeding));
    }

    // 5.4: Send text Message fragmented into 2 fragments, octets are sent in frame-wise chops.
    // Expected: Message is processed and echo'ed back to us.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_4(Feeding feeding) {
        Expect e = twoFragments();
        e.check(Chunking.of(feeding));
        ClientStream s = new ClientStream().frame(false, TEXT, "fragment1").frame(true, CONT, "fragment2").close(1000);
        e.check(Chunking.cutAt("FRAME_WISE", s.frameBoundaries(), feeding.direct()));
    }

    // 5.5: Send text Message fragmented into 2 fragments, octets are sent in octet-wise chops.
    // Expected: Message is processed and echo'ed back to us.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_5(Feeding feeding) {
        Expect e = twoFragments();
        e.check(Chunking.of(feeding));
        e.check(Chunking.chops(1, feeding.direct()));
    }

    private static ClientStream pingBetweenFragments() {
        return new ClientStream().frame(false, TEXT, "fragment1").ping("ping payload").frame(true, CONT, "fragment2")
                .close(1000);
    }

    private static Expect pingBetween() {
        return Expect.of(pingBetweenFragments(), "PING:" + hex("ping payload"), "TEXT:fragment1fragment2", "CLOSE:1000:");
    }

    // 5.6: Send text Message fragmented into 2 fragments, one ping with payload in-between.
    // Expected: A pong is received, then the message is echo'ed back to us.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_6(Feeding feeding) {
        pingBetween().check(Chunking.of(feeding));
    }

    // 5.7: Send text Message fragmented into 2 fragments, one ping with payload in-between.
    // Octets are sent in frame-wise chops.
    // Expected: A pong is received, then the message is echo'ed back to us.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_7(Feeding feeding) {
        Expect e = pingBetween();
        e.check(Chunking.of(feeding));
        e.check(Chunking.cutAt("FRAME_WISE", pingBetweenFragments().frameBoundaries(), feeding.direct()));
    }

    // 5.8: Send text Message fragmented into 2 fragments, one ping with payload in-between.
    // Octets are sent in octet-wise chops.
    // Expected: A pong is received, then the message is echo'ed back to us.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_8(Feeding feeding) {
        Expect e = pingBetween();
        e.check(Chunking.of(feeding));
        e.check(Chunking.chops(1, feeding.direct()));
    }

    private static ClientStream continuationFirst(boolean fin) {
        return new ClientStream().frame(fin, CONT, "non-continuation payload").frame(true, TEXT, "Hello, world!");
    }

    // 5.9: Send unfragmented Text Message after Continuation Frame with FIN = true, where there is
    // nothing to continue, sent in one chop.
    // Expected: The connection is failed immediately, since there is no message to continue.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_9(Feeding feeding) {
        Expect.of(continuationFirst(true), "FAIL:1002").stopsInFrame(0).check(Chunking.of(feeding));
    }

    // 5.10: Same as 5.9, sent in per-frame chops.
    // Expected: The connection is failed immediately, since there is no message to continue.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_10(Feeding feeding) {
        ClientStream s = continuationFirst(true);
        Expect e = Expect.of(s, "FAIL:1002").stopsInFrame(0);
        e.check(Chunking.of(feeding));
        e.check(Chunking.cutAt("FRAME_WISE", s.frameBoundaries(), feeding.direct()));
    }

    // 5.11: Same as 5.9, sent in octet-wise chops.
    // Expected: The connection is failed immediately, since there is no message to continue.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_11(Feeding feeding) {
        Expect e = Expect.of(continuationFirst(true), "FAIL:1002").stopsInFrame(0);
        e.check(Chunking.of(feeding));
        e.check(Chunking.chops(1, feeding.direct()));
    }

    // 5.12: Send unfragmented Text Message after Continuation Frame with FIN = false, where there
    // is nothing to continue, sent in one chop.
    // Expected: The connection is failed immediately, since there is no message to continue.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_12(Feeding feeding) {
        Expect.of(continuationFirst(false), "FAIL:1002").stopsInFrame(0).check(Chunking.of(feeding));
    }

    // 5.13: Same as 5.12, sent in per-frame chops.
    // Expected: The connection is failed immediately, since there is no message to continue.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_13(Feeding feeding) {
        ClientStream s = continuationFirst(false);
        Expect e = Expect.of(s, "FAIL:1002").stopsInFrame(0);
        e.check(Chunking.of(feeding));
        e.check(Chunking.cutAt("FRAME_WISE", s.frameBoundaries(), feeding.direct()));
    }

    // 5.14: Same as 5.12, sent in octet-wise chops.
    // Expected: The connection is failed immediately, since there is no message to continue.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_14(Feeding feeding) {
        Expect e = Expect.of(continuationFirst(false), "FAIL:1002").stopsInFrame(0);
        e.check(Chunking.of(feeding));
        e.check(Chunking.chops(1, feeding.direct()));
    }

    // 5.15: Send text Message fragmented into 2 fragments, then Continuation Frame with FIN = false
    // where there is nothing to continue, then unfragmented Text Message, all sent in one chop.
    // Expected: The connection is failed immediately, since there is no message to continue
    // (strict: the first message is echoed before).
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_15(Feeding feeding) {
        ClientStream s = new ClientStream().frame(false, TEXT, "fragment1").frame(true, CONT, "fragment2")
                .frame(false, CONT, "fragment3").frame(true, TEXT, "fragment4");
        Expect.of(s, "TEXT:fragment1fragment2", "FAIL:1002").stopsInFrame(2).check(Chunking.of(feeding));
    }

    // 5.16: Repeated 2x: Continuation Frame with FIN = false (where there is nothing to
    // continue), then text Message fragmented into 2 fragments.
    // Expected: The connection is failed immediately, since there is no message to continue.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_16(Feeding feeding) {
        ClientStream s = new ClientStream();
        for (int i = 0; i < 2; i++) {
            s.frame(false, CONT, "fragment1").frame(false, TEXT, "fragment2").frame(true, CONT, "fragment3");
        }
        Expect.of(s, "FAIL:1002").stopsInFrame(0).check(Chunking.of(feeding));
    }

    // 5.17: Repeated 2x: Continuation Frame with FIN = true (where there is nothing to continue),
    // then text Message fragmented into 2 fragments.
    // Expected: The connection is failed immediately, since there is no message to continue.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_17(Feeding feeding) {
        ClientStream s = new ClientStream();
        for (int i = 0; i < 2; i++) {
            s.frame(true, CONT, "fragment1").frame(false, TEXT, "fragment2").frame(true, CONT, "fragment3");
        }
        Expect.of(s, "FAIL:1002").stopsInFrame(0).check(Chunking.of(feeding));
    }

    // 5.18: Send text Message fragmented into 2 fragments, with both frame opcodes set to text,
    // sent in one chop.
    // Expected: The connection is failed immediately, since all data frames after the initial
    // data frame must have opcode 0.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_18(Feeding feeding) {
        ClientStream s = new ClientStream().frame(false, TEXT, "fragment1").frame(true, TEXT, "fragment2");
        Expect.of(s, "FAIL:1002").stopsInFrame(1).check(Chunking.of(feeding));
    }

    private static final List<String> FRAGMENTS = List.of("fragment1", "fragment2", "fragment3", "fragment4", "fragment5");

    /** 5.19/5.20's stream; the first three frames are sent, then a 1 s pause, then the rest. */
    private static ClientStream fivePlusTwoPings() {
        return new ClientStream()
                .frame(false, TEXT, FRAGMENTS.get(0)).frame(false, CONT, FRAGMENTS.get(1)).ping("pongme 1!")
                .frame(false, CONT, FRAGMENTS.get(2)).frame(false, CONT, FRAGMENTS.get(3)).ping("pongme 2!")
                .frame(true, CONT, FRAGMENTS.get(4)).close(1000);
    }

    private static void fivePlusTwoPings(Feeding feeding, boolean sync) {
        ClientStream s = fivePlusTwoPings();
        Expect e = Expect.of(s, "PING:" + hex("pongme 1!"), "PING:" + hex("pongme 2!"),
                "TEXT:" + String.join("", FRAGMENTS), "CLOSE:1000:");
        e.check(Chunking.of(feeding));
        int pause = s.frameEnd(2);
        e.check(Chunking.cutAt("PAUSE_AFTER_FIRST_PING", new int[] {pause}, feeding.direct()));
        if (sync) {
            e.check(Chunking.cutAt("FRAME_WISE", s.frameBoundaries(), feeding.direct()));
        }
        // Before the pause: the first ping is delivered (so it can be answered) while the message
        // is still open, and nothing else is.
        byte[] part1 = Arrays.copyOf(s.bytes(), pause);
        for (ReaderSettings.Delivery delivery : ReaderSettings.Delivery.values()) {
            RecordingListener listener = new RecordingListener();
            Run run = new Run(ReaderSettings.defaults().withDelivery(delivery), listener).feed(feeding.chunks(part1));
            String context = feeding + "/" + delivery;
            assertEquals(MessageReader.NEED_MORE, run.status, context);
            assertEquals(List.of("PING:" + hex("pongme 1!")), listener.events, context);
            assertTrue(run.reader.isInsideMessage(), context);
            assertEquals(part1.length, run.consumed, context);
            if (delivery == ReaderSettings.Delivery.FRAGMENTS) {
                assertEquals("fragment1fragment2", listener.pendingText(), context);
            }
        }
    }

    // 5.19: A fragmented text message is sent in multiple frames. After sending the first 2
    // frames of the text message, a Ping is sent. Then we wait 1s, then we send 2 more text
    // fragments, another Ping and then the final text fragment. Everything is legal.
    // Expected: The peer immediately answers the first Ping before it has received the last text
    // message fragment. The peer pong's back the Ping's payload exactly, and echo's the payload
    // of the fragmented message back to us.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_19(Feeding feeding) {
        fivePlusTwoPings(feeding, false);
    }

    // 5.20: Same as Case 5.19, but send all frames with SYNC = True. Note, this does not change
    // the octets sent in any way, only how the stream is chopped up on the wire.
    // Expected: Same as Case 5.19. Implementations must be agnostic to how octet stream is
    // chopped up on wire (must be TCP clean).
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_5_20(Feeding feeding) {
        fivePlusTwoPings(feeding, true);
    }
}
