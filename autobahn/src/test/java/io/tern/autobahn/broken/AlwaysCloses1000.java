package io.tern.autobahn.broken;

/**
 * Fails the connection with close code 1000 (normal closure) whatever went wrong, instead of 1002
 * (protocol error), 1007 (invalid payload data) or 1009 (too big) (RFC 6455 §7.4.1).
 *
 * <p>Should fail: every case in which the testee must fail the connection, with the close-behaviour
 * verdict WRONG CODE — 2.5, 3.1–3.7, 4.1.1–4.2.5, 5.1, 5.2, 5.9–5.14, 5.18–5.20, 6.3.1, 6.3.2,
 * 6.4.1–6.4.4, the invalid sequences of 6.6–6.21 and 7.3.1 (1-byte close payload), 7.5.1 (close
 * reason not UTF-8), 7.9.1–7.9.9 (invalid close codes). Cases ending in a normal close pass.
 */
public final class AlwaysCloses1000 extends Defect {
    @Override
    public int failureCode(int code) {
        return 1000;
    }
}
