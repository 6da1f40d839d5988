package io.tern.codec;

import java.nio.ByteBuffer;

/**
 * Writes frame headers (RFC 6455 §5.2) apart from their payloads.
 *
 * <p>The header goes into a small buffer of its own and the payload stays where the caller has
 * it, so a transport can send both with one gathering write and never copies a payload to frame
 * it. A {@link Role#CLIENT} encoder puts a fresh mask key from its {@link MaskKeySource} into every
 * header and masks the payload in place; a {@link Role#SERVER} encoder writes unmasked frames.
 * Lengths are always written in their minimal encoding.
 *
 * <p>Not thread-safe (the key source usually is not): one encoder per connection or event loop.
 *
 * <pre>{@code
 * FrameEncoder encoder = new FrameEncoder(Role.SERVER, null);
 * ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_SIZE);
 * encoder.encode(header, payload, true, Rsv.NONE, Opcode.TEXT);
 * channel.write(new ByteBuffer[] {header.flip(), payload});
 * }</pre>
 */
public final class FrameEncoder {

    /** The longest possible header: 2 bytes, an 8-byte length and a 4-byte mask key. */
    public static final int MAX_HEADER_SIZE = 14;

    private final Role role;
    private final boolean mask;
    private final MaskKeySource keys;

    /**
     * Creates an encoder for the frames that an endpoint of the given role sends.
     *
     * @param role the role of the sending endpoint
     * @param keys the mask key source, required for {@link Role#CLIENT} (normally
     *             {@link MaskKeySource#secure()}), ignored for {@link Role#SERVER}
     * @throws IllegalArgumentException if a client encoder gets no key source
     */
    public FrameEncoder(Role role, MaskKeySource keys) {
        this.role = role;
        this.mask = role.masksOutgoingFrames();
        if (mask && keys == null) {
            throw new IllegalArgumentException("a client encoder needs a mask key source");
        }
        this.keys = keys;
    }

    /**
     * The size of the header for a payload of the given length.
     *
     * @param payloadLength the payload length in bytes
     * @param masked        whether the header carries a mask key
     * @return 2 to 14
     */
    public static int headerSize(long payloadLength, boolean masked) {
        int size = payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
        return masked ? size + 4 : size;
    }

    /**
     * The role of the endpoint whose frames this encoder writes.
     *
     * @return the role
     */
    public Role role() {
        return role;
    }

    /**
     * Whether this encoder masks frames (it does for the client role).
     *
     * @return {@code true} when headers carry a mask key
     */
    public boolean masks() {
        return mask;
    }

    /**
     * Writes one frame header at {@code header}'s position, advancing it.
     *
     * @param header        where the header goes; needs {@link #headerSize} bytes remaining
     * @param fin           whether this is the final fragment of its message
     * @param rsv           reserved bits, a combination of {@link Rsv} constants
     * @param opcode        a defined opcode (see {@link Opcode})
     * @param payloadLength the payload length in bytes
     * @return the mask key written into the header, which the payload must be masked with; 0 for
     *     an unmasked (server) frame
     * @throws IllegalArgumentException for a reserved opcode, stray bits in {@code rsv}, a negative
     *     length, or a control frame that is fragmented or longer than 125 bytes
     */
    public int writeHeader(ByteBuffer header, boolean fin, int rsv, int opcode, long payloadLength) {
        if (!Opcode.isDefined(opcode)) {
            throw new IllegalArgumentException("reserved opcode: " + Opcode.name(opcode));
        }
        if ((rsv & ~Rsv.ALL) != 0) {
            throw new IllegalArgumentException("rsv must only hold RSV1..RSV3 bits: 0x" + Integer.toHexString(rsv));
        }
        if (payloadLength < 0) {
            throw new IllegalArgumentException("negative payload length: " + payloadLength);
        }
        if (Opcode.isControl(opcode) && (!fin || payloadLength > FrameDecoder.MAX_CONTROL_PAYLOAD)) {
            throw new IllegalArgumentException("control frames must be final and at most 125 bytes: "
                    + Opcode.name(opcode) + " fin=" + fin + " length=" + payloadLength);
        }
        int maskBit = mask ? 0x80 : 0;
        header.put((byte) ((fin ? 0x80 : 0) | rsv | opcode));
        if (payloadLength < 126) {
            header.put((byte) (maskBit | (int) payloadLength));
        } else if (payloadLength <= 0xFFFF) {
            header.put((byte) (maskBit | 126));
            header.put((byte) (payloadLength >>> 8));
            header.put((byte) payloadLength);
        } else {
            header.put((byte) (maskBit | 127));
            for (int shift = 56; shift >= 0; shift -= 8) {
                header.put((byte) (payloadLength >>> shift));
            }
        }
        if (!mask) {
            return 0;
        }
        int key = keys.nextMaskKey();
        header.put((byte) (key >>> 24));
        header.put((byte) (key >>> 16));
        header.put((byte) (key >>> 8));
        header.put((byte) key);
        return key;
    }

    /**
     * Writes the header for {@code payload} (position to limit) and, for a client, masks the
     * payload in place. The payload's position and limit are not changed.
     *
     * @param header  where the header goes; needs {@link #headerSize} bytes remaining
     * @param payload the frame's payload; must be writable when this encoder masks
     * @param fin     whether this is the final fragment of its message
     * @param rsv     reserved bits, a combination of {@link Rsv} constants
     * @param opcode  a defined opcode
     * @throws IllegalArgumentException as {@link #writeHeader}
     */
    public void encode(ByteBuffer header, ByteBuffer payload, boolean fin, int rsv, int opcode) {
        int key = writeHeader(header, fin, rsv, opcode, payload.remaining());
        if (mask) {
            Masking.apply(payload, key);
        }
    }
}
