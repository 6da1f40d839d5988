package io.tern.autobahn.runner;

/** Which end of the WebSocket connection the runner is in a case (RFC 6455 §5.1 masking depends on it). */
public enum Role {
    /** Fuzzing client mode: the runner connects to the server under test and masks its frames. */
    CLIENT,
    /** Fuzzing server mode: the client under test connects to the runner; frames go unmasked. */
    SERVER
}
