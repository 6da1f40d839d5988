package io.tern.codec;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Feeds bytes to a fresh {@link MessageReader} in one {@link Feeding} and records the outcome:
 * the events delivered, the final status, the failure code, and how many input bytes were
 * consumed when reading stopped (so fail-fast positions can be asserted exactly).
 */
public final class ReaderRun {
    public final RecordingListener listener = new RecordingListener();
    public final MessageReader reader;
    public int status = MessageReader.NEED_MORE;
    /** Bytes consumed from the whole input when reading ended (or all of it). */
    public long consumed;

    public ReaderRun(Role role, ReaderSettings settings) {
        reader = new MessageReader(role, settings, listener, BufferPool.unpooled());
    }

    /** Runs a server-role reader with default settings. */
    public static ReaderRun server(byte[] input, Feeding feeding) {
        return new ReaderRun(Role.SERVER, ReaderSettings.defaults()).feed(input, feeding);
    }

    /** Runs a client-role reader with default settings. */
    public static ReaderRun client(byte[] input, Feeding feeding) {
        return new ReaderRun(Role.CLIENT, ReaderSettings.defaults()).feed(input, feeding);
    }

    /** Feeds input; stops at the first status other than NEED_MORE. */
    public ReaderRun feed(byte[] input, Feeding feeding) {
        List<ByteBuffer> chunks = feeding.chunks(input);
        for (ByteBuffer chunk : chunks) {
            int before = chunk.position();
            status = reader.read(chunk);
            consumed += chunk.position() - before;
            if (status != MessageReader.NEED_MORE) {
                break;
            }
        }
        return this;
    }

    /** The events, with a final {@code FAIL:code} entry when reading failed. */
    public List<String> outcome() {
        List<String> out = new java.util.ArrayList<>(listener.events);
        if (status == MessageReader.FAILED) {
            out.add("FAIL:" + reader.failureCode());
        }
        return out;
    }
}
