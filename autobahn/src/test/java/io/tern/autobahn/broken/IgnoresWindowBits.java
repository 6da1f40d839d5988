package io.tern.autobahn.broken;

/**
 * Agrees to a window below 15 bits for its own compressor ({@code server_max_window_bits} as a
 * server, {@code client_max_window_bits} as a client) and then compresses with a 32 KiB window and
 * context takeover anyway (RFC 7692 §7.1.2.1 / §7.1.2.2).
 *
 * <p>Should fail, with behavior FAILED, the group 13 cases whose offer limits this side's window:
 * as a server 13.3.*, 13.5.* and 13.7.* (server_max_window_bits=8 requested by the fuzzing
 * client), as a client the matching fuzzing-server cases — whenever a back-reference in the echo
 * reaches farther than the agreed window, which context takeover over repeated payloads of 1 KiB
 * and more provokes (the fuzzer's inflater, set to the agreed window, rejects the distance). Cases
 * with small payloads and groups 1–12 pass.
 */
public final class IgnoresWindowBits extends Defect {
    @Override
    public boolean honoursWindowBits() {
        return false;
    }
}
