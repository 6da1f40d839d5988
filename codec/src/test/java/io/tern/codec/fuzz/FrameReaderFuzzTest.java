package io.tern.codec.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tern.codec.CloseCodes;
import io.tern.codec.FrameDecoder;
import io.tern.codec.FrameListener;
import io.tern.codec.MessageListener;
import io.tern.codec.MessageReader;
import io.tern.codec.ReaderSettings;
import io.tern.codec.Role;
import io.tern.codec.Rsv;
import io.tern.codec.deflate.DeflateParameters;
import io.tern.codec.deflate.PerMessageInflater;
import io.tern.codec.deflate.ZStreamPool;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Fuzz targets for {@link FrameDecoder} and {@link MessageReader}: whatever the bytes, both roles,
 * with and without permessage-deflate, nothing is thrown, nothing outside the input is read or
 * written, a failure is reported no later than the input's end, and the events, status, close
 * code, reason and consumed byte count are the same whether the input arrives whole, at the
 * fuzzer's split points, or one byte at a time. The reader's delivered messages obey the limits,
 * text is UTF-8, and every borrowed buffer is given back.
 *
 * <p>Input layout: see {@link FuzzInput}. Flags: bit 0 client role (else server); bit 1
 * permessage-deflate; bit 2 fragment delivery; bit 3 small limits; bit 4 peer keeps no context;
 * bit 5 direct buffers; bits 6-7 reserved bits the frame decoder allows.
 */
class FrameReaderFuzzTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final int BYTEWISE_LIMIT = 2048;

    @FuzzTest(maxDuration = "5m")
    void frameDecoder(byte[] data) {
        FuzzInput in = FuzzInput.parse(data);
        FrameOutcome whole = decodeFrames(in, FuzzInput.Split.WHOLE);
        assertEquals(whole, decodeFrames(in, FuzzInput.Split.CHOSEN), "split at the chosen points");
        if (in.body.length <= BYTEWISE_LIMIT) {
            assertEquals(whole, decodeFrames(in, FuzzInput.Split.BYTEWISE), "fed one byte at a time");
        }
    }

    @FuzzTest(maxDuration = "5m")
    void messageReader(byte[] data) {
        FuzzInput in = FuzzInput.parse(data);
        ReaderOutcome whole = readMessages(in, FuzzInput.Split.WHOLE);
        ReaderOutcome chosen = readMessages(in, FuzzInput.Split.CHOSEN);
        sameOutcome(whole, chosen, "split at the chosen points");
        if (in.body.length <= BYTEWISE_LIMIT) {
            ReaderOutcome bytewise = readMessages(in, FuzzInput.Split.BYTEWISE);
            sameOutcome(whole, bytewise, "fed one byte at a time");
            if (whole.status == MessageReader.FAILED) {
                assertTrue(bytewise.consumed <= chosen.consumed, "fed one byte at a time, the failure comes no later");
            }
        }
    }

    /**
     * The same messages, status, close code and reason whatever the split. After a failure, how far
     * the input was consumed and how much of an unfinished message fragment delivery handed out do
     * depend on the split, by design: a payload chunk is delivered (and consumed) whole, and a rule
     * broken inside it fails the connection at the end of that chunk; fed one byte at a time, the
     * failure comes right at the offending byte. So then only the order holds: a finer split never
     * fails later.
     */
    private static void sameOutcome(ReaderOutcome whole, ReaderOutcome split, String how) {
        assertEquals(whole.events, split.events, how + ": messages");
        assertEquals(whole.status, split.status, how + ": status");
        assertEquals(whole.code, split.code, how + ": close code");
        assertEquals(whole.reason, split.reason, how + ": reason");
        if (whole.status != MessageReader.FAILED) {
            assertEquals(whole.consumed, split.consumed, how + ": bytes consumed");
            assertEquals(whole.pending, split.pending, how + ": unfinished message");
        } else {
            assertTrue(split.consumed <= whole.consumed, how + ": failed later than fed whole");
        }
    }

    // ---- FrameDecoder

    record FrameOutcome(List<String> events, int status, int code, String reason, long consumed) {
    }

    static FrameOutcome decodeFrames(FuzzInput in, FuzzInput.Split split) {
        Role role = in.flag(0) ? Role.CLIENT : Role.SERVER;
        long maxFrame = in.flag(3) ? 125 + (in.flags & 0x30) : 1 << 20;
        FrameDecoder decoder = new FrameDecoder(role, maxFrame);
        decoder.allowReservedBits(((in.flags >> 6) & 3) << 5 | (in.flag(1) ? Rsv.RSV1 : 0));
        FrameRecorder recorder = new FrameRecorder();
        int status = FrameDecoder.NEED_MORE;
        long consumed = 0;
        int at = 0;
        for (int n : in.lengths(in.body.length, split)) {
            ByteBuffer chunk = FuzzInput.guarded(in.body, at, n, in.flag(5));
            status = decoder.decode(chunk, recorder);
            int used = FuzzInput.checkGuarded(chunk, n);
            consumed += used;
            at += n;
            if (status == FrameDecoder.FAILED) {
                assertTrue(decoder.hasFailed());
                int code = decoder.failureCode();
                assertTrue(code == CloseCodes.PROTOCOL_ERROR || code == CloseCodes.MESSAGE_TOO_BIG, "code " + code);
                checkReason(decoder.failureReason());
                // Sticky: nothing more is consumed.
                ByteBuffer more = FuzzInput.guarded(in.body, at - n + used, n - used, false);
                assertEquals(FrameDecoder.FAILED, decoder.decode(more, recorder));
                assertEquals(0, FuzzInput.checkGuarded(more, n - used));
                break;
            }
            assertEquals(FrameDecoder.NEED_MORE, status, "the recorder never stops the decoder");
            assertEquals(n, used, "NEED_MORE consumes the whole chunk");
        }
        assertTrue(consumed <= in.body.length, "consumed past the input's end");
        recorder.endOfInput();
        return new FrameOutcome(recorder.events, status, decoder.failureCode(), decoder.failureReason(), consumed);
    }

    /** Records frames with each payload joined, so every split records the same events. */
    static final class FrameRecorder implements FrameListener {
        final List<String> events = new ArrayList<>();
        private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        private long declared;
        private boolean open;

        @Override
        public boolean onFrameHeader(boolean fin, int rsv, int opcode, long payloadLength) {
            assertTrue(!open, "header inside a frame");
            assertTrue(payloadLength >= 0);
            events.add("H:" + fin + ":" + rsv + ":" + opcode + ":" + payloadLength);
            declared = payloadLength;
            open = true;
            return true;
        }

        @Override
        public boolean onFramePayload(ByteBuffer chunk) {
            assertTrue(open && chunk.hasRemaining(), "empty or stray payload chunk");
            byte[] b = new byte[chunk.remaining()];
            chunk.get(b);
            payload.writeBytes(b);
            assertTrue(payload.size() <= declared, "more payload than declared");
            return true;
        }

        @Override
        public boolean onFrameEnd() {
            assertEquals(declared, payload.size(), "frame ended before its payload");
            events.add("P:" + HEX.formatHex(payload.toByteArray()));
            payload.reset();
            open = false;
            return true;
        }

        void endOfInput() {
            if (open) {
                events.add("partial:" + HEX.formatHex(payload.toByteArray()));
            }
        }
    }

    // ---- MessageReader

    record ReaderOutcome(List<String> events, String pending, int status, int code, String reason, long consumed) {
    }

    static ReaderOutcome readMessages(FuzzInput in, FuzzInput.Split split) {
        Role role = in.flag(0) ? Role.CLIENT : Role.SERVER;
        boolean fragments = in.flag(2);
        ReaderSettings settings = ReaderSettings.defaults()
                .withDelivery(fragments ? ReaderSettings.Delivery.FRAGMENTS : ReaderSettings.Delivery.WHOLE_MESSAGES);
        if (in.flag(3)) {
            settings = settings.withMaxFrameSize(125 + (in.flags & 0xC0)).withMaxMessageSize(in.flags & 0xF0);
        }
        TrackingPool pool = new TrackingPool();
        MessageRecorder recorder = new MessageRecorder(settings.maxMessageSize());
        MessageReader reader = new MessageReader(role, settings, recorder, pool);
        try (ZStreamPool streams = new ZStreamPool(1)) {
            if (in.flag(1)) {
                boolean noContext = in.flag(4);
                reader.enableCompression(new PerMessageInflater(
                        new DeflateParameters(noContext, noContext, 15, 15), role, streams));
            }
            int status = MessageReader.NEED_MORE;
            long consumed = 0;
            int at = 0;
            for (int n : in.lengths(in.body.length, split)) {
                ByteBuffer chunk = FuzzInput.guarded(in.body, at, n, in.flag(5));
                status = reader.read(chunk);
                int used = FuzzInput.checkGuarded(chunk, n);
                consumed += used;
                at += n;
                if (status == MessageReader.FAILED) {
                    int code = reader.failureCode();
                    assertTrue(code == CloseCodes.PROTOCOL_ERROR || code == CloseCodes.INVALID_PAYLOAD
                            || code == CloseCodes.MESSAGE_TOO_BIG, "code " + code);
                    checkReason(reader.failureReason());
                    assertEquals(0, pool.outstandingBuffers(), "a failed reader holds no buffer");
                    break;
                }
                if (status == MessageReader.CLOSE_RECEIVED) {
                    assertEquals(0, pool.outstandingBuffers(), "a closed reader holds no buffer");
                    break;
                }
                assertEquals(MessageReader.NEED_MORE, status, "nothing pauses the reader");
                assertEquals(n, used, "NEED_MORE consumes the whole chunk");
                assertTrue(pool.outstandingBuffers() <= 1, "between reads at most the assembly buffer is held");
            }
            assertTrue(consumed <= in.body.length, "consumed past the input's end");
            // Once ended, the reader consumes nothing more.
            if (status != MessageReader.NEED_MORE) {
                ByteBuffer more = FuzzInput.guarded(new byte[] {(byte) 0x81, 0}, 0, 2, false);
                assertEquals(status, reader.read(more));
                assertEquals(0, FuzzInput.checkGuarded(more, 2));
            }
            reader.releaseBuffers();
            assertEquals(0, pool.outstandingBuffers(), "every borrowed buffer is given back");
            assertEquals(0, streams.liveInflaters() - streams.idleCount(), "every inflater is given back");
            return new ReaderOutcome(recorder.events, recorder.pendingHex(), status, reader.failureCode(),
                    reader.failureReason(), consumed);
        }
    }

    /** Records messages, joining fragments, and checks each against the limit and UTF-8. */
    static final class MessageRecorder implements MessageListener {
        final List<String> events = new ArrayList<>();
        private final long maxMessage;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private Boolean pendingText;

        MessageRecorder(long maxMessage) {
            this.maxMessage = maxMessage;
        }

        @Override
        public void onText(ByteBuffer utf8, boolean last) {
            data(true, utf8, last);
        }

        @Override
        public void onBinary(ByteBuffer data, boolean last) {
            data(false, data, last);
        }

        private void data(boolean text, ByteBuffer bytes, boolean last) {
            if (pendingText != null) {
                assertEquals(pendingText, text, "a message changed its type");
            }
            pendingText = text;
            byte[] b = new byte[bytes.remaining()];
            bytes.get(b);
            pending.writeBytes(b);
            assertTrue(pending.size() <= maxMessage, "a message over the limit was delivered");
            if (text) {
                assertTrue(Utf8Oracle.isValidPrefix(pending.toByteArray()), "invalid UTF-8 delivered");
            }
            if (last) {
                byte[] all = pending.toByteArray();
                if (text) {
                    assertTrue(Utf8Oracle.isValid(all), "text message delivered that is not UTF-8");
                }
                events.add((text ? "TEXT:" : "BINARY:") + HEX.formatHex(all));
                pending.reset();
                pendingText = null;
            }
        }

        @Override
        public void onPing(ByteBuffer payload) {
            events.add("PING:" + control(payload));
        }

        @Override
        public void onPong(ByteBuffer payload) {
            events.add("PONG:" + control(payload));
        }

        private static String control(ByteBuffer payload) {
            assertTrue(payload.remaining() <= 125, "control payload over 125 bytes");
            byte[] b = new byte[payload.remaining()];
            payload.get(b);
            return HEX.formatHex(b);
        }

        @Override
        public void onClose(int code, String reason) {
            assertTrue(code == CloseCodes.NO_STATUS_RECEIVED || CloseCodes.isValidOnWire(code), "close code " + code);
            events.add("CLOSE:" + code + ":" + reason);
        }

        String pendingHex() {
            return (pendingText == null ? "" : pendingText ? "text:" : "binary:") + HEX.formatHex(pending.toByteArray());
        }
    }

    static void checkReason(String reason) {
        assertTrue(reason != null && !reason.isEmpty() && reason.length() <= 123, "reason: " + reason);
        for (int i = 0; i < reason.length(); i++) {
            assertTrue(reason.charAt(i) < 0x80, "reason is not ASCII: " + reason);
        }
    }

    /** The JDK's strict UTF-8 decoder, as the oracle for text. */
    static final class Utf8Oracle {
        private Utf8Oracle() {
        }

        static boolean isValid(byte[] b) {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
                return true;
            } catch (CharacterCodingException e) {
                return false;
            }
        }

        /** Whether {@code b} is valid UTF-8 or a valid start of it (it may stop inside a code point). */
        static boolean isValidPrefix(byte[] b) {
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            java.nio.CharBuffer out = java.nio.CharBuffer.allocate(b.length + 2);
            return !decoder.decode(ByteBuffer.wrap(b), out, false).isError();
        }
    }
}
