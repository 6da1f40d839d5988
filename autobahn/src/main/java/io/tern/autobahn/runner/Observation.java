package io.tern.autobahn.runner;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One event a case records while it runs, compared with the acceptable sequences a case declares
 * (the official suite's {@code ("message", payload, binary)}, {@code ("ping", payload)},
 * {@code ("pong", payload)} and {@code ("timeout", tag)} tuples). Equality is by kind and content.
 * Immutable; the payload array is copied in and out.
 */
public final class Observation {

    /** What was observed. */
    public enum Kind {
        /** A whole text or binary message (after reassembly and, if installed, inflation). */
        MESSAGE,
        /** A ping frame from the peer. */
        PING,
        /** A pong frame from the peer. */
        PONG,
        /** A timer of the case fired while the connection was still open. */
        TIMEOUT
    }

    private final Kind kind;
    private final byte[] payload;
    private final boolean binary;
    private final String tag;

    private Observation(Kind kind, byte[] payload, boolean binary, String tag) {
        this.kind = kind;
        this.payload = payload;
        this.binary = binary;
        this.tag = tag;
    }

    /** A text message whose payload is the UTF-8 encoding of {@code text}. */
    public static Observation text(String text) {
        return new Observation(Kind.MESSAGE, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), false, null);
    }

    /** A text message with exactly these payload bytes. */
    public static Observation text(byte[] utf8) {
        return new Observation(Kind.MESSAGE, utf8.clone(), false, null);
    }

    /** A binary message with these payload bytes. */
    public static Observation binary(byte[] data) {
        return new Observation(Kind.MESSAGE, data.clone(), true, null);
    }

    /** A message of either type. */
    public static Observation message(byte[] payload, boolean binary) {
        return new Observation(Kind.MESSAGE, payload.clone(), binary, null);
    }

    /** A ping with this application data. */
    public static Observation ping(byte[] payload) {
        return new Observation(Kind.PING, payload.clone(), false, null);
    }

    /** A pong with this application data. */
    public static Observation pong(byte[] payload) {
        return new Observation(Kind.PONG, payload.clone(), false, null);
    }

    /** A pong whose application data is the UTF-8 encoding of {@code text}. */
    public static Observation pong(String text) {
        return pong(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A timer named {@code tag} fired while the connection was open. */
    public static Observation timeout(String tag) {
        return new Observation(Kind.TIMEOUT, new byte[0], false, Objects.requireNonNull(tag));
    }

    public Kind kind() {
        return kind;
    }

    /** A copy of the payload (empty for {@link Kind#TIMEOUT}). */
    public byte[] payload() {
        return payload.clone();
    }

    /** Payload length in bytes, without copying. */
    public int length() {
        return payload.length;
    }

    /** For {@link Kind#MESSAGE}: true for a binary message, false for text. */
    public boolean binary() {
        return binary;
    }

    /** For {@link Kind#TIMEOUT}: the timer's tag; otherwise null. */
    public String tag() {
        return tag;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Observation other
                && kind == other.kind
                && binary == other.binary
                && Objects.equals(tag, other.tag)
                && Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, binary, tag, Arrays.hashCode(payload));
    }

    /** A short form for logs: kind, type, length and the first bytes in hex. */
    @Override
    public String toString() {
        return switch (kind) {
            case TIMEOUT -> "timeout " + tag;
            case MESSAGE -> (binary ? "binary " : "text ") + describe();
            case PING -> "ping " + describe();
            case PONG -> "pong " + describe();
        };
    }

    private String describe() {
        int shown = Math.min(payload.length, 32);
        return payload.length + " bytes [" + HexFormat.of().formatHex(payload, 0, shown) + (shown < payload.length ? "..." : "") + "]";
    }
}
