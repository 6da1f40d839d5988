package io.tern.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Utf8ValidatorTest {

    /**
     * Feeds {@code bytes} in the given feeding; returns the stream index of the first invalid
     * byte, {@code bytes.length} when the stream is valid but ends inside a code point, or -1 when
     * it is valid and complete.
     */
    private static int check(byte[] bytes, Feeding feeding) {
        Utf8Validator v = new Utf8Validator();
        int offset = 0;
        for (ByteBuffer chunk : feeding.chunks(bytes)) {
            int bad = v.validate(chunk);
            if (bad >= 0) {
                return offset + bad - chunk.position();
            }
            offset += chunk.remaining();
        }
        return v.isComplete() ? -1 : bytes.length;
    }

    private static void assertEveryFeeding(byte[] bytes, int expected) {
        for (Feeding f : Feeding.values()) {
            assertEquals(expected, check(bytes, f), f + " " + Bytes.hex(bytes));
        }
    }

    @ParameterizedTest(name = "{0} fails at {1}")
    @CsvSource({
        // valid boundaries of each length
        "'', -1", "00, -1", "7f, -1", "c280, -1", "dfbf, -1", "e0a080, -1", "efbfbf, -1",
        "f0908080, -1", "f48fbfbf, -1",
        // bytes that are never valid
        "c0, 0", "c1, 0", "f5, 0", "ff, 0", "80, 0", "bf, 0",
        // overlong forms: the second byte is the one that makes them invalid
        "c0af, 0", "e08080, 1", "e09fbf, 1", "f08080af, 1", "f08fbfbf, 1",
        // surrogates U+D800..U+DFFF
        "eda080, 1", "edbfbf, 1", "ed9fbf, -1", // ED 9F BF = U+D7FF, the last before the surrogates
        // above U+10FFFF
        "f4908080, 1", "f7bfbfbf, 0",
        // truncated sequences cut by a non-continuation
        "c241, 1", "e0a041, 2", "f0908041, 3", "e2, 1", "f09080, 3",
        // ASCII runs around a bad byte, to exercise the 8-byte fast path
        "41424344454647484950515253545556ff, 16", "4142434445464748c3a9, -1",
    })
    void knownSequences(String hex, int expected) {
        assertEveryFeeding(Bytes.hex(hex), expected);
    }

    /** Where the JDK's strict decoder first reports malformed input, as a cross-check. */
    private static int jdk(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length * 2 + 4);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            return in.position();
        }
        return -1;
    }

    @Test
    void agreesWithTheJdkOnValidityOfRandomSequences() {
        Random random = new Random(1234);
        byte[] interesting = Bytes.hex("00417f80bfc0c1c2dfe0e1ecedeef0f1f3f4f5ff8f909fa0");
        for (int trial = 0; trial < 200_000; trial++) {
            byte[] bytes = new byte[1 + random.nextInt(6)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextBoolean() ? interesting[random.nextInt(interesting.length)] : (byte) random.nextInt();
            }
            boolean jdkValid = jdk(bytes) < 0;
            boolean ours = check(bytes, Feeding.WHOLE_HEAP) < 0;
            assertEquals(jdkValid, ours, Bytes.hex(bytes));
            if (!jdkValid) {
                // The JDK points at the start of the malformed sequence; we point at the byte that
                // made it malformed, which can never be before it.
                int at = check(bytes, Feeding.WHOLE_HEAP);
                assertTrue(at >= jdk(bytes), Bytes.hex(bytes));
            }
        }
    }

    @Test
    void everyCodePointEncodedByTheJdkIsValidAndSplitsAnywhere() {
        StringBuilder all = new StringBuilder();
        for (int cp = 0; cp <= 0x10FFFF; cp += (cp < 0x800 ? 1 : 7)) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            all.appendCodePoint(cp);
        }
        byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
        assertEveryFeeding(bytes, -1);
    }

    @Test
    void failureIsStickyAndResetClearsIt() {
        Utf8Validator v = new Utf8Validator();
        assertEquals(0, v.validate(ByteBuffer.wrap(Bytes.hex("ff"))));
        assertTrue(v.hasFailed());
        assertFalse(v.isComplete());
        ByteBuffer ok = ByteBuffer.wrap(Bytes.utf8("abc"));
        assertEquals(0, v.validate(ok), "after a failure, the first byte of the next call fails");
        v.reset();
        assertEquals(-1, v.validate(ok));
        assertTrue(v.isComplete());
    }

    @Test
    void reportsAbsoluteIndexAndIgnoresPosition() {
        ByteBuffer b = ByteBuffer.wrap(Bytes.hex("41 41 41 41 c3 28"));
        b.position(2);
        Utf8Validator v = new Utf8Validator();
        assertEquals(5, v.validate(b));
        assertEquals(2, b.position());
    }

    @Test
    void isValidChecksACompleteSequence() {
        byte[] text = Bytes.utf8("héllo €𝄞");
        assertEquals(14, text.length);
        assertTrue(Utf8Validator.isValid(ByteBuffer.wrap(text), 0, 14));
        assertFalse(Utf8Validator.isValid(ByteBuffer.wrap(text), 0, 13), "cut inside the last code point");
        assertFalse(Utf8Validator.isValid(ByteBuffer.wrap(Bytes.hex("e282")), 0, 2));
        assertTrue(Utf8Validator.isValid(ByteBuffer.wrap(Bytes.hex("e282")), 0, 0));
    }
}
