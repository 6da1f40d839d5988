package io.tern.codec.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.codec.BufferPool;
import io.tern.codec.Bytes;
import io.tern.codec.ClosingHandshake;
import io.tern.codec.FrameEncoder;
import io.tern.codec.MessageWriter;
import io.tern.codec.Opcode;
import io.tern.codec.ReaderRun;
import io.tern.codec.ReaderSettings;
import io.tern.codec.Role;
import io.tern.codec.Rsv;
import io.tern.codec.Feeding;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The message limit counts inflated bytes; compressed bytes on the wire get an allowance, because
 * DEFLATE makes incompressible data slightly larger. A message exactly at the limit must pass
 * however it was compressed, and the wire allowance must still bound what a peer can send.
 */
class CompressionLimitTest {

    private static final int LIMIT = 64 * 1024;

    /** Compresses with a deflater of the given window, as one masked client frame. */
    private static byte[] compressedFrame(byte[] message, int windowBits) {
        DeflateParameters p = new DeflateParameters(true, true, 15, windowBits);
        PerMessageDeflater deflater = new PerMessageDeflater(p, Role.CLIENT, DeflateOptions.defaults(), new ZStreamPool());
        ByteBuffer compressed = deflater.compress(ByteBuffer.wrap(message), true, BufferPool.unpooled());
        MessageWriter writer = new MessageWriter(new FrameEncoder(Role.CLIENT, () -> 0x01020304), new ClosingHandshake());
        ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_SIZE);
        byte[] body = Bytes.remaining(compressed);
        ByteBuffer payload = ByteBuffer.wrap(body);
        writer.writeData(Opcode.BINARY, Rsv.RSV1, header, payload, true);
        return Bytes.concat(Bytes.remaining(header.flip()), body);
    }

    private static ReaderRun server(byte[] wire) {
        ReaderRun run = new ReaderRun(Role.SERVER, ReaderSettings.defaults().withMaxFrameSize(LIMIT).withMaxMessageSize(LIMIT));
        DeflateParameters p = new DeflateParameters(true, true, 15, 15);
        run.reader.enableCompression(new PerMessageInflater(p, Role.SERVER, new ZStreamPool()));
        return run.feed(wire, Feeding.RANDOM_SPLITS_SEED_2);
    }

    @Test
    void incompressibleMessageAtTheLimitPassesThoughItGrowsOnTheWire() {
        byte[] random = Bytes.pattern(LIMIT, 11);
        for (int bits : new int[] {8, 10, 15}) {
            byte[] wire = compressedFrame(random, bits);
            ReaderRun run = server(wire);
            assertEquals(List.of("BINARY:" + Bytes.hex(random)), run.outcome(), "window bits " + bits);
        }
    }

    @Test
    void oneByteOverTheLimitFailsWith1009() {
        byte[] random = Bytes.pattern(LIMIT + 1, 12);
        assertEquals(List.of("FAIL:1009"), server(compressedFrame(random, 15)).outcome());
    }

    @Test
    void theWireAllowanceIsBounded() {
        // An eighth plus 1 KiB over the limit: a frame announcing more is refused at its header,
        // whatever it would inflate to.
        long allowance = LIMIT + (LIMIT >>> 3) + 1024;
        byte[] header = Bytes.hex(String.format("c2 ff 00 00 00 00 %08x 01 02 03 04", allowance + 1));
        ReaderRun run = server(header);
        assertEquals(List.of("FAIL:1009"), run.outcome());
        assertEquals(10, run.consumed, "refused once the 64-bit length is read, before the mask key");
    }
}
