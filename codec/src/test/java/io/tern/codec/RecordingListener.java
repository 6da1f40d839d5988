package io.tern.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Records what a {@link MessageReader} delivers as readable strings, joining the pieces of a
 * message so that every way of feeding the same bytes records the same events:
 * {@code TEXT:hello}, {@code BINARY:<hex>}, {@code PING:<hex>}, {@code PONG:<hex>},
 * {@code CLOSE:1000:reason}.
 */
public class RecordingListener implements MessageListener {
    public final List<String> events = new ArrayList<>();
    /** Number of onText/onBinary calls (to tell whole delivery from fragments). */
    public int dataCalls;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    @Override
    public void onText(ByteBuffer utf8, boolean last) {
        dataCalls++;
        pending.writeBytes(Bytes.remaining(utf8));
        utf8.position(utf8.limit()); // a listener may move the position
        if (last) {
            events.add("TEXT:" + new String(pending.toByteArray(), StandardCharsets.UTF_8));
            pending.reset();
        }
    }

    @Override
    public void onBinary(ByteBuffer data, boolean last) {
        dataCalls++;
        pending.writeBytes(Bytes.remaining(data));
        if (last) {
            events.add("BINARY:" + Bytes.hex(pending.toByteArray()));
            pending.reset();
        }
    }

    @Override
    public void onPing(ByteBuffer payload) {
        events.add("PING:" + Bytes.hex(Bytes.remaining(payload)));
    }

    @Override
    public void onPong(ByteBuffer payload) {
        events.add("PONG:" + Bytes.hex(Bytes.remaining(payload)));
    }

    @Override
    public void onClose(int code, String reason) {
        events.add("CLOSE:" + code + ":" + reason);
    }

    /** Bytes of an unfinished message (fragment delivery), exactly as delivered. */
    public byte[] pendingBytes() {
        return pending.toByteArray();
    }

    /** Bytes of an unfinished message (fragment delivery), as text. */
    public String pendingText() {
        return new String(pending.toByteArray(), StandardCharsets.UTF_8);
    }
}
