package io.tern.autobahn.runner;

import io.tern.autobahn.catalogue.CaseEntry;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Fuzzing client mode: tests a WebSocket server by running each selected case on a fresh connection
 * to the URL as given, one after another (as the official {@code wstest -m fuzzingclient}).
 *
 * <p>Threading: {@link #run} runs on the calling thread (plus one reader thread per connection).
 */
public final class FuzzingClient {

    private final URI uri;
    private final String agent;
    private final List<CaseEntry> cases;

    /**
     * @param uri   a {@code ws://} URL (TLS is not supported)
     * @param agent the name the results are filed under
     * @param cases the cases to run, in order
     * @throws IllegalArgumentException if the URL is not {@code ws://host[:port]/...}
     */
    public FuzzingClient(URI uri, String agent, List<CaseEntry> cases) {
        if (!"ws".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("need a ws://host[:port]/path URL (wss is not supported): " + uri);
        }
        this.uri = uri;
        this.agent = Objects.requireNonNull(agent);
        this.cases = List.copyOf(cases);
    }

    /**
     * Runs every case and returns the results.
     *
     * @param afterEach called with each result as it is known (e.g. to print progress)
     * @return the results
     */
    public RunResults run(Consumer<CaseResult> afterEach) {
        RunResults results = new RunResults();
        int index = 1;
        for (CaseEntry e : cases) {
            CaseResult r = CaseRuns.runAsClient(e, index++, uri, agent);
            results.add(r);
            afterEach.accept(r);
        }
        return results;
    }
}
