package io.tern.bench.jmh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link SocketSubscribers} in a child JVM, so that the benchmark's process holds only the
 * server's end of each connection: 10,000 subscribers need 20,000 file descriptors in one
 * process otherwise. The child adds up the bytes it receives into a memory-mapped counter that
 * this side reads with acquire semantics, so waiting for a delivery costs no system call.
 *
 * <p>Threading contract: construct and {@link #close} from one thread; {@link #bytes} and
 * {@link #awaitBytes} from any.
 */
final class RemoteSubscribers implements AutoCloseable {

    /** A {@code long} view of a byte buffer, in native order (shared with the child). */
    static final VarHandle COUNTER = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final Process child;
    private final Path file;
    private final MappedByteBuffer counter;

    RemoteSubscribers(int port, String path, int count) throws IOException {
        file = Files.createTempFile("tern-fanout", ".counter");
        Files.write(file, new byte[8]);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            counter = ch.map(FileChannel.MapMode.READ_WRITE, 0, 8);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                SocketSubscribers.class.getName(), Integer.toString(port), path, Integer.toString(count), file.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"ready".equals(line)) {
            child.destroyForcibly();
            throw new IOException("the subscriber process did not connect " + count + " subscribers: " + line);
        }
    }

    /** Bytes received so far by all subscribers. */
    long bytes() {
        return (long) COUNTER.getAcquire(counter, 0);
    }

    /** Spins until at least {@code target} bytes arrived in all. */
    void awaitBytes(long target) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (bytes() < target) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + bytes() + " of " + target + " bytes arrived");
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public void close() throws IOException {
        child.getOutputStream().close();
        try {
            if (!child.waitFor(20, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(file);
    }
}
