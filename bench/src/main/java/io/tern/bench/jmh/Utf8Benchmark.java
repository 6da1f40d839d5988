package io.tern.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.CharsetUtil;
import io.tern.bench.Payloads;
import io.tern.codec.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Validating UTF-8 (RFC 6455 §8.1, RFC 3629) of a text payload held in a direct buffer.
 *
 * <p>Tern: {@link Utf8Validator#isValid} (a DFA with an eight-bytes-at-a-time ASCII path). JDK: a
 * reused {@link CharsetDecoder} that reports malformed input, decoding into a reused
 * {@link CharBuffer} (the JDK has no validate-only call, so it also produces the chars). Netty:
 * {@link ByteBufUtil#isText(ByteBuf, java.nio.charset.Charset)} with UTF-8, its public check.
 * {@code content}: {@code ascii} is pure ASCII; {@code mixed} has about one non-ASCII character
 * in twenty.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Utf8Benchmark {

    /** Bytes of text. */
    @Param({"16", "125", "1024", "65536"})
    public int size;

    /** {@code ascii} or {@code mixed}. */
    @Param({"ascii", "mixed"})
    public String content;

    private ByteBuffer text;
    private CharsetDecoder decoder;
    private CharBuffer chars;
    private ByteBuf nettyText;

    /** Builds the text in each side's buffer type. */
    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = content.equals("ascii") ? Payloads.json(size, 3) : Payloads.utf8Text(size, 3);
        text = ByteBuffer.allocateDirect(size);
        text.put(bytes).flip();
        decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        chars = CharBuffer.allocate(size);
        nettyText = PooledByteBufAllocator.DEFAULT.directBuffer(size);
        nettyText.writeBytes(bytes);
        if (!Utf8Validator.isValid(text, 0, size) || !ByteBufUtil.isText(nettyText, CharsetUtil.UTF_8) || !jdk_validate()) {
            throw new IllegalStateException("the text is not valid UTF-8 for every validator");
        }
    }

    /** Releases Netty's buffer. */
    @TearDown(Level.Trial)
    public void tearDown() {
        nettyText.release();
    }

    /**
     * Tern validates.
     *
     * @return whether the text is valid
     */
    @Benchmark
    public boolean tern_validate() {
        return Utf8Validator.isValid(text, 0, size);
    }

    /**
     * The JDK decodes, reporting malformed input.
     *
     * @return whether the text is valid
     */
    @Benchmark
    public boolean jdk_validate() {
        decoder.reset();
        chars.clear();
        ByteBuffer in = text.duplicate();
        CoderResult result = decoder.decode(in, chars, true);
        return !result.isError() && !decoder.flush(chars).isError();
    }

    /**
     * Netty checks.
     *
     * @return whether the text is valid
     */
    @Benchmark
    public boolean netty_validate() {
        return ByteBufUtil.isText(nettyText, CharsetUtil.UTF_8);
    }
}
