package io.tern.codec.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tern.codec.Utf8Validator;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Differential fuzz target for {@link Utf8Validator} against the JDK's strict UTF-8 decoder
 * (malformed input reported, not replaced): on every input, fed whole, at the fuzzer's split points
 * and one byte at a time, the validator accepts exactly what the JDK decodes; the byte it reports
 * is the first one after which no continuation could make the input valid (the JDK decodes some
 * completion of everything before it, and none of everything up to it); and every split gives the
 * same verdict and index.
 *
 * <p>Input layout: see {@link FuzzInput}. Flags: bit 0 direct buffers.
 */
class Utf8FuzzTest {

    /** Continuation-byte values that cover every second-byte range a lead byte may require. */
    private static final byte[] CONTINUATIONS = {(byte) 0x80, (byte) 0x8F, (byte) 0x90, (byte) 0x9F,
        (byte) 0xA0, (byte) 0xBF};

    record Verdict(int failedAt, boolean complete) {
    }

    @FuzzTest(maxDuration = "5m")
    void agreesWithTheJdk(byte[] data) {
        FuzzInput in = FuzzInput.parse(data);
        byte[] text = in.body;
        Verdict whole = validate(in, FuzzInput.Split.WHOLE);
        assertEquals(whole, validate(in, FuzzInput.Split.CHOSEN), "split at the chosen points");
        assertEquals(whole, validate(in, FuzzInput.Split.BYTEWISE), "fed one byte at a time");

        boolean valid = FrameReaderFuzzTest.Utf8Oracle.isValid(text);
        assertEquals(valid, whole.failedAt < 0 && whole.complete, "verdict differs from the JDK's");
        assertEquals(valid, Utf8Validator.isValid(FuzzInput.guarded(text, 0, text.length, in.flag(0)), 8, 8 + text.length));
        if (whole.failedAt >= 0) {
            assertTrue(!whole.complete);
            assertTrue(canComplete(Arrays.copyOf(text, whole.failedAt)),
                    "the bytes before index " + whole.failedAt + " could still become valid UTF-8");
            assertTrue(!canComplete(Arrays.copyOf(text, whole.failedAt + 1)),
                    "the byte at index " + whole.failedAt + " does not make the input invalid");
        } else {
            assertTrue(canComplete(text), "accepted a prefix that no continuation makes valid");
        }
    }

    static Verdict validate(FuzzInput in, FuzzInput.Split split) {
        Utf8Validator v = new Utf8Validator();
        int failedAt = -1;
        int at = 0;
        for (int n : in.lengths(in.body.length, split)) {
            ByteBuffer chunk = FuzzInput.guarded(in.body, at, n, in.flag(0));
            int bad = v.validate(chunk, chunk.position(), chunk.limit());
            assertEquals(0, FuzzInput.checkGuarded(chunk, n), "validate leaves the position alone");
            if (failedAt < 0 && bad >= 0) {
                assertTrue(bad >= chunk.position() && bad < chunk.limit(), "index outside the range fed");
                failedAt = at + bad - chunk.position();
                assertTrue(v.hasFailed());
            } else if (failedAt >= 0 && n > 0) {
                assertEquals(chunk.position(), bad, "after a failure every call fails at its first byte");
            }
            at += n;
        }
        return new Verdict(failedAt, v.isComplete());
    }

    /**
     * Whether some continuation of at most three bytes makes {@code prefix} valid UTF-8 for the JDK.
     * Only the last code point can be unfinished: the bytes before the last lead byte among the
     * final four must be valid as they are, and only the rest needs the search.
     */
    static boolean canComplete(byte[] prefix) {
        int lead = -1;
        for (int i = prefix.length - 1; i >= Math.max(0, prefix.length - 4); i--) {
            if ((prefix[i] & 0xC0) != 0x80) {
                lead = i;
                break;
            }
        }
        if (lead < 0) {
            return prefix.length == 0;
        }
        return FrameReaderFuzzTest.Utf8Oracle.isValid(Arrays.copyOf(prefix, lead))
                && canCompleteTail(Arrays.copyOfRange(prefix, lead, prefix.length));
    }

    private static boolean canCompleteTail(byte[] prefix) {
        if (FrameReaderFuzzTest.Utf8Oracle.isValid(prefix)) {
            return true;
        }
        byte[] b = Arrays.copyOf(prefix, prefix.length + 3);
        for (byte c1 : CONTINUATIONS) {
            b[prefix.length] = c1;
            if (FrameReaderFuzzTest.Utf8Oracle.isValid(Arrays.copyOf(b, prefix.length + 1))) {
                return true;
            }
            for (byte c2 : CONTINUATIONS) {
                b[prefix.length + 1] = c2;
                if (FrameReaderFuzzTest.Utf8Oracle.isValid(Arrays.copyOf(b, prefix.length + 2))) {
                    return true;
                }
                for (byte c3 : CONTINUATIONS) {
                    b[prefix.length + 2] = c3;
                    if (FrameReaderFuzzTest.Utf8Oracle.isValid(b)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
