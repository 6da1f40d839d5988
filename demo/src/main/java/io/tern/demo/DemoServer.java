package io.tern.demo;

import io.tern.codec.deflate.DeflateOptions;
import io.tern.codec.handshake.HandshakeRejection;
import io.tern.codec.handshake.HttpHeaders;
import io.tern.codec.handshake.HttpRequestHead;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The demo the README's run command starts: a WebSocket echo server.
 *
 * <pre>
 * DemoServer [--host H] [--port P] [--max-message BYTES] [--no-deflate]
 * </pre>
 *
 * <p>{@code /echo} sends every text and binary message back as it came (a fragmented message is
 * echoed as one message); permessage-deflate is accepted whenever a client offers it, unless
 * {@code --no-deflate}. {@code /} serves the chat page ({@link DemoPages}) that talks to
 * {@code /chat} ({@link ChatHandler}); {@code /broadcast} sends every message to every connection
 * of the route ({@link Broadcast}). Ctrl-C (SIGTERM) shuts
 * the server down cleanly: every client gets a 1001 close frame.
 */
public final class DemoServer {

    /** Default maximum message (and frame) size: 16 MiB, enough for every Autobahn case. */
    static final long DEFAULT_MAX_MESSAGE = 16L << 20;

    private DemoServer() {
    }

    /**
     * The parsed command line.
     *
     * @param host       the address to listen on
     * @param port       the port (0 picks a free one)
     * @param maxMessage the largest message and frame accepted
     * @param deflate    whether permessage-deflate is accepted
     */
    record Options(String host, int port, long maxMessage, boolean deflate) {
    }

    /**
     * Starts the server and runs until the process is stopped.
     *
     * @param args the command line, see the class comment
     * @throws IOException if the port cannot be bound
     * @throws InterruptedException if interrupted while running
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: DemoServer [--host H] [--port P] [--max-message BYTES] [--no-deflate]");
            System.exit(2);
            return;
        }
        WebSocketServer server = start(options, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("shutting down: sending 1001 to " + server.openConnections() + " connection(s)");
            server.shutdown(Duration.ofSeconds(5));
            stopped.countDown();
        }, "tern-demo-shutdown"));
        stopped.await();
    }

    /** Parses the command line; throws IllegalArgumentException with a clear message. */
    static Options parse(String[] args) {
        String host = "127.0.0.1";
        int port = 9001;
        long maxMessage = DEFAULT_MAX_MESSAGE;
        boolean deflate = true;
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
                case "--no-deflate":
                    deflate = false;
                    break;
                default:
                    throw new IllegalArgumentException("unknown option: " + args[i]);
            }
        }
        return new Options(host, port, maxMessage, deflate);
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
        ConnectionSettings settings = ConnectionSettings.defaults()
                .withMaxFrameSize(options.maxMessage())
                .withMaxMessageSize(options.maxMessage())
                .withOutboundLimits(256 * 1024, 1 << 20, Math.max(4L << 20, 2 * options.maxMessage()))
                .withDeflate(options.deflate() ? DeflateOptions.defaults() : null);
        // fan-out routes share one compressed frame among receivers: no context takeover server-side
        DeflateOptions shared = options.deflate() ? DeflateOptions.defaults().withServerNoContextTakeover(true) : null;
        ChatHandler chat = ChatHandler.create(ChatLimits.defaults());
        WebSocketServer server = WebSocketServer.builder()
                .address(options.host(), options.port())
                .route("/echo", new Echo(), settings)
                .route("/broadcast", new Broadcast(), settings.withDeflate(shared))
                .route("/chat", chat, chat.settings(shared))
                .fallback(DemoServer::page)
                .build()
                .start();
        String base = hostForUrl(options.host()) + ":" + server.port();
        String url = "ws://" + base + "/echo";
        out.println("Tern demo echo server listening on " + url
                + (options.deflate() ? " (permessage-deflate accepted)" : " (no compression)"));
        out.println("Chat page: http://" + base + "/ (protocol on ws://" + base + "/chat); broadcast: ws://" + base
                + "/broadcast");
        out.println("Connect any WebSocket client to it; Ctrl-C stops the server (1001 to every client).");
        return server;
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
