package io.tern.transport.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header value of the server's HTTP answers: IMF-fixdate (RFC 9110 §5.6.7), e.g.
 * {@code Sun, 06 Nov 1994 08:49:37 GMT}. Stateless; safe from any thread.
 */
final class HttpDate {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDate() {
    }

    /** Formats an instant as IMF-fixdate. */
    static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /** The current time as IMF-fixdate. */
    static String now() {
        return format(Instant.now());
    }
}
