package io.tern.codec.autobahn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.codec.Bytes;
import io.tern.codec.ClosingHandshake;
import io.tern.codec.Feeding;
import io.tern.codec.FrameEncoder;
import io.tern.codec.Frames;
import io.tern.codec.MessageWriter;
import io.tern.codec.Role;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Autobahn 1.x (framing): text (1.1.x, payload {@code '*'} repeated) and binary (1.2.x, payload
 * {@code 0xfe} repeated) messages of the lengths around the 7-bit / 16-bit / 64-bit length
 * boundaries, each followed by the fuzzer's close (1000). A strict server echoes the message and
 * closes cleanly with 1000.
 */
class Case1FramingTest {

    private static byte[] stars(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) '*');
        return b;
    }

    private static byte[] fe(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 0xfe);
        return b;
    }

    private static void textCase(Feeding feeding, int length) {
        byte[] payload = stars(length);
        ClientStream s = new ClientStream().text(payload).close(1000);
        Expect.of(s, "TEXT:" + new String(payload, java.nio.charset.StandardCharsets.US_ASCII), "CLOSE:1000:")
                .check(Chunking.of(feeding));
    }

    private static void binaryCase(Feeding feeding, int length) {
        byte[] payload = fe(length);
        ClientStream s = new ClientStream().binary(payload).close(1000);
        Expect.of(s, "BINARY:" + Bytes.hex(payload), "CLOSE:1000:").check(Chunking.of(feeding));
    }

    // 1.1.1: Send text message with payload 0.
    // Expected: echo'ed text message (with empty payload); clean close with normal code.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_1_1_1(Feeding feeding) {
        textCase(feeding, 0);
    }

    // 1.1.2: Send text message message with payload of length 125.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_1_1_2(Feeding feeding) {
        textCase(feeding, 125);
    }

    // 1.1.3: Send text message message with payload of length 126 (first 16-bit length).
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_1_1_3(Feeding feeding) {
        textCase(feeding, 126);
    }

    // 1.1.4: Send text message message with payload of length 127.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_1_1_4(Feeding feeding) {
        textCase(feeding, 127);
    }

    // 1.1.5: Send text message message with payload of length 128.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_1_1_5(Feeding feeding) {
        textCase(feeding, 128);
    }

    // 1.1.6: Send text message message with payload of length 65535 (last 16-bit length).
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_1_1_6(Feeding feeding) {
        textCase(feeding, 65535);
    }

    // 1.1.7: Send text message message with payload of length 65536 (first 64-bit length).
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_1_1_7(Feeding feeding) {
        textCase(feeding, 65536);
    }

    // 1.1.8: Send text message message with payload of length 65536. Sent out data in chops of
    // 997 octets. Expected: echo'ed text message; clean close with normal code.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_1_1_8(Feeding feeding) {
        byte[] payload = stars(65536);
        ClientStream s = new ClientStream().text(payload).close(1000);
        Expect e = Expect.of(s, "TEXT:" + new String(payload, java.nio.charset.StandardCharsets.US_ASCII), "CLOSE:1000:");
        e.check(Chunking.of(feeding));
        e.check(Chunking.chops(997, feeding.direct()));
    }

    // 1.2.1: Send binary message with payload 0.
    // Expected: echo'ed binary message (with empty payload); clean close with normal code.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_1_2_1(Feeding feeding) {
        binaryCase(feeding, 0);
    }

    // 1.2.2: Send binary message message with payload of length 125.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_1_2_2(Feeding feeding) {
        binaryCase(feeding, 125);
    }

    // 1.2.3: Send binary message message with payload of length 126.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_1_2_3(Feeding feeding) {
        binaryCase(feeding, 126);
    }

    // 1.2.4: Send binary message message with payload of length 127.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_1_2_4(Feeding feeding) {
        binaryCase(feeding, 127);
    }

    // 1.2.5: Send binary message message with payload of length 128.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_1_2_5(Feeding feeding) {
        binaryCase(feeding, 128);
    }

    // 1.2.6: Send binary message message with payload of length 65535.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_1_2_6(Feeding feeding) {
        binaryCase(feeding, 65535);
    }

    // 1.2.7: Send binary message message with payload of length 65536.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_1_2_7(Feeding feeding) {
        binaryCase(feeding, 65536);
    }

    // 1.2.8: Send binary message message with payload of length 65536. Sent out data in chops of
    // 997 octets. Expected: echo'ed binary message; clean close with normal code.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_1_2_8(Feeding feeding) {
        byte[] payload = fe(65536);
        ClientStream s = new ClientStream().binary(payload).close(1000);
        Expect e = Expect.of(s, "BINARY:" + Bytes.hex(payload), "CLOSE:1000:");
        e.check(Chunking.of(feeding));
        e.check(Chunking.chops(997, feeding.direct()));
    }

    /**
     * The echo headers of 1.1.x/1.2.x spelled out: the server writes each length in its minimal
     * form, unmasked, exactly as an independent encoding of the same frame.
     */
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_1_x_echo_headers_are_minimal_and_unmasked(Feeding feeding) {
        int[] lengths = {0, 125, 126, 127, 128, 65535, 65536};
        String[] textHeaders = {"8100", "817d", "817e007e", "817e007f", "817e0080", "817effff", "817f0000000000010000"};
        for (int i = 0; i < lengths.length; i++) {
            MessageWriter writer = new MessageWriter(new FrameEncoder(Role.SERVER, null), new ClosingHandshake());
            ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_SIZE);
            byte[] payload = stars(lengths[i]);
            ByteBuffer body = feeding.direct() ? ByteBuffer.allocateDirect(payload.length) : ByteBuffer.allocate(payload.length);
            body.put(payload).flip();
            assertEquals(MessageWriter.WRITTEN, writer.writeText(header, body, true));
            header.flip();
            byte[] written = Bytes.concat(Bytes.remaining(header), Bytes.remaining(body));
            assertEquals(textHeaders[i], Bytes.hex(Bytes.remaining(header)), "header for " + lengths[i]);
            assertEquals(Bytes.hex(Frames.unmasked(0x81, payload)), Bytes.hex(written), "frame for " + lengths[i]);

            ByteBuffer binaryHeader = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_SIZE);
            assertEquals(MessageWriter.WRITTEN, writer.writeBinary(binaryHeader, ByteBuffer.wrap(fe(lengths[i])), true));
            binaryHeader.flip();
            assertEquals("82" + textHeaders[i].substring(2), Bytes.hex(Bytes.remaining(binaryHeader)),
                    "binary header for " + lengths[i]);
        }
    }
}
