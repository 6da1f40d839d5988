package io.tern.transport.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP/1.1 message head (RFC 9112 §2.1) as received: the start-line (status-line of a response,
 * request-line of a request) and the header fields in order, parsed here without the codec.
 *
 * @param raw       the whole head as received, ISO-8859-1, up to and including the empty line
 * @param startLine the first line, without its CRLF
 * @param fields    name and value of each field line, in order; values trimmed
 */
public record HttpHead(String raw, String startLine, List<String[]> fields) {

    /** The longest head a test reads: 64 KiB. */
    public static final int MAX_BYTES = 64 * 1024;

    /**
     * Reads one head byte by byte, up to and including the empty line, so that nothing after it
     * (a frame, a body) is consumed.
     *
     * @param in the stream
     * @return the head
     * @throws EOFException when the stream ends inside the head
     * @throws IOException  when reading fails
     */
    public static HttpHead read(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside an HTTP head after " + raw.size() + " bytes: "
                        + raw.toString(StandardCharsets.ISO_8859_1));
            }
            raw.write(b);
            last4 = (last4 << 8) | b;
            if (raw.size() > MAX_BYTES) {
                fail("HTTP head longer than 64 KiB");
            }
        }
        return parse(raw.toString(StandardCharsets.ISO_8859_1));
    }

    /** Parses a head. */
    public static HttpHead parse(String raw) {
        String[] lines = raw.split("\r\n");
        List<String[]> fields = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            int colon = lines[i].indexOf(':');
            assertTrue(colon > 0, () -> "malformed header line: " + raw);
            fields.add(new String[] {lines[i].substring(0, colon), lines[i].substring(colon + 1).trim()});
        }
        return new HttpHead(raw, lines[0], fields);
    }

    /** The status code of a response head. */
    public int status() {
        return Integer.parseInt(startLine.split(" ")[1]);
    }

    /** Every value of a header field, in order; names compare case-insensitively. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (String[] f : fields) {
            if (f[0].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                values.add(f[1]);
            }
        }
        return values;
    }

    /** The header field's only value, {@code null} when absent; fails when it is repeated. */
    public String single(String name) {
        List<String> values = all(name);
        assertTrue(values.size() <= 1, () -> name + " repeated in " + raw);
        return values.isEmpty() ? null : values.get(0);
    }
}
