package io.tern.autobahn.official;

import io.tern.autobahn.report.JsonReader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verdict check on hand-written index.json files in the official format (wstest's indent of 3). */
class OfficialVerdictsTest {

    @TempDir
    Path dir;

    private static String entry(String caseId, String behavior, String close, String code) {
        String file = "tern_case_" + caseId.replace('.', '_') + ".json";
        return "      \"" + caseId + "\": {\n"
                + "         \"behavior\": \"" + behavior + "\",\n"
                + "         \"behaviorClose\": \"" + close + "\",\n"
                + "         \"duration\": 3,\n"
                + "         \"remoteCloseCode\": " + code + ",\n"
                + "         \"reportfile\": \"" + file + "\"\n"
                + "      }";
    }

    private static String index(String agent, String... entries) {
        return "{\n   \"" + agent + "\": {\n" + String.join(",\n", entries) + "\n   }\n}";
    }

    private record Run(int status, String out, String err) {
    }

    private Run run(String json, String... args) throws IOException {
        Path file = dir.resolve("index.json");
        Files.writeString(file, json);
        String[] all = new String[args.length + 1];
        all[0] = file.toString();
        System.arraycopy(args, 0, all, 1, args.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = OfficialVerdicts.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8).replace(file.toString(), "INDEX"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void passesOkAndInformationalWhereTheCaseIsInformational() throws IOException {
        Run r = run(index("Tern",
                entry("1.1.1", "OK", "OK", "1000"),
                entry("7.1.6", "INFORMATIONAL", "INFORMATIONAL", "1000"),
                entry("7.13.1", "INFORMATIONAL", "INFORMATIONAL", "1002"),
                entry("7.13.2", "INFORMATIONAL", "INFORMATIONAL", "1002"),
                entry("10.1.1", "OK", "OK", "1000")));
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        assertEquals("official verdicts of \"Tern\" in INDEX: 5 case(s), 3 INFORMATIONAL, 2 OK; all pass\n", r.out());
    }

    @Test
    void failsEveryOtherVerdictAndNamesTheCase() throws IOException {
        Run r = run(index("Tern",
                entry("2.1", "OK", "OK", "1000"),
                entry("6.4.1", "NON-STRICT", "OK", "1007"),
                entry("7.5.1", "FAILED", "OK", "null"),
                entry("7.9.1", "OK", "WRONG CODE", "1000"),
                entry("7.1.1", "OK", "UNCLEAN", "1000"),
                entry("12.1.1", "UNIMPLEMENTED", "UNIMPLEMENTED", "1000"),
                entry("5.1", "INFORMATIONAL", "OK", "1002"),
                entry("3.1", "OK", "FAILED BY CLIENT", "1002")));
        assertEquals(1, r.status());
        assertEquals(String.join("\n",
                "  3.1: behavior OK, behaviorClose FAILED BY CLIENT, testee's close code 1002 (wanted OK); details in tern_case_3_1.json",
                "  5.1: behavior INFORMATIONAL, behaviorClose OK, testee's close code 1002 (wanted OK); details in tern_case_5_1.json",
                "  6.4.1: behavior NON-STRICT, behaviorClose OK, testee's close code 1007 (wanted OK); details in tern_case_6_4_1.json",
                "  7.1.1: behavior OK, behaviorClose UNCLEAN, testee's close code 1000 (wanted OK); details in tern_case_7_1_1.json",
                "  7.5.1: behavior FAILED, behaviorClose OK, testee's close code none (wanted OK); details in tern_case_7_5_1.json",
                "  7.9.1: behavior OK, behaviorClose WRONG CODE, testee's close code 1000 (wanted OK); details in tern_case_7_9_1.json",
                "  12.1.1: behavior UNIMPLEMENTED, behaviorClose UNIMPLEMENTED, testee's close code 1000 (wanted OK); details in tern_case_12_1_1.json",
                ""), r.err());
        assertEquals(String.join("\n",
                "  group 2: 1 case(s), 1 OK",
                "  group 3: 1 case(s), 1 OK",
                "  group 5: 1 case(s), 1 INFORMATIONAL",
                "  group 6: 1 case(s), 1 NON-STRICT",
                "  group 7: 3 case(s), 2 OK, 1 FAILED",
                "  group 12: 1 case(s), 1 UNIMPLEMENTED",
                "official verdicts of \"Tern\" in INDEX: 8 case(s), 4 OK, 1 FAILED, 1 INFORMATIONAL, 1 NON-STRICT,"
                        + " 1 UNIMPLEMENTED; 7 problem(s)",
                ""), r.out());
    }

    @Test
    void selectsCasesByPatternAndCountsMissingOnes() throws IOException {
        String json = index("Tern",
                entry("1.1.1", "OK", "OK", "1000"),
                entry("1.1.2", "OK", "OK", "1000"),
                entry("10.1.1", "OK", "OK", "1000"),
                entry("12.1.1", "FAILED", "OK", "1000"));
        assertEquals(0, run(json, "--exclude", "12.*").status());
        assertEquals(0, run(json, "--cases", "1.*", "--expect", "2").status());
        Run missing = run(json, "--cases", "1.*", "--expect", "3");
        assertEquals(1, missing.status());
        assertEquals("  2 case(s) in the report, 3 expected: cases are missing\n", missing.err());
        Run none = run(json, "--cases", "4.*");
        assertEquals(1, none.status());
        assertEquals("  no case of agent \"Tern\" matches [4.*] minus []\n", none.err());
        assertEquals(1, run(json).status());
    }

    @Test
    void choosesTheAgentOrAsksForOne() throws IOException {
        String two = "{\"A\": {" + "\"1.1.1\": {\"behavior\": \"OK\", \"behaviorClose\": \"OK\", \"duration\": 1,"
                + " \"remoteCloseCode\": 1000, \"reportfile\": \"a.json\"}},"
                + " \"B\": {\"1.1.1\": {\"behavior\": \"FAILED\", \"behaviorClose\": \"OK\", \"duration\": 1,"
                + " \"remoteCloseCode\": null, \"reportfile\": \"b.json\"}}}";
        Run ambiguous = run(two);
        assertEquals(2, ambiguous.status());
        assertEquals(0, run(two, "--agent", "A").status());
        assertEquals(1, run(two, "--agent", "B").status());
        Run unknown = run(two, "--agent", "C");
        assertEquals(3, unknown.status());
        assertEquals(true, unknown.err().contains("no agent \"C\" in the report; it has [A, B]"), unknown.err());
    }

    @Test
    void rejectsWhatIsNotAnOfficialIndex() throws IOException {
        assertEquals(3, run("{\"Tern\": {\"1.1.1\": {\"behavior\": \"OK\"}}}").status());
        assertEquals(3, run("[1, 2]").status());
        assertEquals(3, run("{\"Tern\": {\"1.1.1\": {\"behavior\": \"OK\", \"behaviorClose\": \"OK\",}}}").status());
        assertEquals(3, run("{\"Tern\": {\"one\": {\"behavior\": \"OK\", \"behaviorClose\": \"OK\"}}}").status());
        assertEquals(2, run("{}", "--bogus").status());
    }

    @Test
    void comparesTwoReportsCaseByCase() throws IOException {
        Path other = dir.resolve("other.json");
        Files.writeString(other, index("runner",
                entry("1.1.1", "OK", "OK", "1000"),
                entry("6.4.1", "NON-STRICT", "OK", "1007"),
                entry("7.13.1", "INFORMATIONAL", "INFORMATIONAL", "1002"),
                entry("9.1.1", "OK", "OK", "1000")));
        String same = index("plugin",
                entry("1.1.1", "OK", "OK", "1000"),
                entry("6.4.1", "NON-STRICT", "OK", "1007"),
                entry("7.13.1", "INFORMATIONAL", "INFORMATIONAL", "1002"),
                entry("9.1.1", "OK", "OK", "1000"));
        Run agree = run(same, "--compare", other.toString(), "--exclude", "6.*");
        assertEquals(0, agree.status(), agree.err());
        assertEquals("official verdicts of \"plugin\" in INDEX: 3 case(s), 2 OK, 1 INFORMATIONAL; the same as "
                + other + " case by case; all pass\n", agree.out());

        Run differ = run(index("plugin",
                entry("1.1.1", "OK", "UNCLEAN", "1000"),
                entry("2.1", "OK", "OK", "1000"),
                entry("7.13.1", "INFORMATIONAL", "INFORMATIONAL", "1002")),
                "--compare", other.toString(), "--compare-agent", "runner", "--exclude", "6.*");
        assertEquals(1, differ.status());
        assertEquals(String.join("\n",
                "  1.1.1: behavior OK, behaviorClose UNCLEAN, testee's close code 1000 (wanted OK); details in tern_case_1_1_1.json",
                "  1.1.1: OK/UNCLEAN here, OK/OK in " + other,
                "  2.1: missing from " + other,
                "  9.1.1: only in " + other,
                ""), differ.err());
    }

    @Test
    void ordersCaseIdsNumerically() {
        OfficialReport report = OfficialReport.parse("{\"T\": {"
                + "\"10.1.1\": {\"behavior\": \"OK\", \"behaviorClose\": \"OK\"},"
                + "\"9.1.1\": {\"behavior\": \"OK\", \"behaviorClose\": \"OK\"},"
                + "\"1.1.10\": {\"behavior\": \"OK\", \"behaviorClose\": \"OK\"},"
                + "\"1.1.2\": {\"behavior\": \"OK\", \"behaviorClose\": \"OK\"}}}");
        assertEquals(List.of("1.1.2", "1.1.10", "9.1.1", "10.1.1"),
                report.cases("T").stream().map(CaseResult::caseId).toList());
    }

    @Test
    void readsJsonStrictly() {
        assertEquals(List.of(1L, -2.5, "a\"\u00e9\n", true, false), JsonReader.parse(" [1, -2.5, \"a\\\"\\u00e9\\n\", true, false] "));
        assertEquals(null, JsonReader.parse("null"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("[1,]"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{\"a\" 1}"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("\"open"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("1 2"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("01x"));
    }
}
