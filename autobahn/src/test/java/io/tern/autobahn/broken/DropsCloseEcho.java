package io.tern.autobahn.broken;

/**
 * Answers a close frame by closing the TCP connection without sending its own close frame
 * (RFC 6455 §5.5.1 requires one), so the closing handshake never completes.
 *
 * <p>Should fail: every case that ends with the fuzzer's close frame — all of 1.*, 2.* (but 2.5),
 * 5.* (the valid ones), 6.* (the valid ones), 7.1.1–7.1.5, 7.7.*, 9.*, 10.*, 12.*, 13.* — with
 * behavior OK (the echoes were right) and the close-behaviour verdict UNCLEAN, in both roles;
 * cases where the testee fails the connection first are unaffected.
 */
public final class DropsCloseEcho extends Defect {
    @Override
    public boolean echoesClose() {
        return false;
    }
}
