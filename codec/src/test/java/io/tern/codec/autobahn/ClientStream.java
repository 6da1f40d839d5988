package io.tern.codec.autobahn;

import io.tern.codec.Bytes;
import io.tern.codec.Frames;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The bytes an Autobahn fuzzing client sends to a server: a sequence of masked frames, each with
 * its own mask key. Remembers where every frame starts, where its payload starts and where it
 * ends, so tests can say exactly where a strict reader has to stop.
 */
final class ClientStream {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<int[]> frames = new ArrayList<>(); // {start, payloadStart, end, opcode}
    private final Random keys;

    ClientStream() {
        this(6455);
    }

    ClientStream(long keySeed) {
        this.keys = new Random(keySeed);
    }

    /**
     * A frame the way Autobahn's {@code sendFrame(opcode, fin, payload, rsv)} builds it: the RSV
     * argument is the 3-bit value RSV1..RSV3 (4 = RSV1, 2 = RSV2, 1 = RSV3), shifted into place.
     */
    ClientStream frame(boolean fin, int autobahnRsv, int opcode, byte[] payload) {
        int b0 = (fin ? 0x80 : 0) | ((autobahnRsv & 7) << 4) | (opcode & 0x0F);
        int key = keys.nextInt();
        byte[] frame = Frames.masked(b0, payload, key);
        int start = out.size();
        out.writeBytes(frame);
        frames.add(new int[] {start, out.size() - payload.length, out.size(), opcode & 0x0F});
        return this;
    }

    ClientStream frame(boolean fin, int opcode, byte[] payload) {
        return frame(fin, 0, opcode, payload);
    }

    ClientStream frame(boolean fin, int opcode, String payload) {
        return frame(fin, 0, opcode, Bytes.utf8(payload));
    }

    ClientStream text(String payload) {
        return frame(true, TEXT, Bytes.utf8(payload));
    }

    ClientStream text(byte[] payload) {
        return frame(true, TEXT, payload);
    }

    ClientStream binary(byte[] payload) {
        return frame(true, BINARY, payload);
    }

    ClientStream ping(String payload) {
        return frame(true, PING, Bytes.utf8(payload));
    }

    ClientStream ping(byte[] payload) {
        return frame(true, PING, payload);
    }

    ClientStream pong(String payload) {
        return frame(true, PONG, Bytes.utf8(payload));
    }

    /** Autobahn's {@code sendClose(code)}: a close frame carrying only the 2-byte code. */
    ClientStream close(int code) {
        return frame(true, CLOSE, Frames.closePayload(code, ""));
    }

    /** Autobahn's {@code sendClose(code, reason)}. */
    ClientStream close(int code, String reason) {
        return frame(true, CLOSE, Frames.closePayload(code, reason));
    }

    /** Autobahn's {@code sendCloseFrame(code, reasonUtf8=bytes)}: the reason bytes as they are. */
    ClientStream close(int code, byte[] reasonBytes) {
        return frame(true, CLOSE, Bytes.concat(Frames.closePayload(code, ""), reasonBytes));
    }

    /** A close frame with an arbitrary payload (Autobahn's {@code sendFrame(opcode=8, payload)}). */
    ClientStream closeRaw(byte[] payload) {
        return frame(true, CLOSE, payload);
    }

    /**
     * A text message split into fragments: the first frame a text frame, the others continuation
     * frames, the last one final.
     */
    ClientStream fragmentedText(List<byte[]> fragments) {
        for (int i = 0; i < fragments.size(); i++) {
            frame(i == fragments.size() - 1, i == 0 ? TEXT : CONTINUATION, fragments.get(i));
        }
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    int size() {
        return out.size();
    }

    int frameCount() {
        return frames.size();
    }

    int frameStart(int frame) {
        return frames.get(frame)[0];
    }

    int payloadStart(int frame) {
        return frames.get(frame)[1];
    }

    int frameEnd(int frame) {
        return frames.get(frame)[2];
    }

    int opcode(int frame) {
        return frames.get(frame)[3];
    }

    /** The first close frame, or -1. */
    int firstCloseFrame() {
        for (int i = 0; i < frames.size(); i++) {
            if (opcode(i) == CLOSE) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Where byte {@code index} of a message whose first frame is {@code firstFrame} sits in the
     * stream: the payloads of consecutive frames are counted one after another.
     */
    int messageByteOffset(int firstFrame, int index) {
        int left = index;
        for (int f = firstFrame; f < frames.size(); f++) {
            int length = frameEnd(f) - payloadStart(f);
            if (left < length) {
                return payloadStart(f) + left;
            }
            left -= length;
        }
        throw new IllegalArgumentException("message byte " + index + " is past the stream");
    }

    /** The frame that holds stream offset {@code offset}. */
    int frameAt(long offset) {
        for (int i = 0; i < frames.size(); i++) {
            if (offset >= frameStart(i) && offset < frameEnd(i)) {
                return i;
            }
        }
        throw new IllegalArgumentException("offset " + offset + " is past the stream");
    }

    /** Cut points at every frame boundary: Autobahn's "frame-wise chops" ({@code sync=True}). */
    int[] frameBoundaries() {
        int[] cuts = new int[frames.size()];
        for (int i = 0; i < frames.size(); i++) {
            cuts[i] = frameEnd(i);
        }
        return cuts;
    }
}
