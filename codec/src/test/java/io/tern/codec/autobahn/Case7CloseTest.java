package io.tern.codec.autobahn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.Bytes;
import io.tern.codec.ClosingHandshake;
import io.tern.codec.Feeding;
import io.tern.codec.FrameEncoder;
import io.tern.codec.MessageReader;
import io.tern.codec.MessageWriter;
import io.tern.codec.ReaderSettings;
import io.tern.codec.RecordingListener;
import io.tern.codec.Role;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Autobahn 7.x (close handling). The reader stops at the close frame and leaves whatever follows
 * unread (status CLOSE_RECEIVED); the server answers with a close frame echoing the code
 * ({@link ClosingHandshake#replyCode()}) and then refuses to send anything. A malformed close
 * frame fails the connection: 1002 for a 1-byte payload, a payload over 125 bytes or a code that
 * may not be on the wire (7.9.x, 7.13.x), 1007 for a reason that is not UTF-8.
 */
class Case7CloseTest {

    private static final byte[] INVALID_REASON = Bytes.hex("cebae1bdb9cf83cebcceb5eda080656469746564");

    /** Whole feedings: reading stops with the close frame, the rest stays in the buffer as it was. */
    private static void restStaysInBuffer(Feeding feeding, ClientStream s) {
        if (!feeding.name().startsWith("WHOLE")) {
            return;
        }
        int closeEnd = s.frameEnd(s.firstCloseFrame());
        byte[] bytes = s.bytes();
        for (ReaderSettings.Delivery delivery : ReaderSettings.Delivery.values()) {
            ByteBuffer buffer = feeding.chunks(bytes).get(0);
            MessageReader reader = new MessageReader(Role.SERVER, ReaderSettings.defaults().withDelivery(delivery),
                    new RecordingListener(), io.tern.codec.BufferPool.unpooled());
            assertEquals(Run.statusName(MessageReader.CLOSE_RECEIVED), Run.statusName(reader.read(buffer)), feeding + "/" + delivery);
            assertEquals(closeEnd, buffer.position(), feeding + "/" + delivery);
            assertEquals(bytes.length - closeEnd, buffer.remaining(), feeding + "/" + delivery);
            assertEquals(Bytes.hex(Arrays.copyOfRange(bytes, closeEnd, bytes.length)), Bytes.hex(Bytes.remaining(buffer)),
                    feeding + "/" + delivery);
            assertEquals(Run.statusName(MessageReader.CLOSE_RECEIVED), Run.statusName(reader.read(buffer)), feeding + "/" + delivery);
            assertEquals(bytes.length - closeEnd, buffer.remaining(), feeding + "/" + delivery);
        }
    }

    // 7.1.1: Send a message ("Hello World!") followed by a close frame.
    // Expected: Echoed message followed by clean close with normal code.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_7_1_1(Feeding feeding) {
        ClientStream s = new ClientStream().text("Hello World!").close(1000);
        Expect.of(s, "TEXT:Hello World!", "CLOSE:1000:").check(Chunking.of(feeding));
    }

    // 7.1.2: Send two close frames.
    // Expected: Clean close with normal code. Second close frame ignored.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_7_1_2(Feeding feeding) {
        ClientStream s = new ClientStream().close(1000).closeRaw(new byte[0]);
        Expect.of(s, "CLOSE:1000:").stopsInFrame(0).check(Chunking.of(feeding));
        restStaysInBuffer(feeding, s);
    }

    // 7.1.3: Send a ping after close message.
    // Expected: Clean close with normal code, no pong.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_7_1_3(Feeding feeding) {
        ClientStream s = new ClientStream().close(1000).ping("");
        Expect.of(s, "CLOSE:1000:").stopsInFrame(0).check(Chunking.of(feeding));
        restStaysInBuffer(feeding, s);
    }

    // 7.1.4: Send text message ("Hello World!") after sending a close frame.
    // Expected: Clean close with normal code. Text message ignored.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_7_1_4(Feeding feeding) {
        ClientStream s = new ClientStream().close(1000).text("Hello World!");
        Expect.of(s, "CLOSE:1000:").stopsInFrame(0).check(Chunking.of(feeding));
        restStaysInBuffer(feeding, s);
    }

    // 7.1.5: Send message fragment1 followed by close then fragment.
    // Expected: Clean close with normal code.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_7_1_5(Feeding feeding) {
        ClientStream s = new ClientStream().frame(false, ClientStream.TEXT, "fragment1").close(1000)
                .frame(true, ClientStream.CONTINUATION, "fragment2");
        Expect.of(s, "CLOSE:1000:").stopsInFrame(1).check(Chunking.of(feeding));
        restStaysInBuffer(feeding, s);
    }

    // 7.1.6: Send 256K message followed by close then a ping. (Autobahn sends a 256 KiB text
    // message of "BAsd7&jh23" repeated, then "Hello World!", then close, then ping.)
    // Expected: Case outcome depends on implementation defined close behavior. Message and close
    // frame are sent back to back. For the codec: both messages are read and can be echoed before
    // the close frame, and the ping after it is never read.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_7_1_6(Feeding feeding) {
        StringBuilder big = new StringBuilder(256 * 1024 + 10);
        while (big.length() < 256 * 1024) {
            big.append("BAsd7&jh23");
        }
        big.setLength(256 * 1024);
        ClientStream s = new ClientStream().text(big.toString()).text("Hello World!").close(1000).ping("");
        Expect.of(s, "TEXT:" + big, "TEXT:Hello World!", "CLOSE:1000:").stopsInFrame(2).check(Chunking.of(feeding));
        restStaysInBuffer(feeding, s);
    }

    // 7.3.1: Send a close frame with payload length 0 (no close code, no close reason).
    // Expected: Clean close with normal code. The reader reports 1005 (no status); the reply is a
    // close frame without payload: 88 00.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_7_3_1(Feeding feeding) {
        ClientStream s = new ClientStream().closeRaw(new byte[0]);
        Expect.of(s, "CLOSE:1005:").check(Chunking.of(feeding));
        assertEquals("8800", reply(1005, ""));
    }

    // 7.3.2: Send a close frame with payload length 1 ("a").
    // Expected: Clean close with protocol error or drop TCP.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_7_3_2(Feeding feeding) {
        ClientStream s = new ClientStream().closeRaw(Bytes.utf8("a"));
        Expect.of(s, "FAIL:1002").stopsInFrame(0).check(Chunking.of(feeding));
    }

    // 7.3.3: Send a close frame with payload length 2 (regular close with a code).
    // Expected: Clean close with normal code: the reply is 88 02 03 e8.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_7_3_3(Feeding feeding) {
        ClientStream s = new ClientStream().close(1000);
        Expect.of(s, "CLOSE:1000:").check(Chunking.of(feeding));
        assertEquals("880203e8", reply(1000, ""));
        assertTrue(ClosingHandshake.closesTcpFirst(Role.SERVER), "the server closes the TCP connection first");
    }

    // 7.3.4: Send a close frame with close code and close reason ("Hello World!").
    // Expected: Clean close with normal code.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_7_3_4(Feeding feeding) {
        ClientStream s = new ClientStream().close(1000, "Hello World!");
        Expect.of(s, "CLOSE:1000:Hello World!").check(Chunking.of(feeding));
        assertEquals("880203e8", reply(1000, "Hello World!"));
    }

    // 7.3.5: Send a close frame with close code and close reason of maximum length (123 '*').
    // Expected: Clean close with normal code.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_7_3_5(Feeding feeding) {
        String reason = "*".repeat(123);
        ClientStream s = new ClientStream().close(1000, reason);
        assertEquals(0xFD, s.bytes()[1] & 0xFF, "MASK | 125");
        Expect.of(s, "CLOSE:1000:" + reason).check(Chunking.of(feeding));
    }

    // 7.3.6: Send a close frame with close code and close reason which is too long (124) - total
    // frame payload 126 octets. Expected: Clean close with protocol error code or dropped TCP
    // connection. The length 126 sits in the second header byte.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_7_3_6(Feeding feeding) {
        ClientStream s = new ClientStream().close(1000, "*".repeat(124));
        assertEquals("88fe007e", Bytes.hex(Arrays.copyOf(s.bytes(), 4)));
        Expect.of(s, "FAIL:1002").failsAtHeaderByte(1).check(Chunking.of(feeding));
    }

    // 7.5.1: Send a close frame with invalid UTF8 payload (code 1000, reason
    // cebae1bdb9cf83cebcceb5eda080656469746564).
    // Expected: Clean close with protocol error or invalid utf8 code or dropped TCP. The codec
    // promises 1007 for a reason that is not UTF-8.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_7_5_1(Feeding feeding) {
        ClientStream s = new ClientStream().close(1000, INVALID_REASON);
        Expect.of(s, "FAIL:1007").stopsInFrame(0).check(Chunking.of(feeding));
    }

    private static final int[] VALID_CODES = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
    private static final int[] INVALID_CODES = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};

    static Stream<Arguments> validCodes() {
        return IntStream.range(0, VALID_CODES.length)
                .mapToObj(i -> Arguments.of(Named.of("case_7_7_" + (i + 1) + " code " + VALID_CODES[i], VALID_CODES[i])));
    }

    static Stream<Arguments> invalidCodes() {
        return IntStream.range(0, INVALID_CODES.length)
                .mapToObj(i -> Arguments.of(Named.of("case_7_9_" + (i + 1) + " code " + INVALID_CODES[i], INVALID_CODES[i])));
    }

    // 7.7.1–7.7.13: Send close with valid close code N (1000, 1001, 1002, 1003, 1007, 1008, 1009,
    // 1010, 1011, 3000, 3999, 4000, 4999).
    // Expected: Clean close with normal or echoed code; here the code is echoed.
    @ParameterizedTest(name = "{0}")
    @MethodSource("validCodes")
    void case_7_7_x(int code) {
        ClientStream s = new ClientStream().close(code);
        Expect.of(s, "CLOSE:" + code + ":").checkAllFeedings();
        assertEquals(String.format("8802%04x", code), reply(code, ""));
    }

    // 7.9.1–7.9.9: Send close with invalid close code N (0, 999, 1004, 1005, 1006, 1016, 1100,
    // 2000, 2999).
    // Expected: Clean close with protocol error code or drop TCP.
    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCodes")
    void case_7_9_x(int code) {
        ClientStream s = new ClientStream().close(code);
        Expect.of(s, "FAIL:1002").stopsInFrame(0).checkAllFeedings();
    }

    // 7.13.1: Send close with close code 5000.
    // Expected (Autobahn): actual events are undefined by the spec. A strict server treats a code
    // outside 1000–4999's assigned ranges as a protocol error.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_7_13_1(Feeding feeding) {
        ClientStream s = new ClientStream().close(5000);
        Expect.of(s, "FAIL:1002").stopsInFrame(0).check(Chunking.of(feeding));
    }

    // 7.13.2: Send close with close code 65535.
    // Expected (Autobahn): actual events are undefined by the spec; strict: protocol error.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_7_13_2(Feeding feeding) {
        ClientStream s = new ClientStream().close(65535);
        Expect.of(s, "FAIL:1002").stopsInFrame(0).check(Chunking.of(feeding));
    }

    // Not an Autobahn case: older testsuite versions listed 1012–1015 among 7.9's invalid codes;
    // 1012–1014 have since been registered (valid on the wire), 1015 must never be sent.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void extra_registered_codes_1012_to_1014_and_reserved_1015(Feeding feeding) {
        for (int code : new int[] {1012, 1013, 1014}) {
            Expect.of(new ClientStream().close(code), "CLOSE:" + code + ":").check(Chunking.of(feeding));
        }
        Expect.of(new ClientStream().close(1015), "FAIL:1002").stopsInFrame(0).check(Chunking.of(feeding));
    }

    /** The writer side of 7.x, spelled out: reply bytes, and nothing sent after the close. */
    @Test
    void case_7_x_writer_echoes_the_code_and_then_refuses_to_send() {
        ClosingHandshake closing = new ClosingHandshake();
        MessageWriter writer = new MessageWriter(new FrameEncoder(Role.SERVER, null), closing);
        closing.closeReceived(1000, "");
        assertTrue(closing.mustReply());
        assertEquals(1000, closing.replyCode());
        ByteBuffer frame = ByteBuffer.allocate(MessageWriter.MAX_CLOSE_FRAME_SIZE);
        assertEquals(MessageWriter.WRITTEN, writer.writeClose(frame, closing.replyCode(), ""));
        frame.flip();
        assertEquals("880203e8", Bytes.hex(Bytes.remaining(frame)));
        assertTrue(closing.isClosed());
        assertTrue(closing.isClean());

        ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_SIZE);
        assertEquals(MessageWriter.REFUSED_CLOSING, writer.writeText(header, ByteBuffer.wrap(Bytes.utf8("Hello World!")), true));
        assertEquals(MessageWriter.REFUSED_CLOSING, writer.writePong(header, ByteBuffer.allocate(0)));
        assertEquals(MessageWriter.REFUSED_CLOSING, writer.writeClose(ByteBuffer.allocate(MessageWriter.MAX_CLOSE_FRAME_SIZE), 1000, ""));
        assertEquals(0, header.position());

        // Codes that must not be on the wire cannot be written either (7.9.x / 7.13.x from the
        // writer's side), and a reason over 123 bytes (7.3.6) is refused.
        MessageWriter fresh = new MessageWriter(new FrameEncoder(Role.SERVER, null), new ClosingHandshake());
        for (int code : new int[] {0, 999, 1004, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
            assertThrows(IllegalArgumentException.class,
                    () -> fresh.writeClose(ByteBuffer.allocate(MessageWriter.MAX_CLOSE_FRAME_SIZE), code, ""), "code " + code);
        }
        assertThrows(IllegalArgumentException.class,
                () -> fresh.writeClose(ByteBuffer.allocate(MessageWriter.MAX_CLOSE_FRAME_SIZE), 1000, "*".repeat(124)));
    }

    /** The close reply a server writes after receiving {@code code}/{@code reason}, as hex. */
    private static String reply(int code, String reason) {
        ClosingHandshake closing = new ClosingHandshake();
        MessageWriter writer = new MessageWriter(new FrameEncoder(Role.SERVER, null), closing);
        closing.closeReceived(code, reason);
        assertEquals(code, closing.replyCode());
        ByteBuffer frame = ByteBuffer.allocate(MessageWriter.MAX_CLOSE_FRAME_SIZE);
        assertEquals(MessageWriter.WRITTEN, writer.writeClose(frame, closing.replyCode(), ""));
        assertEquals(MessageWriter.REFUSED_CLOSING, writer.writeText(ByteBuffer.allocate(14), ByteBuffer.wrap(new byte[] {'x'}), true));
        frame.flip();
        return Bytes.hex(Bytes.remaining(frame));
    }
}
