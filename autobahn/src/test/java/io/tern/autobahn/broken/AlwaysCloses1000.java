package io.tern.autobahn.broken;

/**
 * Fails the connection with close code 1000 (normal closure) whatever went wrong, instead of 1002
 * (protocol error), 1007 (invalid payload data) or 1009 (too big) (RFC 6455 §7.4.1).
 *
 * <p>Should fail, in every case where the testee must fail the connection, with the
 * close-behaviour verdict WRONG CODE: 2.5, 3.1–3.7, 4.1.1–4.2.5, 5.1, 5.2, 5.9–5.18, 6.3.1, 6.3.2,
 * 6.4.1–6.4.4 and the invalid sequences of 6.6, 6.8 and 6.10–6.21 (behavior OK there, NON-STRICT on
 * 6.4.3 and 6.4.4 as for {@link Defect#NONE}); and, where the close code is the behaviour under
 * test, with behavior FAILED as well: 7.3.2 (a 1-byte close payload), 7.3.6 (a close payload of 126
 * bytes), 7.5.1 (a close reason that is not UTF-8), 7.9.1–7.9.9 (invalid close codes). Cases ending
 * in a normal close pass.
 */
public final class AlwaysCloses1000 extends Defect {
    @Override
    public int failureCode(int code) {
        return 1000;
    }
}
