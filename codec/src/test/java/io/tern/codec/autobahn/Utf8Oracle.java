package io.tern.codec.autobahn;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where a byte sequence stops being UTF-8, worked out without the codec, two ways.
 *
 * <p>{@link #byCompletion}: the first byte {@code i} such that {@code bytes[0..i]} is not the
 * start of any valid UTF-8 text, found by trying every way of completing the prefix with up to
 * three continuation bytes (one from each range that matters: 80, 8F, 90, 9F, A0, BF) and asking
 * the JDK's strict decoder about the whole. This is the fail-fast position RFC 6455 §8.1 and
 * Autobahn 6.4.x mean.
 *
 * <p>{@link #byJdkIncrementalDecoder}: the first prefix for which the JDK's decoder, told that
 * more input may follow, reports malformed input. It agrees with the first method except for
 * UTF-16 surrogates: the JDK accepts {@code ED A0..BF} as an unfinished sequence and only rejects
 * it once the third byte is there.
 *
 * <p>Both return -1 for valid UTF-8, the length of the input when every prefix can still be
 * completed but the input ends inside a code point, and otherwise the index of the first byte
 * that makes the input invalid.
 */
final class Utf8Oracle {

    private static final byte[] COMPLETIONS = {(byte) 0x80, (byte) 0x8F, (byte) 0x90, (byte) 0x9F, (byte) 0xA0, (byte) 0xBF};

    private Utf8Oracle() {
    }

    static int byCompletion(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (!canBeCompleted(Arrays.copyOf(bytes, i + 1))) {
                return i;
            }
        }
        return decodesStrictly(bytes) ? -1 : bytes.length;
    }

    static int byJdkIncrementalDecoder(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            CharsetDecoder decoder = strictDecoder();
            CoderResult result = decoder.decode(ByteBuffer.wrap(bytes, 0, i + 1), CharBuffer.allocate(2 * bytes.length + 8), false);
            if (result.isMalformed() || result.isUnmappable()) {
                return i;
            }
        }
        return decodesStrictly(bytes) ? -1 : bytes.length;
    }

    /** The byte at which a strict reader must fail a message with these bytes (last byte if truncated). */
    static int failingByte(byte[] bytes) {
        int at = byCompletion(bytes);
        if (at < 0) {
            throw new IllegalArgumentException("valid UTF-8");
        }
        return Math.min(at, bytes.length - 1);
    }

    private static boolean canBeCompleted(byte[] prefix) {
        if (decodesStrictly(prefix)) {
            return true;
        }
        for (int extra = 1; extra <= 3; extra++) {
            int combinations = (int) Math.pow(COMPLETIONS.length, extra);
            for (int c = 0; c < combinations; c++) {
                byte[] candidate = Arrays.copyOf(prefix, prefix.length + extra);
                int code = c;
                for (int k = 0; k < extra; k++) {
                    candidate[prefix.length + k] = COMPLETIONS[code % COMPLETIONS.length];
                    code /= COMPLETIONS.length;
                }
                if (decodesStrictly(candidate)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean decodesStrictly(byte[] bytes) {
        try {
            strictDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static CharsetDecoder strictDecoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
