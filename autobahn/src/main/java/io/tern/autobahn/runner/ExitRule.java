package io.tern.autobahn.runner;

import java.util.EnumSet;
import java.util.Set;

/**
 * Decides whether a case passed, for the exit status: both {@code behavior} and {@code behaviorClose}
 * must be OK or one of the extra accepted verdicts ({@code --accept}); INFORMATIONAL passes only for a
 * case that is informational by design ({@link AutobahnCase#informational()}). Immutable.
 *
 * @param accepted verdicts accepted besides OK
 */
public record ExitRule(Set<Verdict> accepted) {

    public ExitRule {
        accepted = Set.copyOf(accepted);
    }

    /** The default rule: OK only, INFORMATIONAL where the case is informational. */
    public static ExitRule strict() {
        return new ExitRule(EnumSet.noneOf(Verdict.class));
    }

    /**
     * @param labels comma-separated verdict labels, e.g. {@code "NON-STRICT,UNIMPLEMENTED"}
     * @return a rule that accepts them besides OK
     * @throws IllegalArgumentException for an unknown label
     */
    public static ExitRule accepting(String labels) {
        EnumSet<Verdict> set = EnumSet.noneOf(Verdict.class);
        for (String l : labels.split(",")) {
            if (!l.isBlank()) {
                set.add(Verdict.ofLabel(l.strip().toUpperCase(java.util.Locale.ROOT)));
            }
        }
        return new ExitRule(set);
    }

    /**
     * @param r a case result
     * @return true if the result passes
     */
    public boolean passes(CaseResult r) {
        return ok(r.behavior(), r.informational()) && ok(r.behaviorClose(), r.informational());
    }

    private boolean ok(Verdict v, boolean informationalCase) {
        return v == Verdict.OK || accepted.contains(v) || v == Verdict.INFORMATIONAL && informationalCase;
    }
}
