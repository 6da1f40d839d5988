package io.tern.codec.deflate;

import static io.tern.codec.deflate.PmdSupport.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.BufferPool;
import io.tern.codec.Bytes;
import io.tern.codec.Feeding;
import io.tern.codec.Frames;
import io.tern.codec.MessageInflater;
import io.tern.codec.MessageReader;
import io.tern.codec.Opcode;
import io.tern.codec.ReaderRun;
import io.tern.codec.ReaderSettings;
import io.tern.codec.Role;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Native zlib streams are counted by the ZStreamPool; opening and closing connections many times
 * must not leave any behind beyond the pool's idle streams, and a MessageReader must give its
 * inflater back when it is done.
 */
class PmdNativeMemoryTest {

    private static final int CYCLES = 100_000;

    /**
     * One connection's life, many times over: a deflater and an inflater are created, one message
     * goes through both (so the native streams exist), and both are released.
     */
    @ParameterizedTest(name = "no context takeover={0}, window bits={1}, cycles={2}")
    @CsvSource({"false, 15, 100000", "true, 15, 100000", "false, 10, 20000", "true, 9, 20000"})
    @Timeout(120)
    void openCloseCyclesLeaveNothingBehind(boolean noContext, int bits, int cycles) {
        ZStreamPool pool = new ZStreamPool();
        DeflateParameters p = params(noContext, noContext, bits, bits);
        ByteBuffer out = ByteBuffer.allocate(256);
        long maxLive = 0;
        for (int i = 0; i < cycles; i++) {
            PerMessageDeflater deflater = new PerMessageDeflater(p, Role.SERVER, DeflateOptions.defaults(), pool);
            PerMessageInflater inflater = new PerMessageInflater(p, Role.CLIENT, pool);
            byte[] msg = ("message " + i).getBytes(StandardCharsets.US_ASCII);
            ByteBuffer compressed = deflater.compress(ByteBuffer.wrap(msg), true, BufferPool.unpooled());
            inflater.setInput(compressed);
            out.clear();
            while (inflater.inflate(out) > 0) {
                // keep going until the input is used up
            }
            inflater.finishInput();
            while (inflater.inflate(out) > 0) {
                // and the tail
            }
            if (!noContext) {
                assertTrue(deflater.holdsStream() || bits < 15, "the deflater keeps its context");
                assertTrue(inflater.holdsStream(), "the inflater keeps its context");
            }
            inflater.endMessage();
            assertEquals(new String(msg, StandardCharsets.US_ASCII),
                    new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII));
            maxLive = Math.max(maxLive, pool.liveInflaters() + pool.liveDeflaters());
            deflater.release();
            inflater.release();
            assertFalse(deflater.holdsStream());
            assertFalse(inflater.holdsStream());
        }
        assertTrue(maxLive >= (bits == 15 ? 2 : 1), "native streams were never created: " + maxLive);
        String state = "live inflaters " + pool.liveInflaters() + ", live deflaters " + pool.liveDeflaters()
                + ", idle " + pool.idleCount() + ", most live at once " + maxLive;
        assertTrue(pool.liveInflaters() <= ZStreamPool.DEFAULT_MAX_IDLE, state);
        assertTrue(pool.liveDeflaters() <= ZStreamPool.DEFAULT_MAX_IDLE, state);
        // Every native stream still alive is an idle one in the pool, not a leak.
        if (bits == 15) {
            assertEquals(pool.idleCount(), pool.liveInflaters() + pool.liveDeflaters(), state);
        }
        assertTrue(maxLive <= 2 + 2L * ZStreamPool.DEFAULT_MAX_IDLE, state);
        pool.close();
        assertEquals(0, pool.liveInflaters(), "after close: " + state);
        assertEquals(0, pool.liveDeflaters(), "after close: " + state);
        assertEquals(0, pool.idleCount());
    }

    /** More connections open at once than the pool keeps idle: closing them all frees the surplus. */
    @ParameterizedTest(name = "no context takeover={0}")
    @CsvSource({"false", "true"})
    @Timeout(60)
    void manyConnectionsAtOnce(boolean noContext) {
        ZStreamPool pool = new ZStreamPool(4);
        DeflateParameters p = params(noContext, noContext, 15, 15);
        for (int round = 0; round < 20; round++) {
            List<PerMessageDeflater> deflaters = new ArrayList<>();
            List<PerMessageInflater> inflaters = new ArrayList<>();
            for (int c = 0; c < 50; c++) {
                PerMessageDeflater d = new PerMessageDeflater(p, Role.CLIENT, DeflateOptions.defaults(), pool);
                PerMessageInflater inf = new PerMessageInflater(p, Role.SERVER, pool);
                ByteBuffer compressed = d.compress(ByteBuffer.wrap(Bytes.utf8("hi " + c)), true,
                        BufferPool.unpooled());
                ByteBuffer out = ByteBuffer.allocate(64);
                inf.setInput(compressed);
                while (inf.inflate(out) > 0) {
                    // drain
                }
                inf.finishInput();
                while (inf.inflate(out) > 0) {
                    // and the tail
                }
                inf.endMessage();
                assertEquals("hi " + c, new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII));
                deflaters.add(d);
                inflaters.add(inf);
            }
            if (!noContext) {
                assertEquals(50, pool.liveInflaters());
                assertEquals(50, pool.liveDeflaters());
            }
            deflaters.forEach(PerMessageDeflater::release);
            inflaters.forEach(PerMessageInflater::release);
            assertTrue(pool.liveInflaters() <= 4, "inflaters " + pool.liveInflaters());
            assertTrue(pool.liveDeflaters() <= 4, "deflaters " + pool.liveDeflaters());
        }
        pool.close();
        assertEquals(0, pool.liveInflaters());
        assertEquals(0, pool.liveDeflaters());
    }

    @Test
    void poolWithoutIdleStreamsFreesEverything() {
        ZStreamPool pool = new ZStreamPool(0);
        for (boolean noContext : new boolean[] {false, true}) {
            DeflateParameters p = params(noContext, noContext, 15, 15);
            for (int i = 0; i < 1000; i++) {
                PerMessageDeflater d = new PerMessageDeflater(p, Role.SERVER, DeflateOptions.defaults(), pool);
                byte[] c = Bytes.remaining(d.compress(ByteBuffer.wrap(Bytes.utf8("x" + i)), true,
                        BufferPool.unpooled()));
                ReaderRun run = new ReaderRun(Role.CLIENT, ReaderSettings.defaults());
                run.reader.enableCompression(new PerMessageInflater(p, Role.CLIENT, pool));
                run.feed(Frames.unmasked(0xC1, c), Feeding.WHOLE_HEAP);
                assertEquals(List.of("TEXT:x" + i), run.outcome());
                run.reader.releaseBuffers();
                d.release();
            }
            assertEquals(0, pool.liveInflaters());
            assertEquals(0, pool.liveDeflaters());
            assertEquals(0, pool.idleCount());
        }
    }

    /**
     * One pool serves connections whose options differ: a Deflater left idle at one level and
     * borrowed at another must still compress the next message correctly, in both takeover modes.
     */
    @Test
    void pooledDeflaterReusedAtAnotherLevel() {
        List<String> failures = new ArrayList<>();
        for (int from : new int[] {6, 1, 9}) {
            for (int to : new int[] {1, 6, 9}) {
                for (boolean noContext : new boolean[] {true, false}) {
                    if (from == to) {
                        continue;
                    }
                    String label = "idle at level " + from + ", borrowed at " + to
                            + (noContext ? " (no context takeover)" : " (context takeover)");
                    ZStreamPool pool = new ZStreamPool();
                    DeflateParameters pooled = params(true, true, 15, 15);
                    PerMessageDeflater first = new PerMessageDeflater(pooled, Role.SERVER,
                            DeflateOptions.defaults().withCompressionLevel(from), pool);
                    first.compress(ByteBuffer.wrap(Bytes.utf8("warm up")), true, BufferPool.unpooled());
                    first.release();
                    assertEquals(1, pool.idleCount(), label);
                    DeflateParameters p = params(noContext, noContext, 15, 15);
                    PmdSupport.Sender second = new PmdSupport.Sender(p, Role.SERVER,
                            DeflateOptions.defaults().withCompressionLevel(to), pool);
                    try {
                        second.send(Opcode.TEXT, Bytes.utf8("Hello"), 0);
                        second.send(Opcode.TEXT, Bytes.utf8("Hello again"), 0);
                        ReaderRun run = new ReaderRun(Role.CLIENT, ReaderSettings.defaults());
                        run.reader.enableCompression(new PerMessageInflater(p, Role.CLIENT, pool));
                        run.feed(second.wire(), Feeding.WHOLE_HEAP);
                        if (!List.of("TEXT:Hello", "TEXT:Hello again").equals(run.outcome())) {
                            failures.add(label + ": " + run.outcome());
                        }
                    } catch (RuntimeException e) {
                        failures.add(label + ": " + e);
                    }
                    second.deflater.release();
                    pool.close();
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    // ---------------------------------------------------------------------------------------------
    // MessageReader gives its inflater back

    /** Wraps a PerMessageInflater to see whether it is released. */
    private static final class Watched implements MessageInflater {
        final PerMessageInflater inner;
        int releases;

        Watched(PerMessageInflater inner) {
            this.inner = inner;
        }

        @Override
        public void setInput(ByteBuffer compressed) {
            inner.setInput(compressed);
        }

        @Override
        public void finishInput() {
            inner.finishInput();
        }

        @Override
        public int inflate(ByteBuffer out) {
            return inner.inflate(out);
        }

        @Override
        public boolean needsInput() {
            return inner.needsInput();
        }

        @Override
        public void endMessage() {
            inner.endMessage();
        }

        @Override
        public void release() {
            releases++;
            inner.release();
        }
    }

    private static byte[] hello() {
        return Frames.unmasked(0xC1, Bytes.hex("f2 48 cd c9 c9 07 00"));
    }

    @Test
    void releaseBuffersFreesTheContextInflater() {
        ZStreamPool pool = new ZStreamPool();
        long baseline = pool.liveInflaters();
        ReaderRun run = new ReaderRun(Role.CLIENT, ReaderSettings.defaults());
        Watched w = new Watched(new PerMessageInflater(params(false, false, 15, 15), Role.CLIENT, pool));
        run.reader.enableCompression(w);
        run.feed(Bytes.concat(hello(), Frames.unmasked(0xC1, Bytes.hex("f2 00 11 00 00"))), Feeding.WHOLE_HEAP);
        assertEquals(List.of("TEXT:Hello", "TEXT:Hello"), run.outcome());
        assertTrue(w.inner.holdsStream(), "context takeover keeps the inflater between messages");
        assertEquals(baseline + 1, pool.liveInflaters());
        run.reader.releaseBuffers();
        assertEquals(1, w.releases);
        assertFalse(w.inner.holdsStream());
        assertEquals(baseline, pool.liveInflaters(), "the context inflater is freed, not pooled");
        pool.close();
    }

    @Test
    void noContextInflaterIsOnlyHeldDuringAMessage() {
        ZStreamPool pool = new ZStreamPool();
        ReaderRun run = new ReaderRun(Role.CLIENT, ReaderSettings.defaults());
        Watched w = new Watched(new PerMessageInflater(params(true, false, 15, 15), Role.CLIENT, pool));
        run.reader.enableCompression(w);
        run.feed(Frames.unmasked(0x41, Bytes.hex("f2 48 cd")), Feeding.WHOLE_HEAP);
        assertTrue(w.inner.holdsStream(), "borrowed while the message is open");
        assertTrue(run.reader.isInsideMessage());
        run.feed(Frames.unmasked(0x80, Bytes.hex("c9 c9 07 00")), Feeding.WHOLE_HEAP);
        assertEquals(List.of("TEXT:Hello"), run.outcome());
        assertFalse(w.inner.holdsStream(), "returned after the message");
        assertEquals(1, pool.liveInflaters());
        assertEquals(1, pool.idleCount());
        // A connection that closes in the middle of a message gives the borrowed stream back.
        run.feed(Frames.unmasked(0x42, Bytes.hex("f2 48 cd")), Feeding.WHOLE_HEAP);
        assertTrue(w.inner.holdsStream());
        assertEquals(0, pool.idleCount());
        run.reader.releaseBuffers();
        assertFalse(w.inner.holdsStream());
        assertEquals(1, pool.liveInflaters());
        assertEquals(1, pool.idleCount());
        pool.close();
        assertEquals(0, pool.liveInflaters());
    }

    @Test
    void failuresAndCloseFramesReleaseTheInflater() {
        ZStreamPool pool = new ZStreamPool();
        byte[][] endings = {
            Frames.unmasked(0xC1, Bytes.hex("06")),                          // corrupt: 1007
            Frames.unmasked(0xC0, Bytes.hex("00")),                          // RSV1 on continuation: 1002
            Frames.unmasked(0xC1, PmdSupport.jdkCompress(new byte[] {(byte) 0xFF})), // bad UTF-8: 1007
            Frames.unmasked(0x88, Frames.closePayload(1000, "bye")),         // close frame
            Bytes.concat(Frames.unmasked(0x41, Bytes.hex("f2 48 cd")), Frames.unmasked(0x88, new byte[0])),
        };
        List<String> expected = List.of("TEXT:Hello", "FAIL:1007", "TEXT:Hello", "FAIL:1002", "TEXT:Hello",
                "FAIL:1007", "TEXT:Hello", "CLOSE:1000:bye", "TEXT:Hello", "CLOSE:1005:");
        List<String> got = new ArrayList<>();
        for (byte[] ending : endings) {
            ReaderRun run = new ReaderRun(Role.CLIENT, ReaderSettings.defaults());
            Watched w = new Watched(new PerMessageInflater(params(false, false, 15, 15), Role.CLIENT, pool));
            run.reader.enableCompression(w);
            run.feed(Bytes.concat(hello(), ending), Feeding.WHOLE_HEAP);
            got.addAll(run.outcome());
            assertTrue(run.status == MessageReader.FAILED || run.status == MessageReader.CLOSE_RECEIVED);
            assertEquals(1, w.releases, "released once when reading ends");
            assertFalse(w.inner.holdsStream());
            assertEquals(0, pool.liveInflaters());
            // Releasing again is harmless.
            run.reader.releaseBuffers();
            assertEquals(0, pool.liveInflaters());
        }
        assertEquals(expected, got);
        pool.close();
    }

    @Test
    void deflaterWithContextFreesItsStreamOnRelease() {
        ZStreamPool pool = new ZStreamPool();
        PmdSupport.Sender s = new PmdSupport.Sender(params(false, false, 15, 15), Role.SERVER,
                DeflateOptions.defaults(), pool);
        s.send(Opcode.TEXT, Bytes.utf8("one"), 0);
        s.send(Opcode.TEXT, Bytes.utf8("two"), 0);
        assertTrue(s.deflater.holdsStream());
        assertEquals(1, pool.liveDeflaters());
        s.deflater.release();
        assertFalse(s.deflater.holdsStream());
        assertEquals(0, pool.liveDeflaters(), "a stream with a connection's context is freed, not pooled");
        s.deflater.release();
        assertEquals(0, pool.liveDeflaters());
        pool.close();
    }
}
