package io.tern.autobahn.testee;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed command line of {@code --name value} options, as both testee mains take them. Checks
 * that every option is known and has a value; each getter checks and converts one value.
 *
 * <p>Immutable once parsed; confined to the thread that parses it.
 */
final class CommandLine {

    private final Map<String, String> values;

    private CommandLine(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Whether {@code -h} or {@code --help} is among the arguments: help wins over the rest.
     *
     * @param args the command line
     * @return {@code true} if help was asked for
     */
    static boolean wantsHelp(String[] args) {
        return Arrays.stream(args).anyMatch(a -> a.equals("-h") || a.equals("--help"));
    }

    /**
     * Parses {@code --name value} pairs.
     *
     * @param args  the command line
     * @param known the option names allowed, with their leading dashes
     * @return the parsed options
     * @throws IllegalArgumentException for an unknown option, a missing value or a repeated option
     */
    static CommandLine parse(String[] args, Set<String> known) {
        Map<String, String> values = new HashMap<>();
        List<String> list = List.of(args);
        for (int i = 0; i < list.size(); i++) {
            String name = list.get(i);
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option: " + name);
            }
            if (i + 1 >= list.size()) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            if (values.put(name, list.get(++i)) != null) {
                throw new IllegalArgumentException(name + " given twice");
            }
        }
        return new CommandLine(values);
    }

    /**
     * A text option.
     *
     * @param name     the option
     * @param fallback the value when the option is absent
     * @return the value
     */
    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /**
     * Whether the option was given.
     *
     * @param name the option
     * @return {@code true} if present
     */
    boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * A whole-number option within bounds.
     *
     * @param name     the option
     * @param fallback the value when the option is absent
     * @param min      smallest value allowed
     * @param max      largest value allowed
     * @return the value
     * @throws IllegalArgumentException if the value is not a number or out of bounds
     */
    long number(String name, long fallback, long min, long max) {
        String text = values.get(name);
        return text == null ? fallback : number(text, name, min, max);
    }

    /**
     * Parses a whole number within bounds.
     *
     * @param text the digits
     * @param what what the number is, for the message
     * @param min  smallest value allowed
     * @param max  largest value allowed
     * @return the value
     * @throws IllegalArgumentException if the text is not a number or out of bounds
     */
    static long number(String text, String what, long min, long max) {
        long v;
        try {
            v = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number: " + text, e);
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " must be within " + min + ".." + max + ": " + text);
        }
        return v;
    }
}
