package io.tern.codec.autobahn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.Bytes;
import io.tern.codec.Feeding;
import io.tern.codec.MessageListener;
import io.tern.codec.MessageReader;
import io.tern.codec.ReaderSettings;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fail-fast UTF-8 (RFC 6455 §8.1, Autobahn 6.4.x) generalised to every invalid payload of the
 * 6.x table: in one masked text frame, alone and between valid text (κόσμε before, "edited"
 * after), fed one byte at a time, the reader fails with 1007 exactly at the byte where the payload
 * stops being the start of any UTF-8 text, and hands out no byte from that one on. Expected
 * positions come from {@link Utf8Oracle}, cross-checked against the JDK's incremental decoder.
 */
class Case6FailFastTest {

    private static final byte[] BEFORE = Utf8Vectors.KOSME;
    private static final byte[] AFTER = Bytes.utf8("edited");

    static Stream<Arguments> invalidPayloads() {
        List<Arguments> out = new ArrayList<>();
        for (Utf8Vectors.Vector v : Utf8Vectors.all()) {
            if (!v.valid) {
                out.add(Arguments.of(Named.of(v + " alone", v.bytes())));
                out.add(Arguments.of(Named.of(v + " between text", Bytes.concat(BEFORE, v.bytes(), AFTER))));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPayloads")
    void fails_at_the_first_invalid_byte(byte[] payload) {
        int bad = Utf8Oracle.failingByte(payload);
        ClientStream s = new ClientStream().text(payload);
        long expectedConsumed = s.payloadStart(0) + bad + 1L;
        for (Feeding feeding : new Feeding[] {Feeding.BYTE_BY_BYTE_HEAP, Feeding.BYTE_BY_BYTE_DIRECT}) {
            for (ReaderSettings.Delivery delivery : ReaderSettings.Delivery.values()) {
                String context = feeding + "/" + delivery + " payload " + Bytes.hex(payload) + ", bad byte " + bad;
                Collector collector = new Collector();
                Run run = new Run(ReaderSettings.defaults().withDelivery(delivery), collector).feed(feeding.chunks(s.bytes()));
                assertEquals(Run.statusName(MessageReader.FAILED), Run.statusName(run.status), context);
                assertEquals(1007, run.reader.failureCode(), context);
                assertEquals(expectedConsumed, run.consumed, context + ": consumed");
                assertEquals(0, collector.wholeMessages, context + ": no text message");
                if (delivery == ReaderSettings.Delivery.FRAGMENTS) {
                    // Every byte before the bad one was handed out as it came, none from it on.
                    assertEquals(Bytes.hex(Arrays.copyOf(payload, bad)), Bytes.hex(collector.text.toByteArray()),
                            context + ": delivered");
                } else {
                    assertEquals(0, collector.text.size(), context + ": delivered");
                }
            }
        }
    }

    /** The expected positions, worked out two ways that must agree. */
    @Test
    void oracle_agrees_with_the_jdk_decoder_and_with_autobahn() {
        // Positions Autobahn states: 6.3.1's payload is "invalid exactly on byte 12 (\xa0)",
        // 6.4.1's "invalid exactly on byte 12 (\x90)"; its validator test fails "edited"+ED A0 80
        // "on eating byte 7 (0xA0)"; F5 fails at once.
        assertEquals(12, Utf8Oracle.byCompletion(Bytes.concat(BEFORE, Bytes.hex("eda080"), AFTER)));
        assertEquals(12, Utf8Oracle.byCompletion(Bytes.concat(BEFORE, Bytes.hex("f4908080"), AFTER)));
        assertEquals(7, Utf8Oracle.byCompletion(Bytes.hex("656469746564eda080")));
        assertEquals(0, Utf8Oracle.byCompletion(Bytes.hex("f5")));
        assertEquals(-1, Utf8Oracle.byCompletion(Bytes.utf8("µ@ßöäüàá")));
        assertEquals(-1, Utf8Oracle.byCompletion(Bytes.hex("e0a080")));
        assertEquals(1, Utf8Oracle.byCompletion(Bytes.hex("e080")), "overlong");
        assertEquals(2, Utf8Oracle.byCompletion(Bytes.hex("e0a0")), "ends inside a code point");
    }

    @Test
    void oracle_cross_check_over_the_table() {
        int checked = 0;
        int surrogates = 0;
        for (Utf8Vectors.Vector v : Utf8Vectors.all()) {
            for (byte[] payload : List.of(v.bytes(), Bytes.concat(BEFORE, v.bytes(), AFTER))) {
                int reasoned = Utf8Oracle.byCompletion(payload);
                int jdk = Utf8Oracle.byJdkIncrementalDecoder(payload);
                String context = v + " " + Bytes.hex(payload);
                if (reasoned >= 1 && reasoned < payload.length && (payload[reasoned - 1] & 0xFF) == 0xED
                        && (payload[reasoned] & 0xFF) >= 0xA0) {
                    // The JDK lets ED A0..BF wait for a third byte and rejects it there.
                    assertEquals(reasoned + 1 < payload.length ? reasoned + 1 : payload.length, jdk, context);
                    surrogates++;
                } else {
                    assertEquals(reasoned, jdk, context);
                }
                checked++;
            }
        }
        assertEquals(2 * Utf8Vectors.all().size(), checked);
        assertTrue(surrogates >= 2 * 15, "the surrogate cases were seen: " + surrogates);
    }

    /** Collects text bytes as delivered and counts completed messages. */
    private static final class Collector implements MessageListener {
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        int wholeMessages;

        @Override
        public void onText(ByteBuffer utf8, boolean last) {
            text.writeBytes(Bytes.remaining(utf8));
            if (last) {
                wholeMessages++;
            }
        }

        @Override
        public void onBinary(ByteBuffer data, boolean last) {
            throw new AssertionError("no binary message was sent");
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
