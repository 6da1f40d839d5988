package io.tern.autobahn.report;

import io.tern.autobahn.runner.CaseResult;
import io.tern.autobahn.runner.CloseExpectation;
import io.tern.autobahn.runner.Observation;
import io.tern.autobahn.runner.WireEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The official report's JSON: {@code index.json} (agent → case id → behavior, behaviorClose, duration,
 * remoteCloseCode, reportfile) and one file per agent and case with the full case record. Stateless.
 */
public final class JsonReport {

    private JsonReport() {
    }

    /**
     * The per-case report's file name, as the official suite makes it: the agent lower-cased with
     * anything but {@code a-z0-9} turned into {@code _}, then {@code _case_}, the id with dots as
     * underscores, and the extension.
     *
     * @param agent  agent name
     * @param caseId case id
     * @param ext    {@code json} or {@code html}
     * @return the file name
     */
    public static String caseFileName(String agent, String caseId, String ext) {
        StringBuilder clean = new StringBuilder();
        for (char c : agent.strip().toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            clean.append(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ? c : ' ');
        }
        String a = clean.toString().strip().replace(' ', '_');
        return a + "_case_" + caseId.replace('.', '_') + "." + ext;
    }

    /**
     * @param results agent → case id → result
     * @return the text of {@code index.json}
     */
    public static String index(Map<String, Map<String, CaseResult>> results) {
        Map<String, Object> root = new LinkedHashMap<>();
        results.forEach((agent, cases) -> {
            Map<String, Object> byCase = new LinkedHashMap<>();
            cases.forEach((id, r) -> {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("behavior", r.behavior().label());
                c.put("behaviorClose", r.behaviorClose().label());
                c.put("duration", r.durationMillis());
                c.put("remoteCloseCode", r.remoteCloseCode());
                c.put("reportfile", caseFileName(agent, id, "json"));
                byCase.put(id, c);
            });
            root.put(agent, byCase);
        });
        return JsonWriter.write(root);
    }

    /**
     * @param r one case's result
     * @return the text of its per-case JSON file
     */
    public static String caseReport(CaseResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agent", r.agent());
        m.put("behavior", r.behavior().label());
        m.put("behaviorClose", r.behaviorClose().label());
        m.put("case", r.caseIndex());
        m.put("closedByMe", r.closedByMe());
        m.put("createStats", true);
        m.put("createWirelog", true);
        m.put("description", r.description());
        m.put("droppedByMe", r.droppedByMe());
        m.put("duration", r.durationMillis());
        m.put("expectation", r.expectation());
        Map<String, Object> expected = new LinkedHashMap<>();
        r.expected().forEach((v, obs) -> expected.put(v.label(), observations(obs)));
        m.put("expected", expected);
        m.put("expectedClose", closeExpectation(r.expectedClose()));
        m.put("failedByMe", r.failedByMe());
        m.put("httpRequest", r.httpRequest());
        m.put("httpResponse", r.httpResponse());
        m.put("id", r.id());
        m.put("isServer", r.isServer());
        m.put("localCloseCode", r.localCloseCode());
        m.put("localCloseReason", r.localCloseReason());
        m.put("received", observations(r.received()));
        m.put("remoteCloseCode", r.remoteCloseCode());
        m.put("remoteCloseReason", r.remoteCloseReason());
        m.put("reportCompressionRatio", false);
        m.put("reportTime", r.reportTime());
        m.put("result", r.result());
        m.put("resultClose", r.resultClose());
        m.put("rxFrameStats", r.rxFrameStats());
        m.put("rxOctetStats", r.rxOctetStats());
        m.put("started", r.started());
        m.put("trafficStats", null);
        m.put("txFrameStats", r.txFrameStats());
        m.put("txOctetStats", r.txOctetStats());
        m.put("wasClean", r.wasClean());
        m.put("wasCloseHandshakeTimeout", r.wasCloseHandshakeTimeout());
        m.put("wasNotCleanReason", r.wasNotCleanReason());
        m.put("wasOpenHandshakeTimeout", r.wasOpenHandshakeTimeout());
        m.put("wasServerConnectionDropTimeout", r.wasServerConnectionDropTimeout());
        List<Object> wirelog = new ArrayList<>();
        for (WireEvent e : r.wirelog()) {
            if (e.code().equals("NOTE")) {
                continue;
            }
            List<Object> entry = new ArrayList<>();
            entry.add(e.code());
            entry.addAll(e.fields());
            wirelog.add(entry);
        }
        m.put("wirelog", wirelog);
        return JsonWriter.write(m);
    }

    private static Object closeExpectation(CloseExpectation c) {
        if (c == null) {
            return Map.of();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("closeCode", List.copyOf(c.closeCodes()));
        m.put("closedByMe", c.closedByMe());
        m.put("requireClean", c.requireClean());
        if (c.closedByWrongEndpointIsFatal()) {
            m.put("closedByWrongEndpointIsFatal", true);
        }
        return m;
    }

    /** Observations in the official tuple form with the payload shortened to 64 bytes. */
    static List<Object> observations(List<Observation> obs) {
        List<Object> out = new ArrayList<>();
        for (Observation o : obs) {
            switch (o.kind()) {
                case MESSAGE -> out.add(List.of("message", shortPayload(o.payload()), o.binary()));
                case PING -> out.add(List.of("ping", shortPayload(o.payload())));
                case PONG -> out.add(List.of("pong", shortPayload(o.payload())));
                case TIMEOUT -> out.add(List.of("timeout", o.tag()));
            }
        }
        return out;
    }

    /** Up to 64 bytes as text if they are UTF-8, else {@code 0x} and hex; {@code " ..."} marks a cut. */
    static String shortPayload(byte[] data) {
        int max = 64;
        boolean cut = data.length > max - 4;
        byte[] part = cut ? java.util.Arrays.copyOf(data, Math.min(max, data.length)) : data;
        java.nio.charset.CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder();
        try {
            return dec.decode(java.nio.ByteBuffer.wrap(part)) + (cut ? " ..." : "");
        } catch (java.nio.charset.CharacterCodingException e) {
            return "0x" + HexFormat.of().formatHex(part) + (cut ? " ..." : "");
        }
    }
}
