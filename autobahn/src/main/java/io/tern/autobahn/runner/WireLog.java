package io.tern.autobahn.runner;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A case's wire log (frames, raw writes, timers, notes; frames only while enabled) and its frame and
 * octet statistics, in the official report's shapes.
 *
 * <p>Threading: everything runs on the case thread except {@link #octetsRead}, which the connection's
 * reader thread calls; the received-octet statistics are therefore guarded by their own lock.
 */
final class WireLog {

    private final long openNanos = System.nanoTime();
    private final List<WireEvent> events = new ArrayList<>();
    private final Map<Integer, Integer> rxFrames = new TreeMap<>();
    private final Map<Integer, Integer> txFrames = new TreeMap<>();
    private final Map<Integer, Integer> rxOctets = new TreeMap<>();
    private final Map<Integer, Integer> txOctets = new TreeMap<>();
    private boolean frames = true;

    /** Milliseconds since the log was made (the case's open). */
    long sinceOpen() {
        return Math.round((System.nanoTime() - openNanos) / 1e6);
    }

    /** Turns frame logging on or off; the switch itself is logged. */
    void setFramesLogged(boolean enabled) {
        if (enabled != frames) {
            frames = enabled;
            event("WLM", List.of(enabled), "wire log " + (enabled ? "on" : "off"));
        }
    }

    void event(String code, List<Object> fields, String summary) {
        event(code, fields, summary, new byte[0]);
    }

    void event(String code, List<Object> fields, String summary, byte[] payload) {
        byte[] data = payload.length > WireEvent.MAX_DATA ? Arrays.copyOf(payload, WireEvent.MAX_DATA) : payload.clone();
        events.add(new WireEvent(sinceOpen(), code, fields, summary, data, payload.length));
    }

    void note(String text) {
        event("NOTE", List.of(text), text);
    }

    void frameReceived(InFrame f) {
        rxFrames.merge(f.opcode(), 1, Integer::sum);
        if (frames) {
            byte[] p = f.payload();
            event("RF", List.of(List.of(p.length, ascii(p)), f.opcode(), f.fin(), f.rsv(), f.masked(),
                            f.maskKey() == null ? JsonNull.NULL : HexFormat.of().formatHex(f.maskKey())),
                    "received " + frameSummary(f.opcode(), f.fin(), f.rsv(), f.masked(), p.length), p);
        }
    }

    void frameSent(OutFrame f, byte[] payload, byte[] key, int chop) {
        txFrames.merge(f.opcode(), 1, Integer::sum);
        if (frames) {
            event("TF", List.of(List.of(payload.length, ascii(payload)), f.opcode(), f.fin(), f.rsv(),
                            key == null ? JsonNull.NULL : HexFormat.of().formatHex(key),
                            f.length() != f.payload().length ? (Object) f.length() : JsonNull.NULL,
                            chop > 0 ? (Object) chop : JsonNull.NULL, f.sync()),
                    "sent " + frameSummary(f.opcode(), f.fin(), f.rsv(), key != null, payload.length)
                            + (chop > 0 ? ", in writes of " + chop + " bytes" : ""), payload);
        }
    }

    void rawSent(byte[] bytes, int chop) {
        if (frames) {
            String hex = bytes.length > 60 ? HexFormat.of().formatHex(bytes, 0, Math.min(64, bytes.length)) + " ..."
                    : HexFormat.of().formatHex(bytes);
            event("TO", List.of(List.of(bytes.length, hex), false), "sent " + bytes.length + " raw bytes"
                    + (chop > 0 ? " in writes of " + chop : ""), bytes);
        }
    }

    int framesSent(int opcode) {
        return txFrames.getOrDefault(opcode, 0);
    }

    void octetsWritten(int n) {
        txOctets.merge(n, 1, Integer::sum);
    }

    /** Reader thread. */
    void octetsRead(int n) {
        synchronized (rxOctets) {
            rxOctets.merge(n, 1, Integer::sum);
        }
    }

    List<WireEvent> events() {
        return List.copyOf(events);
    }

    Map<Integer, Integer> rxFrames() {
        return Collections.unmodifiableMap(new TreeMap<>(rxFrames));
    }

    Map<Integer, Integer> txFrames() {
        return Collections.unmodifiableMap(new TreeMap<>(txFrames));
    }

    Map<Integer, Integer> txOctets() {
        return Collections.unmodifiableMap(new TreeMap<>(txOctets));
    }

    /** A copy under the reader's lock: it may still count a last read after the case ended. */
    Map<Integer, Integer> rxOctets() {
        synchronized (rxOctets) {
            return Collections.unmodifiableMap(new TreeMap<>(rxOctets));
        }
    }

    static String frameSummary(int opcode, boolean fin, int rsv, boolean masked, int length) {
        String name = switch (opcode) {
            case 0 -> "continuation";
            case 1 -> "text";
            case 2 -> "binary";
            case 8 -> "close";
            case 9 -> "ping";
            case 10 -> "pong";
            default -> "reserved opcode " + opcode;
        };
        return name + " frame, " + length + " bytes, FIN=" + (fin ? 1 : 0) + (rsv != 0 ? ", RSV=" + rsv : "")
                + (masked ? ", masked" : "");
    }

    /** The official suite's short payload form: up to 64 bytes as UTF-8, else {@code 0x} and hex. */
    static String ascii(byte[] data) {
        int max = 64;
        String ellipsis = " ...";
        boolean cut = data.length > max - ellipsis.length();
        byte[] part = cut ? Arrays.copyOf(data, Math.min(max, data.length)) : data;
        if (Utf8Validator.isValid(part)) {
            return new String(part, StandardCharsets.UTF_8) + (cut ? ellipsis : "");
        }
        return "0x" + HexFormat.of().formatHex(part) + (cut ? ellipsis : "");
    }
}
