package io.tern.transport.wire;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps a test class whose failures are deliberate (throwing interceptors, fallbacks and hooks)
 * quiet: while it runs, the {@code io.tern.transport} logger only lets errors through, so the
 * WARNING with its stack trace that each deliberate failure logs is not printed. Errors still
 * are. Goes through {@code java.util.logging} by reflection, since the test module does not
 * read {@code java.logging}; without that module it does nothing.
 */
final class QuietWarnings implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(QuietWarnings.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Class<?> loggerClass;
        try {
            loggerClass = Class.forName("java.util.logging.Logger");
        } catch (ClassNotFoundException e) {
            return;
        }
        Class<?> levelClass = Class.forName("java.util.logging.Level");
        // Held in the store: java.util.logging keeps loggers only weakly, and a collected logger
        // would forget its level.
        Object logger = loggerClass.getMethod("getLogger", String.class).invoke(null, "io.tern.transport");
        Object previous = loggerClass.getMethod("getLevel").invoke(logger);
        loggerClass.getMethod("setLevel", levelClass).invoke(logger, levelClass.getField("SEVERE").get(null));
        context.getStore(NS).put("logger", logger);
        context.getStore(NS).put("previous", previous == null ? NS : previous);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        Object logger = context.getStore(NS).get("logger");
        if (logger == null) {
            return;
        }
        Object previous = context.getStore(NS).get("previous");
        Class<?> levelClass = Class.forName("java.util.logging.Level");
        logger.getClass().getMethod("setLevel", levelClass).invoke(logger, previous == NS ? null : previous);
    }
}
