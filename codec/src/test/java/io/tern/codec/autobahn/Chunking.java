package io.tern.codec.autobahn;

import io.tern.codec.Feeding;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How a stream is cut into reads: every {@link Feeding}, plus the chop patterns that some Autobahn
 * cases name (chops of N octets, frame-wise chops, a pause at a given point).
 */
final class Chunking {

    private final String name;
    private final Function<byte[], List<ByteBuffer>> cutter;

    private Chunking(String name, Function<byte[], List<ByteBuffer>> cutter) {
        this.name = name;
        this.cutter = cutter;
    }

    static Chunking of(Feeding feeding) {
        return new Chunking(feeding.name(), feeding::chunks);
    }

    /** Chops of {@code size} octets, as Autobahn's {@code chopsize}. */
    static Chunking chops(int size, boolean direct) {
        return new Chunking("CHOPS_OF_" + size + (direct ? "_DIRECT" : "_HEAP"), input -> {
            List<ByteBuffer> out = new ArrayList<>();
            for (int i = 0; i < input.length; i += size) {
                out.add(copy(input, i, Math.min(size, input.length - i), direct));
            }
            return out;
        });
    }

    /** Cuts at the given offsets (ascending; offsets at 0 or at the end are ignored). */
    static Chunking cutAt(String name, int[] cuts, boolean direct) {
        return new Chunking(name + (direct ? "_DIRECT" : "_HEAP"), input -> {
            List<ByteBuffer> out = new ArrayList<>();
            int from = 0;
            for (int cut : cuts) {
                if (cut > from && cut < input.length) {
                    out.add(copy(input, from, cut - from, direct));
                    from = cut;
                }
            }
            out.add(copy(input, from, input.length - from, direct));
            return out;
        });
    }

    /** Fresh buffers for one run (a reader unmasks in place, so buffers are never reused). */
    List<ByteBuffer> chunks(byte[] input) {
        return cutter.apply(input);
    }

    @Override
    public String toString() {
        return name;
    }

    private static ByteBuffer copy(byte[] input, int from, int length, boolean direct) {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(length) : ByteBuffer.allocate(length);
        b.put(input, from, length).flip();
        return b;
    }
}
