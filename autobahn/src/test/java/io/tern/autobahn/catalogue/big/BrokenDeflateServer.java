package io.tern.autobahn.catalogue.big;

import io.tern.autobahn.deflate.DeflateOffer;
import io.tern.autobahn.deflate.DeflateParameterSet;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A deliberately broken permessage-deflate echo server, hand-built on blocking sockets and
 * {@code java.util.zip}, to prove the compression cases flag exactly the peers they should. It
 * accepts the client's first offer granting what it requests, echoes every message compressed, and
 * breaks the rules in one chosen way. One thread per connection; {@link #close} stops it.
 */
final class BrokenDeflateServer implements AutoCloseable {

    /** How the server breaks RFC 7692. */
    enum Fault {
        /** Sends its echoes uncompressed but with RSV1 set (RFC 7692 §6: RSV1 marks a compressed message). */
        RSV1_ON_PLAIN,
        /** Compresses correctly, then corrupts one byte in the middle of the compressed payload. */
        CORRUPT,
        /** Compresses with zlib's 32 KiB window even when it answered server_max_window_bits=N (§7.1.2.1). */
        WIDE_WINDOW,
        /** Keeps its compression context even when it answered server_no_context_takeover (§7.1.1.1). */
        KEEPS_CONTEXT
    }

    private final Fault fault;
    private final ServerSocket server;
    private final Thread acceptor;

    BrokenDeflateServer(Fault fault) throws IOException {
        this.fault = fault;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "broken-deflate-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/");
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "broken-deflate-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s.getInputStream()));
            OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream());
            String key = null;
            String offer = null;
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                String l = line.toString(StandardCharsets.ISO_8859_1).trim();
                line.reset();
                if (l.isEmpty()) {
                    break;
                }
                String lower = l.toLowerCase(Locale.ROOT);
                if (lower.startsWith("sec-websocket-key:")) {
                    key = l.substring(l.indexOf(':') + 1).trim();
                } else if (lower.startsWith("sec-websocket-extensions:")) {
                    offer = (offer == null ? "" : offer + ", ") + l.substring(l.indexOf(':') + 1).trim();
                }
            }
            List<DeflateOffer> offers = DeflateParameterSet.parseOffers(offer);
            DeflateOffer accepted = offers.isEmpty() ? null : offers.get(0);
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
            StringBuilder head = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n");
            if (accepted != null) {
                head.append("Sec-WebSocket-Extensions: ").append(new io.tern.autobahn.deflate.DeflateAccept(accepted, false, 0).headerValue()).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            echo(in, out, accepted);
        } catch (Exception e) {
            // the runner closed or the test ended: nothing to do
        }
    }

    private void echo(DataInputStream in, OutputStream out, DeflateOffer terms) throws Exception {
        Inflater inflater = new Inflater(true);
        Deflater deflater = new Deflater(6, true);
        boolean resetEachMessage = terms != null && terms.requestsServerNoContextTakeover() && fault != Fault.KEEPS_CONTEXT;
        int windowBits = terms == null || terms.requestedServerMaxWindowBits() == 0 ? 15 : terms.requestedServerMaxWindowBits();
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int messageOpcode = 0;
        boolean compressed = false;
        try {
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long len = b1 & 0x7f;
                if (len == 126) {
                    len = in.readUnsignedShort();
                } else if (len == 127) {
                    len = in.readLong();
                }
                byte[] mask = new byte[4];
                if ((b1 & 0x80) != 0) {
                    in.readFully(mask);
                }
                byte[] payload = new byte[(int) len];
                in.readFully(payload);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
                int opcode = b0 & 0x0f;
                if (opcode == 8) {
                    writeFrame(out, 0x88, payload);
                    return;
                }
                if (opcode == 9) {
                    writeFrame(out, 0x8a, payload);
                    continue;
                }
                if (opcode != 0) {
                    messageOpcode = opcode;
                    compressed = (b0 & 0x40) != 0;
                    message.reset();
                }
                message.write(payload);
                if ((b0 & 0x80) == 0) {
                    continue;
                }
                byte[] data = message.toByteArray();
                if (compressed) {
                    data = inflate(inflater, data);
                }
                if (terms == null) {
                    writeFrame(out, 0x80 | messageOpcode, data);
                } else if (fault == Fault.RSV1_ON_PLAIN) {
                    writeFrame(out, 0xc0 | messageOpcode, data);
                } else {
                    if (resetEachMessage) {
                        deflater.reset();
                    }
                    byte[] z = deflate(deflater, data);
                    if (fault == Fault.CORRUPT && z.length > 0) {
                        z[z.length / 2] ^= 0x55;
                    }
                    writeFrame(out, 0xc0 | messageOpcode, z);
                }
                // WIDE_WINDOW: windowBits is answered but never used; zlib always keeps 32 KiB
                assert windowBits > 0;
            }
        } finally {
            inflater.end();
            deflater.end();
        }
    }

    private static byte[] inflate(Inflater inflater, byte[] data) throws Exception {
        byte[] in = Arrays.copyOf(data, data.length + 4);
        in[data.length + 2] = (byte) 0xff;
        in[data.length + 3] = (byte) 0xff;
        inflater.setInput(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (true) {
            int n = inflater.inflate(buf);
            out.write(buf, 0, n);
            if (n == 0 && inflater.needsInput()) {
                return out.toByteArray();
            }
        }
    }

    private static byte[] deflate(Deflater deflater, byte[] data) {
        deflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        int n;
        do {
            n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length || !deflater.needsInput());
        byte[] z = out.toByteArray();
        return Arrays.copyOf(z, z.length - 4);
    }

    private static void writeFrame(OutputStream out, int b0, byte[] payload) throws IOException {
        out.write(b0);
        if (payload.length < 126) {
            out.write(payload.length);
        } else if (payload.length < 65536) {
            out.write(126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        } else {
            out.write(127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) payload.length >>> (8 * i)));
            }
        }
        out.write(payload);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
