package io.tern.pubsub.redis;

import io.tern.codec.Utf8Validator;
import io.tern.transport.PreparedMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes a message crosses Redis as, version 1:
 *
 * <pre>
 * offset  size  field
 * 0       1     magic 0x54 ('T')
 * 1       1     version, 1
 * 2       1     kind: 1 topic, 2 key, 3 direct (to one connection); bit 0x80 set = binary payload
 * 3       1     n, the origin instance id's length in bytes, 1..255
 * 4       n     origin instance id (UTF-8)
 * 4+n     8     (direct only) the connection id, big-endian
 * ...     rest  the payload, as the application sent it (text: UTF-8)
 * </pre>
 *
 * The topic or key is the Redis channel's name, not part of the envelope. Decoding checks every
 * field and the payload's UTF-8 for text, so nothing malformed is ever delivered.
 *
 * <p>Threading contract: stateless; every method is safe from any thread.
 */
final class Envelope {

    static final byte MAGIC = 0x54;
    static final byte VERSION = 1;
    static final int TOPIC = 1;
    static final int KEY = 2;
    static final int DIRECT = 3;
    static final int BINARY_FLAG = 0x80;

    /** Why an envelope was refused. */
    enum Fault {
        TOO_SHORT, BAD_MAGIC, UNKNOWN_VERSION, UNKNOWN_KIND, BAD_ORIGIN, BAD_UTF8, OVERSIZE
    }

    /** A decoded envelope; the payload is a view of the received bytes. */
    record Decoded(int kind, boolean binary, int originOffset, int originLength, long connectionId,
            int payloadOffset, int payloadLength) {
    }

    private Envelope() {
    }

    /** Encodes a message of one kind ({@code connectionId} only for {@link #DIRECT}). */
    static byte[] encode(int kind, byte[] origin, long connectionId, PreparedMessage message) {
        ByteBuffer frame = message.frame();
        int length = message.payloadLength();
        int header = 4 + origin.length + (kind == DIRECT ? 8 : 0);
        byte[] out = new byte[header + length];
        out[0] = MAGIC;
        out[1] = VERSION;
        out[2] = (byte) (kind | (message.isText() ? 0 : BINARY_FLAG));
        out[3] = (byte) origin.length;
        System.arraycopy(origin, 0, out, 4, origin.length);
        if (kind == DIRECT) {
            ByteBuffer.wrap(out, 4 + origin.length, 8).putLong(connectionId);
        }
        frame.position(frame.limit() - length).get(out, header, length);
        return out;
    }

    /** The encoded size of a message: for the size limit, before encoding. */
    static int size(int kind, byte[] origin, PreparedMessage message) {
        return 4 + origin.length + (kind == DIRECT ? 8 : 0) + message.payloadLength();
    }

    /**
     * Decodes and checks an envelope.
     *
     * @param maxPayload the largest payload accepted
     * @param sink       receives the fault, if any
     * @return the envelope, or null (then {@code sink} was told why)
     */
    static Decoded decode(byte[] in, int maxPayload, java.util.function.Consumer<Fault> sink) {
        if (in.length < 5) {
            sink.accept(Fault.TOO_SHORT);
            return null;
        }
        if (in[0] != MAGIC) {
            sink.accept(Fault.BAD_MAGIC);
            return null;
        }
        if (in[1] != VERSION) {
            sink.accept(Fault.UNKNOWN_VERSION);
            return null;
        }
        int kind = in[2] & 0x7f;
        boolean binary = (in[2] & BINARY_FLAG) != 0;
        if (kind != TOPIC && kind != KEY && kind != DIRECT) {
            sink.accept(Fault.UNKNOWN_KIND);
            return null;
        }
        int n = in[3] & 0xff;
        int header = 4 + n + (kind == DIRECT ? 8 : 0);
        if (n == 0) {
            sink.accept(Fault.BAD_ORIGIN);
            return null;
        }
        if (in.length < header) {
            sink.accept(Fault.TOO_SHORT);
            return null;
        }
        int length = in.length - header;
        if (length > maxPayload) {
            sink.accept(Fault.OVERSIZE);
            return null;
        }
        if (!Utf8Validator.isValid(ByteBuffer.wrap(in), 4, 4 + n)) {
            sink.accept(Fault.BAD_ORIGIN);
            return null;
        }
        if (!binary && !Utf8Validator.isValid(ByteBuffer.wrap(in), header, in.length)) {
            sink.accept(Fault.BAD_UTF8);
            return null;
        }
        long id = kind == DIRECT ? ByteBuffer.wrap(in, 4 + n, 8).getLong() : 0;
        return new Decoded(kind, binary, 4, n, id, header, length);
    }

    /** Whether the envelope's origin is the given id (no allocation). */
    static boolean isFrom(byte[] in, Decoded d, byte[] origin) {
        if (d.originLength() != origin.length) {
            return false;
        }
        for (int i = 0; i < origin.length; i++) {
            if (in[d.originOffset() + i] != origin[i]) {
                return false;
            }
        }
        return true;
    }

    /** The origin id, for diagnostics. */
    static String origin(byte[] in, Decoded d) {
        return new String(in, d.originOffset(), d.originLength(), StandardCharsets.UTF_8);
    }

    /** The payload as a message framed once for local fan-out. */
    static PreparedMessage message(byte[] in, Decoded d) {
        ByteBuffer payload = ByteBuffer.wrap(in, d.payloadOffset(), d.payloadLength());
        return d.binary() ? PreparedMessage.binary(payload) : PreparedMessage.text(payload);
    }
}
