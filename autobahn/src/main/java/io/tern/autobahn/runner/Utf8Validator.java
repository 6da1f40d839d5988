package io.tern.autobahn.runner;

/**
 * Incremental UTF-8 validation (RFC 3629 §4: no overlong forms, no surrogates, nothing above
 * U+10FFFF), written for the runner independently of Tern's codec. Feed bytes in any split; the first
 * invalid byte makes the validator fail for good.
 *
 * <p>Not thread-safe: one instance per message, used by one thread.
 */
final class Utf8Validator {

    private int need;
    private int lo = 0x80;
    private int hi = 0xBF;
    private boolean failed;
    private long position;

    /** Feeds bytes; returns false as soon as (and ever after) the sequence cannot be valid UTF-8. */
    boolean feed(byte[] b, int off, int len) {
        if (failed) {
            return false;
        }
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xFF;
            if (need == 0) {
                if (c < 0x80) {
                    position++;
                    continue;
                }
                if (c >= 0xC2 && c <= 0xDF) {
                    need = 1; lo = 0x80; hi = 0xBF;
                } else if (c == 0xE0) {
                    need = 2; lo = 0xA0; hi = 0xBF;
                } else if (c >= 0xE1 && c <= 0xEC || c == 0xEE || c == 0xEF) {
                    need = 2; lo = 0x80; hi = 0xBF;
                } else if (c == 0xED) {
                    need = 2; lo = 0x80; hi = 0x9F;
                } else if (c == 0xF0) {
                    need = 3; lo = 0x90; hi = 0xBF;
                } else if (c >= 0xF1 && c <= 0xF3) {
                    need = 3; lo = 0x80; hi = 0xBF;
                } else if (c == 0xF4) {
                    need = 3; lo = 0x80; hi = 0x8F;
                } else {
                    failed = true;
                    return false;
                }
            } else {
                if (c < lo || c > hi) {
                    failed = true;
                    return false;
                }
                need--;
                lo = 0x80;
                hi = 0xBF;
            }
            position++;
        }
        return true;
    }

    /** True if no invalid byte was seen and no sequence is left open. */
    boolean complete() {
        return !failed && need == 0;
    }

    /** Bytes accepted before the first invalid one (or all so far). */
    long position() {
        return position;
    }

    /** Validates a whole byte array. */
    static boolean isValid(byte[] b) {
        Utf8Validator v = new Utf8Validator();
        return v.feed(b, 0, b.length) && v.complete();
    }
}
