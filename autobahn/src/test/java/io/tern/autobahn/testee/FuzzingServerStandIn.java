package io.tern.autobahn.testee;

import io.tern.autobahn.broken.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the official fuzzing server, small enough to read at a glance: it speaks the same
 * HTTP paths ({@code /getCaseCount}, {@code /runCase?case=N&agent=A}, {@code /updateReports?agent=A})
 * over raw sockets ({@link Wire}), runs three tiny cases and records what the client did.
 *
 * <ul>
 *   <li>case 1 sends a text message and waits for its echo;</li>
 *   <li>case 2 sends a binary message in two fragments with a ping between them, and waits for the
 *       echo (one message) and the pong;</li>
 *   <li>case 3 sends nothing and never closes: a hung case the client must abort.</li>
 * </ul>
 * Each case but 3 then closes with 1000 and waits for the client's close frame.
 *
 * <p>Threading: one daemon thread accepts and serves connections one at a time (the client runs
 * its cases one after another); the records are thread-safe lists read by the test thread.
 */
public final class FuzzingServerStandIn implements AutoCloseable {

    /** The requests seen, as request targets ({@code /runCase?case=1&agent=...}). */
    public final List<String> targets = new CopyOnWriteArrayList<>();
    /** The {@code Sec-WebSocket-Extensions} header of each request ({@code "-"} when absent). */
    public final List<String> offers = new CopyOnWriteArrayList<>();
    /** What came back, one line per frame: {@code case N: opcode fin masked payload-as-text}. */
    public final List<String> frames = new CopyOnWriteArrayList<>();
    /** Server-side failures (a frame not masked, a wrong echo); empty when the client behaved. */
    public final List<String> problems = new CopyOnWriteArrayList<>();

    private final ServerSocket listener;
    private final Thread thread;

    public FuzzingServerStandIn() throws IOException {
        listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "fuzzing-server-stand-in");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void serve() {
        while (!listener.isClosed()) {
            try (Socket s = listener.accept()) {
                s.setSoTimeout(10_000);
                handle(s);
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    problems.add("I/O: " + e);
                }
            }
        }
    }

    private void handle(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        Map<String, String> head = Wire.readHead(in);
        String target = head.get("").split(" ")[1];
        targets.add(target);
        offers.add(head.getOrDefault("sec-websocket-extensions", "-"));
        String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + Wire.acceptKey(head.get("sec-websocket-key")) + "\r\n\r\n";
        out.write(response.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        if (target.equals("/getCaseCount")) {
            Wire.writeFrame(out, true, 0, Wire.TEXT, null, "3".getBytes(StandardCharsets.UTF_8));
        } else if (target.startsWith("/runCase?case=1&")) {
            Wire.writeFrame(out, true, 0, Wire.TEXT, null, "Grüße aus dem Fuzzer".getBytes(StandardCharsets.UTF_8));
            record("1", Wire.readFrame(in));
        } else if (target.startsWith("/runCase?case=2&")) {
            Wire.writeFrame(out, false, 0, Wire.BINARY, null, new byte[] {1, 2, 3});
            Wire.writeFrame(out, true, 0, Wire.PING, null, "p".getBytes(StandardCharsets.UTF_8));
            Wire.writeFrame(out, true, 0, Wire.CONTINUATION, null, new byte[] {4, 5});
            record("2", Wire.readFrame(in));
            record("2", Wire.readFrame(in));
        } else if (target.startsWith("/runCase?case=3&")) {
            // a hung case: wait until the client gives up and drops the connection
            try {
                Wire.readFrame(in);
                problems.add("case 3: the client sent a frame instead of waiting");
            } catch (IOException expected) {
                frames.add("case 3: connection dropped by the client");
            }
            return;
        }
        Wire.writeFrame(out, true, 0, Wire.CLOSE, null, Wire.closePayload(1000, ""));
        Wire.Frame reply = Wire.readFrame(in);
        if (reply.opcode() != Wire.CLOSE || reply.closeCode() != 1000) {
            problems.add(target + ": expected the close echoed with 1000, got opcode " + reply.opcode()
                    + " code " + reply.closeCode());
        }
    }

    private void record(String caseId, Wire.Frame f) {
        if (!f.masked()) {
            problems.add("case " + caseId + ": an unmasked frame from the client");
        }
        StringBuilder payload = new StringBuilder();
        if (f.opcode() == Wire.BINARY) {
            for (byte b : f.payload()) {
                payload.append(String.format("%02x", b));
            }
        } else {
            payload.append(f.text());
        }
        frames.add("case " + caseId + ": opcode " + f.opcode() + (f.fin() ? " fin " : " more ") + "rsv " + f.rsv()
                + " " + payload);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
