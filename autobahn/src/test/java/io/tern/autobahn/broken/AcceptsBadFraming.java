package io.tern.autobahn.broken;

/**
 * Accepts frames RFC 6455 §5.2 forbids: non-zero RSV bits without a negotiated extension,
 * reserved opcodes (3–7 and 0xB–0xF; such frames are ignored), control frames that are
 * fragmented or longer than 125 bytes, frames masked or unmasked against the role, continuation
 * frames without a message and data frames inside one (§5.4).
 *
 * <p>Should fail (as a server, fuzzing client mode): 2.5 (a ping of 126 bytes; behaviorClose
 * FAILED), 3.1–3.6 (RSV bits on data and ping frames), 4.1.3–4.1.5 and 4.2.3–4.2.5 (a reserved
 * opcode between messages), 5.1 and 5.2 (fragmented ping and pong), 5.9–5.18 (continuation without
 * a start, a new message inside one) with behavior FAILED and behaviorClose FAILED; 4.1.1, 4.1.2,
 * 4.2.1 and 4.2.2 (a lone reserved opcode) with behavior OK and behaviorClose FAILED (the
 * connection is not failed). 3.7 passes: the RSV bits sit on a close frame, which closes anyway.
 * Everything else passes as with {@link Defect#NONE}.
 */
public final class AcceptsBadFraming extends Defect {
    @Override
    public boolean checksFraming() {
        return false;
    }
}
