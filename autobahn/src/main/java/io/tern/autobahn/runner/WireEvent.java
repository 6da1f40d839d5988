package io.tern.autobahn.runner;

import java.util.List;

/**
 * One line of a case's wire log: a frame or bytes sent or received, a timer, a state change.
 *
 * @param atMillis milliseconds since the case opened
 * @param code     the official suite's wire log code: {@code TF} frame sent, {@code RF} frame received,
 *                 {@code TO} raw octets sent, {@code CT}/{@code CTE} continuation scheduled/executed,
 *                 {@code KL}/{@code KLE} kill scheduled/executed, {@code TI}/{@code TIE} close timer
 *                 scheduled/executed, {@code WLM} wire log switched; plus {@code NOTE} for runner notes
 * @param fields   the entry's fields after the code, in the official suite's JSON layout
 *                 (strings, numbers, booleans, nulls and nested lists)
 * @param summary  one readable line for the HTML report
 * @param data     up to {@link #MAX_DATA} leading bytes of the payload, for hex and text display;
 *                 empty if none
 * @param dataLength the full payload length
 */
public record WireEvent(long atMillis, String code, List<Object> fields, String summary, byte[] data, long dataLength) {

    /** How many payload bytes a wire log entry keeps. */
    public static final int MAX_DATA = 256;
}
