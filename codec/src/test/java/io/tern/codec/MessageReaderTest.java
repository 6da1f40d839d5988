package io.tern.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MessageReaderTest {

    private static final int KEY = 0x37fa213d;

    private static byte[] text(int b0, String s) {
        return Frames.masked(b0, Bytes.utf8(s), KEY);
    }

    private static byte[] frame(int b0, byte[] payload) {
        return Frames.masked(b0, payload, KEY);
    }

    private static List<String> server(byte[] input, Feeding f) {
        return ReaderRun.server(input, f).outcome();
    }

    // --- Messages ----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void wholeTextAndBinaryMessages(Feeding f) {
        byte[] bin = Bytes.pattern(300, 9);
        assertEquals(List.of("TEXT:Hello", "BINARY:" + Bytes.hex(bin), "TEXT:"),
                server(Bytes.concat(text(0x81, "Hello"), frame(0x82, bin), text(0x81, "")), f));
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void fragmentedMessageWithControlFramesBetweenFragments(Feeding f) {
        byte[] in = Bytes.concat(text(0x01, "frag"), frame(0x89, Bytes.utf8("ping")), text(0x00, "men"),
                frame(0x8A, new byte[0]), text(0x00, ""), text(0x80, "ted €"));
        assertEquals(List.of("PING:70696e67", "PONG:", "TEXT:fragmented €"), server(in, f));
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void codePointSplitAcrossFragmentsIsValid(Feeding f) {
        byte[] euro = Bytes.utf8("€"); // e2 82 ac
        byte[] in = Bytes.concat(frame(0x01, new byte[] {euro[0]}), frame(0x00, new byte[] {euro[1]}),
                frame(0x80, new byte[] {euro[2]}));
        assertEquals(List.of("TEXT:€"), server(in, f));
    }

    @Test
    void singleFrameInOneReadIsDeliveredWithoutCopy() {
        byte[] in = text(0x81, "zero copy");
        ByteBuffer buffer = ByteBuffer.wrap(in);
        List<ByteBuffer> seen = new ArrayList<>();
        MessageReader reader = new MessageReader(Role.SERVER, ReaderSettings.defaults(), new RecordingListener() {
            @Override
            public void onText(ByteBuffer utf8, boolean last) {
                seen.add(utf8);
                assertEquals(6, utf8.position(), "a window on the input, after the 6-byte header");
                super.onText(utf8, last);
            }
        }, BufferPool.unpooled());
        assertEquals(MessageReader.NEED_MORE, reader.read(buffer));
        assertTrue(seen.get(0) == buffer);
        assertEquals(in.length, buffer.position());
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void fragmentDeliveryHandsOverPiecesAndMarksTheLast(Feeding f) {
        ReaderRun run = new ReaderRun(Role.SERVER, ReaderSettings.defaults().withDelivery(ReaderSettings.Delivery.FRAGMENTS));
        byte[] in = Bytes.concat(text(0x01, "abc"), text(0x80, "def"));
        run.feed(in, f);
        assertEquals(List.of("TEXT:abcdef"), run.outcome());
        assertTrue(run.listener.dataCalls >= 2, "at least one call per frame");
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void wholeDeliveryCallsOncePerMessage(Feeding f) {
        ReaderRun run = new ReaderRun(Role.SERVER, ReaderSettings.defaults());
        run.feed(Bytes.concat(text(0x01, "abc"), text(0x00, "def"), text(0x80, "ghi"), text(0x81, "j")), f);
        assertEquals(List.of("TEXT:abcdefghi", "TEXT:j"), run.outcome());
        assertEquals(2, run.listener.dataCalls);
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void emptyFinalFragmentEndsTheMessageInBothModes(Feeding f) {
        byte[] in = Bytes.concat(frame(0x02, Bytes.hex("0102")), frame(0x80, new byte[0]));
        assertEquals(List.of("BINARY:0102"), server(in, f));
        ReaderRun run = new ReaderRun(Role.SERVER, ReaderSettings.defaults().withDelivery(ReaderSettings.Delivery.FRAGMENTS));
        assertEquals(List.of("BINARY:0102"), run.feed(in, f).outcome());
    }

    // --- Fragmentation rules ---------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void continuationWithoutAMessageIs1002(Feeding f) {
        ReaderRun run = ReaderRun.server(text(0x80, "x"), f);
        assertEquals(List.of("FAIL:1002"), run.outcome());
        assertEquals("continuation frame without a message to continue", run.reader.failureReason());
        assertEquals(6, run.consumed, "fails once the 6-byte header is complete");
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void newMessageInsideAFragmentedOneIs1002(Feeding f) {
        assertEquals(List.of("FAIL:1002"), server(Bytes.concat(text(0x01, "a"), text(0x81, "b")), f));
        assertEquals(List.of("FAIL:1002"), server(Bytes.concat(text(0x01, "a"), frame(0x02, new byte[1])), f));
    }

    // --- Size limit ------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void messageLimitCountsAcrossFragments(Feeding f) {
        ReaderSettings s = ReaderSettings.defaults().withMaxMessageSize(10);
        byte[] ok = Bytes.concat(text(0x01, "12345"), text(0x80, "67890"));
        assertEquals(List.of("TEXT:1234567890"), new ReaderRun(Role.SERVER, s).feed(ok, f).outcome());
        byte[] tooBig = Bytes.concat(text(0x01, "12345"), text(0x00, "67890"), text(0x80, "1"));
        ReaderRun run = new ReaderRun(Role.SERVER, s).feed(tooBig, f);
        assertEquals(List.of("FAIL:1009"), run.outcome());
        assertEquals(11 + 11 + 6, run.consumed, "fails at the header that crosses the limit");
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void controlFramesDoNotCountTowardsTheMessageLimit(Feeding f) {
        ReaderSettings s = ReaderSettings.defaults().withMaxMessageSize(3);
        byte[] in = Bytes.concat(text(0x01, "ab"), frame(0x89, new byte[100]), text(0x80, "c"));
        assertEquals(List.of("PING:" + "00".repeat(100), "TEXT:abc"), new ReaderRun(Role.SERVER, s).feed(in, f).outcome());
    }

    // --- UTF-8 --------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void invalidUtf8FailsAtTheOffendingByte(Feeding f) {
        // Header 6 bytes, then "ab" then 0xFF: the 9th byte of the stream is the bad one.
        byte[] in = frame(0x81, Bytes.concat(Bytes.utf8("ab"), Bytes.hex("ff"), Bytes.utf8("cdefgh")));
        ReaderRun run = ReaderRun.server(in, f);
        assertEquals(List.of("FAIL:1007"), run.outcome());
        if (f.name().startsWith("BYTE")) {
            assertEquals(9, run.consumed);
        }
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void fragmentDeliveryStopsBeforeTheInvalidPiece(Feeding f) {
        ReaderRun run = new ReaderRun(Role.SERVER, ReaderSettings.defaults().withDelivery(ReaderSettings.Delivery.FRAGMENTS));
        byte[] in = Bytes.concat(text(0x01, "good"), frame(0x80, Bytes.hex("edA080")));
        run.feed(in, f);
        assertEquals(List.of("FAIL:1007"), run.outcome());
        // Pieces are delivered while they are valid so far: "good" and perhaps the lead byte ED,
        // never the A0 that makes the sequence a surrogate.
        String pending = Bytes.hex(run.listener.pendingBytes());
        assertTrue(pending.equals(Bytes.hex(Bytes.utf8("good"))) || pending.equals(Bytes.hex(Bytes.utf8("good")) + "ed"), pending);
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void textEndingInsideACodePointIs1007(Feeding f) {
        ReaderRun run = ReaderRun.server(frame(0x81, Bytes.hex("41 e2 82")), f);
        assertEquals(List.of("FAIL:1007"), run.outcome());
        assertEquals("text message ends inside a UTF-8 sequence", run.reader.failureReason());
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void binaryIsNotValidated(Feeding f) {
        assertEquals(List.of("BINARY:ffc0"), server(frame(0x82, Bytes.hex("ff c0")), f));
    }

    // --- Close frames -------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void closeFrameIsCheckedAndStopsReading(Feeding f) {
        byte[] in = Bytes.concat(frame(0x88, Frames.closePayload(1000, "bye ☺")), text(0x81, "after"));
        ReaderRun run = ReaderRun.server(in, f);
        assertEquals(List.of("CLOSE:1000:bye ☺"), run.outcome());
        assertEquals(MessageReader.CLOSE_RECEIVED, run.status);
        assertEquals(in.length - text(0x81, "after").length, run.consumed, "bytes after the close are not read");
        assertEquals(MessageReader.CLOSE_RECEIVED, run.reader.read(ByteBuffer.wrap(text(0x81, "x"))));
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void emptyCloseReports1005(Feeding f) {
        assertEquals(List.of("CLOSE:1005:"), server(frame(0x88, new byte[0]), f));
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void closeCodesOnTheWire(Feeding f) {
        int[] valid = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999};
        int[] invalid = {0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535};
        for (int code : valid) {
            assertEquals(List.of("CLOSE:" + code + ":"), server(frame(0x88, Frames.closePayload(code, "")), f), "code " + code);
        }
        for (int code : invalid) {
            assertEquals(List.of("FAIL:1002"), server(frame(0x88, Frames.closePayload(code, "")), f), "code " + code);
        }
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void oneByteCloseIs1002AndBadReasonIs1007(Feeding f) {
        assertEquals(List.of("FAIL:1002"), server(frame(0x88, Bytes.hex("03")), f));
        assertEquals(List.of("FAIL:1007"), server(frame(0x88, Bytes.concat(Bytes.hex("03e8"), Bytes.hex("ceba e1bd b9 cf83 ce bc ce b5 eda080 65 64 69 74 65 64"))), f));
        assertEquals(List.of("FAIL:1007"), server(frame(0x88, Bytes.hex("03e8 41 e2")), f), "reason cut inside a code point");
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void closeBetweenFragmentsIsAccepted(Feeding f) {
        assertEquals(List.of("CLOSE:1001:"), server(Bytes.concat(text(0x01, "a"), frame(0x88, Frames.closePayload(1001, ""))), f));
    }

    // --- Flow control, failure state ------------------------------------------------------------

    @Test
    void pauseLeavesTheRestOfTheInputAndResumes() {
        byte[] in = Bytes.concat(text(0x81, "one"), text(0x81, "two"), text(0x81, "three"));
        List<String> got = new ArrayList<>();
        MessageReader[] holder = new MessageReader[1];
        holder[0] = new MessageReader(Role.SERVER, ReaderSettings.defaults(), new RecordingListener() {
            @Override
            public void onText(ByteBuffer utf8, boolean last) {
                got.add(new String(Bytes.remaining(utf8)));
                holder[0].pause();
            }
        }, BufferPool.unpooled());
        ByteBuffer b = ByteBuffer.wrap(in);
        assertEquals(MessageReader.PAUSED, holder[0].read(b));
        assertEquals(List.of("one"), got);
        assertEquals(9, b.position());
        assertEquals(MessageReader.PAUSED, holder[0].read(b));
        assertEquals(MessageReader.PAUSED, holder[0].read(b));
        assertEquals(List.of("one", "two", "three"), got);
        assertEquals(MessageReader.NEED_MORE, holder[0].read(b));
    }

    @Test
    void failureIsReportedOnceAndSticks() {
        ReaderRun run = ReaderRun.server(text(0x80, "x"), Feeding.WHOLE_HEAP);
        assertEquals(MessageReader.FAILED, run.status);
        ByteBuffer more = ByteBuffer.wrap(text(0x81, "y"));
        assertEquals(MessageReader.FAILED, run.reader.read(more));
        assertEquals(0, more.position());
        assertEquals(1002, run.reader.failureCode());
    }

    @Test
    void noFailureBeforeAnythingBreaks() {
        ReaderRun run = ReaderRun.server(text(0x81, "x"), Feeding.WHOLE_HEAP);
        assertEquals(0, run.reader.failureCode());
        assertNull(run.reader.failureReason());
        assertFalse(run.reader.isInsideMessage());
    }

    @Test
    void assemblyBuffersGoBackToThePool() {
        List<ByteBuffer> out = new ArrayList<>();
        List<ByteBuffer> back = new ArrayList<>();
        BufferPool counting = new BufferPool() {
            @Override
            public ByteBuffer acquire(int minCapacity) {
                ByteBuffer b = ByteBuffer.allocate(minCapacity);
                out.add(b);
                return b;
            }

            @Override
            public void release(ByteBuffer buffer) {
                back.add(buffer);
            }
        };
        RecordingListener l = new RecordingListener();
        MessageReader reader = new MessageReader(Role.SERVER, ReaderSettings.defaults(), l, counting);
        byte[] in = Bytes.concat(text(0x01, "abc"), text(0x00, "defgh"), text(0x80, "ij"));
        Feeding.BYTE_BY_BYTE_HEAP.feed(in, reader::read);
        assertEquals(List.of("TEXT:abcdefghij"), l.events);
        assertEquals(out.size(), back.size(), "every borrowed buffer returned");
        assertTrue(reader.read(ByteBuffer.wrap(text(0x01, "half"))) == MessageReader.NEED_MORE);
        reader.releaseBuffers();
        assertEquals(out.size(), back.size(), "releaseBuffers returns the buffer of an unfinished message");
    }

    @Test
    void clientRoleReadsUnmaskedFrames() {
        ReaderRun run = ReaderRun.client(Bytes.hex("81 05 48 65 6c 6c 6f 88 02 03 e8"), Feeding.BYTE_BY_BYTE_DIRECT);
        assertEquals(List.of("TEXT:Hello", "CLOSE:1000:"), run.outcome());
    }

    @Test
    void rsv1AllowedForAnotherExtensionButWithoutCompressionIs1002() {
        ReaderRun run = new ReaderRun(Role.SERVER, ReaderSettings.defaults());
        run.reader.allowReservedBits(Rsv.RSV1);
        run.feed(frame(0x81 | Rsv.RSV1, Bytes.utf8("x")), Feeding.WHOLE_HEAP);
        assertEquals(List.of("FAIL:1002"), run.outcome());
    }
}
