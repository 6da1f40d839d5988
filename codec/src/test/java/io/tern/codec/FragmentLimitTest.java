package io.tern.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fragment-count limit ({@link ReaderSettings#withMaxFragments(int)}): a message may span at
 * most so many frames, empty ones included, and the frame header one too many fails the reader
 * with 1008 before its payload is read, in both delivery modes, however the input is split.
 */
class FragmentLimitTest {

    private static final int KEY = 0x11223344;
    private static final String REASON = "message spans more frames than the configured maximum fragments";

    private static byte[] frame(int b0, byte[] payload) {
        return Frames.masked(b0, payload, KEY);
    }

    /** A binary message of {@code frames} frames, each carrying {@code bytesEach} bytes. */
    private static byte[] fragmented(int frames, int bytesEach) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < frames; i++) {
            int b0 = (i == 0 ? 0x02 : 0x00) | (i == frames - 1 ? 0x80 : 0);
            out.writeBytes(frame(b0, Bytes.pattern(bytesEach, i)));
        }
        return out.toByteArray();
    }

    private static ReaderSettings limit(int frames, ReaderSettings.Delivery delivery) {
        return ReaderSettings.defaults().withMaxFragments(frames).withDelivery(delivery);
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void aMessageOfExactlyTheLimitIsDeliveredInBothModes(Feeding f) {
        byte[] in = fragmented(16, 3);
        byte[] expected = new byte[0];
        for (int i = 0; i < 16; i++) {
            expected = Bytes.concat(expected, Bytes.pattern(3, i));
        }
        for (ReaderSettings.Delivery d : ReaderSettings.Delivery.values()) {
            ReaderRun run = new ReaderRun(Role.SERVER, limit(16, d)).feed(in, f);
            assertEquals(List.of("BINARY:" + Bytes.hex(expected)), run.outcome(), d.name());
        }
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void theFrameOneTooManyFailsWith1008AtItsHeader(Feeding f) {
        // 16 frames of 1 byte (7 bytes each on the wire), then the 17th: its 6-byte header fails.
        byte[] in = fragmented(20, 1);
        for (ReaderSettings.Delivery d : ReaderSettings.Delivery.values()) {
            ReaderRun run = new ReaderRun(Role.SERVER, limit(16, d)).feed(in, f);
            assertEquals(List.of("FAIL:1008"), run.outcome(), d.name());
            assertEquals(REASON, run.reader.failureReason());
            assertEquals(16 * 7 + 6, run.consumed, "fails once the header of frame 17 is complete");
            if (d == ReaderSettings.Delivery.FRAGMENTS) {
                assertEquals(Bytes.hex(fragmentBytes(16)), Bytes.hex(run.listener.pendingBytes()),
                        "the 16 allowed fragments were delivered, nothing of the 17th");
            }
        }
    }

    private static byte[] fragmentBytes(int n) {
        byte[] all = new byte[0];
        for (int i = 0; i < n; i++) {
            all = Bytes.concat(all, Bytes.pattern(1, i));
        }
        return all;
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void emptyContinuationFramesCountLikeAnyOther(Feeding f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(frame(0x01, Bytes.utf8("a")));
        for (int i = 0; i < 40; i++) {
            out.writeBytes(frame(0x00, new byte[0]));
        }
        ReaderRun run = new ReaderRun(Role.SERVER, limit(8, ReaderSettings.Delivery.WHOLE_MESSAGES))
                .feed(out.toByteArray(), f);
        assertEquals(List.of("FAIL:1008"), run.outcome());
        assertEquals(7 + 7 * 6 + 6, run.consumed, "1 first frame, 7 empty continuations, then the header that fails");
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void controlFramesBetweenFragmentsDoNotCount(Feeding f) {
        byte[] in = Bytes.concat(frame(0x01, Bytes.utf8("ab")), frame(0x89, new byte[0]), frame(0x8A, new byte[0]),
                frame(0x89, Bytes.utf8("p")), frame(0x80, Bytes.utf8("c")));
        ReaderRun run = new ReaderRun(Role.SERVER, limit(2, ReaderSettings.Delivery.WHOLE_MESSAGES)).feed(in, f);
        assertEquals(List.of("PING:", "PONG:", "PING:70", "TEXT:abc"), run.outcome());
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void theCountStartsAgainWithEveryMessage(Feeding f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        for (int m = 0; m < 10; m++) {
            out.writeBytes(frame(0x01, Bytes.utf8("x")));
            out.writeBytes(frame(0x00, Bytes.utf8("y")));
            out.writeBytes(frame(0x80, Bytes.utf8(Integer.toString(m))));
            expected.add("TEXT:xy" + m);
        }
        for (ReaderSettings.Delivery d : ReaderSettings.Delivery.values()) {
            ReaderRun run = new ReaderRun(Role.SERVER, limit(3, d)).feed(out.toByteArray(), f);
            assertEquals(expected, run.outcome(), d.name());
        }
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void withOneOnlyUnfragmentedMessagesPass(Feeding f) {
        byte[] in = Bytes.concat(frame(0x81, Bytes.utf8("whole")), frame(0x01, Bytes.utf8("a")), frame(0x80, Bytes.utf8("b")));
        ReaderRun run = new ReaderRun(Role.SERVER, limit(1, ReaderSettings.Delivery.WHOLE_MESSAGES)).feed(in, f);
        assertEquals(List.of("TEXT:whole", "FAIL:1008"), run.outcome());
        assertEquals(11 + 7 + 6, run.consumed);
    }

    @ParameterizedTest
    @EnumSource(Feeding.class)
    void manyEmptyUnfragmentedMessagesAreLegalAndAllDelivered(Feeding f) {
        // An empty message is a message: the fragment limit has nothing to say about them (their
        // rate is bounded by what the transport reads per loop pass, not by the codec).
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 2000;
        for (int i = 0; i < n; i++) {
            out.writeBytes(frame(i % 2 == 0 ? 0x81 : 0x82, new byte[0]));
        }
        ReaderRun run = new ReaderRun(Role.SERVER, limit(1, ReaderSettings.Delivery.WHOLE_MESSAGES))
                .feed(out.toByteArray(), f);
        assertEquals(MessageReader.NEED_MORE, run.status);
        assertEquals(n, run.listener.events.size());
        assertEquals(n, run.listener.dataCalls);
    }

    /**
     * A million 1-byte fragments, fed as socket reads of 64 KiB (the transport's read buffer):
     * with the default limit the reader fails at frame 1,025, having read about 7 KiB and made at
     * most 1,024 fragment deliveries, and the rest is never looked at.
     */
    @Test
    void aMillionOneByteFragmentsStopAtTheDefaultLimit() {
        assertEquals(1024, ReaderSettings.defaults().maxFragments());
        for (ReaderSettings.Delivery d : ReaderSettings.Delivery.values()) {
            ReaderRun run = new ReaderRun(Role.SERVER, ReaderSettings.defaults().withDelivery(d));
            byte[] first = frame(0x02, new byte[] {1});
            byte[] next = frame(0x00, new byte[] {1});
            ByteBuffer read = ByteBuffer.allocateDirect(64 * 1024);
            long sent = 0;
            int frames = 0;
            int reads = 0;
            while (frames < 1_000_000 && run.status == MessageReader.NEED_MORE) {
                read.clear();
                while (frames < 1_000_000 && read.remaining() >= next.length) {
                    read.put(frames == 0 ? first : next);
                    frames++;
                }
                read.flip();
                sent += read.remaining();
                int before = read.position();
                run.status = run.reader.read(read);
                run.consumed += read.position() - before;
                reads++;
            }
            assertEquals(List.of("FAIL:1008"), run.outcome(), d.name());
            assertEquals(1, reads, "the first 64 KiB read already fails");
            assertEquals(1024L * 7 + 6, run.consumed);
            assertTrue(run.listener.dataCalls <= 1024, d + ": " + run.listener.dataCalls + " deliveries");
            assertTrue(sent <= 64 * 1024);
        }
    }

    @Test
    void theDefaultFollowsTheMessageLimitAtOnePerKiBAndAtLeast1024() {
        assertEquals(1024, ReaderSettings.defaults().maxFragments());
        assertEquals(1024, ReaderSettings.defaults().withMaxMessageSize(1000).maxFragments());
        assertEquals(16_384, ReaderSettings.defaults().withMaxMessageSize(16L << 20).maxFragments());
        assertEquals(16_384, ReaderSettings.defaults().withMaxMessageSize(16L << 20).withMaxFrameSize(300)
                .withDelivery(ReaderSettings.Delivery.FRAGMENTS).maxFragments());
        assertEquals(Integer.MAX_VALUE, ReaderSettings.defaults().withDelivery(ReaderSettings.Delivery.FRAGMENTS)
                .withMaxMessageSize(Long.MAX_VALUE).maxFragments());
        assertEquals(50, ReaderSettings.defaults().withMaxFragments(50).withMaxMessageSize(16L << 20).maxFragments(),
                "a number set stays");
        // 16 MiB in 16 KiB frames (as the JDK's client sends it) passes the default, 16,385 frames do not.
        ReaderSettings big = ReaderSettings.defaults().withMaxMessageSize(16L << 20).withMaxFrameSize(16L << 20);
        ReaderRun ok = new ReaderRun(Role.SERVER, big).feed(fragmented(1024, 16 * 1024), Feeding.WHOLE_HEAP);
        assertEquals(1, ok.listener.events.size());
        ReaderRun tooMany = new ReaderRun(Role.SERVER, big).feed(fragmented(16_385, 0), Feeding.WHOLE_HEAP);
        assertEquals(List.of("FAIL:1008"), tooMany.outcome());
    }

    @Test
    void theSetterRejectsLessThanOneAndKeepsTheOtherSettings() {
        assertThrows(IllegalArgumentException.class, () -> ReaderSettings.defaults().withMaxFragments(0));
        assertThrows(IllegalArgumentException.class, () -> ReaderSettings.defaults().withMaxFragments(-5));
        ReaderSettings s = ReaderSettings.defaults().withMaxMessageSize(77).withMaxFrameSize(200)
                .withDelivery(ReaderSettings.Delivery.FRAGMENTS).withMaxFragments(9);
        assertEquals(9, s.maxFragments());
        assertEquals(77, s.maxMessageSize());
        assertEquals(200, s.maxFrameSize());
        assertEquals(ReaderSettings.Delivery.FRAGMENTS, s.delivery());
        assertEquals(9, s.withMaxMessageSize(5).withMaxFrameSize(300)
                .withDelivery(ReaderSettings.Delivery.WHOLE_MESSAGES).maxFragments());
        assertTrue(s.toString().contains("maxFragments=9"));
    }
}
