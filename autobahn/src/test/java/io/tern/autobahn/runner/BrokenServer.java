package io.tern.autobahn.runner;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A deliberately broken echo server on raw sockets for proving the runner flags exactly the right cases.
 * It echoes each message whole and answers pings, but never validates UTF-8, and answers a close frame
 * with {@code closeReplyCode} (or echoes the peer's code when it is -1) before dropping TCP; with -2 it
 * ignores close frames altogether and keeps the connection open. Other
 * protocol violations fail the connection with 1002 as they should. With {@code maskFrames} it also
 * masks what it sends, which RFC 6455 §5.1 forbids a server.
 */
final class BrokenServer implements AutoCloseable {

    private final ServerSocket server;
    private final int closeReplyCode;
    private final boolean maskFrames;
    private final Thread acceptor;

    BrokenServer(int closeReplyCode) throws IOException {
        this(closeReplyCode, false);
    }

    BrokenServer(int closeReplyCode, boolean maskFrames) throws IOException {
        this.closeReplyCode = closeReplyCode;
        this.maskFrames = maskFrames;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread t = new Thread(() -> serve(s), "broken-server-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "broken-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/");
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            Handshake.Request req = Handshake.parseRequest(Handshake.readHead(in));
            out.write(Handshake.serverResponse(req.headers().get("sec-websocket-key"), null)
                    .getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream message = null;
            int messageOpcode = 0;
            while (true) {
                InFrame f = FrameCodec.read(in);
                if (f == null) {
                    return;
                }
                int op = f.opcode();
                boolean bad = f.rsv() != 0 || !f.masked() || (op > 2 && op < 8) || op > 10
                        || f.isControl() && (!f.fin() || f.payload().length > 125)
                        || op == 0 && message == null || (op == 1 || op == 2) && message != null;
                if (bad) {
                    out.write(frame(8, new byte[] {0x03, (byte) 0xEA}));
                    return;
                }
                switch (op) {
                    case 8 -> {
                        if (closeReplyCode == -2) {
                            continue;
                        }
                        byte[] p = f.payload();
                        byte[] reply;
                        if (closeReplyCode < 0) {
                            reply = p.length >= 2 ? new byte[] {p[0], p[1]} : new byte[0];
                        } else {
                            reply = new byte[] {(byte) (closeReplyCode >> 8), (byte) closeReplyCode};
                        }
                        out.write(frame(8, reply));
                        return;
                    }
                    case 9 -> out.write(frame(10, f.payload()));
                    case 10 -> { }
                    default -> {
                        if (op != 0) {
                            message = new ByteArrayOutputStream();
                            messageOpcode = op;
                        }
                        message.writeBytes(f.payload());
                        if (f.fin()) {
                            out.write(frame(messageOpcode, message.toByteArray()));
                            message = null;
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the runner dropped the connection: nothing more to serve
        }
    }

    private byte[] frame(int opcode, byte[] payload) {
        return FrameCodec.encode(true, 0, opcode, payload, maskFrames ? new byte[] {1, 2, 3, 4} : null);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
