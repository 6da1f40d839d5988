package io.tern.autobahn.runner;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner's own UTF-8 check against the JDK's strict decoder, whole and byte by byte. */
class Utf8ValidatorTest {

    @Test
    void agreesWithTheJdkOnEveryCodePointAndOnBoundaries() {
        for (int cp = 0; cp <= 0x10FFFF; cp += (cp < 0x800 ? 1 : 7)) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            assertTrue(Utf8Validator.isValid(b), Integer.toHexString(cp));
        }
        for (String bad : new String[] {"eda080", "c080", "e08080", "f4908080", "f8888080", "fe", "ff", "80", "c2"}) {
            assertFalse(Utf8Validator.isValid(HexFormat.of().parseHex(bad)), bad);
        }
    }

    @Test
    void failsOnTheFirstImpossibleByteEvenWhenFedOneByteAtATime() {
        byte[] b = HexFormat.of().parseHex("cebae1bdb9cf83cebcceb5f4908080656469746564");
        Utf8Validator v = new Utf8Validator();
        int failedAt = -1;
        for (int i = 0; i < b.length; i++) {
            if (!v.feed(b, i, 1)) {
                failedAt = i;
                break;
            }
        }
        assertEquals(12, failedAt); // 0x90 after 0xf4 cannot continue a code point ≤ U+10FFFF
        assertEquals(12, v.position());
    }

    @Test
    void anOpenSequenceAtTheEndIsIncomplete() {
        Utf8Validator v = new Utf8Validator();
        assertTrue(v.feed(new byte[] {(byte) 0xe2, (byte) 0x82}, 0, 2));
        assertFalse(v.complete());
        assertTrue(v.feed(new byte[] {(byte) 0xac}, 0, 1));
        assertTrue(v.complete());
    }
}
