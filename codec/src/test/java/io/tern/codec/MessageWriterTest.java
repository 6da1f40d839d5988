package io.tern.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class MessageWriterTest {

    private final ClosingHandshake closing = new ClosingHandshake();
    private final MessageWriter server = new MessageWriter(new FrameEncoder(Role.SERVER, null), closing);
    private final ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_SIZE);

    private String headerHex() {
        String hex = Bytes.hex(Bytes.remaining(header.flip()));
        header.clear();
        return hex;
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(Bytes.utf8(s));
    }

    @Test
    void fragmentsGoOutAsFirstFrameThenContinuations() {
        assertEquals(MessageWriter.WRITTEN, server.writeText(header, text("Hel"), false));
        assertEquals("0103", headerHex());
        assertTrue(server.isInsideMessage());
        assertEquals(MessageWriter.WRITTEN, server.writePing(header, text("p")));
        assertEquals("8901", headerHex(), "control frames may go between fragments");
        assertEquals(MessageWriter.WRITTEN, server.writeText(header, text("l"), false));
        assertEquals("0001", headerHex());
        assertEquals(MessageWriter.WRITTEN, server.writeText(header, text("o"), true));
        assertEquals("8001", headerHex());
        assertFalse(server.isInsideMessage());
        assertEquals(MessageWriter.WRITTEN, server.writeBinary(header, ByteBuffer.allocate(2), true));
        assertEquals("8202", headerHex());
    }

    @Test
    void aMessageOfTheOtherTypeCannotStartInsideOne() {
        server.writeBinary(header, ByteBuffer.allocate(1), false);
        header.clear();
        assertThrows(IllegalStateException.class, () -> server.writeText(header, text("x"), true));
    }

    @Test
    void compressedFirstFrameCarriesRsv1() {
        server.writeData(Opcode.TEXT, Rsv.RSV1, header, ByteBuffer.allocate(3), false);
        assertEquals("4103", headerHex());
        server.writeData(Opcode.TEXT, Rsv.NONE, header, ByteBuffer.allocate(3), true);
        assertEquals("8003", headerHex());
        assertThrows(IllegalArgumentException.class,
                () -> server.writeData(Opcode.PING, 0, header, ByteBuffer.allocate(0), true));
    }

    @Test
    void closeFrameBytesAndNothingAfterIt() {
        ByteBuffer frame = ByteBuffer.allocate(MessageWriter.MAX_CLOSE_FRAME_SIZE);
        assertEquals(MessageWriter.WRITTEN, server.writeClose(frame, 1000, ""));
        assertEquals("880203e8", Bytes.hex(Bytes.remaining(frame.flip())));
        assertTrue(closing.isCloseSent());
        assertEquals(ClosingHandshake.State.CLOSE_SENT, closing.state());
        assertEquals(MessageWriter.REFUSED_CLOSING, server.writeText(header, text("late"), true));
        assertEquals(MessageWriter.REFUSED_CLOSING, server.writePing(header, text("")));
        assertEquals(MessageWriter.REFUSED_CLOSING, server.writePong(header, text("")));
        assertEquals(MessageWriter.REFUSED_CLOSING, server.writeClose(frame.clear(), 1000, ""));
        assertEquals(0, header.position(), "nothing written");
    }

    @Test
    void closeWithReasonAndEmptyClose() {
        ByteBuffer frame = ByteBuffer.allocate(MessageWriter.MAX_CLOSE_FRAME_SIZE);
        server.writeClose(frame, 4000, "bye");
        assertEquals("88050fa0627965", Bytes.hex(Bytes.remaining(frame.flip())));
        MessageWriter other = new MessageWriter(new FrameEncoder(Role.SERVER, null), new ClosingHandshake());
        frame.clear();
        other.writeClose(frame, CloseCodes.NO_STATUS_RECEIVED, "ignored");
        assertEquals("8800", Bytes.hex(Bytes.remaining(frame.flip())));
    }

    @Test
    void clientCloseIsMaskedAndDecodes() {
        MessageWriter client = new MessageWriter(new FrameEncoder(Role.CLIENT, () -> 0x37fa213d), new ClosingHandshake());
        ByteBuffer frame = ByteBuffer.allocate(MessageWriter.MAX_CLOSE_FRAME_SIZE);
        client.writeClose(frame, 1001, "going");
        byte[] wire = Bytes.remaining(frame.flip());
        assertEquals("888737fa213d", Bytes.hex(wire).substring(0, 12));
        assertEquals(java.util.List.of("CLOSE:1001:going"), ReaderRun.server(wire, Feeding.BYTE_BY_BYTE_HEAP).outcome());
    }

    @Test
    void invalidCloseArgumentsThrow() {
        ByteBuffer frame = ByteBuffer.allocate(MessageWriter.MAX_CLOSE_FRAME_SIZE);
        for (int code : new int[] {999, 1004, 1006, 1015, 2999, 5000}) {
            assertThrows(IllegalArgumentException.class, () -> server.writeClose(frame, code, ""), "code " + code);
        }
        assertThrows(IllegalArgumentException.class, () -> server.writeClose(frame, 1000, "x".repeat(124)));
        assertEquals(MessageWriter.WRITTEN, server.writeClose(frame, 1000, "é".repeat(61) + "x"), "123 bytes fit");
        assertEquals(2 + 125, frame.position());
    }

    @Test
    void answeringThePeersCloseCompletesTheHandshake() {
        closing.closeReceived(1001, "away");
        assertTrue(closing.mustReply());
        ByteBuffer frame = ByteBuffer.allocate(MessageWriter.MAX_CLOSE_FRAME_SIZE);
        server.writeClose(frame, closing.replyCode(), "");
        assertEquals("880203e9", Bytes.hex(Bytes.remaining(frame.flip())));
        assertTrue(closing.isClosed());
        assertTrue(closing.isClean());
        assertFalse(closing.initiatedLocally());
    }

    @Test
    void headerOnlyWritesLetTheCallerPlaceAndMaskThePayload() {
        ClosingHandshake c = new ClosingHandshake();
        MessageWriter client = new MessageWriter(new FrameEncoder(Role.CLIENT, () -> 0x37fa213d), c);
        ByteBuffer out = ByteBuffer.allocate(64);
        byte[] hello = Bytes.utf8("Hello");
        assertEquals(MessageWriter.WRITTEN, client.writeDataHeader(Opcode.TEXT, Rsv.NONE, out, hello.length, true));
        int start = out.position();
        out.put(hello);
        Masking.apply(out, start, out.position(), client.lastMaskKey(), 0);
        assertEquals("818537fa213d7f9f4d5158", Bytes.hex(Bytes.remaining(out.flip())));
        assertEquals("Hello", new String(hello), "the caller's bytes are untouched");

        out.clear();
        assertEquals(MessageWriter.WRITTEN, client.writeControlHeader(Opcode.PONG, out, 5));
        assertEquals("8a8537fa213d", Bytes.hex(Bytes.remaining(out.flip())));
        assertThrows(IllegalArgumentException.class, () -> client.writeControlHeader(Opcode.CLOSE, ByteBuffer.allocate(14), 0));

        assertEquals(MessageWriter.WRITTEN, client.writeDataHeader(Opcode.BINARY, Rsv.NONE, out.clear(), 1, false));
        assertTrue(client.isInsideMessage());
        assertThrows(IllegalStateException.class, () -> client.writeDataHeader(Opcode.TEXT, Rsv.NONE, ByteBuffer.allocate(14), 1, true));
        client.writeClose(ByteBuffer.allocate(MessageWriter.MAX_CLOSE_FRAME_SIZE), 1000, "");
        assertEquals(MessageWriter.REFUSED_CLOSING, client.writeDataHeader(Opcode.BINARY, Rsv.NONE, out.clear(), 1, true));
        assertEquals(MessageWriter.REFUSED_CLOSING, client.writeControlHeader(Opcode.PING, out, 0));
        assertEquals(0, out.position());
    }

    @Test
    void nothingIsWrittenAfterAnAbort() {
        closing.abort();
        assertEquals(MessageWriter.REFUSED_CLOSING, server.writeText(header, text("late"), true));
        assertEquals(MessageWriter.REFUSED_CLOSING, server.writePing(header, text("")));
        ByteBuffer frame = ByteBuffer.allocate(MessageWriter.MAX_CLOSE_FRAME_SIZE);
        assertEquals(MessageWriter.REFUSED_CLOSING, server.writeClose(frame, 1000, ""));
        assertEquals(0, header.position());
        assertEquals(0, frame.position(), "no half-written close frame");
    }
}
