package io.tern.autobahn.report;

import io.tern.autobahn.runner.CaseResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes the JSON and HTML reports into a directory, creating it if needed. Stateless. */
public final class ReportWriter {

    private ReportWriter() {
    }

    /**
     * Writes {@code index.json}, {@code index.html} and, per agent and case, {@code <agent>_case_<id>.json}
     * and {@code .html}.
     *
     * @param dir         output directory
     * @param results     agent → case id → result
     * @param groupTitles group number → title
     * @throws IOException if a file cannot be written
     */
    public static void write(Path dir, Map<String, Map<String, CaseResult>> results, Map<String, String> groupTitles)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("index.json"), JsonReport.index(results), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("index.html"), HtmlReport.index(results, groupTitles), StandardCharsets.UTF_8);
        for (Map.Entry<String, Map<String, CaseResult>> agent : results.entrySet()) {
            for (Map.Entry<String, CaseResult> c : agent.getValue().entrySet()) {
                Files.writeString(dir.resolve(JsonReport.caseFileName(agent.getKey(), c.getKey(), "json")),
                        JsonReport.caseReport(c.getValue()), StandardCharsets.UTF_8);
                Files.writeString(dir.resolve(JsonReport.caseFileName(agent.getKey(), c.getKey(), "html")),
                        HtmlReport.caseReport(c.getValue()), StandardCharsets.UTF_8);
            }
        }
    }
}
