package io.tern.autobahn.runner;

/**
 * The outcome labels of an Autobahn case, as the official testsuite writes them into its reports.
 *
 * <p>{@code behavior} (what the peer sent back) uses {@link #OK}, {@link #NON_STRICT}, {@link #FAILED},
 * {@link #INFORMATIONAL} and {@link #UNIMPLEMENTED}; {@code behaviorClose} (how the connection ended)
 * uses {@link #OK}, {@link #FAILED}, {@link #WRONG_CODE}, {@link #UNCLEAN}, {@link #FAILED_BY_CLIENT} and
 * {@link #INFORMATIONAL}.
 */
public enum Verdict {
    /** The peer did what the case expects. */
    OK("OK"),
    /** Conformant, but not the SHOULD or canonical behaviour (e.g. fails on invalid UTF-8 late, not fast). */
    NON_STRICT("NON-STRICT"),
    /** Not conformant: the observations match none of the acceptable sequences, or the wrong endpoint closed. */
    FAILED("FAILED"),
    /** Close only: the peer's close code is not one of the acceptable codes. */
    WRONG_CODE("WRONG CODE"),
    /** Close only: the case requires a clean closing handshake and there was none. */
    UNCLEAN("UNCLEAN"),
    /** Close only (fuzzing client mode): the runner, not the server, had to drop the TCP connection. */
    FAILED_BY_CLIENT("FAILED BY CLIENT"),
    /** The case only records what the peer does; the specification leaves it open. */
    INFORMATIONAL("INFORMATIONAL"),
    /** The peer does not implement what the case tests (e.g. no permessage-deflate negotiated). */
    UNIMPLEMENTED("UNIMPLEMENTED");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    /** The label as the official reports spell it, e.g. {@code "NON-STRICT"}. */
    public String label() {
        return label;
    }

    /** Parses a label as written by {@link #label()}. @throws IllegalArgumentException if unknown */
    public static Verdict ofLabel(String label) {
        for (Verdict v : values()) {
            if (v.label.equals(label)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown verdict label: " + label);
    }
}
