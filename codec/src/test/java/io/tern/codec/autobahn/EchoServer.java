package io.tern.codec.autobahn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.Bytes;
import io.tern.codec.ClosingHandshake;
import io.tern.codec.FrameEncoder;
import io.tern.codec.MessageListener;
import io.tern.codec.MessageWriter;
import io.tern.codec.Role;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * What the Autobahn fuzzing client talks to: a server that echoes every text and binary message,
 * answers every ping with a pong carrying the same payload, ignores pongs, answers a close frame
 * with a close frame echoing its code, and fails the connection with the reader's close code.
 * Everything it sends goes through {@link MessageWriter} (server role: unmasked) into {@link #wire}.
 */
final class EchoServer implements MessageListener {

    final ClosingHandshake closing = new ClosingHandshake();
    final MessageWriter writer = new MessageWriter(new FrameEncoder(Role.SERVER, null), closing);
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_SIZE);

    @Override
    public void onText(ByteBuffer utf8, boolean last) {
        assertTrue(last, "whole-message delivery hands over whole messages");
        byte[] payload = Bytes.remaining(utf8);
        assertEquals(MessageWriter.WRITTEN, writer.writeText(header.clear(), ByteBuffer.wrap(payload), true));
        send(payload);
    }

    @Override
    public void onBinary(ByteBuffer data, boolean last) {
        assertTrue(last, "whole-message delivery hands over whole messages");
        byte[] payload = Bytes.remaining(data);
        assertEquals(MessageWriter.WRITTEN, writer.writeBinary(header.clear(), ByteBuffer.wrap(payload), true));
        send(payload);
    }

    @Override
    public void onPing(ByteBuffer payload) {
        byte[] bytes = Bytes.remaining(payload);
        assertEquals(MessageWriter.WRITTEN, writer.writePong(header.clear(), ByteBuffer.wrap(bytes)));
        send(bytes);
    }

    @Override
    public void onPong(ByteBuffer payload) {
        // Unsolicited or not, a pong is not answered.
    }

    @Override
    public void onClose(int code, String reason) {
        closing.closeReceived(code, reason);
        ByteBuffer frame = ByteBuffer.allocate(MessageWriter.MAX_CLOSE_FRAME_SIZE);
        assertEquals(MessageWriter.WRITTEN, writer.writeClose(frame, closing.replyCode(), ""));
        wire.write(frame.array(), 0, frame.position());
    }

    /** Fails the connection: sends a close frame with the reader's code and reason. */
    void fail(int code, String reason) {
        ByteBuffer frame = ByteBuffer.allocate(MessageWriter.MAX_CLOSE_FRAME_SIZE);
        assertEquals(MessageWriter.WRITTEN, writer.writeClose(frame, code, reason));
        wire.write(frame.array(), 0, frame.position());
    }

    byte[] wire() {
        return wire.toByteArray();
    }

    private void send(byte[] payload) {
        header.flip();
        wire.write(header.array(), 0, header.limit());
        wire.writeBytes(payload);
    }
}
