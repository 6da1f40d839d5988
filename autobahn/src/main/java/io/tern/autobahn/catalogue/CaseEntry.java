package io.tern.autobahn.catalogue;

import io.tern.autobahn.runner.AutobahnCase;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One case in the catalogue: its id and texts, and a factory that makes a fresh instance per run.
 *
 * @param id          official case id, e.g. {@code "1.1.1"}
 * @param description what the case sends
 * @param expectation what a conformant peer does
 * @param factory     makes a new, unstarted instance for one run
 */
public record CaseEntry(String id, String description, String expectation, Supplier<? extends AutobahnCase> factory) {

    public CaseEntry {
        Objects.requireNonNull(id);
        Objects.requireNonNull(description);
        Objects.requireNonNull(expectation);
        Objects.requireNonNull(factory);
    }

    /** An entry whose id and texts are read from one instance made by {@code factory}. */
    public static CaseEntry of(Supplier<? extends AutobahnCase> factory) {
        AutobahnCase sample = factory.get();
        return new CaseEntry(sample.id(), sample.description(), sample.expectation(), factory);
    }

    /** A fresh instance for one run. */
    public AutobahnCase newRun() {
        return factory.get();
    }
}
