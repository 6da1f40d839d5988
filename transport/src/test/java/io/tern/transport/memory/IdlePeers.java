package io.tern.transport.memory;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A child process for {@link IdleConnectionHeapTest}: opens {@code n} WebSocket connections to
 * {@code port} on 127.0.0.1 (upgrade request, 101 read), prints {@code READY}, and keeps them
 * open until a line arrives on standard input (or it ends). Needs nothing but the JDK.
 */
public final class IdlePeers {

    private IdlePeers() {
    }

    /**
     * Runs the peers.
     *
     * @param args port, count, path
     * @throws Exception on any failure (the test then fails)
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        String path = args[2];
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request);
            InputStream in = s.getInputStream();
            int matched = 0;
            StringBuilder head = new StringBuilder();
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IllegalStateException("closed during the handshake: " + head);
                }
                head.append((char) b);
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                        ? matched + 1 : 0;
            }
            if (!head.toString().startsWith("HTTP/1.1 101 ")) {
                throw new IllegalStateException("not upgraded: " + head);
            }
            open.add(s);
        }
        System.out.println("READY");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        for (Socket s : open) {
            s.close();
        }
    }
}
