package io.tern.bench.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * The peer of the end-to-end runs: a Netty 4.2 WebSocket server with the demo server's
 * {@code /echo} and {@code /broadcast} contract (every message back as it came; every message to
 * every {@code /broadcast} connection, the sender included, through one
 * {@link ChannelGroup#writeAndFlush} of one frame), built the way Netty's own examples build one:
 * {@link HttpServerCodec}, {@link HttpObjectAggregator}, {@link WebSocketServerProtocolHandler}
 * with UTF-8 validation, optionally {@link WebSocketServerCompressionHandler}.
 *
 * <pre>
 * NettyServer [--port P] [--loops N] [--no-deflate] [--transport nio|epoll]
 * </pre>
 *
 * <p>The transport is NIO unless {@code --transport epoll} is given and Netty's native epoll
 * library loads. Prints one line {@code listening on PORT (TRANSPORT)} when ready.
 *
 * <p>Threading contract: {@link #start} and {@link #close} from one thread; the handlers run on
 * Netty's event loops and share only the thread-safe {@link ChannelGroup}.
 */
public final class NettyServer implements AutoCloseable {

    /** Largest frame and message: 16 MiB, as the demo server. */
    static final int MAX_MESSAGE = 16 << 20;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel listener;
    private final ChannelGroup broadcast = new DefaultChannelGroup("broadcast", GlobalEventExecutor.INSTANCE);
    private final String transport;

    private NettyServer(String host, int port, int loops, boolean deflate, boolean epoll) throws InterruptedException {
        boolean useEpoll = epoll && EpollSupport.available();
        IoHandlerFactory io = useEpoll ? EpollSupport.handlerFactory() : NioIoHandler.newFactory();
        this.transport = useEpoll ? "epoll" : "nio";
        boss = new MultiThreadIoEventLoopGroup(1, io);
        workers = loops > 0 ? new MultiThreadIoEventLoopGroup(loops, io) : new MultiThreadIoEventLoopGroup(io);
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/").checkStartsWith(true).maxFramePayloadLength(MAX_MESSAGE).withUTF8Validator(true)
                .build();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(useEpoll ? EpollSupport.serverChannel() : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536));
                        if (deflate) {
                            ch.pipeline().addLast(new WebSocketServerCompressionHandler(0));
                        }
                        ch.pipeline().addLast(new WebSocketServerProtocolHandler(config), new Routes(broadcast));
                    }
                });
        listener = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
    }

    /**
     * Starts a server.
     *
     * @param host    address to listen on
     * @param port    port, 0 for a free one
     * @param loops   worker loops, 0 for Netty's default (twice the processors)
     * @param deflate whether permessage-deflate is accepted
     * @param epoll   whether to use native epoll when available
     * @return the running server
     * @throws InterruptedException if interrupted while binding
     */
    public static NettyServer start(String host, int port, int loops, boolean deflate, boolean epoll)
            throws InterruptedException {
        return new NettyServer(host, port, loops, deflate, epoll);
    }

    /**
     * The bound port.
     *
     * @return the port
     */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /**
     * {@code nio} or {@code epoll}.
     *
     * @return the transport in use
     */
    public String transport() {
        return transport;
    }

    /**
     * The {@code /broadcast} connections (for the fan-out benchmark, which publishes through it).
     *
     * @return the channel group
     */
    public ChannelGroup broadcastGroup() {
        return broadcast;
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        broadcast.close().awaitUninterruptibly();
        boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** {@code /echo} and {@code /broadcast}, chosen by the path once the handshake is done. */
    @ChannelHandler.Sharable
    static final class Routes extends SimpleChannelInboundHandler<WebSocketFrame> {
        private static final io.netty.util.AttributeKey<Boolean> BROADCAST = io.netty.util.AttributeKey.valueOf("tern.broadcast");
        private final ChannelGroup group;

        Routes(ChannelGroup group) {
            this.group = group;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                String uri = ((WebSocketServerProtocolHandler.HandshakeComplete) evt).requestUri();
                if (uri.startsWith("/broadcast")) {
                    ctx.channel().attr(BROADCAST).set(Boolean.TRUE);
                    group.add(ctx.channel());
                } else if (!uri.startsWith("/echo")) {
                    ctx.close();
                }
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (!(frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                    || frame instanceof ContinuationWebSocketFrame)) {
                return;
            }
            if (Boolean.TRUE.equals(ctx.channel().attr(BROADCAST).get())) {
                group.writeAndFlush(frame.retain());
            } else {
                ctx.writeAndFlush(frame.retain());
            }
        }
    }

    /**
     * Runs the server until the process is stopped.
     *
     * @param args see the class comment
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = 9002;
        int loops = 0;
        boolean deflate = true;
        boolean epoll = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--loops" -> loops = Integer.parseInt(args[++i]);
                case "--no-deflate" -> deflate = false;
                case "--transport" -> epoll = args[++i].equals("epoll");
                default -> throw new IllegalArgumentException("unknown option: " + args[i]
                        + " (NettyServer [--port P] [--loops N] [--no-deflate] [--transport nio|epoll])");
            }
        }
        NettyServer server = start("127.0.0.1", port, loops, deflate, epoll);
        System.out.println("listening on " + server.port() + " (" + server.transport() + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "netty-server-shutdown"));
        stopped.await();
    }
}
