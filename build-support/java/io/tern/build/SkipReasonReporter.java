package io.tern.build;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints one line to the console for every test or container that did not run, with the
 * reason: {@code SKIPPED <class>.<test>: <reason>}. Surefire only counts skipped tests; without
 * this a build that quietly skips the interoperability tests (a peer is not installed) looks the
 * same as one that ran them.
 *
 * <p>Covers tests disabled by a condition ({@code @Disabled}, {@code @EnabledOnOs}, ...) and
 * tests or containers aborted by a failed assumption ({@code Assumptions.abort}). Registered
 * through {@code META-INF/services}; the modules' surefire configuration puts it on the test
 * class path (outside the patched JPMS module, where a service file would be ignored).
 *
 * <p>Several tests of one class skipped for the same reason (a peer that is not installed) make
 * one line for the first and one with the count of the others when the class finishes.
 *
 * <p>Called by the JUnit launcher, possibly from several threads: its one map is concurrent.
 */
public final class SkipReasonReporter implements TestExecutionListener {

    /** Per class and reason: how many skips were not printed (the first one is). */
    private final Map<String, AtomicInteger> repeats = new ConcurrentHashMap<>();

    /** Created by the JUnit launcher through {@code ServiceLoader}. */
    public SkipReasonReporter() {
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        report(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            report(test, result.getThrowable().map(Throwable::getMessage).orElse(null));
        }
        if (test.getSource().isPresent() && test.getSource().get() instanceof ClassSource c) {
            String prefix = c.getClassName() + "\n";
            repeats.entrySet().removeIf(e -> {
                if (!e.getKey().startsWith(prefix)) {
                    return false;
                }
                int more = e.getValue().get();
                if (more > 0) {
                    print("SKIPPED " + simpleName(c.getClassName()) + ": " + more + " more test"
                            + (more == 1 ? "" : "s") + " for the same reason");
                }
                return true;
            });
        }
    }

    private void report(TestIdentifier test, String reason) {
        String why = reason == null || reason.isBlank() ? "no reason given" : reason;
        String className = className(test);
        if (className != null && test.isTest()) {
            AtomicInteger seen = repeats.computeIfAbsent(className + "\n" + why, k -> new AtomicInteger(-1));
            if (seen.incrementAndGet() > 0) {
                return; // counted; summed up when the class finishes
            }
        }
        print("SKIPPED " + name(test) + ": " + why);
    }

    private static void print(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static String className(TestIdentifier test) {
        Optional<TestSource> source = test.getSource();
        if (source.isPresent() && source.get() instanceof MethodSource m) {
            return m.getClassName();
        }
        return null;
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String name(TestIdentifier test) {
        Optional<TestSource> source = test.getSource();
        if (source.isPresent() && source.get() instanceof MethodSource m) {
            return simpleName(m.getClassName()) + "." + test.getDisplayName();
        }
        if (source.isPresent() && source.get() instanceof ClassSource c) {
            return simpleName(c.getClassName());
        }
        return test.getDisplayName();
    }
}
