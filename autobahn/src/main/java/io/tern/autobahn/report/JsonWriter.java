package io.tern.autobahn.report;

import io.tern.autobahn.runner.JsonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON laid out as the official suite's reports are ({@code json.dumps} with sorted keys, an
 * indent of 3, {@code ", "}-free separators and non-ASCII escaped as {@code \\uXXXX}), so that a diff
 * against an official report shows only real differences.
 *
 * <p>Values: null or {@link JsonNull}, {@link String}, {@link Boolean}, {@link Number}, {@link Map} (keys
 * sorted: integers numerically, everything else as strings), {@link List}. Stateless; thread-safe.
 */
public final class JsonWriter {

    private JsonWriter() {
    }

    /**
     * @param value the value to write
     * @return its JSON text
     * @throws IllegalArgumentException for a value of another type
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, int depth) {
        if (v == null || v == JsonNull.NULL) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d);
            }
            sb.append(d);
        } else if (v instanceof Number n) {
            sb.append(n.longValue());
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
            entries.sort((a, b) -> {
                if (a.getKey() instanceof Integer x && b.getKey() instanceof Integer y) {
                    return Integer.compare(x, y);
                }
                return String.valueOf(a.getKey()).compareTo(String.valueOf(b.getKey()));
            });
            sb.append("{\n");
            for (int i = 0; i < entries.size(); i++) {
                indent(sb, depth + 1);
                string(sb, String.valueOf(entries.get(i).getKey()));
                sb.append(": ");
                write(sb, entries.get(i).getValue(), depth + 1);
                sb.append(i + 1 < entries.size() ? ",\n" : "\n");
            }
            indent(sb, depth);
            sb.append('}');
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                indent(sb, depth + 1);
                write(sb, l.get(i), depth + 1);
                sb.append(i + 1 < l.size() ? ",\n" : "\n");
            }
            indent(sb, depth);
            sb.append(']');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
    }

    private static void indent(StringBuilder sb, int depth) {
        sb.append(" ".repeat(3 * depth));
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7E) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
