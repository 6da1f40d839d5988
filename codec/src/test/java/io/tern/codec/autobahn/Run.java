package io.tern.codec.autobahn;

import io.tern.codec.BufferPool;
import io.tern.codec.MessageListener;
import io.tern.codec.MessageReader;
import io.tern.codec.ReaderSettings;
import io.tern.codec.Role;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Feeds chunks to a fresh server-role {@link MessageReader} until it stops, and keeps what a test
 * needs to check where it stopped: the status, the input bytes consumed, and the chunk (with its
 * position) in which reading stopped.
 */
final class Run {

    final MessageReader reader;
    int status = MessageReader.NEED_MORE;
    /** Bytes of the whole input consumed when reading stopped (or all of it). */
    long consumed;
    /** Offset in the whole input of the first byte of {@link #stoppedIn}. */
    long stoppedInStart;
    /** The chunk in which reading stopped, its position where the reader left it; null if none. */
    ByteBuffer stoppedIn;

    Run(ReaderSettings settings, MessageListener listener) {
        reader = new MessageReader(Role.SERVER, settings, listener, BufferPool.unpooled());
    }

    Run feed(List<ByteBuffer> chunks) {
        long offset = 0;
        for (ByteBuffer chunk : chunks) {
            int before = chunk.position();
            int length = chunk.remaining();
            status = reader.read(chunk);
            consumed += chunk.position() - before;
            if (status != MessageReader.NEED_MORE) {
                stoppedIn = chunk;
                stoppedInStart = offset;
                break;
            }
            offset += length;
        }
        return this;
    }

    static String statusName(int status) {
        switch (status) {
            case MessageReader.NEED_MORE: return "NEED_MORE";
            case MessageReader.PAUSED: return "PAUSED";
            case MessageReader.CLOSE_RECEIVED: return "CLOSE_RECEIVED";
            case MessageReader.FAILED: return "FAILED";
            default: return "UNKNOWN(" + status + ")";
        }
    }
}
