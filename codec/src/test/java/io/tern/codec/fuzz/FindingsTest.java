package io.tern.codec.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tern.codec.BufferPool;
import io.tern.codec.CloseCodes;
import io.tern.codec.MessageInflater;
import io.tern.codec.MessageReader;
import io.tern.codec.ReaderSettings;
import io.tern.codec.Role;
import io.tern.codec.deflate.DeflateParameters;
import io.tern.codec.deflate.PerMessageInflater;
import io.tern.codec.deflate.ZStreamPool;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The fuzzers' findings as plain tests with exact expectations (their inputs are also kept as
 * seeds, {@code finding-*} in the targets' input directories). See FUZZING.md.
 */
class FindingsTest {

    /**
     * A compressed text message "Hel" + "4" x 12 + "02"... whose second frame ends in a stored block
     * with bad lengths, read with a 16-byte limit: zlib produces the 17th byte (past the limit) and
     * then, needing no more room, reads on into the corrupt block and throws in the same call.
     */
    private static final String FINDING_3_WIRE = "4103f248cd803131313131313131313131313131300204f989fd37ba213d31"
            + "3004c904dfc3c904dfc3c904dfc3c904dfc3c904dfc3c904dfc3c904dfc3c904dfc3c904dfc3c904dfc3c904df";

    @Test
    void bytesInflatedBeforeCorruptDataAreCountedFirst() {
        byte[] payload = HexFormat.of().parseHex("f248cd31313131313131313131313131300204f989fd37ba213d313004"
                + "c904dfc3c904dfc3c904dfc3c904dfc3c904dfc3c904df");
        try (ZStreamPool streams = new ZStreamPool(1)) {
            PerMessageInflater inflater = new PerMessageInflater(new DeflateParameters(false, false, 15, 15),
                    Role.CLIENT, streams);
            inflater.setInput(ByteBuffer.wrap(payload));
            ByteBuffer out = ByteBuffer.allocate(1024);
            assertEquals(17, inflater.inflate(out), "the bytes before the corrupt block come out first");
            assertEquals("Hel444444444444" + "02", new String(out.array(), 0, 17, java.nio.charset.StandardCharsets.ISO_8859_1));
            assertFalse(inflater.needsInput(), "the corruption is still to be reported");
            assertEquals(MessageInflater.CORRUPT, inflater.inflate(out));
            assertEquals(MessageInflater.CORRUPT, inflater.inflate(out), "and stays reported");
            inflater.release();
        }
    }

    @Test
    void theBytePastTheLimitComesBeforeTheCorruptionHoweverTheInputIsSplit() {
        byte[] wire = HexFormat.of().parseHex(FINDING_3_WIRE);
        for (int piece : new int[] {wire.length, 7, 2, 1}) {
            ReaderSettings settings = ReaderSettings.defaults().withMaxMessageSize(16)
                    .withDelivery(ReaderSettings.Delivery.FRAGMENTS);
            try (ZStreamPool streams = new ZStreamPool(1)) {
                MessageReader reader = new MessageReader(Role.CLIENT, settings,
                        new FrameReaderFuzzTest.MessageRecorder(16), BufferPool.unpooled());
                reader.enableCompression(new PerMessageInflater(new DeflateParameters(true, true, 15, 15),
                        Role.CLIENT, streams));
                int status = MessageReader.NEED_MORE;
                for (int at = 0; at < wire.length && status == MessageReader.NEED_MORE; at += piece) {
                    status = reader.read(ByteBuffer.wrap(wire, at, Math.min(piece, wire.length - at)).slice());
                }
                assertEquals(MessageReader.FAILED, status, "pieces of " + piece);
                assertEquals(CloseCodes.MESSAGE_TOO_BIG, reader.failureCode(), "pieces of " + piece);
                reader.releaseBuffers();
            }
        }
    }

    /**
     * Finding 5: a compressed binary frame of which only the first 167 payload bytes have arrived
     * (they inflate to 147,976 zero bytes). Fed whole, fragment delivery handed out nine full
     * 16 KiB scratch buffers and kept the last 520 bytes inside the inflater until more input
     * would come; a peer that waits for an answer before sending the rest would never get them
     * read.
     */
    @Test
    void fragmentDeliveryHandsOutEverythingTheInputSoFarInflatesTo() throws Exception {
        byte[] wire = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(FindingsTest.class
                .getResource("FrameReaderFuzzTestInputs/messageReader/finding-5-fragment-delivery-held-back-inflated-bytes").toURI()));
        FuzzInput in = FuzzInput.parse(wire);
        byte[] payload = java.util.Arrays.copyOfRange(in.body, 4, in.body.length); // after c2 7e 01 34
        java.util.zip.Inflater jdk = new java.util.zip.Inflater(true);
        jdk.setInput(payload);
        long expected = 0;
        byte[] buf = new byte[65536];
        for (int n; (n = jdk.inflate(buf)) > 0; ) {
            expected += n;
        }
        jdk.end();
        assertEquals(147_976, expected);

        ReaderSettings settings = ReaderSettings.defaults().withDelivery(ReaderSettings.Delivery.FRAGMENTS);
        long[] delivered = {0};
        io.tern.codec.MessageListener counting = new io.tern.codec.MessageListener() {
            @Override
            public void onText(ByteBuffer utf8, boolean last) {
                throw new AssertionError("no text was sent");
            }

            @Override
            public void onBinary(ByteBuffer data, boolean last) {
                delivered[0] += data.remaining();
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
        };
        try (ZStreamPool streams = new ZStreamPool(1)) {
            MessageReader reader = new MessageReader(Role.CLIENT, settings, counting, BufferPool.unpooled());
            reader.enableCompression(new PerMessageInflater(new DeflateParameters(false, false, 15, 15),
                    Role.CLIENT, streams));
            assertEquals(MessageReader.NEED_MORE, reader.read(ByteBuffer.wrap(in.body)));
            assertEquals(expected, delivered[0], "every byte the received input inflates to was delivered");
            reader.releaseBuffers();
        }
    }

    /**
     * Finding 7 (InflateFuzzTest#inflation, seed {@code finding-7-probe-past-the-limit}): in whole
     * delivery, a 16 KiB assembly buffer filled by a text message whose limit is a few bytes above
     * 16 KiB. The probe for more output came back with bytes past the limit, and the UTF-8 check of
     * those up to the limit read them from the full assembly buffer instead of the probe: an
     * {@code IndexOutOfBoundsException} from the reader. Now the message fails with 1009, or with
     * 1007 when invalid UTF-8 comes before the limit, fed whole or in pieces.
     */
    @Test
    void aProbePastTheLimitFailsTheMessageWithTheRightCode() {
        int limit = 16 * 1024 + 3;
        byte[] ascii = new byte[limit + 40];
        java.util.Arrays.fill(ascii, (byte) 'a');
        byte[] invalid = ascii.clone();
        invalid[16 * 1024 + 1] = (byte) 0xFF; // inside the limit, after the first 16 KiB
        for (Object[] c : new Object[][] {{ascii, CloseCodes.MESSAGE_TOO_BIG}, {invalid, CloseCodes.INVALID_PAYLOAD}}) {
            byte[] wire = compressedServerText((byte[]) c[0]);
            for (int piece : new int[] {wire.length, 7, 1}) {
                ReaderSettings settings = ReaderSettings.defaults().withMaxMessageSize(limit)
                        .withMaxFrameSize(1 << 20);
                try (ZStreamPool streams = new ZStreamPool(1)) {
                    MessageReader reader = new MessageReader(Role.CLIENT, settings,
                            new FrameReaderFuzzTest.MessageRecorder(limit), BufferPool.unpooled());
                    reader.enableCompression(new PerMessageInflater(new DeflateParameters(false, false, 15, 15),
                            Role.CLIENT, streams));
                    int status = MessageReader.NEED_MORE;
                    for (int at = 0; at < wire.length && status == MessageReader.NEED_MORE; at += piece) {
                        status = reader.read(ByteBuffer.wrap(wire, at, Math.min(piece, wire.length - at)).slice());
                    }
                    assertEquals(MessageReader.FAILED, status, "pieces of " + piece);
                    assertEquals((int) c[1], reader.failureCode(), "pieces of " + piece);
                    reader.releaseBuffers();
                }
            }
        }
    }

    /** One unmasked, compressed (RSV1) text frame as a server sends it, payload without the tail. */
    private static byte[] compressedServerText(byte[] text) {
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_SPEED, true);
        deflater.setInput(text);
        byte[] out = new byte[text.length + 1024];
        int n = deflater.deflate(out, 0, out.length, java.util.zip.Deflater.SYNC_FLUSH);
        deflater.end();
        n -= 4; // the 00 00 ff ff tail is not sent (RFC 7692 section 7.2.1)
        java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
        frame.write(0xC1); // FIN, RSV1, text
        if (n < 126) {
            frame.write(n);
        } else {
            frame.write(126);
            frame.write(n >>> 8);
            frame.write(n & 0xFF);
        }
        frame.write(out, 0, n);
        return frame.toByteArray();
    }
}
