package io.tern.transport.internal;

/**
 * Logging that can never fail its caller. Error paths of the loop, the acceptor and connections
 * log through here: a logger that throws (out of memory while formatting, a file it cannot open,
 * a broken handler installed by the embedder) must not turn a handled error into one that ends a
 * loop thread. Whatever the logger throws is swallowed.
 *
 * <p>Stateless; safe from any thread.
 */
final class Log {

    private static final System.Logger LOGGER = System.getLogger("io.tern.transport");

    private Log() {
    }

    /**
     * Logs a message with an optional cause; never throws.
     *
     * @param level   the level
     * @param message the message
     * @param cause   the cause, or {@code null}
     */
    static void log(System.Logger.Level level, String message, Throwable cause) {
        try {
            if (LOGGER.isLoggable(level)) {
                if (cause == null) {
                    LOGGER.log(level, message);
                } else {
                    LOGGER.log(level, message, cause);
                }
            }
        } catch (Throwable ignored) {
            // The logger itself failed: there is nowhere left to report this, and the caller
            // must go on with its own recovery.
        }
    }
}
