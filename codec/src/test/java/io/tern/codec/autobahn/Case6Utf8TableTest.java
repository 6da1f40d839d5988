package io.tern.codec.autobahn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.codec.Bytes;
import io.tern.codec.Feeding;
import java.nio.charset.StandardCharsets;
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
 * Autobahn 6.5.x–6.23.x: every payload of the UTF-8 table (see {@link Utf8Vectors}).
 * <ul>
 *   <li>Valid: "Send a text message with payload which is valid UTF-8 in one fragment." Expected:
 *       "The message is echo'ed back to us." (then the fuzzer closes with 1000).</li>
 *   <li>Invalid: "Send a text message with payload which is not valid UTF-8 in one fragment."
 *       Expected: "The connection is failed immediately, since the payload is not valid UTF-8."
 *       (1007), at the byte where the payload stops being UTF-8 (the last byte when it only ends
 *       inside a code point).</li>
 * </ul>
 * Each payload is also sent the way 6.2.x/6.3.x cut their messages: in one-octet fragments, and in
 * fragments cut at code point starts (at every byte that is not a continuation byte).
 */
class Case6Utf8TableTest {

    enum Layout {
        ONE_FRAME, PER_OCTET, PER_CODE_POINT
    }

    static Stream<Arguments> table() {
        return Utf8Vectors.all().stream().map(v -> Arguments.of(Named.of(v.toString(), v)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void autobahn_6_x_case(Utf8Vectors.Vector vector) {
        byte[] payload = vector.bytes();
        for (Layout layout : Layout.values()) {
            ClientStream s = new ClientStream().fragmentedText(fragments(payload, layout));
            Expect expect;
            if (vector.valid) {
                s.close(1000);
                expect = Expect.of(s, "TEXT:" + new String(payload, StandardCharsets.UTF_8), "CLOSE:1000:");
            } else {
                int failAt = s.messageByteOffset(0, Utf8Oracle.failingByte(payload));
                expect = Expect.of(s, "FAIL:1007").failsAtByte(failAt);
            }
            for (Feeding feeding : Feeding.values()) {
                try {
                    expect.check(Chunking.of(feeding));
                } catch (AssertionError e) {
                    throw new AssertionError(vector.caseName() + " " + layout + ": " + e.getMessage(), e);
                }
            }
        }
    }

    static List<byte[]> fragments(byte[] payload, Layout layout) {
        List<byte[]> out = new ArrayList<>();
        switch (layout) {
            case ONE_FRAME:
                out.add(payload);
                break;
            case PER_OCTET:
                for (byte b : payload) {
                    out.add(new byte[] {b});
                }
                break;
            default:
                int from = 0;
                for (int i = 1; i <= payload.length; i++) {
                    if (i == payload.length || (payload[i] & 0xC0) != 0x80) {
                        out.add(Arrays.copyOfRange(payload, from, i));
                        from = i;
                    }
                }
        }
        return out;
    }

    /** The table as Autobahn numbers it: group sizes and the validity of every entry. */
    @Test
    void table_has_autobahns_numbering() {
        int[] sizes = {5, 11, 4, 2, 4, 3, 5, 8, 5, 10, 1, 3, 5, 5, 5, 7, 8, 34, 7};
        List<Utf8Vectors.Vector> all = Utf8Vectors.all();
        int at = 0;
        for (int g = 0; g < sizes.length; g++) {
            for (int i = 1; i <= sizes[g]; i++) {
                assertEquals("6." + (g + 5) + "." + i, all.get(at++).id);
            }
        }
        assertEquals(at, all.size());
        assertEquals("6.12.8", all.get(5 + 11 + 4 + 2 + 4 + 3 + 5 + 7).id);
        assertEquals(63, all.get(5 + 11 + 4 + 2 + 4 + 3 + 5 + 7).bytes().length, "0x80..0xbe");
        // Validity as Autobahn lists it, checked against the oracle (which does not use the codec).
        for (Utf8Vectors.Vector v : all) {
            assertEquals(v.valid, Utf8Oracle.byCompletion(v.bytes()) == -1, v.toString());
        }
        assertEquals("f09fbfbe", Bytes.hex(all.get(all.size() - 7 - 34 + 2).bytes()));
    }
}
