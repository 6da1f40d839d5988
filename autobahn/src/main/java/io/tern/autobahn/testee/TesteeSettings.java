package io.tern.autobahn.testee;

import io.tern.codec.deflate.DeflateOptions;
import io.tern.transport.ConnectionSettings;
import java.time.Duration;

/**
 * The connection settings both testees share: limits high enough for every case of the Autobahn
 * catalogue, permessage-deflate on, and nothing the testee would send by itself.
 *
 * <ul>
 *   <li>Messages and frames up to {@link #MAX_MESSAGE} (16 MiB): group 9 sends messages of up to
 *       16 MiB and frames of up to 4 MiB (the library's default limit is 1 MiB).</li>
 *   <li>Up to {@link #MAX_FRAGMENTS} frames per message: cases 9.3.1 and 9.4.1 send 4 MiB in
 *       64-byte fragments (65,536 frames; the library's default limit is 1,024).</li>
 *   <li>Outbound queue watermarks 256 KiB / 1 MiB and a hard limit of {@link #HARD_LIMIT}
 *       (twice the largest message), so that echoing a 16 MiB message never trips the
 *       slow-consumer policy.</li>
 *   <li>permessage-deflate with {@link DeflateOptions#defaults()} at {@link #COMPRESSION_LEVEL}:
 *       a server accepts every valid offer (RFC 7692 §7: all four parameters, window bits 8–15);
 *       a client offers {@code client_max_window_bits} so the server may limit the client's
 *       window. The level only trades ratio for speed (the negotiated terms, windows and context
 *       takeover are the same at every level, and the cases check the echo, not its size), so the
 *       testees use the fastest: with the default level 6 the compression groups 12 and 13 took
 *       about twice as long on a loaded 2-core machine.</li>
 *   <li>No heartbeat: an unsolicited ping would be an unexpected frame in a case's transcript.</li>
 * </ul>
 *
 * <p>Immutable; safe from any thread.
 */
public final class TesteeSettings {

    /** Largest message and frame accepted, in bytes: 16 MiB (group 9's largest messages). */
    public static final long MAX_MESSAGE = 16L << 20;
    /** Most frames one message may span: a 16 MiB message in 64-byte fragments. */
    public static final int MAX_FRAGMENTS = (int) (MAX_MESSAGE / 64);
    /** Outbound queue size under which {@code onDrain} fires, in bytes. */
    public static final long LOW_WATERMARK = 256 * 1024;
    /** Outbound queue size above which sends report the high watermark, in bytes. */
    public static final long HIGH_WATERMARK = 1 << 20;
    /** Outbound queue size past which the slow-consumer policy applies, in bytes. */
    public static final long HARD_LIMIT = 2 * MAX_MESSAGE;

    /**
     * The {@link java.util.zip.Deflater} level of the testees' 15-bit-window sends: 1, the fastest
     * ({@link java.util.zip.Deflater#BEST_SPEED}).
     */
    public static final int COMPRESSION_LEVEL = 1;

    private TesteeSettings() {
    }

    /**
     * The settings of a testee connection, server or client.
     *
     * @return the settings described in the class comment
     */
    public static ConnectionSettings connection() {
        return ConnectionSettings.defaults()
                .withMaxFrameSize(MAX_MESSAGE)
                .withMaxMessageSize(MAX_MESSAGE)
                .withMaxFragments(MAX_FRAGMENTS)
                .withOutboundLimits(LOW_WATERMARK, HIGH_WATERMARK, HARD_LIMIT)
                .withHeartbeat(Duration.ZERO, Duration.ofSeconds(10))
                .withDeflate(DeflateOptions.defaults().withCompressionLevel(COMPRESSION_LEVEL));
    }
}
