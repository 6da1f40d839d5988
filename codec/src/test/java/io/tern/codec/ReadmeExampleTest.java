package io.tern.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's codec example compiling and true: the code between the markers below must
 * be exactly the README's code block, and it must do what the README says.
 */
class ReadmeExampleTest {

    @Test
    void readmeExampleRuns() {
        // README-EXAMPLE-BEGIN
        // One server-side connection: bytes in, messages out; messages in, bytes out.
        List<String> received = new ArrayList<>();
        ClosingHandshake closing = new ClosingHandshake();
        MessageReader reader = new MessageReader(Role.SERVER, ReaderSettings.defaults(),
                new MessageListener() {
                    @Override public void onText(ByteBuffer utf8, boolean last) {
                        received.add(StandardCharsets.UTF_8.decode(utf8).toString());
                    }
                    @Override public void onBinary(ByteBuffer data, boolean last) { }
                    @Override public void onPing(ByteBuffer payload) { }
                    @Override public void onPong(ByteBuffer payload) { }
                    @Override public void onClose(int code, String reason) {
                        closing.closeReceived(code, reason);
                    }
                }, BufferPool.unpooled());
        MessageWriter writer = new MessageWriter(new FrameEncoder(Role.SERVER, null), closing);

        // A masked "Hello" from a client (RFC 6455 §5.7), then its close frame (1000).
        ByteBuffer in = ByteBuffer.wrap(new byte[] {
                (byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f, 0x4d, 0x51, 0x58,
                (byte) 0x88, (byte) 0x82, 0x11, 0x22, 0x33, 0x44, 0x12, (byte) 0xca});
        int status = reader.read(in);              // MessageReader.CLOSE_RECEIVED; received = [Hello]

        // Echo the text back: the header goes in its own buffer, the payload stays where it is.
        ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_SIZE);
        ByteBuffer payload = StandardCharsets.UTF_8.encode(received.get(0));
        writer.writeText(header, payload, true);   // header = 81 05; send header, then payload

        // Answer the close: 88 02 03 e8. The closing handshake is now complete.
        ByteBuffer close = ByteBuffer.allocate(MessageWriter.MAX_CLOSE_FRAME_SIZE);
        writer.writeClose(close, closing.replyCode(), "");
        // README-EXAMPLE-END

        assertEquals(MessageReader.CLOSE_RECEIVED, status);
        assertEquals(List.of("Hello"), received);
        assertEquals("8105", Bytes.hex(Bytes.remaining(header.flip())));
        assertEquals("880203e8", Bytes.hex(Bytes.remaining(close.flip())));
        assertEquals(ClosingHandshake.State.CLOSED, closing.state());
        assertEquals(true, closing.isClean());
    }

    @Test
    void readmeShowsExactlyThisExample() throws IOException {
        Path self = Path.of("src/test/java/io/tern/codec/ReadmeExampleTest.java");
        Path readme = Path.of("../README.md");
        String test = between(Files.readString(self), "// README-EXAMPLE-BEGIN\n", "        // README-EXAMPLE-END");
        String doc = between(Files.readString(readme), "<!-- codec-example -->\n```java\n", "```");
        assertEquals(dedent(test), dedent(doc), "README.md's codec example must match ReadmeExampleTest");
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        if (from < 0) {
            throw new AssertionError("marker not found: " + start.trim());
        }
        from += start.length();
        int to = text.indexOf(end, from);
        return text.substring(from, to);
    }

    private static String dedent(String block) {
        String[] lines = block.split("\n", -1);
        int indent = Integer.MAX_VALUE;
        for (String l : lines) {
            if (!l.isBlank()) {
                indent = Math.min(indent, l.length() - l.stripLeading().length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String l : lines) {
            out.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return out.toString().strip();
    }
}
