package io.tern.autobahn.catalogue.big;

import io.tern.autobahn.deflate.CheckingInflater;
import io.tern.autobahn.runner.MessageInflater;

/**
 * The engine's {@link MessageInflater} for a compression case: inflates with the runner's own
 * {@link CheckingInflater}, so a peer that breaks its negotiated window or context-takeover terms
 * fails the connection (1002, RFC 7692 §8 leaves the code open) and the case records exactly why.
 *
 * <p>Threading: as {@link MessageInflater}, the case's thread only.
 */
final class CheckedInflation implements MessageInflater {

    private final CheckingInflater inflater;
    private io.tern.autobahn.deflate.InflateException failure;
    private int messages;

    CheckedInflation(CheckingInflater inflater) {
        this.inflater = inflater;
    }

    @Override
    public byte[] inflate(byte[] compressed, boolean binary) throws MessageInflater.InflateException {
        try {
            byte[] out = inflater.inflate(compressed, 0, compressed.length);
            messages++;
            return out;
        } catch (io.tern.autobahn.deflate.InflateException e) {
            failure = e;
            throw new MessageInflater.InflateException("compressed message " + (messages + 1) + ": " + e.getMessage(), 1002);
        }
    }

    /** @return why inflation failed, or null if it never did */
    io.tern.autobahn.deflate.InflateException failure() {
        return failure;
    }

    /** @return the number of messages inflated */
    int messages() {
        return messages;
    }
}
