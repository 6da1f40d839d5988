package io.tern.autobahn.catalogue.big;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.autobahn.catalogue.CaseEntry;
import io.tern.autobahn.catalogue.Catalogue;
import io.tern.autobahn.deflate.DeflateParameterSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Groups 9, 12 and 13 have the official ids, counts and order; the whole catalogue has 517 cases. */
class BigCatalogueTest {

    @Test
    void idsAndCountsAreTheOfficialOnes() {
        Catalogue cat = Catalogue.load();
        List<CaseEntry> big = cat.select(List.of("9.*", "12.*", "13.*"), List.of());
        Map<String, Integer> perSubgroup = new LinkedHashMap<>();
        for (CaseEntry e : big) {
            perSubgroup.merge(e.id().substring(0, e.id().lastIndexOf('.')), 1, Integer::sum);
        }
        Map<String, Integer> official = new LinkedHashMap<>();
        int[] g9 = {6, 6, 9, 9, 6, 6, 6, 6};
        for (int i = 0; i < g9.length; i++) {
            official.put("9." + (i + 1), g9[i]);
        }
        for (int j = 1; j <= 5; j++) {
            official.put("12." + j, 18);
        }
        for (int j = 1; j <= 7; j++) {
            official.put("13." + j, 18);
        }
        assertEquals(official, perSubgroup);
        assertEquals(270, big.size());
        assertEquals(517, cat.all().size());
        assertEquals("9.1.1", big.get(0).id());
        assertEquals("13.7.18", big.get(big.size() - 1).id());
        List<String> order = cat.groups().stream().map(g -> String.valueOf(g.number())).toList();
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "9", "10", "12", "13"), order);
    }

    @Test
    void casesOfferWhatTheirSubgroupOffers() {
        Catalogue cat = Catalogue.load();
        for (CaseEntry e : cat.select(List.of("12.*", "13.*"), List.of())) {
            String[] id = e.id().split("\\.");
            DeflateParameterSet set = id[0].equals("12") ? DeflateParameterSet.DEFAULT : DeflateParameterSet.ofGroup13(Integer.parseInt(id[1]));
            assertEquals(set.offerHeader(), e.newRun().extensionOffer(), e.id());
            assertTrue(e.newRun().reportTime(), e.id());
        }
        assertEquals(null, cat.select(List.of("9.1.1"), List.of()).get(0).newRun().extensionOffer());
    }
}
