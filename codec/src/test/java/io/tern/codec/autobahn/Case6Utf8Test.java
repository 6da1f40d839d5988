package io.tern.codec.autobahn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.codec.Bytes;
import io.tern.codec.Feeding;
import io.tern.codec.MessageReader;
import io.tern.codec.ReaderSettings;
import io.tern.codec.RecordingListener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Autobahn 6.1–6.4 (UTF-8 handling): empty fragments, valid text cut on and inside code points,
 * invalid text cut in different ways, and fail-fast: a strict server fails with 1007 at the byte
 * that makes the text invalid, before the rest of the message (or even of the frame) arrives.
 */
class Case6Utf8Test {

    private static final String HELLO_UTF8 = "Hello-µ@ßöäüàá-UTF-8!!";
    private static final byte[] KOSME = Utf8Vectors.KOSME;
    /** 6.3.x: κόσμε, then a UTF-16 surrogate (invalid exactly on byte 12, the A0), then "edited". */
    private static final byte[] INVALID_6_3 = Bytes.concat(KOSME, Bytes.hex("eda080"), Bytes.hex("656469746564"));
    /** 6.4.x: κόσμε, then 0x110000 in the UTF-8 scheme (invalid exactly on byte 12, the 90), then "edited". */
    private static final byte[] PART1 = KOSME;
    private static final byte[] PART2 = Bytes.hex("f4908080");
    private static final byte[] PART3 = Bytes.hex("656469746564");
    private static final byte[] INVALID_6_4 = Bytes.concat(PART1, PART2, PART3);

    private static List<byte[]> perOctet(byte[] payload) {
        List<byte[]> out = new ArrayList<>();
        for (byte b : payload) {
            out.add(new byte[] {b});
        }
        return out;
    }

    // 6.1.1: Send text message of length 0.
    // Expected: A message is echo'ed back to us (with empty payload).
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_6_1_1(Feeding feeding) {
        ClientStream s = new ClientStream().text("").close(1000);
        Expect.of(s, "TEXT:", "CLOSE:1000:").check(Chunking.of(feeding));
    }

    // 6.1.2: Send fragmented text message, 3 fragments each of length 0.
    // Expected: A message is echo'ed back to us (with empty payload).
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_6_1_2(Feeding feeding) {
        ClientStream s = new ClientStream().frame(false, ClientStream.TEXT, "").frame(false, ClientStream.CONTINUATION, "")
                .frame(true, ClientStream.CONTINUATION, "").close(1000);
        Expect.of(s, "TEXT:", "CLOSE:1000:").check(Chunking.of(feeding));
    }

    // 6.1.3: Send fragmented text message, 3 fragments, first and last of length 0, middle
    // non-empty. Expected: A message is echo'ed back to us (with payload = payload of middle
    // fragment).
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_6_1_3(Feeding feeding) {
        ClientStream s = new ClientStream().frame(false, ClientStream.TEXT, "")
                .frame(false, ClientStream.CONTINUATION, "middle frame payload")
                .frame(true, ClientStream.CONTINUATION, "").close(1000);
        Expect.of(s, "TEXT:middle frame payload", "CLOSE:1000:").check(Chunking.of(feeding));
    }

    // 6.2.1: Send a valid UTF-8 text message in one fragment ("Hello-µ@ßöäüàá-UTF-8!!").
    // Expected: The message is echo'ed back to us.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_6_2_1(Feeding feeding) {
        ClientStream s = new ClientStream().text(HELLO_UTF8).close(1000);
        Expect.of(s, "TEXT:" + HELLO_UTF8, "CLOSE:1000:").check(Chunking.of(feeding));
    }

    // 6.2.2: Send a valid UTF-8 text message in two fragments, fragmented on UTF-8 code point
    // boundary ("Hello-µ@ßöä" + "üàá-UTF-8!!"). Expected: The message is echo'ed back to us.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_6_2_2(Feeding feeding) {
        ClientStream s = new ClientStream().fragmentedText(List.of(Bytes.utf8("Hello-µ@ßöä"), Bytes.utf8("üàá-UTF-8!!")))
                .close(1000);
        Expect.of(s, "TEXT:" + HELLO_UTF8, "CLOSE:1000:").check(Chunking.of(feeding));
    }

    // 6.2.3: Send a valid UTF-8 text message in fragments of 1 octet, resulting in frames ending
    // on positions which are not code point ends. Expected: The message is echo'ed back to us.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_6_2_3(Feeding feeding) {
        ClientStream s = new ClientStream().fragmentedText(perOctet(Bytes.utf8(HELLO_UTF8))).close(1000);
        Expect.of(s, "TEXT:" + HELLO_UTF8, "CLOSE:1000:").check(Chunking.of(feeding));
    }

    // 6.2.4: Send a valid UTF-8 text message (κόσμε, cebae1bdb9cf83cebcceb5) in fragments of 1
    // octet, resulting in frames ending on positions which are not code point ends.
    // Expected: The message is echo'ed back to us.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_6_2_4(Feeding feeding) {
        ClientStream s = new ClientStream().fragmentedText(perOctet(KOSME)).close(1000);
        Expect.of(s, "TEXT:" + new String(KOSME, StandardCharsets.UTF_8), "CLOSE:1000:").check(Chunking.of(feeding));
    }

    // 6.3.1: Send invalid UTF-8 text message unfragmented
    // (cebae1bdb9cf83cebcceb5 eda080 656469746564).
    // Expected: The connection is failed immediately, since the payload is not valid UTF-8.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_6_3_1(Feeding feeding) {
        ClientStream s = new ClientStream().text(INVALID_6_3);
        assertEquals(0xA0, INVALID_6_3[12] & 0xFF);
        int failAt = s.payloadStart(0) + 12;
        assertEquals(18, failAt);
        Expect.of(s, "FAIL:1007").failsAtByte(failAt).check(Chunking.of(feeding));
    }

    // 6.3.2: Send invalid UTF-8 text message in fragments of 1 octet, resulting in frames ending
    // on positions which are not code point ends.
    // Expected: The connection is failed immediately, since the payload is not valid UTF-8.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_6_3_2(Feeding feeding) {
        ClientStream s = new ClientStream().fragmentedText(perOctet(INVALID_6_3));
        // 13th one-byte frame (index 12), each frame 2 header + 4 key + 1 payload bytes.
        int failAt = 12 * 7 + 6;
        assertEquals(s.messageByteOffset(0, 12), failAt);
        Expect.of(s, "FAIL:1007").failsAtByte(failAt).check(Chunking.of(feeding));
    }

    /**
     * 6.4.x: the parts before the invalid byte are accepted ("we expect to timeout on the first
     * wait"): no failure, no message, the reader waits for more.
     */
    private static void acceptedSoFar(Feeding feeding, byte[] stream, int upTo) {
        byte[] part = Arrays.copyOf(stream, upTo);
        for (ReaderSettings.Delivery delivery : ReaderSettings.Delivery.values()) {
            RecordingListener listener = new RecordingListener();
            Run run = new Run(ReaderSettings.defaults().withDelivery(delivery), listener).feed(feeding.chunks(part));
            String context = feeding + "/" + delivery + " first " + upTo + " bytes";
            assertEquals(Run.statusName(MessageReader.NEED_MORE), Run.statusName(run.status), context);
            assertEquals(List.of(), listener.events, context);
            assertEquals(upTo, run.consumed, context);
        }
    }

    /** 6.4.x: the failure comes as soon as the offending byte arrives, without what follows it. */
    private static void failsWithoutTheRest(Feeding feeding, ClientStream s, int failAt) {
        byte[] cut = Arrays.copyOf(s.bytes(), failAt + 1);
        for (ReaderSettings.Delivery delivery : ReaderSettings.Delivery.values()) {
            RecordingListener listener = new RecordingListener();
            Run run = new Run(ReaderSettings.defaults().withDelivery(delivery), listener).feed(feeding.chunks(cut));
            String context = feeding + "/" + delivery + " first " + cut.length + " bytes";
            assertEquals(Run.statusName(MessageReader.FAILED), Run.statusName(run.status), context);
            assertEquals(1007, run.reader.failureCode(), context);
            assertEquals(List.of(), listener.events, context);
            assertEquals(cut.length, run.consumed, context);
        }
    }

    // 6.4.1: Send invalid UTF-8 text message in 3 fragments (frames). First frame payload is
    // valid, then wait, then 2nd frame which contains the payload making the sequence invalid,
    // then wait, then 3rd frame with rest. PART1 and PART3 are valid UTF-8 in themselves, PART2
    // is 0x110000 encoded as in the UTF-8 integer encoding scheme, but the codepoint is invalid
    // (out of range). PART1 = cebae1bdb9cf83cebcceb5, PART2 = f4908080, PART3 = 656469746564.
    // Expected: The first frame is accepted, we expect to timeout on the first wait. The 2nd
    // frame should be rejected immediately (fail fast on UTF-8).
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_6_4_1(Feeding feeding) {
        ClientStream s = new ClientStream().fragmentedText(List.of(PART1, PART2, PART3));
        int failAt = s.payloadStart(1) + 1; // the 0x90
        assertEquals(17 + 6 + 1, failAt);
        Expect e = Expect.of(s, "FAIL:1007").failsAtByte(failAt);
        e.check(Chunking.of(feeding));
        e.check(Chunking.cutAt("PAUSES_BETWEEN_FRAMES", s.frameBoundaries(), feeding.direct()));
        acceptedSoFar(feeding, s.bytes(), s.frameEnd(0));
        acceptedSoFar(feeding, s.bytes(), failAt);
        failsWithoutTheRest(feeding, s, failAt);
    }

    // 6.4.2: Same as Case 6.4.1, but in 2nd frame, we send only up to and including the octet
    // making the complete payload invalid. PART1 = cebae1bdb9cf83cebcceb5f4, PART2 = 90,
    // PART3 = 8080656469746564.
    // Expected: The first frame is accepted, we expect to timeout on the first wait. The 2nd
    // frame should be rejected immediately (fail fast on UTF-8).
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_6_4_2(Feeding feeding) {
        byte[] p1 = Arrays.copyOfRange(INVALID_6_4, 0, 12);
        byte[] p2 = Arrays.copyOfRange(INVALID_6_4, 12, 13);
        byte[] p3 = Arrays.copyOfRange(INVALID_6_4, 13, INVALID_6_4.length);
        assertEquals("90", Bytes.hex(p2));
        ClientStream s = new ClientStream().fragmentedText(List.of(p1, p2, p3));
        int failAt = s.payloadStart(1);
        assertEquals(18 + 6, failAt);
        Expect e = Expect.of(s, "FAIL:1007").failsAtByte(failAt);
        e.check(Chunking.of(feeding));
        e.check(Chunking.cutAt("PAUSES_BETWEEN_FRAMES", s.frameBoundaries(), feeding.direct()));
        acceptedSoFar(feeding, s.bytes(), s.frameEnd(0));
        acceptedSoFar(feeding, s.bytes(), failAt);
        failsWithoutTheRest(feeding, s, failAt);
    }

    // 6.4.3: Same as Case 6.4.1, but we send message not in 3 frames, but in 3 chops of the same
    // message frame. PART1 = cebae1bdb9cf83cebcceb5, PART2 = f4908080, PART3 = 656469746564.
    // Expected: The first chop is accepted, we expect to timeout on the first wait. The 2nd chop
    // should be rejected immediately (fail fast on UTF-8).
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_6_4_3(Feeding feeding) {
        ClientStream s = new ClientStream().text(INVALID_6_4);
        int chop1 = s.payloadStart(0) + PART1.length;
        int chop2 = chop1 + PART2.length;
        int failAt = chop1 + 1; // the 0x90
        assertEquals(6 + 12, failAt);
        Expect e = Expect.of(s, "FAIL:1007").failsAtByte(failAt);
        e.check(Chunking.of(feeding));
        e.check(Chunking.cutAt("THREE_CHOPS", new int[] {chop1, chop2}, feeding.direct()));
        acceptedSoFar(feeding, s.bytes(), chop1);
        acceptedSoFar(feeding, s.bytes(), failAt);
        failsWithoutTheRest(feeding, s, failAt);
    }

    // 6.4.4: Same as Case 6.4.2, but we send message not in 3 frames, but in 3 chops of the same
    // message frame. PART1 = cebae1bdb9cf83cebcceb5f4, PART2 = 90, PART3 = 8080656469746564.
    // Expected: The first chop is accepted, we expect to timeout on the first wait. The 2nd chop
    // should be rejected immediately (fail fast on UTF-8).
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_6_4_4(Feeding feeding) {
        ClientStream s = new ClientStream().text(INVALID_6_4);
        int chop1 = s.payloadStart(0) + 12;
        int chop2 = chop1 + 1;
        int failAt = chop1; // the 0x90
        assertEquals(0x90, (s.bytes()[failAt] & 0xFF) ^ maskByte(s, failAt));
        Expect e = Expect.of(s, "FAIL:1007").failsAtByte(failAt);
        e.check(Chunking.of(feeding));
        e.check(Chunking.cutAt("THREE_CHOPS", new int[] {chop1, chop2}, feeding.direct()));
        acceptedSoFar(feeding, s.bytes(), chop1);
        failsWithoutTheRest(feeding, s, failAt);
    }

    /** The mask byte that applies to stream offset {@code at} of single-frame stream {@code s}. */
    private static int maskByte(ClientStream s, int at) {
        int keyStart = s.payloadStart(0) - 4;
        return s.bytes()[keyStart + (at - s.payloadStart(0)) % 4] & 0xFF;
    }
}
