package io.tern.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Deterministic inputs shared by the benchmarks and the load generator: valid UTF-8 text of an
 * exact byte length, a realistic JSON corpus, incompressible bytes, and whole WebSocket frames
 * (RFC 6455 §5.2) built without any codec under test, so both sides of a comparison read the same
 * bytes.
 */
public final class Payloads {

    private static final String[] WORDS = {"price", "quantity", "symbol", "bid", "ask", "user", "room",
        "message", "hello", "world", "order", "trade", "status", "filled", "open", "déjà", "naïve", "über",
        "€", "日本", "latency", "tern", "socket", "frame"};

    private Payloads() {
    }

    /**
     * Valid UTF-8 text of exactly {@code bytes} bytes: words with about one non-ASCII character in
     * twenty, like chat or JSON traffic in most languages; padded with ASCII at the end.
     *
     * @param bytes the length in bytes, at least 0
     * @param seed  seed of the word choice
     * @return the text's bytes
     */
    public static byte[] utf8Text(int bytes, long seed) {
        Random random = new Random(seed);
        byte[] out = new byte[bytes];
        int n = 0;
        while (n < bytes) {
            byte[] word = (WORDS[random.nextInt(WORDS.length)] + ' ').getBytes(StandardCharsets.UTF_8);
            if (n + word.length > bytes) {
                while (n < bytes) {
                    out[n++] = 'x';
                }
                break;
            }
            System.arraycopy(word, 0, out, n, word.length);
            n += word.length;
        }
        return out;
    }

    /**
     * A JSON corpus of about {@code bytes} bytes (exactly that many): an array of order and chat
     * records with repeated keys, numbers and short strings, as API and pub/sub traffic looks.
     *
     * @param bytes the length in bytes
     * @param seed  seed of the values
     * @return the JSON bytes, padded with spaces to the exact length
     */
    public static byte[] json(int bytes, long seed) {
        Random random = new Random(seed);
        StringBuilder sb = new StringBuilder(bytes + 256);
        sb.append('[');
        String[] symbols = {"ACME", "TERN", "GULL", "WREN", "KITE", "HERON"};
        String[] sides = {"buy", "sell"};
        int id = 1000;
        while (sb.length() < bytes) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            if (random.nextInt(4) == 0) {
                sb.append("{\"type\":\"message\",\"room\":\"lobby\",\"from\":\"user").append(random.nextInt(500))
                        .append("\",\"text\":\"").append(WORDS[random.nextInt(WORDS.length)]).append(' ')
                        .append(WORDS[random.nextInt(WORDS.length)]).append("\",\"time\":")
                        .append(1700000000000L + random.nextInt(1_000_000)).append('}');
            } else {
                sb.append("{\"id\":").append(id++).append(",\"symbol\":\"").append(symbols[random.nextInt(symbols.length)])
                        .append("\",\"side\":\"").append(sides[random.nextInt(2)]).append("\",\"price\":")
                        .append(100 + random.nextInt(50)).append('.').append(random.nextInt(100))
                        .append(",\"quantity\":").append(1 + random.nextInt(1000)).append(",\"status\":\"")
                        .append(random.nextBoolean() ? "open" : "filled").append("\"}");
            }
        }
        byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[bytes];
        int n = Math.min(bytes, text.length);
        System.arraycopy(text, 0, out, 0, n);
        for (int i = n; i < bytes; i++) {
            out[i] = ' ';
        }
        if (bytes > 0) {
            out[bytes - 1] = ']';
        }
        return out;
    }

    /**
     * Incompressible bytes.
     *
     * @param bytes the length
     * @param seed  the seed
     * @return random bytes
     */
    public static byte[] random(int bytes, long seed) {
        byte[] out = new byte[bytes];
        new Random(seed).nextBytes(out);
        return out;
    }

    /**
     * A whole final frame (RFC 6455 §5.2): header, optional masking key, payload (masked when a
     * key is given). Written byte by byte here so that no codec under test builds its own input.
     *
     * @param opcode  the opcode (1 text, 2 binary, ...)
     * @param rsv1    whether RSV1 (permessage-deflate's "compressed") is set
     * @param payload the unmasked payload
     * @param maskKey the masking key, or {@code null} for an unmasked (server) frame
     * @return the frame's bytes
     */
    public static byte[] frame(int opcode, boolean rsv1, byte[] payload, byte[] maskKey) {
        int n = payload.length;
        int lengthBytes = n < 126 ? 0 : n <= 0xFFFF ? 2 : 8;
        int header = 2 + lengthBytes + (maskKey == null ? 0 : 4);
        ByteBuffer out = ByteBuffer.allocate(header + n);
        out.put((byte) (0x80 | (rsv1 ? 0x40 : 0) | opcode));
        int maskBit = maskKey == null ? 0 : 0x80;
        if (lengthBytes == 0) {
            out.put((byte) (maskBit | n));
        } else if (lengthBytes == 2) {
            out.put((byte) (maskBit | 126)).putShort((short) n);
        } else {
            out.put((byte) (maskBit | 127)).putLong(n);
        }
        if (maskKey != null) {
            out.put(maskKey);
        }
        for (int i = 0; i < n; i++) {
            out.put(maskKey == null ? payload[i] : (byte) (payload[i] ^ maskKey[i & 3]));
        }
        return out.array();
    }
}
