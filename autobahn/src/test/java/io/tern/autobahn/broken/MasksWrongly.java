package io.tern.autobahn.broken;

/**
 * Masks against the role: as a server it masks every frame it sends, as a client it sends every
 * frame unmasked (RFC 6455 §5.1 forbids both; the peer must fail the connection with 1002).
 *
 * <p>Should fail: as a server, every case in which the testee sends a frame (all echo cases of
 * groups 1–10, 12 and 13, and the close echo of the rest) with behavior FAILED; as a client, the
 * same, since the fuzzing server must reject every unmasked frame.
 */
public final class MasksWrongly extends Defect {
    @Override
    public boolean masksByRole() {
        return false;
    }
}
