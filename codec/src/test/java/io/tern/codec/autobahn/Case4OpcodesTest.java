package io.tern.codec.autobahn;

import io.tern.codec.Bytes;
import io.tern.codec.Feeding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Autobahn 4.x (opcodes). Opcodes 3–7 (non-control) and 11–15 (control) are reserved; a frame with
 * one fails the connection with 1002 at its first byte. In the strict outcome the text message
 * before it is echoed and the ping after it is never read.
 */
class Case4OpcodesTest {

    private static final String HELLO = "Hello, world!";

    private static void alone(Feeding feeding, int opcode, byte[] payload) {
        ClientStream s = new ClientStream().frame(true, opcode, payload);
        Expect.of(s, "FAIL:1002").failsAtHeaderByte(0).check(Chunking.of(feeding));
    }

    private static Expect betweenTextAndPing(int opcode, byte[] payload) {
        ClientStream s = new ClientStream().text(HELLO).frame(true, opcode, payload).ping("");
        return Expect.of(s, "TEXT:" + HELLO, "FAIL:1002").failsAtHeaderByte(s.frameStart(1));
    }

    // 4.1.1: Send frame with reserved non-control Opcode = 3.
    // Expected: The connection is failed immediately.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_4_1_1(Feeding feeding) {
        alone(feeding, 3, new byte[0]);
    }

    // 4.1.2: Send frame with reserved non-control Opcode = 4 and non-empty payload.
    // Expected: The connection is failed immediately.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_4_1_2(Feeding feeding) {
        alone(feeding, 4, Bytes.utf8("reserved opcode payload"));
    }

    // 4.1.3: Send small text message, then send frame with reserved non-control Opcode = 5, then
    // send Ping.
    // Expected: Echo for first message is received, but then connection is failed immediately,
    // since reserved opcode frame is used. A Pong is not received.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_4_1_3(Feeding feeding) {
        betweenTextAndPing(5, new byte[0]).check(Chunking.of(feeding));
    }

    // 4.1.4: Send small text message, then send frame with reserved non-control Opcode = 6 and
    // non-empty payload, then send Ping.
    // Expected: Echo for first message is received, but then connection is failed immediately.
    // A Pong is not received.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_4_1_4(Feeding feeding) {
        betweenTextAndPing(6, Bytes.utf8(HELLO)).check(Chunking.of(feeding));
    }

    // 4.1.5: Send small text message, then send frame with reserved non-control Opcode = 7 and
    // non-empty payload, then send Ping. (Sent in octet-wise chops.)
    // Expected: Echo for first message is received, but then connection is failed immediately.
    // A Pong is not received.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_4_1_5(Feeding feeding) {
        Expect e = betweenTextAndPing(7, Bytes.utf8(HELLO));
        e.check(Chunking.of(feeding));
        e.check(Chunking.chops(1, feeding.direct()));
    }

    // 4.2.1: Send frame with reserved control Opcode = 11.
    // Expected: The connection is failed immediately.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_4_2_1(Feeding feeding) {
        alone(feeding, 11, new byte[0]);
    }

    // 4.2.2: Send frame with reserved control Opcode = 12 and non-empty payload.
    // Expected: The connection is failed immediately.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_4_2_2(Feeding feeding) {
        alone(feeding, 12, Bytes.utf8("reserved opcode payload"));
    }

    // 4.2.3: Send small text message, then send frame with reserved control Opcode = 13, then
    // send Ping.
    // Expected: Echo for first message is received, but then connection is failed immediately.
    // A Pong is not received.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_4_2_3(Feeding feeding) {
        betweenTextAndPing(13, new byte[0]).check(Chunking.of(feeding));
    }

    // 4.2.4: Send small text message, then send frame with reserved control Opcode = 14 and
    // non-empty payload, then send Ping.
    // Expected: Echo for first message is received, but then connection is failed immediately.
    // A Pong is not received.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_4_2_4(Feeding feeding) {
        betweenTextAndPing(14, Bytes.utf8(HELLO)).check(Chunking.of(feeding));
    }

    // 4.2.5: Send small text message, then send frame with reserved control Opcode = 15 and
    // non-empty payload, then send Ping. (Sent in octet-wise chops.)
    // Expected: Echo for first message is received, but then connection is failed immediately.
    // A Pong is not received.
    @ParameterizedTest
    @EnumSource(Feeding.class)
    void case_4_2_5(Feeding feeding) {
        Expect e = betweenTextAndPing(15, Bytes.utf8(HELLO));
        e.check(Chunking.of(feeding));
        e.check(Chunking.chops(1, feeding.direct()));
    }
}
