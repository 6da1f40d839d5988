package io.tern.transport.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The server side of one connection on plain blocking sockets at 127.0.0.1, to see exactly what a
 * client sends and to answer it with exactly chosen bytes. Accepts and reads wait at most 5 s.
 * Used from the test thread only.
 */
public final class RawServer implements AutoCloseable {

    private final ServerSocket listener;
    private Socket peer;
    private InputStream in;
    private OutputStream out;

    private RawServer(ServerSocket listener) {
        this.listener = listener;
    }

    /** Listens on an ephemeral port of 127.0.0.1. */
    public static RawServer open() throws IOException {
        ServerSocket l = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"));
        l.setSoTimeout(5000);
        return new RawServer(l);
    }

    /** The listening port. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Accepts the one connection and reads its request head (its start-line is the request-line), no further. */
    public HttpHead acceptRequest() throws IOException {
        peer = listener.accept();
        peer.setSoTimeout(5000);
        peer.setTcpNoDelay(true);
        in = new BufferedInputStream(peer.getInputStream());
        out = peer.getOutputStream();
        return HttpHead.read(in);
    }

    /**
     * The Sec-WebSocket-Accept value for a key (RFC 6455 §4.2.2): base64 of the SHA-1 of the key
     * and the protocol's GUID.
     *
     * @param key the Sec-WebSocket-Key value
     * @return the accept value
     */
    public static String acceptFor(String key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 101 response head for {@code request} with the right accept value. */
    public static String switching(HttpHead request, String... extraLines) {
        StringBuilder b = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + acceptFor(request.single("Sec-WebSocket-Key")) + "\r\n");
        for (String l : extraLines) {
            b.append(l).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    /** Writes to the accepted connection and flushes. */
    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes text as ISO-8859-1, one byte per character. */
    public void writeAscii(String s) throws IOException {
        write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Reads one client frame, unmasked; {@link Frame#masked()} tells whether it was masked. The end
     * of the stream instead throws {@link EOFException}.
     */
    public Frame readFrame() throws IOException {
        Frame f = Frame.read(in);
        if (f == null) {
            throw new EOFException("stream ended where a frame was expected");
        }
        return f;
    }

    /** Asserts the client closed its side (end of stream) within the socket timeout. */
    public void expectEof() throws IOException {
        try {
            assertEquals(-1, in.read(), "expected the client to close the connection");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the client did not close the TCP connection", e);
        }
    }

    /** Closes the accepted connection only. */
    public void hangUp() throws IOException {
        if (peer != null) {
            peer.close();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            hangUp();
        } finally {
            listener.close();
        }
    }
}
