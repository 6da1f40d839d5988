package io.tern.autobahn.runner;

/** Stands for JSON {@code null} inside the immutable lists of a {@link WireEvent}'s fields. */
public enum JsonNull {
    /** The JSON null value. */
    NULL
}
