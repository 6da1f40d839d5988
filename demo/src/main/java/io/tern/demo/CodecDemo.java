package io.tern.demo;

import io.tern.codec.BufferPool;
import io.tern.codec.ClosingHandshake;
import io.tern.codec.FrameEncoder;
import io.tern.codec.MaskKeySource;
import io.tern.codec.MessageListener;
import io.tern.codec.MessageReader;
import io.tern.codec.MessageWriter;
import io.tern.codec.ReaderSettings;
import io.tern.codec.Role;
import io.tern.codec.handshake.ClientHandshake;
import io.tern.codec.handshake.ClientHandshakeResult;
import io.tern.codec.handshake.HttpHeadParser;
import io.tern.codec.handshake.ServerHandshake;
import io.tern.codec.handshake.ServerHandshakeResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Walks a client and a server through a whole WebSocket conversation in memory with Tern's codec
 * — upgrade handshake, a text message, a fragmented message with a ping between its fragments,
 * and the closing handshake — printing every byte that would cross the wire and what each side
 * makes of it. No sockets are involved: the codec is sans-I/O.
 */
public final class CodecDemo {

    private final PrintStream out;

    private CodecDemo(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the walk-through on standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        new CodecDemo(System.out).run();
    }

    /**
     * Runs the walk-through.
     *
     * @param out where to print
     * @return {@code true} when every step ended as the protocol says it must
     */
    static boolean runOn(PrintStream out) {
        return new CodecDemo(out).run();
    }

    private boolean run() {
        out.println("Tern codec walk-through: a client and a server talking through byte buffers.\n");

        // 1. Opening handshake (RFC 6455 §4), with the key from the RFC's own example.
        ClientHandshake client = ClientHandshake.builder(URI.create("ws://127.0.0.1:9001/echo"))
                .key("dGhlIHNhbXBsZSBub25jZQ==")
                .build();
        byte[] request = client.toBytes();
        out.println("client → server  upgrade request:");
        printText(request);

        HttpHeadParser requestParser = HttpHeadParser.forRequest();
        requestParser.feed(ByteBuffer.wrap(request));
        ServerHandshakeResult answer = ServerHandshake.create().handle(requestParser.requestHead());
        byte[] response = answer.toBytes();
        out.println("server → client  response (status " + answer.status() + "):");
        printText(response);

        HttpHeadParser responseParser = HttpHeadParser.forResponse();
        responseParser.feed(ByteBuffer.wrap(response));
        ClientHandshakeResult checked = client.validate(responseParser.responseHead());
        out.println("client checks Sec-WebSocket-Accept: " + (checked.isSuccess() ? "ok" : checked.failureReason()));
        out.println();

        // 2. Frames, both ways.
        Endpoint server = new Endpoint("server", Role.SERVER, null);
        Endpoint clientSide = new Endpoint("client", Role.CLIENT, MaskKeySource.secure());

        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        clientSide.text(wire, "Hello, Tern", true);
        send("client → server  text \"Hello, Tern\" (masked, as every client frame)", wire, server);

        clientSide.text(wire, "frag", false);
        clientSide.ping(wire, "are you there?");
        clientSide.text(wire, "mented", true);
        send("client → server  \"frag\" + ping + \"mented\" (a control frame between fragments)", wire, server);

        server.text(wire, "Hello, Tern", true);
        send("server → client  echo (unmasked, as every server frame)", wire, clientSide);

        // 3. Closing handshake (RFC 6455 §7).
        clientSide.close(wire, 1000, "done");
        send("client → server  close 1000 \"done\"", wire, server);
        server.close(wire, server.closing.replyCode(), "");
        send("server → client  close reply (echoes the code)", wire, clientSide);

        boolean ok = checked.isSuccess() && server.closing.isClean() && clientSide.closing.isClean();
        out.println("closing handshake complete on both sides: " + ok
                + " (the server now closes the TCP connection first)");
        return ok;
    }

    private void send(String what, ByteArrayOutputStream wire, Endpoint to) {
        byte[] bytes = wire.toByteArray();
        wire.reset();
        out.println(what + ":");
        out.println("    " + hex(bytes));
        to.receive(bytes);
        out.println();
    }

    private void printText(byte[] bytes) {
        for (String line : new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n")) {
            out.println("    " + line);
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                s.append(i % 24 == 0 ? "\n    " : " ");
            }
            s.append(String.format("%02x", bytes[i] & 0xFF));
        }
        return s.toString();
    }

    /** One side of the conversation: a reader, a writer and the closing handshake they share. */
    private final class Endpoint implements MessageListener {
        final String name;
        final ClosingHandshake closing = new ClosingHandshake();
        final MessageReader reader;
        final MessageWriter writer;
        final ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_SIZE);

        Endpoint(String name, Role role, MaskKeySource keys) {
            this.name = name;
            this.reader = new MessageReader(role, ReaderSettings.defaults(), this, BufferPool.unpooled());
            this.writer = new MessageWriter(new FrameEncoder(role, keys), closing);
        }

        void text(ByteArrayOutputStream wire, String text, boolean last) {
            ByteBuffer payload = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            writer.writeText(header.clear(), payload, last);
            emit(wire, payload);
        }

        void ping(ByteArrayOutputStream wire, String text) {
            ByteBuffer payload = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            writer.writePing(header.clear(), payload);
            emit(wire, payload);
        }

        void close(ByteArrayOutputStream wire, int code, String reason) {
            ByteBuffer frame = ByteBuffer.allocate(MessageWriter.MAX_CLOSE_FRAME_SIZE);
            writer.writeClose(frame, code, reason);
            frame.flip();
            wire.write(frame.array(), 0, frame.limit());
        }

        private void emit(ByteArrayOutputStream wire, ByteBuffer payload) {
            header.flip();
            wire.write(header.array(), 0, header.limit());
            wire.write(payload.array(), payload.position(), payload.remaining());
        }

        void receive(byte[] bytes) {
            int status = reader.read(ByteBuffer.wrap(bytes));
            if (status == MessageReader.FAILED) {
                out.println("    " + name + " fails the connection: " + reader.failureCode() + " " + reader.failureReason());
            }
        }

        @Override
        public void onText(ByteBuffer utf8, boolean last) {
            out.println("    " + name + " reads text: \"" + StandardCharsets.UTF_8.decode(utf8) + "\"");
        }

        @Override
        public void onBinary(ByteBuffer data, boolean last) {
            out.println("    " + name + " reads " + data.remaining() + " binary bytes");
        }

        @Override
        public void onPing(ByteBuffer payload) {
            out.println("    " + name + " reads ping: \"" + StandardCharsets.UTF_8.decode(payload) + "\"");
        }

        @Override
        public void onPong(ByteBuffer payload) {
            out.println("    " + name + " reads pong");
        }

        @Override
        public void onClose(int code, String reason) {
            closing.closeReceived(code, reason);
            out.println("    " + name + " reads close: " + code + " \"" + reason + "\"");
        }
    }
}
