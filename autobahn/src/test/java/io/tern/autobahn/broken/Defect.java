package io.tern.autobahn.broken;

/**
 * What a broken testee gets wrong. The base class is a conformant (if simple) endpoint; each
 * subclass breaks one category of RFC 6455 / RFC 7692 rules, and its Javadoc names the official
 * Autobahn cases it should fail and with which verdict, so that a test can assert that a runner
 * flags exactly those. {@link BrokenEchoServer} (fuzzing client mode) and {@link BrokenFuzzedClient}
 * (fuzzing server mode) consult these switches at each decision.
 *
 * <p>Immutable; safe from any thread.
 */
public class Defect {

    /**
     * A conformant endpoint: the control group. It checks UTF-8 frame by frame, not byte by byte
     * as bytes arrive, so it is NON-STRICT on 6.4.3 and 6.4.4 (invalid UTF-8 inside one frame
     * whose rest arrives later); every other case of groups 1–7 and 10 passes in both roles.
     */
    public static final Defect NONE = new Defect();

    /**
     * Whether frames are checked against RFC 6455 §5.2 (RSV bits without an extension, reserved
     * opcodes, masking by role, control frames fragmented or over 125 bytes) and the
     * fragmentation rules of §5.4.
     *
     * @return {@code true} for a conformant endpoint
     */
    public boolean checksFraming() {
        return true;
    }

    /**
     * Whether invalid UTF-8 in a text message fails the connection at the first bad byte
     * (RFC 6455 §8.1), rather than when the message is complete.
     *
     * @return {@code true} for a conformant endpoint
     */
    public boolean failsFastOnInvalidUtf8() {
        return true;
    }

    /**
     * The close code sent when failing the connection for a reason that calls for {@code code}.
     *
     * @param code the code RFC 6455 §7.4.1 calls for (1002, 1007, 1009)
     * @return the code put on the wire
     */
    public int failureCode(int code) {
        return code;
    }

    /**
     * Whether a close frame from the peer is answered with a close frame (RFC 6455 §5.5.1).
     *
     * @return {@code true} for a conformant endpoint
     */
    public boolean echoesClose() {
        return true;
    }

    /**
     * Whether a compressed message's payload is really compressed: a broken endpoint sets RSV1 on
     * uncompressed bytes (RFC 7692 §6.1 requires DEFLATE data under RSV1).
     *
     * @return {@code true} for a conformant endpoint
     */
    public boolean compressesWhatItMarks() {
        return true;
    }

    /**
     * Whether the negotiated window for this endpoint's own compressor (RFC 7692 §7.1.2) is
     * honoured. A conformant endpoint here sends messages uncompressed when the window agreed is
     * below 15 bits ({@code java.util.zip} cannot shrink its window), which §6 allows per message.
     *
     * @return {@code true} for a conformant endpoint
     */
    public boolean honoursWindowBits() {
        return true;
    }

    /**
     * Whether this endpoint masks its frames as its role requires (RFC 6455 §5.1: a client masks
     * every frame, a server none).
     *
     * @return {@code true} for a conformant endpoint
     */
    public boolean masksByRole() {
        return true;
    }

    @Override
    public String toString() {
        return getClass() == Defect.class ? "no defect" : getClass().getSimpleName();
    }
}
