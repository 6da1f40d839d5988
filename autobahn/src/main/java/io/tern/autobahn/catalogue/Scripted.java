package io.tern.autobahn.catalogue;

import io.tern.autobahn.runner.AutobahnCase;
import io.tern.autobahn.runner.CaseContext;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * A stateless case made of a script run at open, optionally a hook run after the verdicts are computed,
 * and the official suite's {@code suppressClose}. Most of groups 1–7 and 10 are of this shape.
 */
final class Scripted extends AutobahnCase {

    private final Consumer<CaseContext> onOpen;
    private final Consumer<CaseContext> onLost;
    private final boolean suppressClose;
    private final Duration bound;

    Scripted(String id, String description, String expectation, Consumer<CaseContext> onOpen) {
        this(id, description, expectation, onOpen, null, false, Duration.ofSeconds(15));
    }

    private Scripted(String id, String description, String expectation, Consumer<CaseContext> onOpen,
                     Consumer<CaseContext> onLost, boolean suppressClose, Duration bound) {
        super(id, description, expectation);
        this.onOpen = onOpen;
        this.onLost = onLost;
        this.suppressClose = suppressClose;
        this.bound = bound;
    }

    /** The same case with {@code suppressClose} set. */
    Scripted suppressingClose() {
        return new Scripted(id(), description(), expectation(), onOpen, onLost, true, bound);
    }

    /** The same case with a hook run after the verdicts are computed. */
    Scripted afterVerdict(Consumer<CaseContext> hook) {
        return new Scripted(id(), description(), expectation(), onOpen, hook, suppressClose, bound);
    }

    /** The same case with another whole-case time bound. */
    Scripted bound(Duration value) {
        return new Scripted(id(), description(), expectation(), onOpen, onLost, suppressClose, value);
    }

    @Override
    public Duration timeBound() {
        return bound;
    }

    @Override
    public boolean suppressClose() {
        return suppressClose;
    }

    @Override
    public void onOpen(CaseContext ctx) {
        onOpen.accept(ctx);
    }

    @Override
    public void onConnectionLost(CaseContext ctx) {
        if (onLost != null) {
            onLost.accept(ctx);
        }
    }
}
