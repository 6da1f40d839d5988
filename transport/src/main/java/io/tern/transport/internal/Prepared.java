package io.tern.transport.internal;

import io.tern.codec.BufferPool;
import io.tern.codec.FrameEncoder;
import io.tern.codec.Opcode;
import io.tern.codec.Role;
import io.tern.codec.Rsv;
import io.tern.codec.deflate.PerMessageDeflater;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The engine behind {@code io.tern.transport.PreparedMessage}: a whole data message framed once,
 * for the server role (unmasked), into a direct buffer that any number of connections on any
 * loops queue without a copy; plus, made on first need, one compressed frame per set of
 * permessage-deflate parameters whose output can be shared (no context takeover on the sending
 * side, same window bits and level).
 *
 * <p>Connections never touch the frames' positions directly: each loop gets its own
 * {@link LoopView} (made once per loop and variant), whose position and limit its connections set
 * just before writing. So a send of a prepared message costs no copy, no task and no allocation
 * per connection once a loop has its view.
 *
 * <p>Threading contract: immutable frames; the view and variant tables are copy-on-write arrays
 * swapped in by compare-and-set, so any thread may read them and any loop may add to them. A
 * {@link LoopView} is used only by the loop that owns it.
 */
public final class Prepared {

    private static final FrameEncoder SERVER_FRAMES = new FrameEncoder(Role.SERVER, null);
    private static final VarHandle VIEWS;
    private static final LoopView[] NO_VIEWS = new LoopView[0];
    /** Variant key of the uncompressed frame. */
    static final int PLAIN = 0;

    static {
        try {
            VIEWS = MethodHandles.lookup().findVarHandle(Prepared.class, "views", LoopView[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static volatile Function<Object, Prepared> access;

    /**
     * One loop's window on one frame variant.
     *
     * <p>Threading contract: the owning loop's thread only.
     */
    static final class LoopView {
        final EventLoop loop;
        final int key;
        /** The variant's frame as made, never repositioned: other loops' views are made from it. */
        final ByteBuffer master;
        /** This loop's view of the frame, header and payload; position and limit set by the writer. */
        final ByteBuffer frame;
        /** The uncompressed payload, for connections that must frame it themselves. */
        final ByteBuffer payload;
        /** Marks the view as already placed in the gathering write {@link #stampedBy} prepares. */
        int stamp;
        Object stampedBy;

        LoopView(EventLoop loop, int key, ByteBuffer master, ByteBuffer payload) {
            this.loop = loop;
            this.key = key;
            this.master = master;
            this.frame = master.duplicate();
            this.payload = payload;
        }
    }

    private final int opcode;
    private final ByteBuffer frame;
    private final int headerLength;
    private volatile LoopView[] views = NO_VIEWS;

    private Prepared(int opcode, ByteBuffer frame, int headerLength) {
        this.opcode = opcode;
        this.frame = frame;
        this.headerLength = headerLength;
    }

    /**
     * Frames a whole message once.
     *
     * @param opcode  {@link Opcode#TEXT} or {@link Opcode#BINARY}
     * @param payload the payload, position to limit (not changed)
     * @return the prepared frame
     */
    public static Prepared frame(int opcode, ByteBuffer payload) {
        ByteBuffer frame = frameOnce(opcode, Rsv.NONE, payload);
        return new Prepared(opcode, frame, frame.capacity() - payload.remaining());
    }

    /**
     * Frames a whole text message once, from characters (lone surrogates become U+FFFD).
     *
     * @param text the text
     * @return the prepared frame
     */
    public static Prepared text(CharSequence text) {
        ByteBuffer utf8 = ByteBuffer.allocate(Utf8.encodedLength(text));
        Utf8.encode(text, utf8);
        return frame(Opcode.TEXT, utf8.flip());
    }

    private static ByteBuffer frameOnce(int opcode, int rsv, ByteBuffer payload) {
        int n = payload.remaining();
        ByteBuffer frame = ByteBuffer.allocateDirect(FrameEncoder.headerSize(n, false) + n);
        SERVER_FRAMES.writeHeader(frame, true, rsv, opcode, n);
        frame.put(payload.duplicate());
        return frame.flip();
    }

    /**
     * Lets the public wrapper hand out its engine; called once by its static initializer.
     *
     * @param accessor returns the engine of a wrapper
     */
    public static void registerAccess(Function<Object, Prepared> accessor) {
        access = accessor;
    }

    static Prepared of(Object wrapper) {
        return access.apply(wrapper);
    }

    /**
     * The message's opcode.
     *
     * @return {@link Opcode#TEXT} or {@link Opcode#BINARY}
     */
    public int opcode() {
        return opcode;
    }

    /**
     * Payload length in bytes.
     *
     * @return the length
     */
    public int payloadLength() {
        return frame.capacity() - headerLength;
    }

    /**
     * The uncompressed frame, read-only, header and payload.
     *
     * @return a new read-only view
     */
    public ByteBuffer frame() {
        return frame.asReadOnlyBuffer();
    }

    /** The uncompressed frame as seen by {@code loop}; loop thread only. */
    LoopView plainView(EventLoop loop) {
        LoopView v = find(loop, PLAIN);
        return v != null ? v : add(new LoopView(loop, PLAIN, frame, payloadOf(frame.duplicate())));
    }

    /**
     * The frame compressed by a deflater that keeps no context between messages, as seen by
     * {@code loop}; compressed here on first need for this parameter set. Loop thread only.
     *
     * @param key      identifies the parameter set (window bits and level)
     * @param deflater a deflater with no context takeover, for those parameters
     * @param buffers  the loop's pool, for compression scratch space
     */
    LoopView compressedView(EventLoop loop, int key, PerMessageDeflater deflater, BufferPool buffers) {
        LoopView v = find(loop, key);
        if (v != null) {
            return v;
        }
        ByteBuffer shared = null;
        for (LoopView other : views) {
            if (other.key == key) {
                shared = other.master; // another loop compressed it already
                break;
            }
        }
        if (shared == null) {
            ByteBuffer out = deflater.compress(payloadOf(frame.duplicate()), true, buffers);
            try {
                shared = frameOnce(opcode, Rsv.RSV1, out);
            } finally {
                buffers.release(out);
            }
        }
        return add(new LoopView(loop, key, shared, null));
    }

    private ByteBuffer payloadOf(ByteBuffer whole) {
        return whole.position(headerLength).slice();
    }

    private LoopView find(EventLoop loop, int key) {
        for (LoopView v : views) {
            if (v.loop == loop && v.key == key) {
                return v;
            }
        }
        return null;
    }

    private LoopView add(LoopView view) {
        while (true) {
            LoopView[] current = views;
            LoopView[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = view;
            if (VIEWS.compareAndSet(this, current, next)) {
                return view;
            }
        }
    }
}
