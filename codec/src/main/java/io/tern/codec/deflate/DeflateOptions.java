package io.tern.codec.deflate;

/**
 * What an endpoint wants from permessage-deflate: what a client offers, and what a server accepts
 * and asks for. Immutable; each {@code with} method returns a changed copy.
 *
 * <p>The same four RFC 7692 parameters serve both roles:
 * <ul>
 *   <li>{@code serverNoContextTakeover}: a client requests it in its offer; a server always
 *       answers with it (it then keeps no compression context between messages it sends, which
 *       saves memory per connection);</li>
 *   <li>{@code clientNoContextTakeover}: a client declares it in its offer; a server always answers
 *       with it (the client then resets its context, so the server can pool decompressors);</li>
 *   <li>{@code serverMaxWindowBits}: a client requests this window for the server (when below 15);
 *       a server never uses a larger one (and says so in its answer when below 15);</li>
 *   <li>{@code clientMaxWindowBits}: a client offers {@code client_max_window_bits} (with this value
 *       when below 15, without one at 15) so the server may limit it; a server limits the client to
 *       it when the client's offer allows.</li>
 * </ul>
 * Plus, for the sending side: {@code compressionThreshold}, the smallest message that is
 * compressed (smaller ones go out uncompressed, which RFC 7692 allows per message), and
 * {@code compressionLevel} for the 15-bit window, which uses {@link java.util.zip.Deflater}.
 *
 * <p>Memory: with context takeover each connection keeps a compressor and a decompressor between
 * messages (see the README for the figures); with no context takeover in a direction, that side's
 * stream is borrowed from a per-thread pool for the length of one message.
 *
 * <pre>{@code
 * DeflateOptions lean = DeflateOptions.defaults()
 *         .withServerNoContextTakeover(true)
 *         .withClientNoContextTakeover(true)
 *         .withCompressionThreshold(64);
 * }</pre>
 */
public final class DeflateOptions {

    private static final DeflateOptions DEFAULTS = new DeflateOptions(false, false,
            DeflateParameters.MAX_WINDOW_BITS, DeflateParameters.MAX_WINDOW_BITS, 0, 6);

    private final boolean serverNoContextTakeover;
    private final boolean clientNoContextTakeover;
    private final int serverMaxWindowBits;
    private final int clientMaxWindowBits;
    private final int compressionThreshold;
    private final int compressionLevel;

    private DeflateOptions(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                           int serverMaxWindowBits, int clientMaxWindowBits,
                           int compressionThreshold, int compressionLevel) {
        this.serverNoContextTakeover = serverNoContextTakeover;
        this.clientNoContextTakeover = clientNoContextTakeover;
        this.serverMaxWindowBits = serverMaxWindowBits;
        this.clientMaxWindowBits = clientMaxWindowBits;
        this.compressionThreshold = compressionThreshold;
        this.compressionLevel = compressionLevel;
    }

    /**
     * The defaults: context takeover both ways, 15-bit windows, every message compressed,
     * {@code Deflater} level 6.
     *
     * @return the default options
     */
    public static DeflateOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Sets {@code server_no_context_takeover}: requested by a client, always answered by a server.
     *
     * @param value whether the server resets its compressor after each message
     * @return changed options
     */
    public DeflateOptions withServerNoContextTakeover(boolean value) {
        return new DeflateOptions(value, clientNoContextTakeover, serverMaxWindowBits, clientMaxWindowBits,
                compressionThreshold, compressionLevel);
    }

    /**
     * Sets {@code client_no_context_takeover}: declared by a client, always answered by a server.
     *
     * @param value whether the client resets its compressor after each message
     * @return changed options
     */
    public DeflateOptions withClientNoContextTakeover(boolean value) {
        return new DeflateOptions(serverNoContextTakeover, value, serverMaxWindowBits, clientMaxWindowBits,
                compressionThreshold, compressionLevel);
    }

    /**
     * Sets the server's window limit.
     *
     * @param bits 8–15
     * @return changed options
     * @throws IllegalArgumentException if {@code bits} is outside 8–15
     */
    public DeflateOptions withServerMaxWindowBits(int bits) {
        DeflateParameters.checkWindowBits(bits);
        return new DeflateOptions(serverNoContextTakeover, clientNoContextTakeover, bits, clientMaxWindowBits,
                compressionThreshold, compressionLevel);
    }

    /**
     * Sets the client's window limit.
     *
     * @param bits 8–15
     * @return changed options
     * @throws IllegalArgumentException if {@code bits} is outside 8–15
     */
    public DeflateOptions withClientMaxWindowBits(int bits) {
        DeflateParameters.checkWindowBits(bits);
        return new DeflateOptions(serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits, bits,
                compressionThreshold, compressionLevel);
    }

    /**
     * Sets the smallest message that is sent compressed.
     *
     * @param bytes 0 or more; 0 compresses every message
     * @return changed options
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public DeflateOptions withCompressionThreshold(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("compression threshold must not be negative: " + bytes);
        }
        return new DeflateOptions(serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits,
                clientMaxWindowBits, bytes, compressionLevel);
    }

    /**
     * Sets the {@link java.util.zip.Deflater} level used with a 15-bit window (Tern's own encoder,
     * used for smaller windows, has a single fast setting).
     *
     * @param level 1 (fastest) to 9 (smallest)
     * @return changed options
     * @throws IllegalArgumentException if {@code level} is outside 1–9
     */
    public DeflateOptions withCompressionLevel(int level) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("compression level must be within 1..9: " + level);
        }
        return new DeflateOptions(serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits,
                clientMaxWindowBits, compressionThreshold, level);
    }

    /**
     * Whether {@code server_no_context_takeover} is requested (client) or imposed (server).
     *
     * @return the flag
     */
    public boolean serverNoContextTakeover() {
        return serverNoContextTakeover;
    }

    /**
     * Whether {@code client_no_context_takeover} is declared (client) or imposed (server).
     *
     * @return the flag
     */
    public boolean clientNoContextTakeover() {
        return clientNoContextTakeover;
    }

    /**
     * The server window limit.
     *
     * @return 8–15
     */
    public int serverMaxWindowBits() {
        return serverMaxWindowBits;
    }

    /**
     * The client window limit.
     *
     * @return 8–15
     */
    public int clientMaxWindowBits() {
        return clientMaxWindowBits;
    }

    /**
     * The smallest message sent compressed.
     *
     * @return bytes
     */
    public int compressionThreshold() {
        return compressionThreshold;
    }

    /**
     * The {@code Deflater} level for 15-bit windows.
     *
     * @return 1–9
     */
    public int compressionLevel() {
        return compressionLevel;
    }

    @Override
    public String toString() {
        return "DeflateOptions[serverNoContextTakeover=" + serverNoContextTakeover
                + ", clientNoContextTakeover=" + clientNoContextTakeover
                + ", serverMaxWindowBits=" + serverMaxWindowBits
                + ", clientMaxWindowBits=" + clientMaxWindowBits
                + ", compressionThreshold=" + compressionThreshold
                + ", compressionLevel=" + compressionLevel + "]";
    }
}
