package io.tern.autobahn.broken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * One open WebSocket connection of a broken testee, after the handshake: reads frames, answers
 * pings, echoes every text and binary message as one frame, and closes — each step following RFC
 * 6455 / RFC 7692 unless its {@link Defect} says otherwise. Compressed messages are inflated and
 * checked only when complete; uncompressed text is checked byte by byte as frames arrive.
 *
 * <p>Confined to the one thread that calls {@link #run()}; blocking I/O bounded by the socket's
 * read timeout.
 */
final class BrokenConnection {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final boolean server;
    private final Defect defect;
    private final DeflateAgreement deflate;
    private final Deflater deflater;
    private final Inflater inflater;

    private int messageOpcode = -1;
    private boolean messageCompressed;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private final Utf8Check utf8 = new Utf8Check();

    /**
     * @param socket  the connected socket, handshake done
     * @param server  whether this end is the server
     * @param defect  what this end gets wrong
     * @param deflate the permessage-deflate agreement, or {@code null} without compression
     */
    BrokenConnection(Socket socket, boolean server, Defect defect, DeflateAgreement deflate) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.server = server;
        this.defect = defect;
        this.deflate = deflate;
        this.deflater = deflate == null ? null : new Deflater(6, true);
        this.inflater = deflate == null ? null : new Inflater(true);
    }

    /** Runs the connection until it closes; closes the socket. */
    void run() {
        try {
            loop();
        } catch (IOException e) {
            // the peer went away or the read timed out: nothing more to do
        } finally {
            if (deflater != null) {
                deflater.end();
                inflater.end();
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void loop() throws IOException {
        while (true) {
            Wire.Frame f = Wire.readFrame(in);
            int op = f.opcode();
            boolean reserved = (op >= 3 && op <= 7) || op >= 0xB;
            boolean control = op >= 8;
            if (defect.checksFraming()) {
                boolean rsvAllowed = f.rsv() == 0
                        || (f.rsv() == 4 && deflate != null && (op == Wire.TEXT || op == Wire.BINARY));
                if (reserved || !rsvAllowed || f.masked() != server
                        || (control && (!f.fin() || f.payload().length > 125))
                        || (op == Wire.CONTINUATION && messageOpcode < 0)
                        || ((op == Wire.TEXT || op == Wire.BINARY) && messageOpcode >= 0)) {
                    if (op == Wire.CLOSE) {
                        failAfterClose(1002, "protocol error");
                    } else {
                        fail(1002, "protocol error");
                    }
                    return;
                }
            }
            if (reserved) {
                continue;
            }
            switch (op) {
                case Wire.CLOSE -> {
                    closeReceived(f);
                    return;
                }
                case Wire.PING -> send(true, 0, Wire.PONG, f.payload());
                case Wire.PONG -> { }
                default -> {
                    if (!data(f)) {
                        return;
                    }
                }
            }
        }
    }

    /** A data frame; {@code false} when the connection was failed. */
    private boolean data(Wire.Frame f) throws IOException {
        if (f.opcode() != Wire.CONTINUATION) {
            messageOpcode = f.opcode();
            messageCompressed = (f.rsv() & 4) != 0 && deflate != null;
            message.reset();
            utf8.reset();
        } else if (messageOpcode < 0) {
            messageOpcode = Wire.BINARY;
            message.reset();
        }
        message.writeBytes(f.payload());
        if (messageOpcode == Wire.TEXT && !messageCompressed && defect.failsFastOnInvalidUtf8()
                && !utf8.feed(f.payload(), 0, f.payload().length)) {
            fail(1007, "invalid UTF-8");
            return false;
        }
        if (!f.fin()) {
            return true;
        }
        byte[] whole = message.toByteArray();
        if (messageCompressed) {
            if (deflate.peerNoContextTakeover()) {
                inflater.reset();
            }
            try {
                whole = Wire.decompress(inflater, whole, 64 << 20);
            } catch (DataFormatException e) {
                fail(1007, "bad DEFLATE data");
                return false;
            }
        }
        if (messageOpcode == Wire.TEXT) {
            Utf8Check check = new Utf8Check();
            if (!check.feed(whole, 0, whole.length) || !check.complete()) {
                fail(1007, "invalid UTF-8");
                return false;
            }
        }
        echo(messageOpcode, whole);
        messageOpcode = -1;
        return true;
    }

    private void echo(int opcode, byte[] payload) throws IOException {
        if (deflate == null) {
            send(true, 0, opcode, payload);
        } else if (!defect.compressesWhatItMarks()) {
            send(true, 4, opcode, payload);
        } else if (deflate.ownWindowBits() < 15 && defect.honoursWindowBits()) {
            // java.util.zip always uses a 15-bit window: send this message uncompressed (RFC 7692 §6)
            send(true, 0, opcode, payload);
        } else {
            if (deflate.ownNoContextTakeover()) {
                deflater.reset();
            }
            send(true, 4, opcode, Wire.compress(deflater, payload));
        }
    }

    private void closeReceived(Wire.Frame f) throws IOException {
        byte[] p = f.payload();
        if (defect.checksFraming()) {
            int code = f.closeCode();
            boolean validCode = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)
                    || (code >= 3000 && code <= 4999);
            if (p.length == 1 || (p.length >= 2 && !validCode)) {
                failAfterClose(1002, "bad close code");
                return;
            }
            Utf8Check reason = new Utf8Check();
            if (p.length > 2 && (!reason.feed(p, 2, p.length) || !reason.complete())) {
                failAfterClose(1007, "close reason not UTF-8");
                return;
            }
        }
        if (defect.echoesClose()) {
            send(true, 0, Wire.CLOSE, p.length >= 2 ? new byte[] {p[0], p[1]} : new byte[0]);
        }
        if (!server) {
            awaitEnd();
        }
    }

    /** Fails the connection: a close frame (with the code the defect chooses), then the end. */
    private void fail(int code, String reason) throws IOException {
        send(true, 0, Wire.CLOSE, Wire.closePayload(defect.failureCode(code), reason));
        awaitEnd();
    }

    /**
     * Fails the connection in answer to a bad close frame: the peer's close has arrived already,
     * so after ours a server closes TCP at once and a client waits for the server to (RFC 6455
     * §7.1.1).
     */
    private void failAfterClose(int code, String reason) throws IOException {
        send(true, 0, Wire.CLOSE, Wire.closePayload(defect.failureCode(code), reason));
        if (!server) {
            socket.setSoTimeout(2000);
            try {
                while (in.read() >= 0) {
                    // wait for the server to close TCP
                }
            } catch (SocketTimeoutException e) {
                // close anyway
            }
        }
    }

    /** Waits briefly for the peer's close frame or end of stream. */
    private void awaitEnd() throws IOException {
        socket.setSoTimeout(2000);
        try {
            while (Wire.readFrame(in).opcode() != Wire.CLOSE) {
                // discard what the peer still sends
            }
            if (!server) {
                while (in.read() >= 0) {
                    // a client waits for the server to close TCP (RFC 6455 §7.1.1)
                }
            }
        } catch (SocketTimeoutException | java.io.EOFException e) {
            // the peer is done
        }
    }

    private void send(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
        boolean mask = server != defect.masksByRole();
        byte[] key = null;
        if (mask) {
            key = new byte[4];
            ThreadLocalRandom.current().nextBytes(key);
        }
        Wire.writeFrame(out, fin, rsv, opcode, key, payload);
    }
}
