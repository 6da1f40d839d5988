package io.tern.transport.testkit;

/**
 * Compares a README code block with the code in a test that compiles and runs it: the text
 * between two markers, with common indentation removed.
 */
public final class ReadmeBlocks {

    private ReadmeBlocks() {
    }

    /**
     * The text between {@code start} and the next {@code end}.
     *
     * @throws AssertionError if {@code start} is missing
     */
    public static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        if (from < 0) {
            throw new AssertionError("marker not found: " + start.trim());
        }
        from += start.length();
        return text.substring(from, text.indexOf(end, from));
    }

    /** The block without its common indentation, blank lines emptied, stripped at both ends. */
    public static String dedent(String block) {
        String[] lines = block.split("\n", -1);
        int indent = Integer.MAX_VALUE;
        for (String l : lines) {
            if (!l.isBlank()) {
                indent = Math.min(indent, l.length() - l.stripLeading().length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String l : lines) {
            out.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return out.toString().strip();
    }
}
