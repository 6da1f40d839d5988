package io.tern.autobahn.runner;

import io.tern.autobahn.catalogue.Catalogue;
import io.tern.autobahn.catalogue.CaseEntry;
import io.tern.autobahn.report.IndexComparison;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The runner's command line: {@code fuzzingclient}, {@code fuzzingserver} and {@code list}.
 * See {@link #USAGE} or {@code --help}. Exit status: 0 if every case passes the {@link ExitRule},
 * 1 if any does not, 2 for a usage error, 3 if the fuzzing server was stopped by its time limit before
 * a client asked for {@code /updateReports}.
 */
public final class Main {

    static final String USAGE = """
            Tern's own runner of the Autobahn WebSocket testsuite's case catalogue.

            Usage:
              java -jar tern-autobahn-runner.jar fuzzingclient <ws-url> [options]
                  Tests the WebSocket server at <ws-url> (ws:// only): one fresh connection per case to the
                  URL exactly as given, cases one after another.
              java -jar tern-autobahn-runner.jar fuzzingserver [options]
                  Tests a WebSocket client that follows the official fuzzing server's protocol:
                  /getCaseCount, /runCase?case=N&agent=A, /updateReports?agent=A, /getCaseInfo?case=N,
                  /getCaseStatus?case=N&agent=A (casetuple=ID may replace case=N). Without --exit-on-update
                  it serves until stopped and prints the per-group summary after each /updateReports.
              java -jar tern-autobahn-runner.jar list [--cases ...] [--exclude ...]
                  Prints the selected case ids with their descriptions.
              java -jar tern-autobahn-runner.jar compare <index.json> <index.json> [--cases ...] [--exclude ...]
                  [--agent NAME] [--agent-b NAME]
                  Compares two reports (e.g. the official suite's and this runner's) case by case on behavior
                  and behaviorClose; prints each difference; exit 0 if there is none, 1 otherwise. --agent
                  picks the agent in the first file, --agent-b in the second (default: the only one).

            Options:
              --cases PATTERNS    cases to run, comma-separated, * matches anything (e.g. 1.*,6.4.*,7.1.1).
                                  Default: all cases of the catalogue. May be repeated.
              --exclude PATTERNS  cases to leave out, same syntax. Default: none. May be repeated.
              --out DIR           report directory. Default: reports/servers (fuzzingclient),
                                  reports/clients (fuzzingserver).
              --agent NAME        fuzzingclient: the name results are filed under. Default: testee.
                                  compare: the agent in the first report. Default: its only agent.
              --agent-b NAME      compare: the agent in the second report. Default: its only agent.
              --host ADDRESS      fuzzingserver: address to bind. Default: 127.0.0.1.
              --port P            fuzzingserver: port to bind, 0 for a free one. Default: 9001.
              --exit-on-update    fuzzingserver: exit after the first /updateReports (with the exit status
                                  below) instead of serving until stopped. Default: off.
              --max-time SECONDS  fuzzingserver with --exit-on-update: give up after this long. Default: 3600.
              --accept VERDICTS   verdicts that also pass, besides OK, comma-separated, e.g.
                                  NON-STRICT,UNIMPLEMENTED. Default: none.
              --quiet             no line per case, only the per-group summary. Default: off.
              --help              this text.

            Exit status: 0 if every case passes, 1 if any case does not, 2 on a usage error, 3 if the fuzzing
            server hit --max-time. A case passes if its behavior and its close behavior are both OK or in
            --accept; INFORMATIONAL passes only for the cases that are informational by design (7.1.6,
            7.13.1, 7.13.2).

            Reports: DIR/index.json (the official report's format: agent -> case -> behavior, behaviorClose,
            duration, remoteCloseCode, reportfile), DIR/<agent>_case_<id>.json per case, DIR/index.html and
            DIR/<agent>_case_<id>.html (what was sent and received, in hex and text, and why each verdict).
            """;

    private Main() {
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     * @param out  where summaries and progress go
     * @param err  where usage errors go
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("try --help");
            return 2;
        }
        if (o.help) {
            out.print(USAGE);
            return 0;
        }
        Catalogue catalogue = Catalogue.load();
        List<CaseEntry> cases = List.of();
        if (!o.mode.equals("compare")) {
            try {
                cases = catalogue.select(o.cases, o.exclude);
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return 2;
            }
        }
        try {
            return switch (o.mode) {
                case "list" -> {
                    for (CaseEntry c : cases) {
                        out.println(c.id() + "\t" + c.description());
                    }
                    yield 0;
                }
                case "fuzzingclient" -> fuzzingClient(o, catalogue, cases, out);
                case "fuzzingserver" -> fuzzingServer(o, catalogue, cases, out);
                case "compare" -> compare(o, out);
                default -> throw new IllegalStateException(o.mode);
            };
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return 1;
        }
    }

    private static int fuzzingClient(Options o, Catalogue catalogue, List<CaseEntry> cases, PrintStream out)
            throws IOException {
        URI uri = URI.create(o.url);
        long t0 = System.nanoTime();
        RunResults results = new FuzzingClient(uri, o.agent, cases).run(r -> {
            if (!o.quiet) {
                out.println(line(r));
            }
        });
        Path dir = Path.of(o.out == null ? "reports/servers" : o.out);
        results.writeReports(dir, catalogue);
        return finish(results, catalogue, o, dir, out, t0);
    }

    private static int fuzzingServer(Options o, Catalogue catalogue, List<CaseEntry> cases, PrintStream out)
            throws IOException, InterruptedException {
        Path dir = Path.of(o.out == null ? "reports/clients" : o.out);
        try (FuzzingServer server = new FuzzingServer(catalogue, cases, InetAddress.getByName(o.host), o.port, dir,
                line -> {
                    if (!o.quiet || !line.startsWith("running") && !line.startsWith("case ")) {
                        out.println(line);
                    }
                })) {
            out.println("fuzzingserver listening on ws://" + o.host + ":" + server.port() + " with " + cases.size() + " cases");
            out.flush();
            long t0 = System.nanoTime();
            if (!o.exitOnUpdate) {
                while (true) {
                    if (server.awaitReportUpdate(Duration.ofDays(1))) {
                        ExitRule rule = o.accept == null ? ExitRule.strict() : ExitRule.accepting(o.accept);
                        server.results().summary(catalogue, rule).forEach(out::println);
                        out.flush();
                    }
                }
            }
            if (!server.awaitReportUpdate(Duration.ofSeconds(o.maxTimeSeconds))) {
                out.println("no /updateReports within " + o.maxTimeSeconds + " s");
                server.results().writeReports(dir, catalogue);
                finish(server.results(), catalogue, o, dir, out, t0);
                return 3;
            }
            return finish(server.results(), catalogue, o, dir, out, t0);
        }
    }

    private static int compare(Options o, PrintStream out) throws IOException {
        var a = IndexComparison.read(Path.of(o.files.get(0)), o.agentGiven ? o.agent : null);
        var b = IndexComparison.read(Path.of(o.files.get(1)), o.agentB);
        var include = io.tern.autobahn.catalogue.Catalogue.patterns(o.cases);
        var exclude = io.tern.autobahn.catalogue.Catalogue.patterns(o.exclude);
        java.util.function.Predicate<String> selected = id -> (include.isEmpty() || include.stream().anyMatch(p -> p.matcher(id).matches()))
                && exclude.stream().noneMatch(p -> p.matcher(id).matches());
        List<IndexComparison.Difference> diffs = IndexComparison.compare(a, b, selected);
        for (IndexComparison.Difference d : diffs) {
            out.println(d);
        }
        java.util.Set<String> ids = new java.util.TreeSet<>(a.keySet());
        ids.addAll(b.keySet());
        long compared = ids.stream().filter(selected).count();
        out.println(compared + " cases compared, " + diffs.size() + " differ");
        return diffs.isEmpty() ? 0 : 1;
    }

    private static int finish(RunResults results, Catalogue catalogue, Options o, Path dir, PrintStream out, long t0) {
        ExitRule rule = o.accept == null ? ExitRule.strict() : ExitRule.accepting(o.accept);
        for (String l : results.summary(catalogue, rule)) {
            out.println(l);
        }
        List<String> failures = results.failures(rule);
        out.printf("%d cases in %.1f s, %d not passing%s; reports in %s%n", results.all().size(),
                (System.nanoTime() - t0) / 1e9, failures.size(),
                failures.isEmpty() ? "" : " (" + String.join(" ", failures) + ")", dir.toAbsolutePath().resolve("index.html"));
        return failures.isEmpty() ? 0 : 1;
    }

    private static String line(CaseResult r) {
        return String.format("%-8s %-14s %-16s %6d ms  close %s", r.id(), r.behavior().label(), r.behaviorClose().label(),
                r.durationMillis(), r.remoteCloseCode() == null ? "-" : r.remoteCloseCode());
    }

    /** Parsed command line. */
    static final class Options {
        String mode;
        String url;
        final List<String> cases = new ArrayList<>();
        final List<String> exclude = new ArrayList<>();
        String out;
        String agent = "testee";
        boolean agentGiven;
        String agentB;
        final List<String> files = new ArrayList<>();
        String host = "127.0.0.1";
        int port = 9001;
        boolean exitOnUpdate;
        long maxTimeSeconds = 3600;
        String accept;
        boolean quiet;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> o.help = true;
                    case "--cases" -> o.cases.add(value(args, ++i, a));
                    case "--exclude" -> o.exclude.add(value(args, ++i, a));
                    case "--out" -> o.out = value(args, ++i, a);
                    case "--agent" -> {
                        o.agent = value(args, ++i, a);
                        o.agentGiven = true;
                    }
                    case "--agent-b" -> o.agentB = value(args, ++i, a);
                    case "--host" -> o.host = value(args, ++i, a);
                    case "--port" -> o.port = number(value(args, ++i, a), a, 0, 65535);
                    case "--exit-on-update" -> o.exitOnUpdate = true;
                    case "--max-time" -> o.maxTimeSeconds = number(value(args, ++i, a), a, 1, Integer.MAX_VALUE);
                    case "--accept" -> {
                        o.accept = value(args, ++i, a);
                        ExitRule.accepting(o.accept);
                    }
                    case "--quiet" -> o.quiet = true;
                    default -> {
                        if (a.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        if (o.mode == null) {
                            if (!List.of("fuzzingclient", "fuzzingserver", "list", "compare").contains(a)) {
                                throw new IllegalArgumentException("unknown mode " + a
                                        + " (fuzzingclient, fuzzingserver, list, compare)");
                            }
                            o.mode = a;
                        } else if (o.mode.equals("fuzzingclient") && o.url == null) {
                            o.url = a;
                        } else if (o.mode.equals("compare") && o.files.size() < 2) {
                            o.files.add(a);
                        } else {
                            throw new IllegalArgumentException("unexpected argument " + a);
                        }
                    }
                }
            }
            if (o.help) {
                return o;
            }
            if (o.mode == null) {
                throw new IllegalArgumentException("no mode given (fuzzingclient <ws-url>, fuzzingserver, list)");
            }
            if (o.mode.equals("fuzzingclient") && o.url == null) {
                throw new IllegalArgumentException("fuzzingclient needs a ws:// URL");
            }
            if (o.mode.equals("compare") && o.files.size() != 2) {
                throw new IllegalArgumentException("compare needs two index.json files");
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int number(String s, String option, int min, int max) {
            try {
                int n = Integer.parseInt(s);
                if (n < min || n > max) {
                    throw new IllegalArgumentException(option + " must be in " + min + ".." + max + ": " + s);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number: " + s);
            }
        }
    }
}
