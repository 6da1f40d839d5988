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
 * Group 12, permessage-deflate with different payloads (RFC 7692), default offer
 * ({@code permessage-deflate; client_no_context_takeover; client_max_window_bits}; as server the
 * runner accepts the client's first offer as it is). Sub-group 12.N uses the N-th payload kind:
 * 12.1 JSON (text), 12.2 bitmap (binary), 12.3 German text (binary), 12.4 HTML (text), 12.5 PDF
 * (binary) — generated substitutes of the official data files ({@link Corpus}). Each has the 18
 * series of {@link CompressionSizes}: 1000 messages of 16 B to 128 KiB, unfragmented or
 * auto-fragmented into 256 B to 32 KiB frames, each echo expected unchanged. See
 * {@link CompressedEcho}.
 *
 * <p>Stateless; cases are made fresh per run.
 */
public final class Group12 implements CaseGroup {

    static final Corpus[] ORDER = {Corpus.JSON, Corpus.BITMAP, Corpus.GERMAN_TEXT, Corpus.HTML, Corpus.PDF};

    @Override
    public int number() {
        return 12;
    }

    @Override
    public String title() {
        return "WebSocket Compression (different payloads)";
    }

    @Override
    public Map<String, String> subgroupTitles() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int j = 0; j < ORDER.length; j++) {
            m.put("12." + (j + 1), label(ORDER[j]));
        }
        return m;
    }

    static String label(Corpus c) {
        return c.description() + " (" + (c.binary() ? "binary" : "utf8") + ", " + c.size() + " bytes)";
    }

    @Override
    public List<CaseEntry> cases() {
        List<CaseEntry> out = new ArrayList<>();
        for (int j = 0; j < ORDER.length; j++) {
            Corpus corpus = ORDER[j];
            for (int i = 0; i < CompressionSizes.SERIES.length; i++) {
                int[] s = CompressionSizes.SERIES[i];
                String id = "12." + (j + 1) + "." + (i + 1);
                out.add(CaseEntry.of(() -> new CompressedEcho(id, DeflateParameterSet.DEFAULT, corpus, s[0], s[1], s[2], s[3])));
            }
        }
        return out;
    }
}
