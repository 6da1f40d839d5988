package io.tern.autobahn.broken;

/**
 * Negotiates permessage-deflate, then sends messages with RSV1 set on payloads that are not
 * DEFLATE data: the plain message bytes (RFC 7692 §6.1 says RSV1 marks a compressed message).
 *
 * <p>Should fail: every case of groups 12 and 13 with behavior FAILED (the fuzzer cannot inflate
 * the echo, or it inflates to something else). Groups 1–10 run without compression and pass.
 */
public final class CorruptsCompression extends Defect {
    @Override
    public boolean compressesWhatItMarks() {
        return false;
    }
}
