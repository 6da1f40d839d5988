package io.tern.transport.internal;

import io.tern.codec.CloseCodes;
import io.tern.codec.Opcode;
import io.tern.transport.ConnectionListener;
import io.tern.transport.PreparedMessage;
import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link WebSocket} an application holds for one {@link Connection}: the public methods and
 * nothing else (no codec or selector callbacks are reachable through it).
 *
 * <p>Threading contract: every method is safe from any thread. Sends go through the connection's
 * {@link SendAdmission}; close, abort, pause, resume and listener registration run on the
 * connection's loop (at once when called there, else as a posted task); the getters read values
 * fixed when the connection opened (published by the volatile write that makes it sendable).
 */
final class Socket implements WebSocket<Object> {

    private static final AtomicLong IDS = new AtomicLong();

    private final Connection c;
    private final long id = IDS.incrementAndGet();

    Socket(Connection c) {
        this.c = c;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public Executor executor() {
        return c.loop;
    }

    @Override
    public SendStatus sendText(CharSequence text) {
        return c.sends.text(text);
    }

    @Override
    public SendStatus sendText(ByteBuffer utf8) {
        return c.sends.data(Opcode.TEXT, utf8, true);
    }

    @Override
    public SendStatus sendBinary(ByteBuffer data) {
        return c.sends.data(Opcode.BINARY, data, true);
    }

    @Override
    public SendStatus sendTextFragment(ByteBuffer utf8, boolean last) {
        return c.sends.data(Opcode.TEXT, utf8, last);
    }

    @Override
    public SendStatus sendBinaryFragment(ByteBuffer data, boolean last) {
        return c.sends.data(Opcode.BINARY, data, last);
    }

    @Override
    public SendStatus send(PreparedMessage message) {
        return c.sends.prepared(Prepared.of(Objects.requireNonNull(message, "message")));
    }

    @Override
    public SendStatus sendPing(ByteBuffer payload) {
        return c.sends.control(Opcode.PING, payload);
    }

    @Override
    public SendStatus sendPong(ByteBuffer payload) {
        return c.sends.control(Opcode.PONG, payload);
    }

    @Override
    public void close() {
        close(CloseCodes.NORMAL_CLOSURE, "");
    }

    @Override
    public void close(int code, String reason) {
        CloseCodes.checkInitiated(c.role, code, reason);
        String r = reason == null ? "" : reason;
        c.runOnLoop(() -> c.closeOnLoop(code, r));
    }

    @Override
    public void abort() {
        c.runOnLoop(c::abortNow);
    }

    @Override
    public void pauseReading() {
        c.runOnLoop(c::pauseNow);
    }

    @Override
    public void resumeReading() {
        c.runOnLoop(c::resumeNow);
    }

    @Override
    public void addCloseListener(ConnectionListener listener) {
        Objects.requireNonNull(listener, "listener");
        c.runOnLoop(() -> c.addCloseListener(listener));
    }

    @Override
    public Object attachment() {
        return c.attachment;
    }

    @Override
    public String subprotocol() {
        return c.subprotocol;
    }

    @Override
    public boolean isCompressed() {
        return c.framer.isCompressed();
    }

    @Override
    public boolean isOpen() {
        return c.sendable();
    }

    @Override
    public String path() {
        return c.path;
    }

    @Override
    public SocketAddress remoteAddress() {
        return c.remote;
    }

    @Override
    public long queuedBytes() {
        return c.sends.queuedBytes();
    }

    @Override
    public String toString() {
        return "WebSocket#" + id + "[" + c.remote + (c.path != null ? " " + c.path : "") + "]";
    }
}
