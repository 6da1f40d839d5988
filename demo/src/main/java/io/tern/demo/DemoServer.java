package io.tern.demo;

import io.tern.codec.deflate.DeflateOptions;
import io.tern.codec.handshake.HandshakeRejection;
import io.tern.codec.handshake.HttpHeaders;
import io.tern.codec.handshake.HttpRequestHead;
import io.tern.pubsub.redis.RedisBridge;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The demo the README's run command starts: a WebSocket echo server.
 *
 * <pre>
 * DemoServer [--host H] [--port P] [--loops N] [--max-connections N] [--max-message BYTES] [--no-deflate]
 *            [--redis URI] [--tls [--tls-keystore FILE --tls-password PW]] [--help]
 * </pre>
 *
 * <p>{@code /echo} sends every text and binary message back as it came (a fragmented message is
 * echoed as one message); permessage-deflate is accepted whenever a client offers it, unless
 * {@code --no-deflate}. {@code /} serves the chat page ({@link DemoPages}) that talks to
 * {@code /chat} ({@link ChatHandler}); {@code /broadcast} sends every message to every connection
 * of the route ({@link Broadcast}). Ctrl-C (SIGTERM) shuts
 * the server down cleanly: every client gets a 1001 close frame. {@code --tls} serves all of it
 * over TLS instead ({@code wss://}, {@code https://}; see {@link DemoTls}).
 *
 * <p>The demo's limits are its own, not the library's defaults: messages and frames up to 16 MiB
 * (the library's default is 1 MiB) so that every Autobahn case passes, and an outbound hard limit
 * of twice that. With {@code --redis URI}, several demo servers sharing one Redis share their chat
 * rooms and {@code /broadcast} ({@link DemoCluster}). {@code --help} prints every option with its default and exits 0; a bad option
 * exits 2; a port that cannot be bound prints one line naming the address and exits 1.
 */
public final class DemoServer {

    /** Default maximum message (and frame) size: 16 MiB, enough for every Autobahn case. */
    static final long DEFAULT_MAX_MESSAGE = 16L << 20;
    /** Outbound queue size under which {@code onDrain} fires: 256 KiB (library default 64 KiB). */
    static final long LOW_WATERMARK = 256 * 1024;
    /** Outbound queue size above which sends report the high watermark: 1 MiB (default 256 KiB). */
    static final long HIGH_WATERMARK = 1 << 20;
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 9001;
    /** The most event loops {@code --loops} accepts. */
    static final int MAX_LOOPS = 1024;

    /** Exit status for a bad command line. */
    static final int EXIT_USAGE = 2;
    /** Exit status when the server cannot start (the port is taken, say). */
    static final int EXIT_CANNOT_START = 1;

    /** What {@code --help} prints: every option and its default. */
    static final String USAGE = String.join("\n",
            "usage: DemoServer [options]",
            "  (with Maven: mvn -q -pl demo -am -DskipTests compile exec:java -Dexec.args=\"OPTIONS\")",
            "",
            "A WebSocket echo server: ws://HOST:PORT/echo sends every message back.",
            "",
            "options:",
            "  --host H             address to listen on (default " + DEFAULT_HOST + "; 0.0.0.0 for all)",
            "  --port P             port to listen on, 0 picks a free one (default " + DEFAULT_PORT + ")",
            "  --loops N            event loops (threads), 1.." + MAX_LOOPS + " (default: one per available processor)",
            "  --max-connections N  WebSocket connections open at once, beyond it 503 (default 10000)",
            "  --max-message BYTES  largest message and frame accepted, 125.." + (Integer.MAX_VALUE - 16)
                    + " (default " + DEFAULT_MAX_MESSAGE + " = 16 MiB;",
            "                       the library's own default is 1 MiB)",
            "  --no-deflate         decline permessage-deflate (default: accepted when offered)",
            "  --redis URI          share /chat rooms and /broadcast with every demo server on this Redis,",
            "                       e.g. redis://127.0.0.1:6379 (default: none, this server alone)",
            "  --tls                serve wss:// and https:// with a self-signed certificate made at start",
            "                       (its SHA-256 fingerprint is printed)",
            "  --tls-keystore FILE  serve TLS with the key and certificate of a PKCS#12 key store",
            "  --tls-password PW    the key store's password",
            "  -h, --help           print this and exit",
            "");

    private DemoServer() {
    }

    /**
     * The parsed command line.
     *
     * @param host       the address to listen on
     * @param port       the port (0 picks a free one)
     * @param maxMessage the largest message and frame accepted
     * @param deflate    whether permessage-deflate is accepted
     * @param redis      the Redis URI shared with other instances, or null for none
     * @param tls        where the TLS key comes from, or {@code null} for plain ws://
     * @param loops      the number of event loops, or 0 for the library's default (one per
     *                   available processor)
     * @param maxConnections the most WebSocket connections open at once, or 0 for the library's
     *                   default (10,000)
     */
    record Options(String host, int port, long maxMessage, boolean deflate, String redis, DemoTls.Choice tls,
                   int loops, int maxConnections) {

        /** Options without Redis or TLS, with the library's default loops and connection limit. */
        Options(String host, int port, long maxMessage, boolean deflate) {
            this(host, port, maxMessage, deflate, null, null, 0, 0);
        }

        /** Options with Redis and without TLS. */
        Options(String host, int port, long maxMessage, boolean deflate, String redis) {
            this(host, port, maxMessage, deflate, redis, null, 0, 0);
        }

        /** Options with a number of loops and a connection limit, without Redis or TLS. */
        Options(String host, int port, long maxMessage, boolean deflate, int loops, int maxConnections) {
            this(host, port, maxMessage, deflate, null, null, loops, maxConnections);
        }
    }

    /**
     * Starts the server and runs until the process is stopped.
     *
     * @param args the command line, see the class comment
     * @throws InterruptedException if interrupted while running
     */
    public static void main(String[] args) throws InterruptedException {
        Outcome outcome = startOrExplain(args, System.out, System.err);
        if (outcome.server() == null) {
            // exec:java runs in Maven's own JVM: exiting here, after a clear line or two, spares
            // the user Maven's ERROR block with its stack trace.
            System.exit(outcome.exitStatus());
            return;
        }
        WebSocketServer server = outcome.server();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("shutting down: sending 1001 to " + server.openConnections() + " connection(s)");
            server.shutdown(Duration.ofSeconds(5));
            DemoCluster.leave(server);
            stopped.countDown();
        }, "tern-demo-shutdown"));
        stopped.await();
    }

    /**
     * What {@link #startOrExplain} did: a running server, or none and the status to exit with.
     *
     * @param server     the running server, or {@code null}
     * @param exitStatus when there is no server: 0 after {@code --help}, {@link #EXIT_USAGE} or
     *                   {@link #EXIT_CANNOT_START}
     */
    record Outcome(WebSocketServer server, int exitStatus) {
    }

    /**
     * Parses the command line and starts the server, or explains why not on {@code out} (help)
     * or {@code err} (a bad option, an address that cannot be bound) in a line or two, without a
     * stack trace.
     */
    static Outcome startOrExplain(String[] args, PrintStream out, PrintStream err) {
        if (wantsHelp(args)) {
            out.print(USAGE);
            out.flush();
            return new Outcome(null, 0);
        }
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("DemoServer: " + e.getMessage());
            err.println("Run with --help for every option (with Maven: -Dexec.args=\"--help\").");
            return new Outcome(null, EXIT_USAGE);
        }
        try {
            return new Outcome(start(options, out), 0);
        } catch (IOException e) {
            // The library's message names the address; say what to do about it.
            err.println("DemoServer: " + e.getMessage()
                    + (e instanceof BindException ? ". Is another server using it? Choose another port with --port P"
                            + " (with Maven: -Dexec.args=\"--port 9002\")." : "."));
            return new Outcome(null, EXIT_CANNOT_START);
        }
    }

    /** Whether {@code -h} or {@code --help} is among the arguments: help wins over the rest. */
    static boolean wantsHelp(String[] args) {
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help")) {
                return true;
            }
        }
        return false;
    }

    /** Parses the command line; throws IllegalArgumentException with a clear message. */
    static Options parse(String[] args) {
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        long maxMessage = DEFAULT_MAX_MESSAGE;
        boolean deflate = true;
        String redis = null;
        boolean tls = false;
        String tlsKeystore = null;
        String tlsPassword = null;
        int loops = 0;
        int maxConnections = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host":
                    host = value(args, ++i, "--host");
                    break;
                case "--port":
                    port = (int) number(value(args, ++i, "--port"), "--port", 0, 65535);
                    break;
                case "--max-message":
                    maxMessage = number(value(args, ++i, "--max-message"), "--max-message", 125, Integer.MAX_VALUE - 16);
                    break;
                case "--loops":
                    loops = (int) number(value(args, ++i, "--loops"), "--loops", 1, MAX_LOOPS);
                    break;
                case "--max-connections":
                    maxConnections = (int) number(value(args, ++i, "--max-connections"), "--max-connections", 1,
                            Integer.MAX_VALUE);
                    break;
                case "--no-deflate":
                    deflate = false;
                    break;
                case "--redis":
                    redis = value(args, ++i, "--redis");
                    if (!redis.startsWith("redis://") && !redis.startsWith("rediss://")) {
                        throw new IllegalArgumentException("--redis takes a redis:// or rediss:// URI: " + redis);
                    }
                    break;
                case "--tls":
                    tls = true;
                    break;
                case "--tls-keystore":
                    tlsKeystore = value(args, ++i, "--tls-keystore");
                    tls = true;
                    break;
                case "--tls-password":
                    tlsPassword = value(args, ++i, "--tls-password");
                    break;
                default:
                    throw new IllegalArgumentException("unknown option: " + args[i]);
            }
        }
        if (tlsKeystore != null && tlsPassword == null) {
            throw new IllegalArgumentException("--tls-keystore needs --tls-password");
        }
        DemoTls.Choice tlsChoice = tls ? new DemoTls.Choice(tlsKeystore == null ? null : Path.of(tlsKeystore), tlsPassword) : null;
        return new Options(host, port, maxMessage, deflate, redis, tlsChoice, loops, maxConnections);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static long number(String text, String option, long min, long max) {
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number: " + text, e);
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(option + " must be within " + min + ".." + max + ": " + text);
        }
        return v;
    }

    /** Starts the server for the given options and prints where it listens. */
    static WebSocketServer start(Options options, PrintStream out) throws IOException {
        long hardLimit = Math.max(4L << 20, 2 * options.maxMessage());
        ConnectionSettings settings = ConnectionSettings.defaults()
                .withMaxFrameSize(options.maxMessage())
                .withMaxMessageSize(options.maxMessage())
                .withOutboundLimits(LOW_WATERMARK, HIGH_WATERMARK, hardLimit)
                .withDeflate(options.deflate() ? DeflateOptions.defaults() : null);
        // fan-out routes share one compressed frame among receivers: no context takeover server-side
        DeflateOptions shared = options.deflate() ? DeflateOptions.defaults().withServerNoContextTakeover(true) : null;
        ChatHandler chat = ChatHandler.create(ChatLimits.defaults());
        Broadcast broadcast = new Broadcast();
        List<RedisBridge> bridges = options.redis() == null ? List.of() : DemoCluster.join(options.redis(), chat, broadcast);
        WebSocketServer server;
        try {
            WebSocketServer.Builder builder = WebSocketServer.builder()
                    .address(options.host(), options.port())
                    .route("/echo", new Echo(), settings)
                    .route("/broadcast", broadcast, settings.withDeflate(shared))
                    .route("/chat", chat, chat.settings(shared))
                    .fallback(DemoServer::page);
            if (options.loops() > 0) {
                builder.loops(options.loops());
            }
            if (options.maxConnections() > 0) {
                builder.maxConnections(options.maxConnections());
            }
            if (options.tls() != null) {
                builder.tls(DemoTls.settings(options.tls(), options.host(), out));
            }
            server = builder.build().start();
        } catch (IOException | RuntimeException e) {
            bridges.forEach(RedisBridge::close);
            throw e;
        }
        String base = hostForUrl(options.host()) + ":" + server.port();
        String ws = options.tls() != null ? "wss://" : "ws://";
        String url = ws + base + "/echo";
        out.println("Tern demo echo server listening on " + url
                + (options.deflate() ? " (permessage-deflate accepted)" : " (no compression)"));
        out.println("Chat page: " + (options.tls() != null ? "https://" : "http://") + base + "/ (protocol on " + ws + base
                + "/chat); broadcast: " + ws + base + "/broadcast");
        out.println("Demo limits: messages and frames up to " + size(options.maxMessage())
                + " (--max-message; the library's default is 1 MiB), outbound queue watermarks "
                + size(LOW_WATERMARK) + " / " + size(HIGH_WATERMARK) + ", hard limit " + size(hardLimit) + ".");
        if (!bridges.isEmpty()) {
            DemoCluster.register(server, bridges, out, options.redis());
        }
        out.println("Connect any WebSocket client to it; Ctrl-C stops the server (1001 to every client).");
        return server;
    }

    /** A byte count in MiB or KiB when it is a whole number of them. */
    static String size(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static final DemoPages PAGES = new DemoPages();

    /** The chat page at {@code /} with its script and style sheet; 404 elsewhere. */
    private static io.tern.transport.HttpResponse page(io.tern.transport.HttpRequest request) {
        return PAGES.respond(request);
    }

    /** Sends every message back as it came. */
    static final class Echo implements WebSocketHandler<Void> {
        @Override
        public void onText(WebSocket<Void> ws, ByteBuffer utf8, boolean last) {
            ws.sendText(utf8);
        }

        @Override
        public void onBinary(WebSocket<Void> ws, ByteBuffer data, boolean last) {
            ws.sendBinary(data);
        }
    }
}
