package io.tern.transport.wire;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves behind a Tern event-loop thread it started: every server and client
 * a test opens must be closed, and closing must stop its loops.
 */
final class NoLeakedLoops implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoLeakedLoops.class);

    private static Set<Long> ternThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("tern-"))
                .map(Thread::getId)
                .collect(Collectors.toCollection(HashSet::new));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("before", ternThreads());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        @SuppressWarnings("unchecked")
        Set<Long> before = context.getStore(NS).get("before", Set.class);
        long deadline = System.nanoTime() + 3_000_000_000L;
        List<String> leaked;
        while (true) {
            leaked = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && t.getName().startsWith("tern-") && !before.contains(t.getId()))
                    .map(Thread::getName)
                    .collect(Collectors.toList());
            if (leaked.isEmpty() || System.nanoTime() - deadline > 0) {
                break;
            }
            Thread.sleep(10);
        }
        if (!leaked.isEmpty()) {
            throw new AssertionError("event-loop threads still alive after the test: " + leaked);
        }
    }
}
