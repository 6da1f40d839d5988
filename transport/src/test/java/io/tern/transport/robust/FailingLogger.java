package io.tern.transport.robust;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Makes every log record of the transport's logger ({@code io.tern.transport}, reached through
 * {@code System.Logger}, which the JDK routes to {@code java.util.logging}) throw from the
 * handler, as a logger does that cannot open its file or runs out of memory while formatting.
 * Records go nowhere else while it is installed (no console output); {@link #close()} restores
 * the logger as it was.
 */
public final class FailingLogger implements AutoCloseable {

    /** What the failing handler throws. */
    public static final class LoggerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoggerFailure() {
            super("test: the log handler cannot write", null, false, false);
        }
    }

    private final Logger logger = Logger.getLogger("io.tern.transport"); // held: JUL keeps loggers weakly
    private final boolean useParentHandlers;
    private final Level level;
    private final AtomicInteger calls = new AtomicInteger();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            calls.incrementAndGet();
            throw new LoggerFailure();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private FailingLogger() {
        useParentHandlers = logger.getUseParentHandlers();
        level = logger.getLevel();
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    /**
     * Installs the failing handler.
     *
     * @return the installation, to close when the test ends
     */
    public static FailingLogger install() {
        return new FailingLogger();
    }

    /**
     * How many records reached the handler (each of them made it throw).
     *
     * @return the count
     */
    public int calls() {
        return calls.get();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(level);
        logger.setUseParentHandlers(useParentHandlers);
    }
}
