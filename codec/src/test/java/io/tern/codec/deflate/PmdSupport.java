package io.tern.codec.deflate;

import io.tern.codec.BufferPool;
import io.tern.codec.Bytes;
import io.tern.codec.ClosingHandshake;
import io.tern.codec.Feeding;
import io.tern.codec.FrameEncoder;
import io.tern.codec.MaskKeySource;
import io.tern.codec.MessageWriter;
import io.tern.codec.Opcode;
import io.tern.codec.ReaderRun;
import io.tern.codec.ReaderSettings;
import io.tern.codec.Role;
import io.tern.codec.Rsv;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Shared pieces of the {@code Pmd*} permessage-deflate tests: a sending endpoint (PerMessageDeflater
 * + MessageWriter) that records what it put on the wire, a receiving run (MessageReader +
 * PerMessageInflater), an independent decoder (java.util.zip.Inflater) and test data.
 */
final class PmdSupport {

    static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    /** The message sizes the brief asks for. */
    static final int[] ALL_SIZES = {0, 1, 2, 125, 126, 1000, 65535, 65536, 300_000};

    private PmdSupport() {
    }

    static DeflateParameters params(boolean serverNoContext, boolean clientNoContext, int serverBits, int clientBits) {
        return new DeflateParameters(serverNoContext, clientNoContext, serverBits, clientBits);
    }

    static Role peer(Role role) {
        return role == Role.SERVER ? Role.CLIENT : Role.SERVER;
    }

    /** Mask keys that change with every frame and include awkward values (0, all ones). */
    static MaskKeySource keys(int seed) {
        return new MaskKeySource() {
            private int n = seed;

            @Override
            public int nextMaskKey() {
                n++;
                switch (n % 7) {
                    case 0: return 0;
                    case 1: return -1;
                    default: return n * 0x9E3779B1;
                }
            }
        };
    }

    /** Kinds of input buffer handed to the deflater. */
    enum Input { HEAP_SLICE, DIRECT, READ_ONLY }

    /**
     * A BufferPool that lends awkward buffers — larger than asked (a power of two), alternately
     * direct, heap with a non-zero array offset, and plain heap — and checks that each is given back
     * exactly once.
     */
    static final class TrackingPool implements BufferPool {
        private final java.util.IdentityHashMap<ByteBuffer, Integer> lent = new java.util.IdentityHashMap<>();
        final List<String> errors = new ArrayList<>();
        private int count;

        @Override
        public ByteBuffer acquire(int minCapacity) {
            int cap = Math.max(64, Integer.highestOneBit(Math.max(1, minCapacity - 1)) << 1);
            if (cap < minCapacity) {
                errors.add("pool cannot lend " + minCapacity);
                cap = minCapacity;
            }
            ByteBuffer b;
            switch (count++ % 3) {
                case 0:
                    b = ByteBuffer.allocateDirect(cap);
                    break;
                case 1:
                    b = ByteBuffer.wrap(new byte[cap + 13], 13, cap).slice();
                    break;
                default:
                    b = ByteBuffer.allocate(cap);
                    break;
            }
            lent.put(b, minCapacity);
            return b;
        }

        @Override
        public void release(ByteBuffer buffer) {
            if (lent.remove(buffer) == null) {
                errors.add("released a buffer that was not lent, or twice (capacity " + buffer.capacity() + ")");
            }
        }

        /** Buffers lent and not given back. */
        int outstanding() {
            return lent.size();
        }
    }

    /** Like {@link #read} but with the reader's buffers from {@code buffers}. */
    static io.tern.codec.RecordingListener readWith(BufferPool buffers, Role readerRole, DeflateParameters params,
                                                  ZStreamPool pool, ReaderSettings settings, byte[] wire,
                                                  Feeding feeding, List<String> problems) {
        io.tern.codec.RecordingListener listener = new io.tern.codec.RecordingListener();
        io.tern.codec.MessageReader reader = new io.tern.codec.MessageReader(readerRole, settings, listener, buffers);
        reader.enableCompression(new PerMessageInflater(params, readerRole, pool));
        for (ByteBuffer chunk : feeding.chunks(wire)) {
            int status = reader.read(chunk);
            if (status != io.tern.codec.MessageReader.NEED_MORE || chunk.hasRemaining()) {
                problems.add("reader stopped: " + status + " " + reader.failureCode() + " " + reader.failureReason());
                break;
            }
        }
        reader.releaseBuffers();
        return listener;
    }

    /** One message as it went on the wire. */
    static final class Sent {
        final int opcode;
        final byte[] plain;
        final boolean compressed;
        /** The payload of each frame, unmasked, tails removed as on the wire. */
        final List<byte[]> framePayloads = new ArrayList<>();

        Sent(int opcode, byte[] plain, boolean compressed) {
            this.opcode = opcode;
            this.plain = plain;
            this.compressed = compressed;
        }

        /** All frame payloads joined: the compressed message without its tail. */
        byte[] joined() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] p : framePayloads) {
                out.writeBytes(p);
            }
            return out.toByteArray();
        }

        String event() {
            return expectedEvent(opcode, plain);
        }
    }

    static String expectedEvent(int opcode, byte[] plain) {
        return opcode == Opcode.TEXT
                ? "TEXT:" + new String(plain, StandardCharsets.UTF_8)
                : "BINARY:" + Bytes.hex(plain);
    }

    /** The sending half of one endpoint: compresses with PerMessageDeflater, frames with MessageWriter. */
    static final class Sender {
        final Role role;
        final PerMessageDeflater deflater;
        final MessageWriter writer;
        final List<Sent> sent = new ArrayList<>();
        private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
        private BufferPool buffers = BufferPool.unpooled();
        private Input inputKind = Input.HEAP_SLICE;

        Sender(DeflateParameters params, Role role, DeflateOptions options, ZStreamPool pool) {
            this.role = role;
            this.deflater = new PerMessageDeflater(params, role, options, pool);
            this.writer = new MessageWriter(new FrameEncoder(role, role == Role.CLIENT ? keys(role.ordinal() * 31) : null),
                    new ClosingHandshake());
        }

        /** Chooses the kind of input buffer the deflater gets from now on. */
        Sender input(Input kind) {
            this.inputKind = kind;
            return this;
        }

        /** Chooses where the deflater's output buffers come from. */
        Sender buffers(BufferPool pool) {
            this.buffers = pool;
            return this;
        }

        /**
         * Sends one message, compressed when the deflater's threshold allows.
         *
         * @param fragmentSize uncompressed bytes per frame; 0 or less sends one frame
         */
        Sent send(int opcode, byte[] plain, int fragmentSize) {
            boolean compress = deflater.shouldCompress(plain.length);
            Sent s = new Sent(opcode, plain, compress);
            int step = fragmentSize <= 0 ? Math.max(1, plain.length) : fragmentSize;
            int off = 0;
            boolean first = true;
            do {
                int n = Math.min(step, plain.length - off);
                boolean last = off + n == plain.length;
                ByteBuffer in = input(plain, off, n);
                ByteBuffer payload;
                if (compress) {
                    payload = deflater.compress(in, last, buffers);
                    if (in.hasRemaining()) {
                        throw new AssertionError("compress left " + in.remaining() + " input bytes unconsumed");
                    }
                } else {
                    payload = in;
                }
                s.framePayloads.add(Bytes.remaining(payload));
                ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_SIZE);
                int rsv = compress && first ? Rsv.RSV1 : Rsv.NONE;
                if (writer.writeData(opcode, rsv, header, payload, last) != MessageWriter.WRITTEN) {
                    throw new AssertionError("writer refused a frame");
                }
                wire.write(header.array(), 0, header.position());
                wire.writeBytes(Bytes.remaining(payload));
                buffers.release(payload);
                off += n;
                first = false;
            } while (off < plain.length);
            sent.add(s);
            return s;
        }

        /**
         * Sends one compressed message the way Autobahn's auto-fragmentation does: the whole message
         * is compressed at once and its compressed payload cut into frames of {@code frameSize}
         * bytes, wherever the cut falls.
         */
        Sent sendSplit(int opcode, byte[] plain, int frameSize) {
            ByteBuffer compressed = deflater.compress(input(plain, 0, plain.length), true, buffers);
            byte[] all = Bytes.remaining(compressed);
            buffers.release(compressed);
            Sent s = new Sent(opcode, plain, true);
            int off = 0;
            do {
                int n = Math.min(frameSize, all.length - off);
                boolean last = off + n == all.length;
                ByteBuffer payload = ByteBuffer.wrap(java.util.Arrays.copyOfRange(all, off, off + n));
                s.framePayloads.add(Bytes.remaining(payload));
                ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_SIZE);
                if (writer.writeData(opcode, off == 0 ? Rsv.RSV1 : Rsv.NONE, header, payload, last)
                        != MessageWriter.WRITTEN) {
                    throw new AssertionError("writer refused a frame");
                }
                wire.write(header.array(), 0, header.position());
                wire.writeBytes(Bytes.remaining(payload));
                off += n;
            } while (off < all.length);
            sent.add(s);
            return s;
        }

        /** Sends a ping (for interleaving with fragments). */
        void ping(byte[] payload) {
            ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_SIZE);
            ByteBuffer p = ByteBuffer.wrap(payload.clone());
            writer.writePing(header, p);
            wire.write(header.array(), 0, header.position());
            wire.writeBytes(Bytes.remaining(p));
        }

        private ByteBuffer input(byte[] plain, int off, int n) {
            switch (inputKind) {
                case DIRECT:
                    ByteBuffer b = ByteBuffer.allocateDirect(n);
                    b.put(plain, off, n).flip();
                    return b;
                case READ_ONLY:
                    return ByteBuffer.wrap(plain, off, n).asReadOnlyBuffer();
                default:
                    // A window on the whole array with a non-zero position, to catch offset mistakes.
                    return ByteBuffer.wrap(plain, off, n);
            }
        }

        byte[] wire() {
            return wire.toByteArray();
        }

        List<String> expectedEvents() {
            List<String> out = new ArrayList<>();
            for (Sent s : sent) {
                out.add(s.event());
            }
            return out;
        }
    }

    /** Reads {@code wire} with a reader of the given role that inflates with a PerMessageInflater. */
    static ReaderRun read(Role readerRole, DeflateParameters params, ZStreamPool pool, ReaderSettings settings,
                          byte[] wire, Feeding feeding) {
        ReaderRun run = new ReaderRun(readerRole, settings);
        run.reader.enableCompression(new PerMessageInflater(params, readerRole, pool));
        return run.feed(wire, feeding);
    }

    static ReaderSettings settings(ReaderSettings.Delivery delivery) {
        return ReaderSettings.defaults().withDelivery(delivery);
    }

    /** Inflates a compressed message payload (tail removed) on its own. */
    static byte[] inflateAlone(byte[] compressedWithoutTail) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            return inflate(inflater, compressedWithoutTail);
        } finally {
            inflater.end();
        }
    }

    /** Inflates one message through {@code inflater}, appending the tail as a receiver does. */
    static byte[] inflate(Inflater inflater, byte[] compressedWithoutTail) throws DataFormatException {
        inflater.setInput(Bytes.concat(compressedWithoutTail, TAIL));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (true) {
            int n = inflater.inflate(buf);
            out.write(buf, 0, n);
            if (n == 0 && (inflater.needsInput() || inflater.finished())) {
                break;
            }
            if (n == 0 && inflater.needsDictionary()) {
                throw new DataFormatException("dictionary requested");
            }
        }
        if (inflater.getRemaining() != 0) {
            throw new DataFormatException(inflater.getRemaining() + " bytes left after the message");
        }
        return out.toByteArray();
    }

    /**
     * Compresses a message with java.util.zip (raw, sync flush, level 6) and removes the tail, as an
     * independent RFC 7692 sender would.
     */
    static byte[] jdkCompress(byte[] plain) {
        java.util.zip.Deflater d = new java.util.zip.Deflater(6, true);
        try {
            d.setInput(plain);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (true) {
                int n = d.deflate(buf, 0, buf.length, java.util.zip.Deflater.SYNC_FLUSH);
                out.write(buf, 0, n);
                if (n < buf.length) {
                    break;
                }
            }
            byte[] all = out.toByteArray();
            if (all.length < 4 || all[all.length - 1] != (byte) 0xFF || all[all.length - 2] != (byte) 0xFF
                    || all[all.length - 3] != 0 || all[all.length - 4] != 0) {
                throw new AssertionError("sync flush without tail");
            }
            return java.util.Arrays.copyOf(all, all.length - 4);
        } finally {
            d.end();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Test data

    private static final String[] WORDS = {
        "the", "socket", "frame", "message", "deflate", "window", "context", "takeover", "server",
        "client", "payload", "compression", "\"id\":", "\"name\":", "{", "}", "[", "]", "null", "true",
        "Grüße", "naïve", "façade", "€", "日本語", "😀", "ok", "error", "2024-05-01T12:00:00Z", "\n",
    };

    /** Text-like UTF-8 (words, JSON-ish punctuation, some multi-byte characters) of exactly n bytes. */
    static byte[] text(int n, long seed) {
        Random r = new Random(seed);
        byte[] out = new byte[n];
        int len = 0;
        while (len < n) {
            String w = WORDS[r.nextInt(WORDS.length)];
            if (r.nextInt(8) == 0) {
                w = w + r.nextInt(100000);
            }
            byte[] b = (w + " ").getBytes(StandardCharsets.UTF_8);
            if (len + b.length > n) {
                // Pad with ASCII so the cut never lands inside a character.
                while (len < n) {
                    out[len++] = (byte) ('a' + r.nextInt(26));
                }
                break;
            }
            System.arraycopy(b, 0, out, len, b.length);
            len += b.length;
        }
        return out;
    }

    /** ASCII-only text-like data (cut anywhere, it stays valid UTF-8). */
    static byte[] ascii(int n, long seed) {
        Random r = new Random(seed);
        byte[] out = new byte[n];
        int i = 0;
        while (i < n) {
            String w = WORDS[r.nextInt(20)] + (r.nextInt(5) == 0 ? Integer.toString(r.nextInt(1000)) : "") + " ";
            for (int k = 0; k < w.length() && i < n; k++) {
                out[i++] = (byte) w.charAt(k);
            }
        }
        return out;
    }

    static byte[] random(int n, long seed) {
        byte[] out = new byte[n];
        new Random(seed).nextBytes(out);
        return out;
    }

    static String hex(byte[] b) {
        return Bytes.hex(b);
    }
}
