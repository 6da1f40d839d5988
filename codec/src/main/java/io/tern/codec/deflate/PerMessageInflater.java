package io.tern.codec.deflate;

import io.tern.codec.MessageInflater;
import io.tern.codec.Role;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The receiving half of permessage-deflate for one connection: inflates message payloads with
 * {@link Inflater}, restoring the {@code 00 00 ff ff} tail the sender removed (RFC 7692 §7.2.2).
 *
 * <p>A 15-bit inflater reads streams made with any smaller window, so one kind serves every
 * negotiated window size. When the peer keeps its compression context, the inflater is kept for
 * the connection's life; when the peer resets it after each message (its
 * {@code *_no_context_takeover}), an inflater is borrowed from the {@link ZStreamPool} for one
 * message and returned after it, so idle connections hold none. {@link #release()} frees or
 * returns whatever is held; the owner must call it when the connection ends (a
 * {@link io.tern.codec.MessageReader} does so in {@code releaseBuffers()}).
 *
 * <p>Give it to the reader with
 * {@link io.tern.codec.MessageReader#enableCompression(MessageInflater)}. Not thread-safe.
 */
public final class PerMessageInflater implements MessageInflater {

    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final ZStreamPool pool;
    private final boolean borrowPerMessage;
    private final ByteBuffer tail = ByteBuffer.wrap(TAIL.clone());
    private Inflater inflater;
    /** The data was found corrupt; every later {@link #inflate} says so. */
    private boolean corrupt;

    /**
     * Creates the inflating half for an endpoint.
     *
     * @param parameters the negotiated parameters
     * @param self       the role of the endpoint that receives
     * @param pool       the owner's stream pool
     */
    public PerMessageInflater(DeflateParameters parameters, Role self, ZStreamPool pool) {
        this.pool = pool;
        this.borrowPerMessage = parameters.receiveNoContextTakeover(self);
    }

    @Override
    public void setInput(ByteBuffer compressed) {
        stream().setInput(compressed);
    }

    @Override
    public void finishInput() {
        tail.clear();
        stream().setInput(tail);
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@link Inflater} advances the output's position even when it throws
     * {@link DataFormatException} (documented since Java 11), so the bytes produced before the
     * corruption are known and returned first.
     */
    @Override
    public int inflate(ByteBuffer out) {
        if (corrupt) {
            return CORRUPT;
        }
        int start = out.position();
        try {
            return stream().inflate(out);
        } catch (DataFormatException e) {
            corrupt = true;
            int produced = out.position() - start;
            return produced > 0 ? produced : CORRUPT;
        }
    }

    @Override
    public boolean needsInput() {
        return !corrupt && (inflater == null || inflater.needsInput());
    }

    @Override
    public void endMessage() {
        if (inflater == null) {
            return;
        }
        if (borrowPerMessage) {
            pool.releaseInflater(inflater);
            inflater = null;
        } else if (inflater.finished()) {
            // The peer ended its stream with a final block; its next message starts a new one.
            inflater.reset();
        }
    }

    @Override
    public void release() {
        if (inflater == null) {
            return;
        }
        if (borrowPerMessage) {
            pool.releaseInflater(inflater);
        } else {
            pool.freeInflater(inflater);
        }
        inflater = null;
    }

    /**
     * Whether this inflater holds a native stream right now (for tests and metrics).
     *
     * @return {@code true} while a stream is held
     */
    public boolean holdsStream() {
        return inflater != null;
    }

    private Inflater stream() {
        if (inflater == null) {
            inflater = pool.acquireInflater();
        }
        return inflater;
    }
}
