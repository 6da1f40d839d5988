package io.tern.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** IMF-fixdate of RFC 9110 §5.6.7, with its own example. */
class HttpDateTest {

    @Test
    void formatsTheRfcExample() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.format(Instant.parse("1994-11-06T08:49:37Z")));
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", HttpDate.format(Instant.EPOCH));
        assertEquals("Mon, 09 Mar 2026 23:05:01 GMT", HttpDate.format(Instant.parse("2026-03-09T23:05:01.999Z")));
    }
}
