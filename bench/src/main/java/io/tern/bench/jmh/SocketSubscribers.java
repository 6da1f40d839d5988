package io.tern.bench.jmh;

import io.tern.codec.handshake.WebSocketAccept;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N WebSocket client connections over 127.0.0.1 that only count the bytes they receive: the
 * receiving end of the fan-out benchmark, the same for every server under test. Each connection
 * completes the HTTP upgrade (blocking, one after another), then one drain thread reads every
 * socket through a {@link Selector} and adds up the bytes. {@link RemoteSubscribers} runs this in
 * a process of its own through {@link #main}.
 *
 * <p>Threading contract: construct and {@link #close} from one thread; the drain thread only
 * reads sockets and writes the counter; {@link #awaitBytes} may be called from any thread.
 */
final class SocketSubscribers implements AutoCloseable {

    private final List<SocketChannel> channels = new ArrayList<>();
    private final Selector selector;
    private final AtomicLong bytes = new AtomicLong();
    private final java.util.function.LongConsumer published;
    private final Thread drain;
    private volatile boolean running = true;

    SocketSubscribers(int port, String path, int count) throws IOException {
        this(port, path, count, total -> { });
    }

    /** As above; {@code published} also gets the running total after every batch of reads. */
    SocketSubscribers(int port, String path, int count, java.util.function.LongConsumer published) throws IOException {
        this.published = published;
        selector = Selector.open();
        for (int i = 0; i < count; i++) {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            upgrade(ch.socket(), port, path);
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            channels.add(ch);
        }
        drain = new Thread(this::drain, "fanout-subscribers");
        drain.setDaemon(true);
        drain.start();
    }

    private static void upgrade(Socket socket, int port, String path) throws IOException {
        String key = WebSocketAccept.generateKey();
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0 || head.length() > 8192) {
                throw new IOException("no upgrade response: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101") || !head.toString().contains(WebSocketAccept.forKey(key))) {
            throw new IOException("upgrade refused: " + head);
        }
    }

    private void drain() {
        ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
        try {
            while (running) {
                if (selector.select(100) == 0) {
                    continue;
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) key.channel();
                    int n;
                    long sum = 0;
                    while ((n = ch.read(buf.clear())) > 0) {
                        sum += n;
                    }
                    if (n < 0) {
                        key.cancel();
                    }
                    bytes.addAndGet(sum);
                }
                published.accept(bytes.get());
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            running = false;
        }
    }

    /** Bytes received so far by all connections. */
    long bytes() {
        return bytes.get();
    }

    /** Spins until at least {@code target} bytes arrived in all. */
    void awaitBytes(long target) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (bytes.get() < target) {
            if (!running || System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + bytes.get() + " of " + target + " bytes arrived");
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Runs subscribers in this process for {@link RemoteSubscribers}: connects, prints
     * {@code ready}, publishes the byte count in the first 8 bytes of {@code counterFile}
     * (memory-mapped, native byte order) and exits when standard input closes.
     *
     * @param args port, path, count, counter file
     * @throws IOException if connecting fails
     */
    public static void main(String[] args) throws IOException {
        java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(java.nio.file.Path.of(args[3]),
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE);
        java.nio.MappedByteBuffer counter = file.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0, 8);
        try (SocketSubscribers s = new SocketSubscribers(Integer.parseInt(args[0]), args[1], Integer.parseInt(args[2]),
                total -> RemoteSubscribers.COUNTER.setRelease(counter, 0, total))) {
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the benchmark closes our standard input
            }
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        try {
            drain.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SocketChannel ch : channels) {
            ch.close();
        }
        selector.close();
    }
}
