package io.tern.codec;

/**
 * Frame opcodes of RFC 6455 §5.2 and small predicates over them.
 *
 * <p>Opcodes are plain {@code int}s rather than an enum so that the decoder can carry them in
 * fields and compare them without a lookup; {@link #name(int)} gives a readable form for logs.
 */
public final class Opcode {
    /** Continuation frame: carries the next fragment of a fragmented message. */
    public static final int CONTINUATION = 0x0;
    /** Text frame: the first (or only) frame of a UTF-8 text message. */
    public static final int TEXT = 0x1;
    /** Binary frame: the first (or only) frame of a binary message. */
    public static final int BINARY = 0x2;
    /** Close frame: starts or answers the closing handshake. */
    public static final int CLOSE = 0x8;
    /** Ping frame: asks the peer for a pong with the same payload. */
    public static final int PING = 0x9;
    /** Pong frame: answers a ping, or serves as an unsolicited heartbeat. */
    public static final int PONG = 0xA;

    private Opcode() {
    }

    /**
     * Whether an opcode is a control opcode (close, ping, pong, or a reserved control opcode).
     *
     * @param opcode a 4-bit opcode
     * @return {@code true} when the most significant opcode bit is set
     */
    public static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;
    }

    /**
     * Whether an opcode is one that RFC 6455 defines; 0x3–0x7 and 0xB–0xF are reserved.
     *
     * @param opcode a 4-bit opcode
     * @return {@code true} for continuation, text, binary, close, ping and pong
     */
    public static boolean isDefined(int opcode) {
        return opcode <= BINARY || (opcode >= CLOSE && opcode <= PONG);
    }

    /**
     * A readable name for an opcode, for logs and error messages.
     *
     * @param opcode a 4-bit opcode
     * @return for example {@code "TEXT"}, or {@code "RESERVED(0x3)"} for a reserved opcode
     */
    public static String name(int opcode) {
        switch (opcode) {
            case CONTINUATION: return "CONTINUATION";
            case TEXT: return "TEXT";
            case BINARY: return "BINARY";
            case CLOSE: return "CLOSE";
            case PING: return "PING";
            case PONG: return "PONG";
            default: return "RESERVED(0x" + Integer.toHexString(opcode) + ")";
        }
    }
}
