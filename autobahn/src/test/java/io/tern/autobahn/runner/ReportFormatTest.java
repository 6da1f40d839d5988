package io.tern.autobahn.runner;

import io.tern.autobahn.report.JsonReport;
import io.tern.autobahn.report.JsonWriter;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reports' JSON, byte for byte as the official suite lays it out. */
class ReportFormatTest {

    static CaseResult result(String agent, String id, Verdict b, Verdict bc, Integer code, long ms) {
        return new CaseResult(agent, id, 1, "desc", "exp", false, "2026-11-30T00:00:00.000Z", ms, false, b, "r", bc, "rc",
                Map.of(Verdict.OK, List.of(Observation.text("Hello"))), CloseExpectation.normal(),
                List.of(Observation.text("Hello"), Observation.pong(new byte[] {(byte) 0xff}), Observation.timeout("A")),
                false, true, false, false, true, null, false, false, false, 1000, null, code, "", "GET / HTTP/1.1\r\n\r\n",
                "HTTP/1.1 101 Switching Protocols\r\n\r\n", List.of(), Map.of(1, 2, 8, 1), Map.of(1, 1), Map.of(10, 1),
                Map.of(20, 1));
    }

    @Test
    void indexJsonHasTheOfficialShapeAndOrder() {
        Map<String, Map<String, CaseResult>> results = new LinkedHashMap<>();
        Map<String, CaseResult> cases = new LinkedHashMap<>();
        cases.put("2.1", result("Tern 0.1", "2.1", Verdict.OK, Verdict.OK, 1000, 3));
        cases.put("10.1.1", result("Tern 0.1", "10.1.1", Verdict.NON_STRICT, Verdict.WRONG_CODE, null, 12));
        results.put("Tern 0.1", cases);
        String expected = """
                {
                   "Tern 0.1": {
                      "10.1.1": {
                         "behavior": "NON-STRICT",
                         "behaviorClose": "WRONG CODE",
                         "duration": 12,
                         "remoteCloseCode": null,
                         "reportfile": "tern_0_1_case_10_1_1.json"
                      },
                      "2.1": {
                         "behavior": "OK",
                         "behaviorClose": "OK",
                         "duration": 3,
                         "remoteCloseCode": 1000,
                         "reportfile": "tern_0_1_case_2_1.json"
                      }
                   }
                }""";
        assertEquals(expected, JsonReport.index(results));
    }

    @Test
    void caseFileNamesFollowTheOfficialRule() {
        assertEquals("tern_case_6_4_1.json", JsonReport.caseFileName("Tern", "6.4.1", "json"));
        assertEquals("autobahnpython_0_6_0_case_1_1_1.html", JsonReport.caseFileName(" AutobahnPython/0.6.0 ", "1.1.1", "html"));
    }

    @Test
    void writerEscapesAndIndentsAsPythonJsonDumps() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", List.of(1, true, "x\"\\\u00e9\u007f\n"));
        m.put("a", Map.of());
        m.put("c", List.of());
        m.put("d", null);
        assertEquals("{\n   \"a\": {},\n   \"b\": [\n      1,\n      true,\n      \"x\\\"\\\\\\u00e9\\u007f\\n\"\n   ],\n"
                + "   \"c\": [],\n   \"d\": null\n}", JsonWriter.write(m));
    }

    @Test
    void caseReportCarriesTheFieldsToolsRead() {
        String json = JsonReport.caseReport(result("tern", "2.1", Verdict.OK, Verdict.OK, 1000, 3));
        for (String field : List.of("\"agent\": \"tern\"", "\"behavior\": \"OK\"", "\"behaviorClose\": \"OK\"",
                "\"case\": 1", "\"id\": \"2.1\"", "\"duration\": 3", "\"remoteCloseCode\": 1000",
                "\"expectedClose\": {\n      \"closeCode\": [\n         1000\n      ],\n      \"closedByMe\": true,\n"
                        + "      \"requireClean\": true\n   }",
                "\"received\": [\n      [\n         \"message\",\n         \"Hello\",\n         false\n      ],\n"
                        + "      [\n         \"pong\",\n         \"0xff\"\n      ],\n      [\n         \"timeout\",\n         \"A\"\n      ]\n   ]",
                "\"rxFrameStats\": {\n      \"1\": 2,\n      \"8\": 1\n   }", "\"wasClean\": true")) {
            assertTrue(json.contains(field), field + " missing in\n" + json);
        }
    }
}
