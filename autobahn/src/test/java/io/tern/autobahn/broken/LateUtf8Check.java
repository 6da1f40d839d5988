package io.tern.autobahn.broken;

/**
 * Checks a text message's UTF-8 only once the whole message has arrived, instead of failing at
 * the first invalid byte (RFC 6455 §8.1 and the fail-fast expectation of Autobahn group 6). The
 * connection is still failed with 1007, just late.
 *
 * <p>Should fail, with behavior NON-STRICT: 6.4.1–6.4.4 (invalid UTF-8 in the middle of a
 * fragmented or chopped message, where fail-fast is expected before the rest arrives); the other
 * group 6 cases pass because the message ends right after the bad bytes.
 */
public final class LateUtf8Check extends Defect {
    @Override
    public boolean failsFastOnInvalidUtf8() {
        return false;
    }
}
