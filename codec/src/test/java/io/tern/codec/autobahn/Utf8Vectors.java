package io.tern.codec.autobahn;

import io.tern.codec.Bytes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The UTF-8 payloads of Autobahn cases 6.5.x to 6.23.x, in Autobahn's order and numbering: the
 * groups of Markus Kuhn's UTF-8 decoder test file as the testsuite lists them, each payload sent
 * as one text message, valid ones to be echoed and invalid ones to fail the connection with 1007.
 */
final class Utf8Vectors {

    /** One case: its number (e.g. "6.12.3"), its group title, whether it is valid, its bytes. */
    static final class Vector {
        final String id;
        final String group;
        final boolean valid;
        private final byte[] bytes;

        Vector(String id, String group, boolean valid, byte[] bytes) {
            this.id = id;
            this.group = group;
            this.valid = valid;
            this.bytes = bytes;
        }

        byte[] bytes() {
            return bytes.clone();
        }

        /** The JUnit name of the case, e.g. {@code case_6_12_3}. */
        String caseName() {
            return "case_" + id.replace('.', '_');
        }

        @Override
        public String toString() {
            return caseName() + " " + (valid ? "valid" : "invalid") + " " + Bytes.hex(bytes);
        }
    }

    /** κόσμε, Autobahn's multi-byte sample. */
    static final byte[] KOSME = Bytes.hex("cebae1bdb9cf83cebcceb5");

    private static final List<Vector> ALL;

    static {
        Table t = new Table();

        t.group("Some valid UTF-8 sequences");
        t.add(true, Bytes.utf8("hello$world"));                                                   // U+0024
        t.add(true, Bytes.concat(Bytes.utf8("hello"), Bytes.hex("c2a2"), Bytes.utf8("world")));      // U+00A2
        t.add(true, Bytes.concat(Bytes.utf8("hello"), Bytes.hex("e282ac"), Bytes.utf8("world")));    // U+20AC
        t.add(true, Bytes.concat(Bytes.utf8("hello"), Bytes.hex("f0a4ada2"), Bytes.utf8("world")));  // U+24B62
        t.add(true, KOSME);

        t.group("All prefixes of a valid UTF-8 string that contains multi-byte code points");
        // κόσμε's code points end after bytes 2, 5, 7, 9 and 11.
        for (int n = 1; n <= KOSME.length; n++) {
            boolean boundary = n == 2 || n == 5 || n == 7 || n == 9 || n == 11;
            t.add(boundary, java.util.Arrays.copyOf(KOSME, n));
        }

        t.group("First possible sequence of a certain length");
        t.add(true, "00");
        t.add(true, "c280");
        t.add(true, "e0a080");
        t.add(true, "f0908080");

        t.group("First possible sequence length 5/6 (invalid codepoints)");
        t.add(false, "f888808080");
        t.add(false, "fc8480808080");

        t.group("Last possible sequence of a certain length");
        t.add(true, "7f");
        t.add(true, "dfbf");
        t.add(true, "efbfbf");
        t.add(true, "f48fbfbf");

        t.group("Last possible sequence length 4/5/6 (invalid codepoints)");
        t.add(false, "f7bfbfbf");
        t.add(false, "fbbfbfbfbf");
        t.add(false, "fdbfbfbfbfbf");

        t.group("Other boundary conditions");
        t.add(true, "ed9fbf");
        t.add(true, "ee8080");
        t.add(true, "efbfbd");
        t.add(true, "f48fbfbf");
        t.add(false, "f4908080");

        t.group("Unexpected continuation bytes");
        t.add(false, "80");
        t.add(false, "bf");
        t.add(false, "80bf");
        t.add(false, "80bf80");
        t.add(false, "80bf80bf");
        t.add(false, "80bf80bf80");
        t.add(false, "80bf80bf80bf");
        t.add(false, range(0x80, 0xbf, false)); // 0x80 .. 0xbe: Autobahn's range excludes 0xbf

        t.group("Lonely start characters");
        t.add(false, range(0xc0, 0xdf, true)); // each start byte followed by a space; upper bound excluded
        t.add(false, range(0xe0, 0xef, true));
        t.add(false, range(0xf0, 0xf7, true));
        t.add(false, range(0xf8, 0xfb, true));
        t.add(false, range(0xfc, 0xfd, true));

        t.group("Sequences with last continuation byte missing");
        String[] missing = {"c0", "e080", "f08080", "f8808080", "fc80808080",
                            "df", "efbf", "f7bfbf", "fbbfbfbf", "fdbfbfbfbf"};
        for (String m : missing) {
            t.add(false, m);
        }

        t.group("Concatenation of incomplete sequences");
        t.add(false, String.join("", missing));

        t.group("Impossible bytes");
        t.add(false, "fe");
        t.add(false, "ff");
        t.add(false, "fefeffff");

        t.group("Examples of an overlong ASCII character");
        t.add(false, "c0af");
        t.add(false, "e080af");
        t.add(false, "f08080af");
        t.add(false, "f8808080af");
        t.add(false, "fc80808080af");

        t.group("Maximum overlong sequences");
        t.add(false, "c1bf");
        t.add(false, "e09fbf");
        t.add(false, "f08fbfbf");
        t.add(false, "f887bfbfbf");
        t.add(false, "fc83bfbfbfbf");

        t.group("Overlong representation of the NUL character");
        t.add(false, "c080");
        t.add(false, "e08080");
        t.add(false, "f0808080");
        t.add(false, "f880808080");
        t.add(false, "fc8080808080");

        t.group("Single UTF-16 surrogates");
        for (String s : new String[] {"eda080", "edadbf", "edae80", "edafbf", "edb080", "edbe80", "edbfbf"}) {
            t.add(false, s);
        }

        t.group("Paired UTF-16 surrogates");
        for (String s : new String[] {"eda080edb080", "eda080edbfbf", "edadbfedb080", "edadbfedbfbf",
                                      "edae80edb080", "edae80edbfbf", "edafbfedb080", "edafbfedbfbf"}) {
            t.add(false, s);
        }

        t.group("Non-character code points (valid UTF-8)");
        t.add(true, "efbfbe");
        t.add(true, "efbfbf");
        for (String z1 : new String[] {"f0", "f1", "f2", "f3", "f4"}) {
            for (String z2 : new String[] {"8f", "9f", "af", "bf"}) {
                if (z1.equals("f4") && !z2.equals("8f")) {
                    continue; // above U+10FFFF
                }
                for (String z3 : new String[] {"be", "bf"}) {
                    String zz = z1 + z2 + "bf" + z3;
                    if (zz.equals("f08fbfbe") || zz.equals("f08fbfbf")) {
                        continue; // overlong
                    }
                    t.add(true, zz);
                }
            }
        }

        t.group("Unicode specials (i.e. replacement char)");
        for (String s : new String[] {"efbfb9", "efbfba", "efbfbb", "efbfbc", "efbfbd", "efbfbe", "efbfbf"}) {
            t.add(true, s);
        }

        ALL = Collections.unmodifiableList(t.vectors);
    }

    private Utf8Vectors() {
    }

    /** All cases 6.5.1 .. 6.23.7, in order. */
    static List<Vector> all() {
        return ALL;
    }

    private static String range(int from, int toExclusive, boolean spaceAfterEach) {
        StringBuilder sb = new StringBuilder();
        for (int b = from; b < toExclusive; b++) {
            sb.append(String.format("%02x", b));
            if (spaceAfterEach) {
                sb.append("20");
            }
        }
        return sb.toString();
    }

    /** Numbers groups from 6.5 on and their payloads from 1, as Autobahn does. */
    private static final class Table {
        final List<Vector> vectors = new ArrayList<>();
        private int group = 4;
        private int index;
        private String title;

        void group(String title) {
            this.title = title;
            group++;
            index = 0;
        }

        void add(boolean valid, String hex) {
            add(valid, Bytes.hex(hex));
        }

        void add(boolean valid, byte[] bytes) {
            index++;
            vectors.add(new Vector("6." + group + "." + index, title, valid, bytes));
        }
    }
}
