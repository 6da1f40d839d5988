package io.tern.transport;

/** How a server spreads new TCP connections over its event loops. */
public enum AcceptStrategy {
    /** One listening socket on the first loop; connections are handed to the loops in turn. */
    ROUND_ROBIN,
    /**
     * Every loop opens its own listening socket with {@code SO_REUSEPORT} and the kernel spreads
     * connections; falls back to {@link #ROUND_ROBIN} where the option is not supported.
     */
    REUSE_PORT
}
