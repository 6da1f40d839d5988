package io.tern.autobahn.catalogue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.tern.autobahn.catalogue.Bytes.concat;
import static io.tern.autobahn.catalogue.Bytes.hex;
import static io.tern.autobahn.catalogue.Bytes.utf8;

/**
 * The payloads of cases 6.5.x–6.23.x: the sections of Markus Kuhn's UTF-8 decoder stress test, in the
 * official suite's order and numbering, each marked valid or invalid as a whole text message (an
 * incomplete trailing sequence is invalid).
 */
final class Utf8Table {

    /** One subgroup: its title and its payloads. */
    record Section(String title, List<Row> rows) {
    }

    /** One payload and whether it is valid UTF-8 as a complete message. */
    record Row(boolean valid, byte[] bytes) {
    }

    /** κόσμε, the multi-byte sample the suite uses throughout group 6. */
    static final byte[] KOSME = hex("cebae1bdb9cf83cebcceb5");

    private Utf8Table() {
    }

    static List<Section> sections() {
        List<Section> out = new ArrayList<>();
        out.add(section("Some valid UTF-8 sequences",
                ok(utf8("hello$world")),
                ok(concat(utf8("hello"), hex("c2a2"), utf8("world"))),
                ok(concat(utf8("hello"), hex("e282ac"), utf8("world"))),
                ok(concat(utf8("hello"), hex("f0a4ada2"), utf8("world"))),
                ok(KOSME)));
        List<Row> prefixes = new ArrayList<>();
        for (int n = 1; n <= KOSME.length; n++) {
            // κόσμε's code points end after bytes 2, 5, 7, 9 and 11
            prefixes.add(new Row(n == 2 || n == 5 || n == 7 || n == 9 || n == 11, Arrays.copyOf(KOSME, n)));
        }
        out.add(new Section("All prefixes of a valid UTF-8 string that contains multi-byte code points", prefixes));
        out.add(section("First possible sequence of a certain length",
                ok("00"), ok("c280"), ok("e0a080"), ok("f0908080")));
        out.add(section("First possible sequence length 5/6 (invalid codepoints)",
                bad("f888808080"), bad("fc8480808080")));
        out.add(section("Last possible sequence of a certain length",
                ok("7f"), ok("dfbf"), ok("efbfbf"), ok("f48fbfbf")));
        out.add(section("Last possible sequence length 4/5/6 (invalid codepoints)",
                bad("f7bfbfbf"), bad("fbbfbfbfbf"), bad("fdbfbfbfbfbf")));
        out.add(section("Other boundary conditions",
                ok("ed9fbf"), ok("ee8080"), ok("efbfbd"), ok("f48fbfbf"), bad("f4908080")));
        byte[] allContinuations = new byte[0xBF - 0x80];
        for (int i = 0; i < allContinuations.length; i++) {
            allContinuations[i] = (byte) (0x80 + i);
        }
        out.add(section("Unexpected continuation bytes",
                bad("80"), bad("bf"), bad("80bf"), bad("80bf80"), bad("80bf80bf"), bad("80bf80bf80"),
                bad("80bf80bf80bf"), new Row(false, allContinuations)));
        int[][] lonely = {{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xf7}, {0xf8, 0xfb}, {0xfc, 0xfd}};
        List<Row> lonelyRows = new ArrayList<>();
        for (int[] range : lonely) {
            byte[] b = new byte[2 * (range[1] - range[0])];
            for (int c = range[0], at = 0; c < range[1]; c++) {
                b[at++] = (byte) c;
                b[at++] = 0x20;
            }
            lonelyRows.add(new Row(false, b));
        }
        out.add(new Section("Lonely start characters", lonelyRows));
        String[] missing = {"c0", "e080", "f08080", "f8808080", "fc80808080", "df", "efbf", "f7bfbf", "fbbfbfbf", "fdbfbfbfbf"};
        List<Row> missingRows = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (String m : missing) {
            missingRows.add(bad(m));
            all.append(m);
        }
        out.add(new Section("Sequences with last continuation byte missing", missingRows));
        out.add(section("Concatenation of incomplete sequences", bad(all.toString())));
        out.add(section("Impossible bytes", bad("fe"), bad("ff"), bad("fefeffff")));
        out.add(section("Examples of an overlong ASCII character",
                bad("c0af"), bad("e080af"), bad("f08080af"), bad("f8808080af"), bad("fc80808080af")));
        out.add(section("Maximum overlong sequences",
                bad("c1bf"), bad("e09fbf"), bad("f08fbfbf"), bad("f887bfbfbf"), bad("fc83bfbfbfbf")));
        out.add(section("Overlong representation of the NUL character",
                bad("c080"), bad("e08080"), bad("f0808080"), bad("f880808080"), bad("fc8080808080")));
        out.add(section("Single UTF-16 surrogates",
                bad("eda080"), bad("edadbf"), bad("edae80"), bad("edafbf"), bad("edb080"), bad("edbe80"), bad("edbfbf")));
        out.add(section("Paired UTF-16 surrogates",
                bad("eda080edb080"), bad("eda080edbfbf"), bad("edadbfedb080"), bad("edadbfedbfbf"),
                bad("edae80edb080"), bad("edae80edbfbf"), bad("edafbfedb080"), bad("edafbfedbfbf")));
        List<Row> nonChars = new ArrayList<>();
        nonChars.add(ok("efbfbe"));
        nonChars.add(ok("efbfbf"));
        for (int z1 = 0xf0; z1 <= 0xf4; z1++) {
            for (int z2 : new int[] {0x8f, 0x9f, 0xaf, 0xbf}) {
                if (z1 == 0xf4 && z2 != 0x8f) {
                    continue; // above U+10FFFF
                }
                for (int z3 : new int[] {0xbe, 0xbf}) {
                    if (z1 == 0xf0 && z2 == 0x8f) {
                        continue; // overlong
                    }
                    nonChars.add(new Row(true, new byte[] {(byte) z1, (byte) z2, (byte) 0xbf, (byte) z3}));
                }
            }
        }
        out.add(new Section("Non-character code points (valid UTF-8)", nonChars));
        out.add(section("Unicode specials (i.e. replacement char)",
                ok("efbfb9"), ok("efbfba"), ok("efbfbb"), ok("efbfbc"), ok("efbfbd"), ok("efbfbe"), ok("efbfbf")));
        return out;
    }

    private static Section section(String title, Row... rows) {
        return new Section(title, List.of(rows));
    }

    private static Row ok(String hex) {
        return new Row(true, hex(hex));
    }

    private static Row ok(byte[] b) {
        return new Row(true, b);
    }

    private static Row bad(String hex) {
        return new Row(false, hex(hex));
    }
}
