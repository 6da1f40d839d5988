package io.tern.codec.autobahn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.codec.Bytes;
import io.tern.codec.Feeding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Autobahn 3.x (reserved bits). Without a negotiated extension every RSV bit must be 0; a frame
 * with one set fails the connection with 1002 at its first byte, and nothing after it is read
 * (the strict outcome: the message before it is echoed, the ping after it gets no pong).
 * Autobahn's {@code rsv} argument is the 3-bit value RSV1..RSV3: 1 = RSV3 (0x10), 2 = RSV2 (0x20),
 * 4 = RSV1 (0x40).
 */
class Case3ReservedBitsTest {

    private static final String HELLO = "Hello, world!";

    // 3.1: Send small text message with RSV = 1.
    // Expected: The connection is failed immediately (1002/protocol error), since RSV must be 0,
    // when no extension defining RSV meaning has been negotiated.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_3_1(Feeding feeding) {
        ClientStream s = new ClientStream().frame(true, 1, ClientStream.TEXT, Bytes.utf8(HELLO));
        assertEquals(0x91, s.bytes()[0] & 0xFF);
        Expect.of(s, "FAIL:1002").failsAtHeaderByte(0).check(Chunking.of(feeding));
    }

    // 3.2: Send small text message, then send again with RSV = 2, then send Ping.
    // Expected: Echo for first message is received, but then connection is failed immediately,
    // since RSV must be 0. The Pong is not received.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_3_2(Feeding feeding) {
        ClientStream s = new ClientStream().text(HELLO).frame(true, 2, ClientStream.TEXT, Bytes.utf8(HELLO)).ping("");
        assertEquals(0xA1, s.bytes()[s.frameStart(1)] & 0xFF);
        Expect.of(s, "TEXT:" + HELLO, "FAIL:1002").failsAtHeaderByte(s.frameStart(1)).check(Chunking.of(feeding));
    }

    // 3.3: Send small text message, then send again with RSV = 3, then send Ping. Octets are sent
    // in frame-wise chops.
    // Expected: Echo for first message is received, but then connection is failed immediately.
    // The Pong is not received.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_3_3(Feeding feeding) {
        ClientStream s = new ClientStream().text(HELLO).frame(true, 3, ClientStream.TEXT, Bytes.utf8(HELLO)).ping("");
        assertEquals(0xB1, s.bytes()[s.frameStart(1)] & 0xFF);
        Expect e = Expect.of(s, "TEXT:" + HELLO, "FAIL:1002").failsAtHeaderByte(s.frameStart(1));
        e.check(Chunking.of(feeding));
        e.check(Chunking.cutAt("FRAME_WISE", s.frameBoundaries(), feeding.direct()));
    }

    // 3.4: Send small text message, then send again with RSV = 4, then send Ping. Octets are sent
    // in octet-wise chops.
    // Expected: Echo for first message is received, but then connection is failed immediately.
    // The Pong is not received.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_3_4(Feeding feeding) {
        ClientStream s = new ClientStream().text(HELLO).frame(true, 4, ClientStream.TEXT, Bytes.utf8(HELLO)).ping("");
        assertEquals(0xC1, s.bytes()[s.frameStart(1)] & 0xFF);
        Expect e = Expect.of(s, "TEXT:" + HELLO, "FAIL:1002").failsAtHeaderByte(s.frameStart(1));
        e.check(Chunking.of(feeding));
        e.check(Chunking.chops(1, feeding.direct()));
    }

    // 3.5: Send small binary message (00 ff fe fd fc fb 00 ff) with RSV = 5.
    // Expected: The connection is failed immediately, since RSV must be 0.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_3_5(Feeding feeding) {
        ClientStream s = new ClientStream().frame(true, 5, ClientStream.BINARY, Bytes.hex("00fffefdfcfb00ff"));
        assertEquals(0xD2, s.bytes()[0] & 0xFF);
        Expect.of(s, "FAIL:1002").failsAtHeaderByte(0).check(Chunking.of(feeding));
    }

    // 3.6: Send Ping with RSV = 6. (Autobahn actually sends opcode 2, a binary frame, with
    // payload "Hello, world!"; the same bytes are used here.)
    // Expected: The connection is failed immediately, since RSV must be 0.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_3_6(Feeding feeding) {
        ClientStream s = new ClientStream().frame(true, 6, ClientStream.BINARY, Bytes.utf8(HELLO));
        assertEquals(0xE2, s.bytes()[0] & 0xFF);
        Expect.of(s, "FAIL:1002").failsAtHeaderByte(0).check(Chunking.of(feeding));
    }

    // 3.6 as its description says: a ping with RSV = 6 fails the same way.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_3_6_ping_variant(Feeding feeding) {
        ClientStream s = new ClientStream().frame(true, 6, ClientStream.PING, Bytes.utf8(HELLO));
        assertEquals(0xE9, s.bytes()[0] & 0xFF);
        Expect.of(s, "FAIL:1002").failsAtHeaderByte(0).check(Chunking.of(feeding));
    }

    // 3.7: Send Close with RSV = 7.
    // Expected: The connection is failed immediately, since RSV must be 0.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_3_7(Feeding feeding) {
        ClientStream s = new ClientStream().frame(true, 7, ClientStream.CLOSE, new byte[0]);
        assertEquals(0xF8, s.bytes()[0] & 0xFF);
        Expect.of(s, "FAIL:1002").failsAtHeaderByte(0).check(Chunking.of(feeding));
    }
}
