package io.tern.autobahn.runner;

/**
 * Decompresses the payload of a message that arrived with RSV1 set (RFC 7692 §6.2). A case that
 * negotiated permessage-deflate installs one with {@link CaseContext#setInflater}; the engine then
 * passes every compressed message to it (all fragments joined, without the {@code 00 00 ff ff} tail,
 * exactly as on the wire) before the message is observed.
 *
 * <p>Threading: called only on the case's thread, one message at a time, in arrival order, so an
 * implementation may keep the sliding window between messages (context takeover).
 */
public interface MessageInflater {

    /**
     * @param compressed the joined payloads of the message's frames as received
     * @param binary     true for a binary message, false for text
     * @return the decompressed message payload
     * @throws InflateException if the data is not a valid DEFLATE stream for the negotiated parameters;
     *                          the engine then fails the connection with {@link InflateException#closeCode()}
     */
    byte[] inflate(byte[] compressed, boolean binary) throws InflateException;

    /** Signals that a compressed message could not be inflated. */
    final class InflateException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int closeCode;

        /** @param closeCode the close code to fail the connection with (1002, or 1007 for bad data) */
        public InflateException(String message, int closeCode) {
            super(message);
            this.closeCode = closeCode;
        }

        public int closeCode() {
            return closeCode;
        }
    }
}
