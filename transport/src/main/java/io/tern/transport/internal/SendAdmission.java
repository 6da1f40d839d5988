package io.tern.transport.internal;

import io.tern.codec.CloseCodes;
import io.tern.codec.FrameDecoder;
import io.tern.codec.Opcode;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.SendStatus;
import io.tern.transport.SlowConsumerPolicy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * Decides whether what a connection is asked to send may be queued, from any thread, and hands it
 * to the {@link OutboundFramer} on the loop: the watermarks ({@code QUEUED_ABOVE_HIGH_WATERMARK},
 * {@code onDrain}), the hard limit and the slow-consumer policy. Every byte queued for the peer
 * counts — data, pings, pongs — and the close frame (one per connection) is the only frame let past
 * the hard limit.
 *
 * <p>Automatic pongs are answered one for one while the queue is under its high watermark; above
 * it only the most recent ping is answered, once the queue drains (RFC 6455 §5.5.3 allows
 * answering only the latest ping), so a peer that floods pings and never reads costs at most the
 * high watermark plus one 125-byte pong.
 *
 * <p>Threading contract: the {@code send*} methods are safe from any thread. On the loop they
 * frame at once; elsewhere they copy the payload, reserve its bytes in {@link #inFlight} (atomic)
 * so concurrent senders see each other, and post one task. Everything else is loop-only.
 */
final class SendAdmission {

    private static final VarHandle IN_FLIGHT;
    private static final VarHandle OFF_LOOP_DROPS;
    private static final VarHandle CLOSE_REQUESTED;
    private static final VarHandle SHED;
    private static final int OVERHEAD = OutboundFramer.FRAME_OVERHEAD;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            IN_FLIGHT = l.findVarHandle(SendAdmission.class, "inFlight", long.class);
            OFF_LOOP_DROPS = l.findVarHandle(SendAdmission.class, "offLoopDrops", long.class);
            CLOSE_REQUESTED = l.findVarHandle(SendAdmission.class, "closeRequested", boolean.class);
            SHED = l.findVarHandle(SendAdmission.class, "shed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Connection c;
    private final EventLoop loop;
    private final OutboundFramer framer;
    private volatile long inFlight;
    private volatile long offLoopDrops;
    private volatile boolean closeRequested;
    private volatile boolean drainWanted;
    /** Picked by the server's {@link OutboundBudget}: every later send is dropped. */
    private volatile boolean shed;
    private byte[] pongPayload;
    private int pongLength = -1;

    SendAdmission(Connection c, EventLoop loop, OutboundFramer framer) {
        this.c = c;
        this.loop = loop;
        this.framer = framer;
    }

    /** Bytes accepted and not yet written; an estimate off the loop. */
    long queuedBytes() {
        return framer.outbound().bytes() + inFlight;
    }

    // ------------------------------------------------------------------ data

    SendStatus text(CharSequence text) {
        if (!c.sendable()) {
            return SendStatus.CLOSED;
        }
        int length = Utf8.encodedLength(text);
        if (loop.inLoop()) {
            SendStatus status = admitOnLoop(length + OVERHEAD);
            if (isQueued(status)) {
                framer.text(text, length);
                c.scheduleFlush();
            }
            return status;
        }
        ByteBuffer copy = ByteBuffer.allocate(length);
        Utf8.encode(text, copy);
        return offLoop(Opcode.TEXT, copy.flip(), true);
    }

    SendStatus data(int opcode, ByteBuffer payload, boolean last) {
        if (!c.sendable()) {
            return SendStatus.CLOSED;
        }
        if (loop.inLoop()) {
            SendStatus status = admitOnLoop(payload.remaining() + OVERHEAD);
            if (isQueued(status)) {
                framer.data(opcode, payload, last);
                c.scheduleFlush();
            }
            return status;
        }
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
        copy.put(0, payload, payload.position(), payload.remaining());
        return offLoop(opcode, copy, last);
    }

    /** The off-loop path: admit now (so the caller gets a status), frame on the loop. */
    private SendStatus offLoop(int opcode, ByteBuffer copy, boolean last) {
        return offLoop(new OffLoopSend(opcode, copy, last, null, copy.remaining() + OVERHEAD));
    }

    private SendStatus offLoop(OffLoopSend send) {
        SendStatus status = reserve(send.bytes);
        if (isQueued(status)) {
            loop.submit(send);
        }
        return status;
    }

    /**
     * One send from another thread, framed on the loop: a data message or fragment, a control
     * frame, or a prepared message. One object per send, as the copy it carries.
     */
    private final class OffLoopSend implements Runnable {
        private final int opcode;
        private final ByteBuffer copy;
        private final boolean last;
        private final Prepared prepared;
        final long bytes;

        OffLoopSend(int opcode, ByteBuffer copy, boolean last, Prepared prepared, long bytes) {
            this.opcode = opcode;
            this.copy = copy;
            this.last = last;
            this.prepared = prepared;
            this.bytes = bytes;
        }

        @Override
        public void run() {
            IN_FLIGHT.getAndAdd(SendAdmission.this, -bytes);
            if (!c.canSend()) {
                return;
            }
            boolean control = opcode == Opcode.PING || opcode == Opcode.PONG;
            int open = framer.writer().openMessageOpcode();
            if (!control && framer.writer().isInsideMessage() && (prepared != null || open != opcode)) {
                // Two data messages interleaved from another thread (RFC 6455 §5.4): a programming
                // error that can no longer be thrown back to the caller.
                c.failConnection(CloseCodes.INTERNAL_ERROR, "fragments of two messages interleaved",
                        new IllegalStateException("cannot send " + Opcode.name(opcode) + " while a "
                                + Opcode.name(open) + " message is unfinished"));
                return;
            }
            if (prepared != null) {
                framer.prepared(prepared);
            } else if (control) {
                framer.control(opcode, copy);
            } else {
                framer.data(opcode, copy, last);
            }
            c.scheduleFlush();
        }
    }

    /**
     * Off the loop: reserves {@code bytes} first, then judges, so concurrent senders cannot all
     * slip under the limit; past it the reservation is undone and the policy applies.
     */
    private SendStatus reserve(long bytes) {
        if (shed) {
            return dropShed();
        }
        long before = (long) IN_FLIGHT.getAndAdd(this, bytes);
        SendStatus status = admit(framer.outbound().bytes() + before, bytes);
        if (status == null) {
            IN_FLIGHT.getAndAdd(this, -bytes);
            return refuse();
        }
        return status;
    }

    /**
     * On the loop: {@code CLOSED} once this side may not send, {@code DROPPED} past the hard
     * limit (the policy applied), else the status the queued bytes will have.
     */
    private SendStatus admitOnLoop(long bytes) {
        if (!c.canSend()) {
            return SendStatus.CLOSED;
        }
        if (shed) {
            return dropShed();
        }
        SendStatus status = admit(queuedBytes(), bytes);
        return status == null ? refuse() : status;
    }

    private static boolean isQueued(SendStatus status) {
        return status == SendStatus.QUEUED || status == SendStatus.QUEUED_ABOVE_HIGH_WATERMARK;
    }

    /** Queues a prepared message; on the loop with no copy, elsewhere with one task. */
    SendStatus prepared(Prepared message) {
        if (!c.sendable()) {
            return SendStatus.CLOSED;
        }
        long bytes = message.payloadLength() + OVERHEAD;
        if (loop.inLoop()) {
            SendStatus status = admitOnLoop(bytes);
            if (isQueued(status)) {
                framer.prepared(message);
                c.scheduleFlush();
            }
            return status;
        }
        return offLoop(new OffLoopSend(message.opcode(), null, true, message, bytes));
    }

    // ------------------------------------------------------------------ control frames

    /** Sends a ping or pong the application asked for; counted like data. */
    SendStatus control(int opcode, ByteBuffer payload) {
        if (payload.remaining() > FrameDecoder.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("control frame payload over 125 bytes: " + payload.remaining());
        }
        if (!c.sendable()) {
            return SendStatus.CLOSED;
        }
        long bytes = payload.remaining() + OVERHEAD;
        if (loop.inLoop()) {
            SendStatus status = admitOnLoop(bytes);
            if (isQueued(status)) {
                framer.control(opcode, payload);
                c.scheduleFlush();
            }
            return status;
        }
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
        copy.put(0, payload, payload.position(), payload.remaining());
        return offLoop(new OffLoopSend(opcode, copy, true, null, bytes));
    }

    /** The heartbeat's ping; loop only. Not queued when over the hard limit (the pong timeout still runs). */
    void heartbeatPing(long now) {
        if (c.canSend() && admit(queuedBytes(), Long.BYTES + OVERHEAD) != null) {
            framer.control(Opcode.PING, ByteBuffer.allocate(Long.BYTES).putLong(0, now)); // once per interval
            c.scheduleFlush();
        }
    }

    /** Answers a ping automatically; loop only. One for one under the high watermark, else coalesced. */
    void autoPong(ByteBuffer payload) {
        if (!c.canSend()) {
            return;
        }
        int n = payload.remaining();
        if (pongLength < 0 && queuedBytes() + n + OVERHEAD <= c.settings().highWatermark()) {
            framer.control(Opcode.PONG, payload);
            c.scheduleFlush();
            return;
        }
        if (pongPayload == null) {
            pongPayload = new byte[FrameDecoder.MAX_CONTROL_PAYLOAD];
        }
        payload.get(payload.position(), pongPayload, 0, n);
        pongLength = n;
    }

    /** After a write: queues the coalesced pong once the queue is back under its low watermark. */
    void afterWrite() {
        if (pongLength >= 0 && queuedBytes() <= c.settings().lowWatermark()) {
            int n = pongLength;
            pongLength = -1;
            if (c.canSend()) {
                framer.control(Opcode.PONG, pongPayload, n);
                c.scheduleFlush();
            }
        }
    }

    /**
     * Marks this connection as picked to shed its queue for the server's outbound cap; from now on
     * every send is dropped. Any thread.
     *
     * @return whether this call marked it (false: marked before)
     */
    boolean markShed() {
        return SHED.compareAndSet(this, false, true);
    }

    /** Whether the server's outbound cap picked this connection. */
    boolean isShed() {
        return shed;
    }

    /** A send to a connection being shed: dropped and counted, no policy (it is closing already). */
    private SendStatus dropShed() {
        if (loop.inLoop()) {
            loop.counters().add(LoopCounters.DROPS, 1);
        } else if ((long) OFF_LOOP_DROPS.getAndAdd(this, 1L) == 0) {
            loop.submit(this::foldDrops);
        }
        return SendStatus.DROPPED;
    }

    private void foldDrops() {
        long drops = (long) OFF_LOOP_DROPS.getAndSet(this, 0L);
        loop.counters().add(LoopCounters.DROPS, drops);
    }

    /** Whether the handler asked to hear of the drain and the queue is low enough now; clears it. */
    boolean takeDrain() {
        if (drainWanted && queuedBytes() <= c.settings().lowWatermark()) {
            drainWanted = false;
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ the rules

    /** Decides whether {@code bytes} more may join {@code queued}; null means over the hard limit. */
    private SendStatus admit(long queued, long bytes) {
        ConnectionSettings s = c.settings();
        if (queued > 0 && queued + bytes > s.hardLimit()) {
            return null;
        }
        if (queued + bytes > s.highWatermark()) {
            drainWanted = true;
            return SendStatus.QUEUED_ABOVE_HIGH_WATERMARK;
        }
        return SendStatus.QUEUED;
    }

    private SendStatus refuse() {
        if (loop.inLoop()) {
            loop.counters().add(LoopCounters.DROPS, 1);
        } else {
            // Counted here, folded into the loop's counters by one task per burst of drops.
            if ((long) OFF_LOOP_DROPS.getAndAdd(this, 1L) == 0) {
                loop.submit(this::foldDrops);
            }
        }
        if (c.settings().slowConsumerPolicy() == SlowConsumerPolicy.CLOSE
                && CLOSE_REQUESTED.compareAndSet(this, false, true)) {
            c.runOnLoop(() -> c.failConnection(CloseCodes.POLICY_VIOLATION,
                    "slow consumer: outbound queue over its hard limit", null));
        }
        return SendStatus.DROPPED;
    }
}
