package io.tern.autobahn.broken;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A deliberately small WebSocket wire kit over blocking streams, written for the broken testees
 * and the testee tests and independent of Tern's codec: frame reading and writing (RFC 6455
 * §5.2), the upgrade's HTTP head and accept key (§4.2.2), and raw DEFLATE for permessage-deflate
 * (RFC 7692 §7.2) with {@code java.util.zip}. It checks nothing beyond what it needs to parse.
 *
 * <p>Stateless; the streams passed in belong to the calling thread.
 */
public final class Wire {

    /** Opcodes of RFC 6455 §5.2. */
    public static final int CONTINUATION = 0x0;
    /** Text frame. */
    public static final int TEXT = 0x1;
    /** Binary frame. */
    public static final int BINARY = 0x2;
    /** Close frame. */
    public static final int CLOSE = 0x8;
    /** Ping frame. */
    public static final int PING = 0x9;
    /** Pong frame. */
    public static final int PONG = 0xA;

    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    private Wire() {
    }

    /**
     * One frame as it was on the wire, payload unmasked.
     *
     * @param fin     the FIN bit
     * @param rsv     the three RSV bits as a number 0–7 (RSV1 is 4)
     * @param opcode  the opcode
     * @param masked  whether a masking key was present
     * @param payload the payload, unmasked
     */
    public record Frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {

        /** @return the payload as UTF-8 text (malformed input replaced) */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** @return the close code of a close frame, or 1005 when it carries none */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    /**
     * Reads one frame.
     *
     * @param in the stream
     * @return the frame
     * @throws EOFException if the stream ends before a whole frame
     * @throws IOException  on a read error
     */
    public static Frame readFrame(InputStream in) throws IOException {
        int b0 = readByte(in);
        int b1 = readByte(in);
        long length = b1 & 0x7f;
        if (length == 126) {
            length = (readByte(in) << 8) | readByte(in);
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte(in);
            }
        }
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw new IOException("frame length out of range: " + length);
        }
        boolean masked = (b1 & 0x80) != 0;
        byte[] key = masked ? in.readNBytes(4) : null;
        byte[] payload = in.readNBytes((int) length);
        if (payload.length != length || (masked && key.length != 4)) {
            throw new EOFException("stream ended inside a frame");
        }
        if (masked) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= key[i & 3];
            }
        }
        return new Frame((b0 & 0x80) != 0, (b0 >> 4) & 7, b0 & 0x0f, masked, payload);
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("stream ended");
        }
        return b;
    }

    /**
     * Encodes one frame.
     *
     * @param fin     the FIN bit
     * @param rsv     RSV bits 0–7 (RSV1 is 4)
     * @param opcode  the opcode
     * @param mask    a 4-byte masking key, or {@code null} for an unmasked frame
     * @param payload the payload
     * @return the frame's bytes
     */
    public static byte[] frame(boolean fin, int rsv, int opcode, byte[] mask, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int m = mask == null ? 0 : 0x80;
        if (payload.length < 126) {
            out.write(m | payload.length);
        } else if (payload.length < 65536) {
            out.write(m | 126);
            out.write(payload.length >> 8);
            out.write(payload.length);
        } else {
            out.write(m | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >> shift));
            }
        }
        if (mask == null) {
            out.writeBytes(payload);
        } else {
            out.writeBytes(mask);
            for (int i = 0; i < payload.length; i++) {
                out.write(payload[i] ^ mask[i & 3]);
            }
        }
        return out.toByteArray();
    }

    /**
     * Writes one frame and flushes.
     *
     * @param out     the stream
     * @param fin     the FIN bit
     * @param rsv     RSV bits 0–7
     * @param opcode  the opcode
     * @param mask    a masking key or {@code null}
     * @param payload the payload
     * @throws IOException on a write error
     */
    public static void writeFrame(OutputStream out, boolean fin, int rsv, int opcode, byte[] mask, byte[] payload)
            throws IOException {
        out.write(frame(fin, rsv, opcode, mask, payload));
        out.flush();
    }

    /**
     * A close frame's payload: the code and a UTF-8 reason.
     *
     * @param code   the close code
     * @param reason the reason
     * @return the payload
     */
    public static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }

    /**
     * Reads an HTTP head up to the blank line: the first line under key {@code ""}, header names
     * in lower case (a repeated header's values joined with ", ").
     *
     * @param in the stream
     * @return the head
     * @throws IOException if the stream ends before the blank line or the head exceeds 16 KiB
     */
    public static Map<String, String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        Map<String, String> head = new LinkedHashMap<>();
        int total = 0;
        while (true) {
            int b = readByte(in);
            if (++total > 16 * 1024) {
                throw new IOException("HTTP head longer than 16 KiB");
            }
            if (b != '\n') {
                if (b != '\r') {
                    line.write(b);
                }
                continue;
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            line.reset();
            if (text.isEmpty()) {
                return head;
            }
            if (head.isEmpty()) {
                head.put("", text);
                continue;
            }
            int colon = text.indexOf(':');
            if (colon > 0) {
                head.merge(text.substring(0, colon).trim().toLowerCase(Locale.ROOT), text.substring(colon + 1).trim(),
                        (a, c) -> a + ", " + c);
            }
        }
    }

    /**
     * The {@code Sec-WebSocket-Accept} value for a key (RFC 6455 §4.2.2).
     *
     * @param key the client's {@code Sec-WebSocket-Key}
     * @return base64 of SHA-1 of the key and the protocol's GUID
     */
    public static String acceptKey(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }

    /**
     * Compresses one message as permessage-deflate sends it: raw DEFLATE, flushed with
     * {@code SYNC_FLUSH}, the final {@code 00 00 ff ff} removed (RFC 7692 §7.2.1).
     *
     * @param deflater a raw ({@code nowrap}) deflater; reset it first for no context takeover
     * @param message  the message
     * @return the compressed payload
     */
    public static byte[] compress(Deflater deflater, byte[] message) {
        deflater.setInput(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length / 2 + 64);
        byte[] buf = new byte[8192];
        int n;
        do {
            n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length || !deflater.needsInput());
        byte[] all = out.toByteArray();
        int len = all.length;
        if (len >= 4 && all[len - 4] == 0 && all[len - 3] == 0 && all[len - 2] == (byte) 0xff && all[len - 1] == (byte) 0xff) {
            len -= 4;
        }
        return java.util.Arrays.copyOf(all, len);
    }

    /**
     * Decompresses one permessage-deflate message (appends the {@code 00 00 ff ff} tail, RFC 7692
     * §7.2.2).
     *
     * @param inflater a raw ({@code nowrap}) inflater; reset it first for no context takeover
     * @param payload  the compressed payload of the whole message
     * @param limit    the largest result accepted, in bytes
     * @return the message
     * @throws DataFormatException if the data is not valid DEFLATE or inflates past {@code limit}
     */
    public static byte[] decompress(Inflater inflater, byte[] payload, int limit) throws DataFormatException {
        byte[] input = java.util.Arrays.copyOf(payload, payload.length + 4);
        System.arraycopy(TAIL, 0, input, payload.length, 4);
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length * 2 + 64);
        byte[] buf = new byte[8192];
        while (true) {
            int n = inflater.inflate(buf);
            out.write(buf, 0, n);
            if (out.size() > limit) {
                throw new DataFormatException("message inflates past " + limit + " bytes");
            }
            if (n == 0 && (inflater.needsInput() || inflater.finished())) {
                return out.toByteArray();
            }
            if (n == 0 && inflater.needsDictionary()) {
                throw new DataFormatException("a preset dictionary is not allowed");
            }
        }
    }
}
