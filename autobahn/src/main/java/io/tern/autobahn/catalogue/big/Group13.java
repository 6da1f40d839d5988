package io.tern.autobahn.catalogue.big;

import io.tern.autobahn.catalogue.CaseEntry;
import io.tern.autobahn.catalogue.CaseGroup;
import io.tern.autobahn.deflate.Corpus;
import io.tern.autobahn.deflate.DeflateParameterSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Group 13, permessage-deflate with different parameters (RFC 7692 §7.1), all on the JSON payload
 * ({@link Corpus#JSON}, text). Sub-group 13.N uses {@link DeflateParameterSet#ofGroup13(int)}:
 * <ul>
 *   <li>13.1: default offer; accepted as it is.</li>
 *   <li>13.2: the client also requests {@code server_no_context_takeover}; the server answers with
 *       {@code client_no_context_takeover}.</li>
 *   <li>13.3: {@code server_max_window_bits=9} requested; the server answers
 *       {@code client_max_window_bits=9}.</li>
 *   <li>13.4: the same with 15.</li>
 *   <li>13.5: no context takeover and window 9 both ways.</li>
 *   <li>13.6: no context takeover and window 15 both ways.</li>
 *   <li>13.7: three offers in one header (13.5's, 13.2's, the default); the server tries 13.5's rule,
 *       then 13.2's, then 13.1's.</li>
 * </ul>
 * Each has the 18 series of {@link CompressionSizes}. See {@link CompressedEcho}.
 *
 * <p>Stateless; cases are made fresh per run.
 */
public final class Group13 implements CaseGroup {

    @Override
    public int number() {
        return 13;
    }

    @Override
    public String title() {
        return "WebSocket Compression (different parameters)";
    }

    @Override
    public Map<String, String> subgroupTitles() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int j = 1; j <= 7; j++) {
            m.put("13." + j, Group12.label(Corpus.JSON) + " - " + DeflateParameterSet.ofGroup13(j).description());
        }
        return m;
    }

    @Override
    public List<CaseEntry> cases() {
        List<CaseEntry> out = new ArrayList<>();
        for (int j = 1; j <= 7; j++) {
            DeflateParameterSet params = DeflateParameterSet.ofGroup13(j);
            for (int i = 0; i < CompressionSizes.SERIES.length; i++) {
                int[] s = CompressionSizes.SERIES[i];
                String id = "13." + j + "." + (i + 1);
                out.add(CaseEntry.of(() -> new CompressedEcho(id, params, Corpus.JSON, s[0], s[1], s[2], s[3])));
            }
        }
        return out;
    }
}
