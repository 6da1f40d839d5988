package io.tern.autobahn.broken;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A deliberately simple echo server over raw sockets, for proving that a conformance runner in
 * fuzzing client mode flags what it should: it follows RFC 6455 / RFC 7692 except where its
 * {@link Defect} says otherwise. It accepts upgrades on any path, takes the first valid
 * permessage-deflate offer with every parameter as offered, and echoes every message (see
 * {@link BrokenConnection}). Not Tern's codec: its own small implementation ({@link Wire}).
 *
 * <p>Listens on 127.0.0.1 on a free port. Threading: one daemon thread accepts; each connection
 * runs on a daemon thread of its own, reads bounded by a 30-second timeout. {@link #close()} stops
 * accepting.
 */
public final class BrokenEchoServer implements AutoCloseable {

    private final ServerSocket listener;
    private final Defect defect;
    private final Thread acceptor;

    /**
     * Starts listening.
     *
     * @param defect what the server gets wrong ({@link Defect#NONE} for nothing)
     * @throws IOException if no port can be bound
     */
    public BrokenEchoServer(Defect defect) throws IOException {
        this.defect = defect;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "broken-echo-server-" + defect);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return the port it listens on */
    public int port() {
        return listener.getLocalPort();
    }

    /** @return the URL of the echo, {@code ws://127.0.0.1:PORT} */
    public String url() {
        return "ws://127.0.0.1:" + port();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                Thread t = new Thread(() -> serve(s), "broken-echo-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try {
            s.setSoTimeout(30_000);
            s.setTcpNoDelay(true);
            Map<String, String> head = Wire.readHead(s.getInputStream());
            String key = head.get("sec-websocket-key");
            OutputStream out = s.getOutputStream();
            if (key == null || !"websocket".equalsIgnoreCase(head.get("upgrade"))) {
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.close();
                return;
            }
            DeflateAgreement.Answer deflate = DeflateAgreement.answer(head.get("sec-websocket-extensions"));
            String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + Wire.acceptKey(key) + "\r\n"
                    + (deflate == null ? "" : "Sec-WebSocket-Extensions: " + deflate.header() + "\r\n")
                    + "\r\n";
            out.write(response.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            new BrokenConnection(s, true, defect, deflate == null ? null : deflate.agreement()).run();
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
