package io.tern.codec.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tern.codec.deflate.DeflateOptions;
import io.tern.codec.deflate.PerMessageDeflate;
import io.tern.codec.handshake.Extension;
import io.tern.codec.handshake.ExtensionHeader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Fuzz target for the {@code Sec-WebSocket-Extensions} grammar (RFC 6455 §9.1, RFC 7692 §5):
 * parsing never throws; for every accepted list, print → parse gives the same extensions and print
 * is then a fixed point; a server negotiating permessage-deflate from such an offer never throws,
 * and its answer is itself a valid header that a client can check.
 *
 * <p>Input: the bytes as ISO-8859-1 (as the head parser reads header values), split at LF into
 * several header lines of one head. Flags (byte 0, the rest is the text; no split bytes): bit 0
 * server policy without context takeover; bits 1-3 server window bits minus 8.
 */
class ExtensionHeaderFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void parsePrintParse(byte[] data) {
        int flags = data.length > 0 ? data[0] & 0xFF : 0;
        String text = new String(data, Math.min(1, data.length), Math.max(0, data.length - 1), StandardCharsets.ISO_8859_1);
        List<String> lines = Arrays.asList(text.split("\n", -1));
        ExtensionHeader.Result result = ExtensionHeader.parse(lines);
        for (String line : lines) {
            ExtensionHeader.parse(line);
        }
        if (!result.isValid()) {
            assertTrue(result.error() != null && !result.error().isEmpty(), "an invalid header says why");
            return;
        }
        List<Extension> parsed = result.extensions();
        String printed = ExtensionHeader.format(parsed);
        ExtensionHeader.Result again = ExtensionHeader.parse(printed);
        assertTrue(again.isValid(), "printed header does not parse: " + printed + " (" + again.error() + ")");
        assertEquals(parsed, again.extensions(), "parse(print(x)) differs from x");
        assertEquals(printed, ExtensionHeader.format(again.extensions()), "print is not a fixed point");

        DeflateOptions policy = DeflateOptions.defaults().withServerNoContextTakeover((flags & 1) != 0)
                .withServerMaxWindowBits(8 + ((flags >> 1) & 7));
        Optional<PerMessageDeflate.Agreement> deal = PerMessageDeflate.negotiate(parsed, policy);
        if (deal.isPresent()) {
            String answer = ExtensionHeader.format(List.of(deal.get().response()));
            ExtensionHeader.Result answered = ExtensionHeader.parse(answer);
            assertTrue(answered.isValid(), "the server's answer does not parse: " + answer);
            assertEquals(List.of(deal.get().response()), answered.extensions());
            PerMessageDeflate.ClientOutcome client = PerMessageDeflate.accept(answered.extensions(), DeflateOptions.defaults());
            assertTrue(!(client.failed() && client.negotiated()));
        }
    }
}
