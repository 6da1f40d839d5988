package io.tern.codec.handshake;

import java.util.Objects;

/**
 * Why an HTTP head could not be parsed.
 *
 * @param status for a request head, the status a server should answer with (400, 431 or 505);
 *     for a response head always {@link #NO_STATUS}
 * @param reason a short human-readable explanation, such as {@code header line without colon}
 */
public record HeadParseError(int status, String reason) {

    /** The status used for errors in response heads, where no HTTP answer is possible. */
    public static final int NO_STATUS = 0;

    /**
     * Validates the components.
     *
     * @param status the status, {@link #NO_STATUS} or 400 to 599
     * @param reason the explanation
     * @throws NullPointerException if the reason is null
     * @throws IllegalArgumentException if the status is out of range
     */
    public HeadParseError {
        Objects.requireNonNull(reason, "reason");
        if (status != NO_STATUS && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
    }
}
