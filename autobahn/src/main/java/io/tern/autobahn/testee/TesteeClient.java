package io.tern.autobahn.testee;

import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketHandler;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The testee client for the Autobahn testsuite's fuzzing server: a Tern {@link WebSocketClient}
 * that follows the fuzzing server's protocol.
 *
 * <pre>
 * TesteeClient [--url ws://H:P] [--agent NAME] [--cases N-M] [--case-timeout SECONDS] [--help]
 * </pre>
 *
 * <ol>
 *   <li>{@code /getCaseCount}: the server sends the number of cases as a text message and closes.</li>
 *   <li>For each case N: {@code /runCase?case=N&agent=A}, echoing every text and binary message
 *       until the server closes. Each case is bounded by {@code --case-timeout} (default 120 s):
 *       past it the TCP connection is aborted and the run goes on with the next case.</li>
 *   <li>{@code /updateReports?agent=A}: the server writes its reports and closes.</li>
 * </ol>
 *
 * <p>Every connection offers permessage-deflate ({@link TesteeSettings}: {@code
 * client_max_window_bits}, so the server may choose any window for either side) and accepts
 * messages up to 16 MiB. Prints one line per 50 cases and a summary. Exit status: 0 when every
 * case ran to its close and the reports were updated; 1 when the case count or the report update
 * failed; 3 when a case timed out or could not connect (the reports are still updated); 2 for a
 * bad command line.
 */
public final class TesteeClient {

    /** Default fuzzing server URL. */
    public static final String DEFAULT_URL = "ws://127.0.0.1:9001";
    /** Default user agent, the name the reports list the results under. */
    public static final String DEFAULT_AGENT = "Tern";
    /** Default time one case may take, handshake to close, in seconds. */
    public static final long DEFAULT_CASE_TIMEOUT_SECONDS = 120;

    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_CASES_INCOMPLETE = 3;

    static final String USAGE = String.join("\n",
            "usage: TesteeClient [--url ws://HOST:PORT] [--agent NAME] [--cases N-M] [--case-timeout S]",
            "",
            "Tern's testee for the Autobahn fuzzing server: runs every case (/runCase?case=N&agent=NAME),",
            "echoing each message until the server closes, then asks for the reports (/updateReports).",
            "",
            "options:",
            "  --url U            the fuzzing server (default " + DEFAULT_URL + ")",
            "  --agent NAME       name the reports list the results under (default " + DEFAULT_AGENT + ")",
            "  --cases N-M        run only cases N to M (1-based, inclusive; default all)",
            "  --case-timeout S   seconds one case may take before it is aborted (default "
                    + DEFAULT_CASE_TIMEOUT_SECONDS + ")",
            "  -h, --help         print this and exit",
            "");

    private TesteeClient() {
    }

    /**
     * The parsed command line.
     *
     * @param url         the fuzzing server's base URL, without a trailing slash
     * @param agent       the user agent name
     * @param first       the first case to run (1-based)
     * @param last        the last case to run, or 0 for "up to the case count"
     * @param caseTimeout how long one case may take
     */
    record Options(String url, String agent, int first, int last, Duration caseTimeout) {
    }

    /**
     * What a run did.
     *
     * @param caseCount  the count the server reported
     * @param ran        cases that ran to their close
     * @param incomplete cases that timed out or could not connect
     */
    record Summary(int caseCount, int ran, int incomplete) {
    }

    /**
     * Runs the cases and exits with the status described in the class comment.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        if (CommandLine.wantsHelp(args)) {
            System.out.print(USAGE);
            return;
        }
        int status;
        try {
            status = run(parse(args), System.out, System.err);
        } catch (IllegalArgumentException e) {
            System.err.println("TesteeClient: " + e.getMessage() + " (--help lists the options)");
            status = EXIT_USAGE;
        }
        System.exit(status);
    }

    /**
     * Parses the command line.
     *
     * @param args the options
     * @return the options
     * @throws IllegalArgumentException with a message naming the bad option
     */
    static Options parse(String[] args) {
        CommandLine line = CommandLine.parse(args, Set.of("--url", "--agent", "--cases", "--case-timeout"));
        String url = line.text("--url", DEFAULT_URL);
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        URI uri = URI.create(url);
        if (!"ws".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--url must be ws://HOST:PORT: " + url);
        }
        String agent = line.text("--agent", DEFAULT_AGENT);
        if (agent.isBlank()) {
            throw new IllegalArgumentException("--agent must not be empty");
        }
        int first = 1;
        int last = 0;
        if (line.has("--cases")) {
            String range = line.text("--cases", "");
            int dash = range.indexOf('-');
            if (dash < 0) {
                first = (int) CommandLine.number(range, "--cases", 1, Integer.MAX_VALUE);
                last = first;
            } else {
                first = (int) CommandLine.number(range.substring(0, dash), "--cases start", 1, Integer.MAX_VALUE);
                last = (int) CommandLine.number(range.substring(dash + 1), "--cases end", first, Integer.MAX_VALUE);
            }
        }
        long seconds = line.number("--case-timeout", DEFAULT_CASE_TIMEOUT_SECONDS, 1, 86_400);
        return new Options(url, agent, first, last, Duration.ofSeconds(seconds));
    }

    /**
     * Runs the protocol: case count, the cases, the report update.
     *
     * @param options what to run
     * @param out     progress and summary
     * @param err     failures
     * @return the exit status described in the class comment
     */
    static int run(Options options, PrintStream out, PrintStream err) {
        try (WebSocketClient client = WebSocketClient.create(1)) {
            Summary summary;
            try {
                summary = runCases(client, options, out, err);
            } catch (CaseRunException e) {
                err.println("TesteeClient: " + e.getMessage());
                return EXIT_FAILED;
            }
            out.println("ran " + summary.ran() + " case(s) of " + summary.caseCount() + " against " + options.url()
                    + " as agent \"" + options.agent() + "\"; " + summary.incomplete() + " incomplete");
            return summary.incomplete() == 0 ? 0 : EXIT_CASES_INCOMPLETE;
        }
    }

    /**
     * Runs the protocol on an open client.
     *
     * @param client  the client to connect with
     * @param options what to run
     * @param out     progress
     * @param err     per-case failures
     * @return what ran
     * @throws CaseRunException if the case count cannot be read or the reports not updated
     */
    static Summary runCases(WebSocketClient client, Options options, PrintStream out, PrintStream err)
            throws CaseRunException {
        String agent = URLEncoder.encode(options.agent(), StandardCharsets.UTF_8);
        Session countSession = connect(client, options.url() + "/getCaseCount", options.caseTimeout(), false);
        Outcome counted = countSession.await(options.caseTimeout());
        if (counted == null || counted.firstText() == null) {
            throw new CaseRunException("no case count from " + options.url() + "/getCaseCount"
                    + (counted == null ? " (timed out)" : " (closed with " + counted.code() + ")"));
        }
        int count;
        try {
            count = Integer.parseInt(counted.firstText().trim());
        } catch (NumberFormatException e) {
            throw new CaseRunException("the case count is not a number: " + counted.firstText());
        }
        int last = options.last() == 0 ? count : Math.min(options.last(), count);
        int ran = 0;
        int incomplete = 0;
        for (int n = options.first(); n <= last; n++) {
            String url = options.url() + "/runCase?case=" + n + "&agent=" + agent;
            try {
                Session session = connect(client, url, options.caseTimeout(), true);
                if (session.await(options.caseTimeout()) == null) {
                    session.socket().abort();
                    err.println("case " + n + ": no close within " + options.caseTimeout().toSeconds() + " s, aborted");
                    incomplete++;
                } else {
                    ran++;
                }
            } catch (CaseRunException e) {
                err.println("case " + n + ": " + e.getMessage());
                incomplete++;
            }
            if (n % 50 == 0) {
                out.println("case " + n + " of " + last + " done");
            }
        }
        Session update = connect(client, options.url() + "/updateReports?agent=" + agent, options.caseTimeout(), false);
        if (update.await(options.caseTimeout()) == null) {
            update.socket().abort();
            throw new CaseRunException("the fuzzing server did not close /updateReports within "
                    + options.caseTimeout().toSeconds() + " s");
        }
        return new Summary(count, ran, incomplete);
    }

    /** Opens a connection that echoes (when asked) and records how it ended. */
    private static Session connect(WebSocketClient client, String url, Duration timeout, boolean echo)
            throws CaseRunException {
        CaseHandler handler = new CaseHandler(echo);
        try {
            WebSocket<Void> socket = client.connect(URI.create(url), handler, TesteeSettings.connection())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Session(socket, handler.closed);
        } catch (ExecutionException e) {
            throw new CaseRunException("cannot connect to " + url + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new CaseRunException("cannot connect to " + url + " within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaseRunException("interrupted while connecting to " + url);
        }
    }

    /**
     * How a connection ended.
     *
     * @param code      the close code the handler saw
     * @param firstText the first text message received, or {@code null}
     */
    record Outcome(int code, String firstText) {
    }

    /** An open connection and the future its close completes. */
    private record Session(WebSocket<Void> socket, CompletableFuture<Outcome> closed) {

        /** The outcome, or {@code null} if the connection did not close in time. */
        Outcome await(Duration timeout) throws CaseRunException {
            try {
                return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return null;
            } catch (ExecutionException e) {
                throw new CaseRunException(e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CaseRunException("interrupted");
            }
        }
    }

    /**
     * Echoes like {@link Echo} during a case (not on the case count and report connections), keeps
     * the first text message (the case count) and completes a future when the connection closes.
     *
     * <p>Threading: callbacks run on the connection's loop; {@code closed} is completed there and
     * read by the thread running the cases.
     */
    private static final class CaseHandler extends Echo<Void> {
        final CompletableFuture<Outcome> closed = new CompletableFuture<>();
        private final boolean echo;
        private String firstText;

        CaseHandler(boolean echo) {
            this.echo = echo;
        }

        @Override
        public void onText(WebSocket<Void> socket, ByteBuffer utf8, boolean last) {
            if (firstText == null) {
                firstText = StandardCharsets.UTF_8.decode(utf8.duplicate()).toString();
            }
            if (echo) {
                super.onText(socket, utf8, last);
            }
        }

        @Override
        public void onBinary(WebSocket<Void> socket, ByteBuffer data, boolean last) {
            if (echo) {
                super.onBinary(socket, data, last);
            }
        }

        @Override
        public void onClose(WebSocket<Void> socket, int code, String reason, boolean clean) {
            closed.complete(new Outcome(code, firstText));
        }
    }

    /** A step of the protocol failed; the message says which and why. */
    static final class CaseRunException extends Exception {
        private static final long serialVersionUID = 1L;

        CaseRunException(String message) {
            super(message);
        }
    }
}
