package io.tern.codec.autobahn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.Bytes;
import io.tern.codec.ClosingHandshake;
import io.tern.codec.Frames;
import io.tern.codec.MessageReader;
import io.tern.codec.MessageWriter;
import io.tern.codec.ReaderSettings;
import io.tern.codec.RecordingListener;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The expected outcome of one Autobahn case at codec level, checked for one way of cutting the
 * stream into reads, in both delivery modes:
 * <ul>
 *   <li>the exact events ({@code TEXT:..}, {@code PING:<hex>}, {@code CLOSE:code:reason}), with a
 *       final {@code FAIL:code} when the connection must be failed;</li>
 *   <li>the final status, and where reading stopped: after the whole input; right after the close
 *       frame (the bytes after it left unread and untouched); or inside the offending frame, at
 *       the exact offending byte when that is known;</li>
 *   <li>that a stopped reader stays stopped and consumes nothing more;</li>
 *   <li>what a strict echo server writes back, byte for byte (echoes, pongs, the close reply or
 *       the failing close frame), and that its writer refuses to send anything after its close.</li>
 * </ul>
 */
final class Expect {

    private final ClientStream stream;
    private final byte[] bytes;
    private final List<String> events;
    private int stopFrame = -1;
    private long failByte = -1;
    private boolean failByteInEverySplit;
    private ReaderSettings settings = ReaderSettings.defaults();

    private Expect(ClientStream stream, List<String> events) {
        this.stream = stream;
        this.bytes = stream.bytes();
        this.events = events;
    }

    static Expect of(ClientStream stream, String... events) {
        return new Expect(stream, List.of(events));
    }

    static Expect of(ClientStream stream, List<String> events) {
        return new Expect(stream, List.copyOf(events));
    }

    /** Reading must stop inside frame {@code frame} (the offending frame, or the close frame). */
    Expect stopsInFrame(int frame) {
        this.stopFrame = frame;
        return this;
    }

    /**
     * The failure must be reported at stream offset {@code offset}: when the stream is fed one
     * byte at a time, exactly {@code offset + 1} bytes are consumed. Other cuts may consume the
     * rest of the chunk that held the byte, but never more than the offending frame.
     */
    Expect failsAtByte(long offset) {
        this.failByte = offset;
        this.failByteInEverySplit = false;
        this.stopFrame = stream.frameAt(offset);
        return this;
    }

    /**
     * A framing violation: reported just past the byte that carries it however the input is cut
     * (the decoder consumes headers field by field).
     */
    Expect failsAtHeaderByte(long offset) {
        failsAtByte(offset);
        this.failByteInEverySplit = true;
        return this;
    }

    Expect settings(ReaderSettings settings) {
        this.settings = settings;
        return this;
    }

    /** Checks the case with one cutting of the stream, in both delivery modes, and the echo. */
    void check(Chunking chunking) {
        for (ReaderSettings.Delivery delivery : ReaderSettings.Delivery.values()) {
            String context = chunking + "/" + delivery;
            RecordingListener listener = new RecordingListener();
            Run run = new Run(settings.withDelivery(delivery), listener).feed(chunking.chunks(bytes));
            List<String> outcome = new java.util.ArrayList<>(listener.events);
            if (run.status == MessageReader.FAILED) {
                outcome.add("FAIL:" + run.reader.failureCode());
            }
            assertSameList(events, outcome, context + ": events");
            assertEquals(Run.statusName(expectedStatus()), Run.statusName(run.status), context + ": status");
            checkStop(run, context);
        }
        checkEcho(chunking);
    }

    /** Checks every {@link io.tern.codec.Feeding}. */
    void checkAllFeedings() {
        for (io.tern.codec.Feeding feeding : io.tern.codec.Feeding.values()) {
            check(Chunking.of(feeding));
        }
    }

    private int expectedStatus() {
        if (events.isEmpty()) {
            return MessageReader.NEED_MORE;
        }
        String last = events.get(events.size() - 1);
        if (last.startsWith("FAIL:")) {
            return MessageReader.FAILED;
        }
        if (last.startsWith("CLOSE:")) {
            return MessageReader.CLOSE_RECEIVED;
        }
        return MessageReader.NEED_MORE;
    }

    private void checkStop(Run run, String context) {
        int status = expectedStatus();
        if (status == MessageReader.NEED_MORE) {
            assertEquals(bytes.length, run.consumed, context + ": all input consumed");
            return;
        }
        int frame = stopFrame >= 0 ? stopFrame : stream.firstCloseFrame();
        if (frame < 0) {
            throw new IllegalStateException("test error: a failing case must name its offending frame");
        }
        if (status == MessageReader.CLOSE_RECEIVED) {
            assertEquals(stream.frameEnd(frame), run.consumed, context + ": reading stops right after the close frame");
        } else {
            assertTrue(run.consumed > stream.frameStart(frame) && run.consumed <= stream.frameEnd(frame),
                    context + ": failure reported inside frame " + frame + " [" + stream.frameStart(frame) + ", "
                            + stream.frameEnd(frame) + "), consumed " + run.consumed);
            if (failByte >= 0) {
                // A one-byte chunk in which reading failed can only have held the offending byte.
                boolean oneByteChunk = run.stoppedIn.capacity() == 1;
                if (failByteInEverySplit || oneByteChunk) {
                    assertEquals(failByte + 1, run.consumed, context + ": failure reported at the offending byte");
                } else {
                    assertTrue(run.consumed >= failByte + 1,
                            context + ": failure reported before the offending byte arrived, consumed " + run.consumed);
                }
            }
        }
        // The bytes the reader did not consume are still there, untouched (not unmasked).
        ByteBuffer rest = run.stoppedIn;
        long restStart = run.stoppedInStart + rest.position();
        assertEquals(run.consumed, restStart, context + ": position of the chunk in which reading stopped");
        byte[] unread = Bytes.remaining(rest);
        assertEquals(Bytes.hex(Arrays.copyOfRange(bytes, (int) restStart, (int) restStart + unread.length)),
                Bytes.hex(unread), context + ": unread bytes untouched");
        // Stopped for good: later calls report the same and consume nothing.
        int position = rest.position();
        assertEquals(Run.statusName(run.status), Run.statusName(run.reader.read(rest)), context + ": sticky status");
        assertEquals(position, rest.position(), context + ": nothing consumed after stopping");
        ByteBuffer more = ByteBuffer.wrap(Bytes.hex("8180000000002a"));
        assertEquals(Run.statusName(run.status), Run.statusName(run.reader.read(more)), context + ": sticky status");
        assertEquals(0, more.position(), context + ": nothing consumed after stopping");
    }

    private void checkEcho(Chunking chunking) {
        String context = chunking + "/echo";
        EchoServer server = new EchoServer();
        Run run = new Run(settings.withDelivery(ReaderSettings.Delivery.WHOLE_MESSAGES), server)
                .feed(chunking.chunks(bytes));
        String failureReason = null;
        if (run.status == MessageReader.FAILED) {
            failureReason = run.reader.failureReason();
            assertNotNull(failureReason, context + ": a failure has a reason");
            assertTrue(failureReason.getBytes(StandardCharsets.UTF_8).length <= MessageWriter.MAX_CLOSE_REASON_BYTES,
                    context + ": the failure reason fits a close frame");
            server.fail(run.reader.failureCode(), failureReason);
        }
        assertSameList(List.of(Bytes.hex(expectedReply(failureReason))), List.of(Bytes.hex(server.wire())),
                context + ": bytes written back");
        ClosingHandshake closing = server.closing;
        int status = expectedStatus();
        if (status == MessageReader.NEED_MORE) {
            assertEquals(ClosingHandshake.State.OPEN, closing.state(), context);
            return;
        }
        if (status == MessageReader.CLOSE_RECEIVED) {
            assertEquals(ClosingHandshake.State.CLOSED, closing.state(), context);
            assertTrue(closing.isClean(), context + ": clean close");
            assertFalse(closing.initiatedLocally(), context);
        } else {
            assertEquals(ClosingHandshake.State.CLOSE_SENT, closing.state(), context);
            assertTrue(closing.initiatedLocally(), context);
        }
        // After its own close frame the server sends nothing more.
        ByteBuffer header = ByteBuffer.allocate(14);
        MessageWriter writer = server.writer;
        assertEquals(MessageWriter.REFUSED_CLOSING, writer.writeText(header, ByteBuffer.wrap(Bytes.utf8("late")), true), context);
        assertEquals(MessageWriter.REFUSED_CLOSING, writer.writeBinary(header, ByteBuffer.wrap(new byte[] {1}), true), context);
        assertEquals(MessageWriter.REFUSED_CLOSING, writer.writePing(header, ByteBuffer.allocate(0)), context);
        assertEquals(MessageWriter.REFUSED_CLOSING, writer.writePong(header, ByteBuffer.allocate(0)), context);
        ByteBuffer frame = ByteBuffer.allocate(MessageWriter.MAX_CLOSE_FRAME_SIZE);
        assertEquals(MessageWriter.REFUSED_CLOSING, writer.writeClose(frame, 1000, ""), context);
        assertEquals(0, header.position(), context + ": nothing written after close");
        assertEquals(0, frame.position(), context + ": nothing written after close");
    }

    /** The reply a strict echo server sends, built from the expected events with the test encoder. */
    private byte[] expectedReply(String failureReason) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String event : events) {
            int colon = event.indexOf(':');
            String kind = event.substring(0, colon);
            String rest = event.substring(colon + 1);
            switch (kind) {
                case "TEXT":
                    out.writeBytes(Frames.unmasked(0x81, Bytes.utf8(rest)));
                    break;
                case "BINARY":
                    out.writeBytes(Frames.unmasked(0x82, Bytes.hex(rest)));
                    break;
                case "PING":
                    out.writeBytes(Frames.unmasked(0x8A, Bytes.hex(rest)));
                    break;
                case "PONG":
                    break;
                case "CLOSE": {
                    int code = Integer.parseInt(rest.substring(0, rest.indexOf(':')));
                    byte[] payload = code == 1005 ? new byte[0] : Frames.closePayload(code, "");
                    out.writeBytes(Frames.unmasked(0x88, payload));
                    break;
                }
                case "FAIL":
                    out.writeBytes(Frames.unmasked(0x88, Frames.closePayload(Integer.parseInt(rest), failureReason)));
                    break;
                default:
                    throw new IllegalStateException("unknown event " + event);
            }
        }
        return out.toByteArray();
    }

    /** Exact comparison; the failure message is abbreviated for the 64 KiB and 256 KiB messages. */
    private static void assertSameList(List<String> expected, List<String> actual, String context) {
        if (!expected.equals(actual)) {
            String where = "";
            for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
                String e = expected.get(i);
                String a = actual.get(i);
                if (!e.equals(a)) {
                    int at = 0;
                    while (at < Math.min(e.length(), a.length()) && e.charAt(at) == a.charAt(at)) {
                        at++;
                    }
                    where = " (element " + i + " differs at char " + at + ")";
                    break;
                }
            }
            org.junit.jupiter.api.Assertions.fail(context + where + " ==> expected: " + abbreviate(expected)
                    + " but was: " + abbreviate(actual));
        }
    }


    private static List<String> abbreviate(List<String> list) {
        return list.stream().map(Expect::abbreviate).collect(java.util.stream.Collectors.toList());
    }

    private static String abbreviate(String s) {
        if (s.length() <= 400) {
            return s;
        }
        return s.substring(0, 200) + "...(" + s.length() + " chars, hash " + s.hashCode() + ")..."
                + s.substring(s.length() - 100);
    }
}
