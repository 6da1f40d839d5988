package io.tern.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CodecDemoTest {

    @Test
    void walkThroughCompletesAndShowsTheRfcHandshake() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean ok = CodecDemo.runOn(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(ok, printed);
        assertTrue(printed.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), printed);
        assertTrue(printed.contains("server reads text: \"fragmented\""), printed);
        assertTrue(printed.contains("server reads ping: \"are you there?\""), printed);
        assertTrue(printed.contains("81 0b 48 65 6c 6c 6f 2c 20 54 65 72 6e"), "the unmasked echo frame: " + printed);
        assertTrue(printed.contains("client reads close: 1000 \"\""), printed);
    }
}
