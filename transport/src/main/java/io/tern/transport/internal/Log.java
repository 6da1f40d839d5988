package io.tern.transport.internal;

/**
 * Logging that can never fail its caller. Error paths of the loop, the acceptor and connections
 * log through here: a logger that throws (out of memory while formatting, a file it cannot open,
 * a broken handler installed by the embedder) must not turn a handled error into one that ends a
 * loop thread. Whatever the logger throws is swallowed. The logger itself is looked up on first
 * use, inside that same guard: finding the logging backend may need files (service lookups,
 * configuration) the process cannot open when it is out of descriptors.
 *
 * <p>Its only state is the logger, published through a volatile field; safe from any thread.
 */
final class Log {

    private static volatile System.Logger logger;

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
            System.Logger l = logger;
            if (l == null) {
                l = System.getLogger("io.tern.transport");
                logger = l; // racing threads store the same logger
            }
            if (l.isLoggable(level)) {
                if (cause == null) {
                    l.log(level, message);
                } else {
                    l.log(level, message, cause);
                }
            }
        } catch (Throwable ignored) {
            // The logger itself failed: there is nowhere left to report this, and the caller
            // must go on with its own recovery.
        }
    }
}
