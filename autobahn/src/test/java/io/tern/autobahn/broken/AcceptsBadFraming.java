package io.tern.autobahn.broken;

/**
 * Accepts frames RFC 6455 §5.2 forbids: non-zero RSV bits without a negotiated extension,
 * reserved opcodes (3–7 and 0xB–0xF; such frames are ignored), control frames that are
 * fragmented or longer than 125 bytes, frames masked or unmasked against the role, continuation
 * frames without a message and data frames inside one (§5.4).
 *
 * <p>Should fail, with behavior FAILED: 3.1–3.7 (RSV bits), 4.1.1–4.1.5 and 4.2.1–4.2.5
 * (reserved opcodes), 2.5 (a ping of 126 bytes), 5.1 and 5.2 (fragmented ping and pong), 5.9–5.14
 * (continuation without a start), 5.18–5.20 (data frame inside a fragmented message with FIN and
 * without); everything else passes as with {@link Defect#NONE}.
 */
public final class AcceptsBadFraming extends Defect {
    @Override
    public boolean checksFraming() {
        return false;
    }
}
