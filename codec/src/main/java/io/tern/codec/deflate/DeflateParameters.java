package io.tern.codec.deflate;

import io.tern.codec.Role;

/**
 * The permessage-deflate parameters both endpoints agreed on (RFC 7692 §7.1), as the result of a
 * negotiation: for each direction, whether the sender resets its compression context after every
 * message, and the largest LZ77 window the sender may use.
 *
 * <p>"Server" and "client" name the sending side: {@code serverMaxWindowBits} limits what the
 * server compresses with and so what the client must be able to inflate. The methods taking a
 * {@link Role} turn this into "what I send" and "what I receive".
 *
 * @param serverNoContextTakeover the server resets its compressor after each message
 * @param clientNoContextTakeover the client resets its compressor after each message
 * @param serverMaxWindowBits     the server's window, 8–15 (base-2 logarithm of its size)
 * @param clientMaxWindowBits     the client's window, 8–15
 */
public record DeflateParameters(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                                int serverMaxWindowBits, int clientMaxWindowBits) {

    /** The widest window: 32 KiB, RFC 7692's default when no window parameter is agreed. */
    public static final int MAX_WINDOW_BITS = 15;
    /** The narrowest window RFC 7692 allows: 256 bytes. */
    public static final int MIN_WINDOW_BITS = 8;

    /**
     * Checks the window sizes.
     *
     * @param serverNoContextTakeover the server resets its compressor after each message
     * @param clientNoContextTakeover the client resets its compressor after each message
     * @param serverMaxWindowBits     the server's window, 8–15
     * @param clientMaxWindowBits     the client's window, 8–15
     * @throws IllegalArgumentException if a window is outside 8–15
     */
    public DeflateParameters {
        checkWindowBits(serverMaxWindowBits);
        checkWindowBits(clientMaxWindowBits);
    }

    static void checkWindowBits(int bits) {
        if (bits < MIN_WINDOW_BITS || bits > MAX_WINDOW_BITS) {
            throw new IllegalArgumentException("window bits must be within 8..15: " + bits);
        }
    }

    /**
     * Whether an endpoint of the given role resets its compressor after each message it sends.
     *
     * @param self the role of the endpoint asking
     * @return the sending-side no-context-takeover flag for that endpoint
     */
    public boolean sendNoContextTakeover(Role self) {
        return self == Role.SERVER ? serverNoContextTakeover : clientNoContextTakeover;
    }

    /**
     * The window an endpoint of the given role may use for what it sends.
     *
     * @param self the role of the endpoint asking
     * @return 8–15
     */
    public int sendWindowBits(Role self) {
        return self == Role.SERVER ? serverMaxWindowBits : clientMaxWindowBits;
    }

    /**
     * Whether the peer of an endpoint of the given role resets its compressor after each message,
     * so that the endpoint may reset its decompressor too (and need not keep one between messages).
     *
     * @param self the role of the endpoint asking
     * @return the receiving-side no-context-takeover flag for that endpoint
     */
    public boolean receiveNoContextTakeover(Role self) {
        return self == Role.SERVER ? clientNoContextTakeover : serverNoContextTakeover;
    }

    /**
     * The window the peer of an endpoint of the given role compresses with.
     *
     * @param self the role of the endpoint asking
     * @return 8–15
     */
    public int receiveWindowBits(Role self) {
        return self == Role.SERVER ? clientMaxWindowBits : serverMaxWindowBits;
    }
}
