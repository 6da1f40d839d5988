package io.tern.codec.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tern.codec.CloseCodes;
import io.tern.codec.MessageListener;
import io.tern.codec.MessageReader;
import io.tern.codec.ReaderSettings;
import io.tern.codec.Role;
import io.tern.codec.deflate.DeflateParameters;
import io.tern.codec.deflate.PerMessageInflater;
import io.tern.codec.deflate.ZStreamPool;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Fuzz target for inflation inside {@link MessageReader}: the fuzzer writes the compressed payload
 * of a message (raw DEFLATE without the {@code 00 00 ff ff} tail, as RFC 7692 §7.2.1 sends it) and
 * the harness frames it correctly (RSV1 on the first frame, fragments at the fuzzer's split points,
 * sent twice to exercise context takeover), so every execution reaches the inflater.
 *
 * <p>Properties: the reader never holds more than the message limit plus one buffer: at most two
 * pooled buffers at any moment, none larger than {@code max(limit + 1, 16 KiB)}, and between reads
 * only the assembly buffer of at most {@code limit + 1} bytes; a message whose inflated size is
 * over the limit fails with 1009, corrupt data with 1007 (or 1009 if the limit is passed first);
 * otherwise the delivered bytes equal what {@link Inflater} makes of the same payload, message by
 * message, with the same context handling.
 *
 * <p>Input layout: see {@link FuzzInput}. Flags: bits 0-3 choose the message limit from
 * {@link #LIMITS}; bit 4 fragment delivery; bit 5 no context takeover; bit 6 text (else binary);
 * bit 7 send the message a second time.
 */
class InflateFuzzTest {

    static final long[] LIMITS = {0, 1, 2, 100, 1000, 4095, 4096, 4097, 16383, 16384, 16385, 20000, 65536,
        100_000, 1 << 20, 10};
    private static final int INFLATE_CHUNK = 16 * 1024;
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    @FuzzTest(maxDuration = "5m")
    void inflation(byte[] data) {
        FuzzInput in = FuzzInput.parse(data);
        long limit = LIMITS[in.flags & 0x0F];
        boolean fragments = in.flag(4);
        boolean noContext = in.flag(5);
        boolean text = in.flag(6);
        int messages = in.flag(7) ? 2 : 1;
        byte[] wire = frames(in, text, messages);

        ReaderSettings settings = ReaderSettings.defaults().withMaxMessageSize(limit)
                .withDelivery(fragments ? ReaderSettings.Delivery.FRAGMENTS : ReaderSettings.Delivery.WHOLE_MESSAGES);
        TrackingPool pool = new TrackingPool();
        Recorder recorder = new Recorder(pool, limit);
        MessageReader reader = new MessageReader(Role.CLIENT, settings, recorder, pool);
        int status;
        try (ZStreamPool streams = new ZStreamPool(1)) {
            reader.enableCompression(new PerMessageInflater(
                    new DeflateParameters(noContext, noContext, 15, 15), Role.CLIENT, streams));
            status = MessageReader.NEED_MORE;
            int at = 0;
            for (int n : in.lengths(wire.length, FuzzInput.Split.CHOSEN)) {
                ByteBuffer chunk = FuzzInput.guarded(wire, at, n, false);
                status = reader.read(chunk);
                FuzzInput.checkGuarded(chunk, n);
                at += n;
                recorder.check();
                if (status != MessageReader.NEED_MORE) {
                    break;
                }
                assertTrue(pool.outstandingBytes <= limit + 1,
                        "between reads " + pool.outstandingBytes + " bytes held for a limit of " + limit);
            }
            reader.releaseBuffers();
            assertEquals(0, pool.outstandingBuffers(), "every borrowed buffer is given back");
        }
        assertTrue(pool.peakBuffers <= 2, pool.peakBuffers + " buffers held at once");
        assertTrue(pool.largest <= Math.max(limit + 1, INFLATE_CHUNK), "a buffer of " + pool.largest
                + " bytes for a limit of " + limit);

        Expected expected = expected(in.body, pieces(in), messages, limit, noContext, text);
        if (expected.failureCodes.isEmpty()) {
            assertEquals(MessageReader.NEED_MORE, status, "reader failed with " + reader.failureCode() + " "
                    + reader.failureReason());
            assertEquals(expected.messages.size(), recorder.messages.size());
            for (int i = 0; i < expected.messages.size(); i++) {
                assertArrayEquals(expected.messages.get(i), recorder.messages.get(i), "message " + i);
            }
        } else {
            assertEquals(MessageReader.FAILED, status, "expected a failure with one of " + expected.failureCodes);
            assertTrue(expected.failureCodes.contains(reader.failureCode()), "failed with " + reader.failureCode()
                    + " (" + reader.failureReason() + "), expected one of " + expected.failureCodes);
            for (int i = 0; i < recorder.messages.size(); i++) {
                assertArrayEquals(expected.messages.get(i), recorder.messages.get(i), "message " + i);
            }
        }
    }

    /** The payload sizes of a message's frames: one frame, or the chunk lengths when there are several. */
    static List<Integer> pieces(FuzzInput in) {
        return in.cuts.length <= 1 ? List.of(in.body.length) : in.lengths(in.body.length, FuzzInput.Split.CHOSEN);
    }

    /** The wire bytes: the body as the compressed payload, once or twice, in server (unmasked) frames. */
    static byte[] frames(FuzzInput in, boolean text, int messages) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int m = 0; m < messages; m++) {
            List<Integer> pieces = pieces(in);
            int at = 0;
            for (int p = 0; p < pieces.size(); p++) {
                int n = pieces.get(p);
                boolean fin = p == pieces.size() - 1;
                int first = (fin ? 0x80 : 0) | (p == 0 ? 0x40 | (text ? 1 : 2) : 0);
                wire.write(first);
                if (n < 126) {
                    wire.write(n);
                } else if (n < 65536) {
                    wire.write(126);
                    wire.write(n >> 8);
                    wire.write(n);
                } else {
                    wire.write(127);
                    for (int shift = 56; shift >= 0; shift -= 8) {
                        wire.write((int) ((long) n >> shift));
                    }
                }
                wire.write(in.body, at, n);
                at += n;
            }
        }
        return wire.toByteArray();
    }

    record Expected(List<byte[]> messages, List<Integer> failureCodes) {
    }

    /**
     * What java.util.zip.Inflater makes of the messages, with the reader's context handling, and
     * which close code the first rule broken in the order of the inflated bytes calls for: the
     * bytes produced before corrupt data count (and may pass the limit, or be invalid UTF-8, first);
     * nothing is inflated past the byte that passes the limit.
     */
    static Expected expected(byte[] payload, List<Integer> pieces, int messages, long limit, boolean noContext,
            boolean text) {
        // On the wire a compressed message may exceed the limit by the reader's compression
        // allowance; the frame header that passes it fails with 1009 before its payload is read.
        long wireLimit = limit + (limit >>> 3) + 1024;
        int readable = payload.length;
        long sum = 0;
        for (int n : pieces) {
            if (n > wireLimit - sum) {
                readable = (int) sum;
                break;
            }
            sum += n;
        }
        boolean headerFails = readable < payload.length;
        List<byte[]> out = new ArrayList<>();
        Inflater inflater = new Inflater(true);
        try {
            for (int m = 0; m < messages; m++) {
                ByteArrayOutputStream message = new ByteArrayOutputStream();
                boolean corrupt = false;
                if (readable > 0) {
                    byte[] input = Arrays.copyOf(payload, headerFails ? readable : readable + 4);
                    if (!headerFails) {
                        System.arraycopy(TAIL, 0, input, readable, 4);
                    }
                    inflater.setInput(input);
                    byte[] buf = new byte[8192];
                    while (message.size() <= limit) {
                        int room = (int) Math.min(buf.length, limit + 1 - message.size());
                        long before = inflater.getBytesWritten();
                        int n;
                        try {
                            n = inflater.inflate(buf, 0, room);
                        } catch (DataFormatException e) {
                            // The count of bytes produced before the corruption is kept (Java 11+).
                            message.write(buf, 0, (int) (inflater.getBytesWritten() - before));
                            corrupt = true;
                            break;
                        }
                        message.write(buf, 0, n);
                        if (n == 0 && (inflater.needsInput() || inflater.finished())) {
                            break;
                        }
                    }
                }
                byte[] bytes = message.toByteArray();
                if (bytes.length > limit) {
                    boolean badWithinLimit = text && !Utf8FuzzTest.canComplete(Arrays.copyOf(bytes, (int) limit));
                    return new Expected(out, List.of(badWithinLimit ? CloseCodes.INVALID_PAYLOAD : CloseCodes.MESSAGE_TOO_BIG));
                }
                if (corrupt || (text && !(headerFails ? Utf8FuzzTest.canComplete(bytes)
                        : FrameReaderFuzzTest.Utf8Oracle.isValid(bytes)))) {
                    return new Expected(out, List.of(CloseCodes.INVALID_PAYLOAD));
                }
                if (headerFails) {
                    return new Expected(out, List.of(CloseCodes.MESSAGE_TOO_BIG));
                }
                out.add(bytes);
                if (noContext || inflater.finished()) {
                    inflater.reset();
                }
            }
            return new Expected(out, List.of());
        } finally {
            inflater.end();
        }
    }

    /** Joins fragments into messages and checks the pool's holdings at every delivery. */
    static final class Recorder implements MessageListener {
        final List<byte[]> messages = new ArrayList<>();
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private final TrackingPool pool;
        private final long limit;

        Recorder(TrackingPool pool, long limit) {
            this.pool = pool;
            this.limit = limit;
        }

        @Override
        public void onText(ByteBuffer utf8, boolean last) {
            onBinary(utf8, last);
        }

        @Override
        public void onBinary(ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            pending.writeBytes(b);
            assertTrue(pending.size() <= limit, "delivered " + pending.size() + " bytes for a limit of " + limit);
            check();
            if (last) {
                messages.add(pending.toByteArray());
                pending.reset();
            }
        }

        void check() {
            assertTrue(pool.outstandingBuffers() <= 2, pool.outstandingBuffers() + " buffers held at once");
        }

        @Override
        public void onPing(ByteBuffer payload) {
            throw new AssertionError("no ping was sent");
        }

        @Override
        public void onPong(ByteBuffer payload) {
            throw new AssertionError("no pong was sent");
        }

        @Override
        public void onClose(int code, String reason) {
            throw new AssertionError("no close was sent");
        }
    }
}
