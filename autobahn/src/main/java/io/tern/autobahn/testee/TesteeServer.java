package io.tern.autobahn.testee;

import io.tern.transport.WebSocketServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The testee server for the Autobahn testsuite's fuzzing client: a Tern {@link WebSocketServer}
 * that echoes every text and binary message on {@code /}.
 *
 * <pre>
 * TesteeServer [--host H] [--port P] [--help]
 * TesteeServer PORT
 * </pre>
 *
 * <p>Limits and compression are {@link TesteeSettings}: messages and frames up to 16 MiB,
 * permessage-deflate accepted with every valid offer. The second form, a lone port number, is how
 * the {@code autobahntestsuite-maven-plugin} starts a server: it connects to the address
 * {@link InetAddress#getLocalHost()} gives, so that form listens there (127.0.0.1 when the host
 * name does not resolve).
 *
 * <p>Prints one line with the bound address, then runs until the process is stopped (SIGTERM sends
 * 1001 to every connection) or the thread running {@code main} is interrupted (which is how the
 * Maven plugin stops it). {@code --help} prints the options and exits 0; a bad option exits 2; an
 * address that cannot be bound exits 1.
 */
public final class TesteeServer {

    /** Default address: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default port, the one the official {@code fuzzingclient.json} examples use. */
    public static final int DEFAULT_PORT = 9001;

    static final int EXIT_USAGE = 2;
    static final int EXIT_CANNOT_START = 1;

    static final String USAGE = String.join("\n",
            "usage: TesteeServer [--host H] [--port P]",
            "       TesteeServer PORT     (as the autobahntestsuite-maven-plugin calls it)",
            "",
            "Tern's testee for the Autobahn fuzzing client: echoes every message on ws://HOST:PORT/,",
            "messages and frames up to 16 MiB, permessage-deflate accepted with every valid offer.",
            "",
            "options:",
            "  --host H     address to listen on (default " + DEFAULT_HOST + ")",
            "  --port P     port, 0 picks a free one (default " + DEFAULT_PORT + ")",
            "  -h, --help   print this and exit",
            "");

    private TesteeServer() {
    }

    /**
     * Where to listen.
     *
     * @param host the address
     * @param port the port, 0 for a free one
     */
    record Options(String host, int port) {
    }

    /**
     * Starts the server and runs until the process is stopped or this thread is interrupted.
     *
     * @param args the command line, see the class comment
     */
    public static void main(String[] args) {
        if (CommandLine.wantsHelp(args)) {
            System.out.print(USAGE);
            return;
        }
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("TesteeServer: " + e.getMessage() + " (--help lists the options)");
            System.exit(EXIT_USAGE);
            return;
        }
        WebSocketServer server;
        try {
            server = start(options.host(), options.port(), System.out);
        } catch (IOException e) {
            System.err.println("TesteeServer: " + e.getMessage());
            System.exit(EXIT_CANNOT_START);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.shutdown(Duration.ofSeconds(5));
            stopped.countDown();
        }, "tern-testee-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            // The Maven plugin's way of saying "done": stop now, not at JVM exit.
            Runtime.getRuntime().removeShutdownHook(hook);
            server.shutdown(Duration.ofSeconds(5));
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Parses the command line.
     *
     * @param args the options, or a lone port number
     * @return the options
     * @throws IllegalArgumentException with a message naming the bad option
     */
    static Options parse(String[] args) {
        if (args.length == 1 && !args[0].startsWith("-")) {
            return new Options(localHostAddress(), (int) CommandLine.number(args[0], "PORT", 0, 65535));
        }
        CommandLine line = CommandLine.parse(args, Set.of("--host", "--port"));
        return new Options(line.text("--host", DEFAULT_HOST),
                (int) line.number("--port", DEFAULT_PORT, 0, 65535));
    }

    /** The address the Maven plugin connects to: this host name's address, else loopback. */
    private static String localHostAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return DEFAULT_HOST;
        }
    }

    /**
     * Starts an echo server and prints the URL it listens on.
     *
     * @param host the address to listen on
     * @param port the port, 0 for a free one
     * @param out  where the line goes
     * @return the running server; the caller shuts it down
     * @throws IOException if the address cannot be bound (the message names it)
     */
    public static WebSocketServer start(String host, int port, PrintStream out) throws IOException {
        WebSocketServer server = WebSocketServer.builder()
                .address(host, port)
                .route("/", new Echo<Void>(), TesteeSettings.connection())
                .build()
                .start();
        String shown = host.contains(":") ? "[" + host + "]" : host;
        out.println("Tern testee server listening on ws://" + shown + ":" + server.port()
                + "/ (echo; messages up to 16 MiB; permessage-deflate accepted with every offer)");
        out.flush();
        return server;
    }
}
