package io.tern.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.tern.bench.netty.NettyServer;
import io.tern.pubsub.PubSub;
import io.tern.transport.PreparedMessage;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
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
 * Publishing one message to every subscriber of a topic, over real sockets on 127.0.0.1, until
 * every subscriber has received it: Tern's {@link PubSub#publish} of a {@link PreparedMessage}
 * (framed once, one task per event loop) against Netty's {@code ChannelGroup.writeAndFlush} of
 * one frame (each channel gets a retained duplicate). Both servers run two event loops in this
 * JVM and the subscribers are spread over them; the receiving end is the same for both: a child
 * JVM ({@link RemoteSubscribers}) with one thread draining all sockets and counting bytes into
 * a memory-mapped counter that the benchmark thread spins on.
 *
 * <p>Sockets rather than embedded channels: Tern's pub/sub sends through transport connections,
 * which exist only over a socket, so both sides use real loopback sockets. An operation ends when
 * the last byte of the message has reached the subscribers' side, so it includes the kernel's
 * loopback and the drain; the per-subscriber cost is the score's inverse divided by the count.
 * Needs a file descriptor per subscriber in each of the two processes ({@code ulimit -n}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FanoutBenchmark {

    /** Event loops of each server. */
    static final int LOOPS = 2;
    /** Payload bytes per message; the frame adds a two-byte header. */
    static final int PAYLOAD = 64;

    /** The subscriber count, shared by both states. */
    @State(Scope.Benchmark)
    public static class Size {
        /** Subscribers of the topic. */
        @Param({"1000", "10000"})
        public int subscribers;
    }

    /** Tern's server with every /broadcast connection subscribed to one topic. */
    @State(Scope.Benchmark)
    public static class Tern {
        WebSocketServer server;
        PubSub pubsub;
        RemoteSubscribers clients;
        ByteBuffer payload;
        int subscribers;

        /**
         * Starts the server and connects the subscribers.
         *
         * @param size the subscriber count
         * @throws IOException if the server cannot start
         */
        @Setup(Level.Trial)
        public void setUp(Size size) throws IOException {
            subscribers = size.subscribers;
            pubsub = PubSub.create();
            PubSub topics = pubsub;
            server = WebSocketServer.builder().address("127.0.0.1", 0).loops(LOOPS)
                    .route("/broadcast", new WebSocketHandler<Void>() {
                        @Override
                        public void onOpen(WebSocket<Void> ws) {
                            topics.subscribe(ws, "t");
                        }
                    }).build().start();
            clients = new RemoteSubscribers(server.port(), "/broadcast", subscribers);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (pubsub.subscriberCount("t") < subscribers && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            payload = ByteBuffer.allocateDirect(PAYLOAD);
        }

        /**
         * Stops everything.
         *
         * @throws IOException if the clients cannot close
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            clients.close();
            server.shutdown(Duration.ofSeconds(5));
        }
    }

    /** Netty's server with every /broadcast connection in one channel group. */
    @State(Scope.Benchmark)
    public static class Netty {
        NettyServer server;
        RemoteSubscribers clients;
        ByteBuf payload;
        int subscribers;

        /**
         * Starts the server and connects the subscribers.
         *
         * @param size the subscriber count
         * @throws Exception if the server cannot start
         */
        @Setup(Level.Trial)
        public void setUp(Size size) throws Exception {
            subscribers = size.subscribers;
            server = NettyServer.start("127.0.0.1", 0, LOOPS, false, false);
            clients = new RemoteSubscribers(server.port(), "/broadcast", subscribers);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.broadcastGroup().size() < subscribers && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            payload = PooledByteBufAllocator.DEFAULT.directBuffer(PAYLOAD).writeZero(PAYLOAD);
        }

        /**
         * Stops everything.
         *
         * @throws IOException if the clients cannot close
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            clients.close();
            payload.release();
            server.close();
        }
    }

    /**
     * Tern publishes one message and waits until every subscriber has it.
     *
     * @param s Tern's state
     * @return bytes received in all
     */
    @Benchmark
    public long tern_publish(Tern s) {
        long target = s.clients.bytes() + (long) s.subscribers * (PAYLOAD + 2);
        s.pubsub.publish("t", PreparedMessage.binary(s.payload.clear()));
        s.clients.awaitBytes(target);
        return target;
    }

    /**
     * Netty writes one frame to the group and waits until every subscriber has it.
     *
     * @param s Netty's state
     * @return bytes received in all
     */
    @Benchmark
    public long netty_publish(Netty s) {
        long target = s.clients.bytes() + (long) s.subscribers * (PAYLOAD + 2);
        s.server.broadcastGroup().writeAndFlush(new BinaryWebSocketFrame(s.payload.retainedDuplicate()));
        s.clients.awaitBytes(target);
        return target;
    }
}
