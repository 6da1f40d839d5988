package io.tern.codec.autobahn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tern.codec.Bytes;
import io.tern.codec.ClosingHandshake;
import io.tern.codec.Feeding;
import io.tern.codec.FrameEncoder;
import io.tern.codec.MessageWriter;
import io.tern.codec.Role;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Autobahn 2.x (pings and pongs). A strict server answers every ping with a pong carrying the same
 * payload, ignores pongs, and fails the connection (1002) on a ping over 125 bytes. The fuzzer
 * closes with 1000 at the end of the valid cases.
 */
class Case2PingPongTest {

    private static byte[] fe(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 0xfe);
        return b;
    }

    // 2.1: Send ping without payload.
    // Expected: Pong (with empty payload) is sent in reply to Ping. Clean close with normal code.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_2_1(Feeding feeding) {
        ClientStream s = new ClientStream().ping(new byte[0]).close(1000);
        Expect.of(s, "PING:", "CLOSE:1000:").check(Chunking.of(feeding));
    }

    // 2.2: Send ping with small text payload ("Hello, world!").
    // Expected: Pong with payload echo'ed is sent in reply to Ping. Clean close with normal code.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_2_2(Feeding feeding) {
        ClientStream s = new ClientStream().ping("Hello, world!").close(1000);
        Expect.of(s, "PING:" + Bytes.hex(Bytes.utf8("Hello, world!")), "CLOSE:1000:").check(Chunking.of(feeding));
    }

    // 2.3: Send ping with small binary (non UTF-8) payload 00 ff fe fd fc fb 00 ff.
    // Expected: Pong with payload echo'ed is sent in reply to Ping. Clean close with normal code.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_2_3(Feeding feeding) {
        ClientStream s = new ClientStream().ping(Bytes.hex("00fffefdfcfb00ff")).close(1000);
        Expect.of(s, "PING:00fffefdfcfb00ff", "CLOSE:1000:").check(Chunking.of(feeding));
    }

    // 2.4: Send ping with binary payload of 125 octets.
    // Expected: Pong with payload echo'ed is sent in reply to Ping. Clean close with normal code.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_2_4(Feeding feeding) {
        ClientStream s = new ClientStream().ping(fe(125)).close(1000);
        Expect.of(s, "PING:" + Bytes.hex(fe(125)), "CLOSE:1000:").check(Chunking.of(feeding));
    }

    // 2.5: Send ping with binary payload of 126 octets.
    // Expected: Connection is failed immediately (1002/Protocol Error), since control frames are
    // only allowed to have payload up to and including 125 octets. The 126 sits in the second
    // header byte (7-bit length 126 = "16-bit length follows"), so that is where it fails.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_2_5(Feeding feeding) {
        ClientStream s = new ClientStream().ping(fe(126));
        // 0x89 ping, FIN; 0xfe = MASK | 126.
        assertEquals("89fe007e", Bytes.hex(Arrays.copyOfRange(s.bytes(), 0, 4)));
        Expect.of(s, "FAIL:1002").failsAtHeaderByte(1).check(Chunking.of(feeding));
    }

    // 2.6: Send ping with binary payload of 125 octets, send in octet-wise chops.
    // Expected: Pong with payload echo'ed is sent in reply to Ping. Implementations must be TCP
    // clean. Clean close with normal code.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_2_6(Feeding feeding) {
        ClientStream s = new ClientStream().ping(fe(125)).close(1000);
        Expect e = Expect.of(s, "PING:" + Bytes.hex(fe(125)), "CLOSE:1000:");
        e.check(Chunking.of(feeding));
        e.check(Chunking.chops(1, feeding.direct()));
    }

    // 2.7: Send unsolicited pong without payload. Verify nothing is received. Clean close with
    // normal code. Expected: nothing (only the close reply).
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_2_7(Feeding feeding) {
        ClientStream s = new ClientStream().pong("").close(1000);
        Expect.of(s, "PONG:", "CLOSE:1000:").check(Chunking.of(feeding));
    }

    // 2.8: Send unsolicited pong with payload ("unsolicited pong payload"). Verify nothing is
    // received. Clean close with normal code. Expected: nothing (only the close reply).
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_2_8(Feeding feeding) {
        ClientStream s = new ClientStream().pong("unsolicited pong payload").close(1000);
        Expect.of(s, "PONG:" + Bytes.hex(Bytes.utf8("unsolicited pong payload")), "CLOSE:1000:")
                .check(Chunking.of(feeding));
    }

    // 2.9: Send unsolicited pong with payload. Send ping with payload ("ping payload"). Verify
    // pong for ping is received.
    // Expected: Nothing in reply to own Pong, but Pong with payload echo'ed in reply to Ping.
    // Clean close with normal code.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_2_9(Feeding feeding) {
        ClientStream s = new ClientStream().pong("unsolicited pong payload").ping("ping payload").close(1000);
        Expect.of(s, "PONG:" + Bytes.hex(Bytes.utf8("unsolicited pong payload")),
                "PING:" + Bytes.hex(Bytes.utf8("ping payload")), "CLOSE:1000:").check(Chunking.of(feeding));
    }

    private static Expect tenPings() {
        ClientStream s = new ClientStream();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            s.ping("payload-" + i);
            events.add("PING:" + Bytes.hex(Bytes.utf8("payload-" + i)));
        }
        s.close(1000);
        events.add("CLOSE:1000:");
        return Expect.of(s, events);
    }

    // 2.10: Send 10 Pings with payload ("payload-0" .. "payload-9").
    // Expected: Pongs for our Pings with all the payloads. Clean close with normal code.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_2_10(Feeding feeding) {
        tenPings().check(Chunking.of(feeding));
    }

    // 2.11: Send 10 Pings with payload. Send out octets in octet-wise chops.
    // Expected: Pongs for our Pings with all the payloads. Clean close with normal code.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_2_11(Feeding feeding) {
        Expect e = tenPings();
        e.check(Chunking.of(feeding));
        e.check(Chunking.chops(1, feeding.direct()));
    }

    /** The pong answers of 2.1–2.4 byte for byte: unmasked, final, opcode 0xA, same payload. */
    @Test
    void case_2_x_pong_bytes() {
        assertEquals("8a00", pong(new byte[0]));
        assertEquals("8a0d" + Bytes.hex(Bytes.utf8("Hello, world!")), pong(Bytes.utf8("Hello, world!")));
        assertEquals("8a0800fffefdfcfb00ff", pong(Bytes.hex("00fffefdfcfb00ff")));
        assertEquals("8a7d" + Bytes.hex(fe(125)), pong(fe(125)));
    }

    /** 2.5 from the writer's side: a 126-byte ping or pong must never be written. */
    @Test
    void case_2_5_writer_refuses_oversized_control_frames() {
        MessageWriter writer = new MessageWriter(new FrameEncoder(Role.SERVER, null), new ClosingHandshake());
        ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_SIZE);
        assertThrows(IllegalArgumentException.class, () -> writer.writePing(header, ByteBuffer.wrap(fe(126))));
        assertThrows(IllegalArgumentException.class, () -> writer.writePong(header, ByteBuffer.wrap(fe(126))));
    }

    private static String pong(byte[] payload) {
        MessageWriter writer = new MessageWriter(new FrameEncoder(Role.SERVER, null), new ClosingHandshake());
        ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_SIZE);
        ByteBuffer body = ByteBuffer.wrap(payload.clone());
        assertEquals(MessageWriter.WRITTEN, writer.writePong(header, body));
        header.flip();
        return Bytes.hex(Bytes.concat(Bytes.remaining(header), Bytes.remaining(body)));
    }
}
