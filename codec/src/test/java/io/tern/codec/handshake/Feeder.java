package io.tern.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Test helper: feeds the same input to fresh parsers whole, one byte at a time and split at
 * seeded random points, each with heap and with direct buffers, checks that every run ends
 * the same way and that bytes after the head stay unconsumed, and returns the common outcome.
 */
final class Feeder {

    private static final long[] SEEDS = {1L, 2L, 3L, 42L, 4711L};

    private Feeder() {
    }

    /** What one parsing run produced. Byte arrays are compared as ISO-8859-1 strings. */
    record Outcome(HttpHeadParser.FeedResult result, HttpRequestHead requestHead, HttpResponseHead responseHead,
            HeadParseError error, int consumed, String rest) {

        HttpRequestHead request() {
            assertEquals(HttpHeadParser.FeedResult.COMPLETE, result, () -> "error: " + error);
            return requestHead;
        }

        HttpResponseHead response() {
            assertEquals(HttpHeadParser.FeedResult.COMPLETE, result, () -> "error: " + error);
            return responseHead;
        }

        HeadParseError failure() {
            assertEquals(HttpHeadParser.FeedResult.ERROR, result, "expected a parse error");
            return error;
        }
    }

    static Outcome request(String latin1) {
        return parse(HttpHeadParser::forRequest, latin1(latin1));
    }

    static Outcome response(String latin1) {
        return parse(HttpHeadParser::forResponse, latin1(latin1));
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Runs every feeding mode and asserts they agree. */
    static Outcome parse(Supplier<HttpHeadParser> factory, byte[] input) {
        Outcome reference = null;
        String referenceMode = null;
        for (boolean direct : new boolean[] {false, true}) {
            List<String> names = new ArrayList<>();
            List<int[]> splits = new ArrayList<>();
            names.add("whole");
            splits.add(new int[] {input.length});
            names.add("byte-by-byte");
            splits.add(bytewise(input.length));
            for (long seed : SEEDS) {
                names.add("random seed " + seed);
                splits.add(randomSplit(input.length, new Random(seed)));
            }
            for (int i = 0; i < names.size(); i++) {
                String mode = names.get(i) + (direct ? " (direct)" : " (heap)");
                Outcome outcome = run(factory.get(), input, splits.get(i), direct, mode);
                if (reference == null) {
                    reference = outcome;
                    referenceMode = mode;
                } else {
                    assertEquals(reference, outcome, mode + " differs from " + referenceMode);
                }
            }
        }
        return reference;
    }

    private static int[] bytewise(int length) {
        int[] sizes = new int[length];
        java.util.Arrays.fill(sizes, 1);
        return sizes;
    }

    /** Chunk sizes from 0 to 23 (empty chunks included) until the input is covered. */
    private static int[] randomSplit(int length, Random random) {
        List<Integer> sizes = new ArrayList<>();
        int covered = 0;
        while (covered < length) {
            int size = Math.min(length - covered, random.nextInt(24));
            sizes.add(size);
            covered += size;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Outcome run(HttpHeadParser parser, byte[] input, int[] chunkSizes, boolean direct, String mode) {
        assertEquals(HttpHeadParser.FeedResult.NEED_MORE, parser.feed(buffer(new byte[0], 0, 0, direct)), mode);
        int offset = 0;
        HttpHeadParser.FeedResult result = HttpHeadParser.FeedResult.NEED_MORE;
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        for (int size : chunkSizes) {
            ByteBuffer buffer = buffer(input, offset, size, direct);
            offset += size;
            result = parser.feed(buffer);
            if (result == HttpHeadParser.FeedResult.NEED_MORE) {
                assertFalse(buffer.hasRemaining(), mode + ": NEED_MORE must consume the whole buffer");
                continue;
            }
            while (buffer.hasRemaining()) {
                rest.write(buffer.get());
            }
            rest.write(input, offset, input.length - offset);
            break;
        }
        assertEquals(input.length - rest.size(), parser.consumedBytes(), mode + ": consumed count");
        assertEquals(result, parser.result(), mode);
        if (result != HttpHeadParser.FeedResult.NEED_MORE) {
            ByteBuffer more = buffer(latin1("more"), 0, 4, direct);
            assertEquals(result, parser.feed(more), mode + ": a finished parser must keep its result");
            assertEquals(4, more.remaining(), mode + ": a finished parser must not consume");
        }
        boolean complete = result == HttpHeadParser.FeedResult.COMPLETE;
        boolean requests = isRequestParser(parser);
        return new Outcome(result,
                complete && requests ? parser.requestHead() : null,
                complete && !requests ? parser.responseHead() : null,
                parser.error(), parser.consumedBytes(),
                new String(rest.toByteArray(), StandardCharsets.ISO_8859_1));
    }

    private static boolean isRequestParser(HttpHeadParser parser) {
        try {
            parser.responseHead();
            return false;
        } catch (IllegalStateException e) {
            return e.getMessage().contains("reads requests");
        }
    }

    /**
     * Copies a chunk into a buffer whose position is not zero (heap) or into a direct buffer,
     * surrounded by bytes that must never be read.
     */
    private static ByteBuffer buffer(byte[] input, int offset, int size, boolean direct) {
        if (direct) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(size + 4);
            buffer.put(new byte[] {'#', '#'}).put(input, offset, size).put(new byte[] {'#', '#'});
            return buffer.position(2).limit(2 + size);
        }
        byte[] array = new byte[size + 6];
        java.util.Arrays.fill(array, (byte) '#');
        System.arraycopy(input, offset, array, 3, size);
        return ByteBuffer.wrap(array, 3, size);
    }
}
