package io.tern.autobahn.report;

import io.tern.autobahn.runner.CaseResult;
import io.tern.autobahn.runner.Observation;
import io.tern.autobahn.runner.Verdict;
import io.tern.autobahn.runner.WireEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A readable HTML report: {@code index.html} with one row per case and one column per agent, and a
 * page per agent and case showing what was sent and what came back (hex and text, cut after
 * {@link WireEvent#MAX_DATA} bytes), the expected and observed close codes, and why each verdict.
 * Stateless.
 */
public final class HtmlReport {

    private static final String STYLE = """
            body{font-family:sans-serif;font-size:14px;margin:1.5em;color:#222}
            table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
            th{background:#eee;text-align:left}.OK{background:#9f9}.NON-STRICT{background:#ff9}
            .INFORMATIONAL{background:#9cf}.UNIMPLEMENTED{background:#ccc}.FAILED,.UNCLEAN,.WRONG.CODE{background:#f88}
            .FAILED.BY.CLIENT{background:#fc9}pre{margin:0;white-space:pre-wrap;word-break:break-all;font-size:12px}
            h2{margin-top:1.5em}.small{color:#666;font-size:12px}""";

    private HtmlReport() {
    }

    /**
     * @param results agent → case id → result
     * @param groupTitles group number (as text) → title, for the section headings
     * @return the text of {@code index.html}
     */
    public static String index(Map<String, Map<String, CaseResult>> results, Map<String, String> groupTitles) {
        TreeMap<String, CaseResult> anyById = new TreeMap<>(HtmlReport::compareIds);
        results.values().forEach(m -> m.forEach(anyById::putIfAbsent));
        List<String> agents = new ArrayList<>(results.keySet());
        StringBuilder sb = new StringBuilder();
        head(sb, "Autobahn report (Tern runner)");
        sb.append("<h1>Autobahn WebSocket conformance report</h1>\n");
        sb.append("<p class=small>Written by Tern's own runner of the Autobahn case catalogue. Click a verdict for "
                + "the case's detail. Close codes under a verdict are the peer's.</p>\n");
        sb.append("<h2>Summary</h2>\n<table><tr><th>Agent</th><th>Cases</th><th>Verdicts</th></tr>\n");
        for (String agent : agents) {
            Map<String, Integer> counts = new TreeMap<>();
            results.get(agent).values().forEach(r -> counts.merge(r.behavior().label(), 1, Integer::sum));
            sb.append("<tr><td>").append(esc(agent)).append("</td><td>").append(results.get(agent).size())
                    .append("</td><td>").append(esc(counts.toString())).append("</td></tr>\n");
        }
        sb.append("</table>\n");
        String group = null;
        for (Map.Entry<String, CaseResult> e : anyById.entrySet()) {
            String id = e.getKey();
            String g = id.substring(0, id.indexOf('.') < 0 ? id.length() : id.indexOf('.'));
            if (!g.equals(group)) {
                if (group != null) {
                    sb.append("</table>\n");
                }
                group = g;
                sb.append("<h2>").append(esc(g)).append(' ').append(esc(groupTitles.getOrDefault(g, "")))
                        .append("</h2>\n<table><tr><th>Case</th>");
                for (String agent : agents) {
                    sb.append("<th>").append(esc(agent)).append("</th>");
                }
                sb.append("<th>Description</th></tr>\n");
            }
            sb.append("<tr><td>").append(esc(id)).append("</td>");
            for (String agent : agents) {
                CaseResult r = results.get(agent).get(id);
                if (r == null) {
                    sb.append("<td>-</td>");
                    continue;
                }
                sb.append("<td class=\"").append(r.behavior().label()).append("\"><a href=\"")
                        .append(JsonReport.caseFileName(agent, id, "html")).append("\">").append(r.behavior().label())
                        .append("</a><br><span class=small>").append(r.durationMillis()).append(" ms");
                sb.append(r.remoteCloseCode() == null ? "" : ", close " + r.remoteCloseCode());
                if (r.behaviorClose() != Verdict.OK) {
                    sb.append(", close: ").append(esc(r.behaviorClose().label()));
                }
                sb.append("</span></td>");
            }
            sb.append("<td class=small>").append(esc(e.getValue().description())).append("</td></tr>\n");
        }
        if (group != null) {
            sb.append("</table>\n");
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    /**
     * @param r one case's result
     * @return the text of its detail page
     */
    public static String caseReport(CaseResult r) {
        StringBuilder sb = new StringBuilder();
        head(sb, "Case " + r.id() + " – " + r.agent());
        sb.append("<p><a href=\"index.html\">back to the index</a></p>\n");
        sb.append("<h1>Case ").append(esc(r.id())).append(" <span class=\"").append(r.behavior().label()).append("\">")
                .append(r.behavior().label()).append("</span></h1>\n");
        sb.append("<p>Agent <b>").append(esc(r.agent())).append("</b>, ")
                .append(r.isServer() ? "the runner was the server (fuzzingserver)" : "the runner was the client (fuzzingclient)")
                .append(", started ").append(esc(r.started())).append(", ").append(r.durationMillis()).append(" ms.</p>\n");
        sb.append("<table>\n");
        row(sb, "Description", esc(r.description()));
        row(sb, "Expectation", esc(r.expectation()));
        row(sb, "Behavior", "<span class=\"" + r.behavior().label() + "\">" + r.behavior().label() + "</span> – " + esc(r.result()));
        row(sb, "Close behavior", "<span class=\"" + r.behaviorClose().label() + "\">" + r.behaviorClose().label()
                + "</span> – " + esc(r.resultClose()));
        String expClose = r.expectedClose() == null ? "-"
                : (r.expectedClose().closedByMe() ? "the runner closes" : "the peer fails the connection")
                + "; acceptable peer codes " + r.expectedClose().closeCodes() + " or none"
                + (r.expectedClose().requireClean() ? "; a clean close is required" : "; need not be clean");
        row(sb, "Expected close", esc(expClose));
        row(sb, "Observed close", esc("peer code " + r.remoteCloseCode() + (r.remoteCloseReason() == null ? ""
                : " reason \"" + r.remoteCloseReason() + "\"") + "; runner code " + r.localCloseCode()
                + "; closed first by " + (r.closedByMe() ? "the runner" : "the peer") + "; failed by runner: "
                + r.failedByMe() + "; TCP dropped by runner: " + r.droppedByMe() + "; clean: " + r.wasClean()
                + (r.wasNotCleanReason() == null ? "" : " (" + r.wasNotCleanReason() + ")")));
        sb.append("</table>\n");
        sb.append("<h2>Expected observations</h2>\n");
        if (r.expected().isEmpty()) {
            sb.append("<p>None declared: the case judges by itself.</p>\n");
        }
        for (Map.Entry<Verdict, List<Observation>> e : r.expected().entrySet()) {
            sb.append("<h3>").append(e.getKey().label()).append("</h3>\n");
            observations(sb, e.getValue());
        }
        sb.append("<h2>Observed</h2>\n");
        observations(sb, r.received());
        sb.append("<h2>Wire log</h2>\n<table><tr><th>ms</th><th>What</th><th>Data (hex)</th><th>Data (text)</th></tr>\n");
        for (WireEvent e : r.wirelog()) {
            sb.append("<tr><td>").append(e.atMillis()).append("</td><td>").append(esc(e.code())).append(": ")
                    .append(esc(e.summary())).append("</td><td><pre>").append(hex(e.data(), e.dataLength()))
                    .append("</pre></td><td><pre>").append(esc(text(e.data(), e.dataLength()))).append("</pre></td></tr>\n");
        }
        sb.append("</table>\n<h2>Opening handshake</h2>\n<pre>").append(esc(r.httpRequest())).append("</pre><hr><pre>")
                .append(esc(r.httpResponse())).append("</pre>\n</body></html>\n");
        return sb.toString();
    }

    private static void observations(StringBuilder sb, List<Observation> obs) {
        if (obs.isEmpty()) {
            sb.append("<p>(nothing)</p>\n");
            return;
        }
        sb.append("<table><tr><th>#</th><th>Kind</th><th>Length</th><th>Hex</th><th>Text</th></tr>\n");
        int i = 1;
        for (Observation o : obs) {
            byte[] p = o.payload();
            byte[] shown = p.length > WireEvent.MAX_DATA ? java.util.Arrays.copyOf(p, WireEvent.MAX_DATA) : p;
            String kind = switch (o.kind()) {
                case MESSAGE -> o.binary() ? "binary message" : "text message";
                case PING -> "ping";
                case PONG -> "pong";
                case TIMEOUT -> "timeout " + o.tag();
            };
            sb.append("<tr><td>").append(i++).append("</td><td>").append(esc(kind)).append("</td><td>").append(p.length)
                    .append("</td><td><pre>").append(hex(shown, p.length)).append("</pre></td><td><pre>")
                    .append(esc(text(shown, p.length))).append("</pre></td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static String hex(byte[] data, long fullLength) {
        StringBuilder sb = new StringBuilder();
        String h = HexFormat.of().formatHex(data);
        for (int i = 0; i < h.length(); i += 2) {
            sb.append(h, i, i + 2).append((i / 2) % 16 == 15 ? '\n' : ' ');
        }
        if (fullLength > data.length) {
            sb.append("... (").append(fullLength).append(" bytes in all)");
        }
        return sb.toString();
    }

    private static String text(byte[] data, long fullLength) {
        String s = new String(data, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 && cp != '\n' || cp == 0x7F) {
                sb.append('.');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        if (fullLength > data.length) {
            sb.append(" ...");
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, String html) {
        sb.append("<tr><th>").append(esc(name)).append("</th><td>").append(html).append("</td></tr>\n");
    }

    private static void head(StringBuilder sb, String title) {
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><style>").append(STYLE).append("</style></head><body>\n");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Orders case ids numerically part by part (1.2.10 after 1.2.9, 10.1.1 after 9.x). */
    public static int compareIds(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c;
            try {
                c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            } catch (NumberFormatException e) {
                c = x[i].compareTo(y[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
