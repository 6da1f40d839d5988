package io.tern.transport;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A {@link MessageInterceptor} that logs every inbound message through {@link System.Logger}:
 * connection id, path, type, length, and the first bytes of the payload (text as text, binary as
 * hex), then passes the message on unchanged. When the logger does not log at the chosen level it
 * costs one check and allocates nothing.
 *
 * <pre>{@code
 * ConnectionSettings traced = ConnectionSettings.defaults().withMessageInterceptors(List.of(
 *         MessageLogging.factory(System.getLogger("app.ws"), System.Logger.Level.DEBUG, 64)));
 * }</pre>
 *
 * <p>A logger that throws does not disturb the connection: the failure is swallowed.
 */
public final class MessageLogging {

    private MessageLogging() {
    }

    /**
     * Makes a factory whose interceptors log at {@code level}.
     *
     * @param logger       where to log
     * @param level        the level of each record
     * @param previewBytes how many payload bytes to show, 0 for none
     * @return the factory, one stateless interceptor shared by all connections
     * @throws IllegalArgumentException if {@code previewBytes} is negative
     */
    public static MessageInterceptor.Factory factory(System.Logger logger, System.Logger.Level level, int previewBytes) {
        Objects.requireNonNull(logger, "logger");
        Objects.requireNonNull(level, "level");
        if (previewBytes < 0) {
            throw new IllegalArgumentException("previewBytes must not be negative: " + previewBytes);
        }
        MessageInterceptor logging = (socket, text, payload, last) -> {
            try {
                if (logger.isLoggable(level)) {
                    logger.log(level, describe(socket, text, payload, last, previewBytes));
                }
            } catch (RuntimeException ignored) {
                // logging must never fail the message
            }
            return payload;
        };
        return socket -> logging;
    }

    static String describe(WebSocket<?> socket, boolean text, ByteBuffer payload, boolean last, int previewBytes) {
        int n = payload.remaining();
        StringBuilder b = new StringBuilder(64 + 2 * Math.min(n, previewBytes));
        b.append("ws#").append(socket.id()).append(' ').append(socket.path()).append(text ? " text " : " binary ")
                .append(n).append(" bytes").append(last ? "" : " (fragment)");
        int shown = Math.min(n, previewBytes);
        if (shown > 0) {
            b.append(": ");
            int p = payload.position();
            if (text) {
                byte[] bytes = new byte[shown];
                payload.get(p, bytes);
                b.append(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            } else {
                for (int i = 0; i < shown; i++) {
                    b.append(Character.forDigit((payload.get(p + i) >> 4) & 0xF, 16))
                            .append(Character.forDigit(payload.get(p + i) & 0xF, 16));
                }
            }
            if (shown < n) {
                b.append('…');
            }
        }
        return b.toString();
    }
}
