package io.tern.autobahn.runner;

import io.tern.autobahn.catalogue.Catalogue;
import io.tern.autobahn.catalogue.CaseEntry;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalogue's ids and counts are the official suite's; selection patterns work as documented. */
class CatalogueTest {

    @Test
    void groupsOneToSevenAndTenHaveTheOfficialCasesInOrder() {
        List<CaseEntry> mine = Catalogue.load().select(List.of("1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "10.*"), List.of());
        Map<String, Integer> perSubgroup = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        for (CaseEntry e : mine) {
            assertTrue(ids.add(e.id()), "duplicate " + e.id());
            String sub = e.id().split("\\.").length == 3 ? e.id().substring(0, e.id().lastIndexOf('.')) : e.id().split("\\.")[0];
            perSubgroup.merge(sub, 1, Integer::sum);
        }
        assertEquals(247, mine.size());
        Map<String, Integer> official = new LinkedHashMap<>();
        official.put("1.1", 8); official.put("1.2", 8); official.put("2", 11); official.put("3", 7);
        official.put("4.1", 5); official.put("4.2", 5); official.put("5", 20);
        int[] g6 = {3, 4, 2, 4, 5, 11, 4, 2, 4, 3, 5, 8, 5, 10, 1, 3, 5, 5, 5, 7, 8, 34, 7};
        for (int i = 0; i < g6.length; i++) {
            official.put("6." + (i + 1), g6[i]);
        }
        official.put("7.1", 6); official.put("7.3", 6); official.put("7.5", 1); official.put("7.7", 13);
        official.put("7.9", 9); official.put("7.13", 2); official.put("10.1", 1);
        assertEquals(official, perSubgroup);
        assertEquals("1.1.1", mine.get(0).id());
        assertEquals("10.1.1", mine.get(mine.size() - 1).id());
    }

    @Test
    void utf8TableFlagsAgreeWithTheRunnersValidator() {
        List<String> table = new java.util.ArrayList<>();
        for (int sub = 5; sub <= 23; sub++) {
            table.add("6." + sub + ".*");
        }
        List<CaseEntry> rows = Catalogue.load().select(table, List.of());
        assertEquals(145 - 13, rows.size());
        for (CaseEntry e : rows) {
            // each table case's description ends with the payload in hex; valid ones expect an echo
            String hex = e.description().substring(e.description().lastIndexOf("0x") + 2);
            byte[] payload = java.util.HexFormat.of().parseHex(hex);
            boolean expectsEcho = e.expectation().startsWith("The message comes back");
            assertEquals(expectsEcho, Utf8Validator.isValid(payload), e.id());
        }
    }

    @Test
    void patternsSelectAndExclude() {
        Catalogue c = Catalogue.load();
        assertEquals(List.of("6.4.1", "6.4.2", "6.4.3", "6.4.4"), c.select(List.of("6.4.*"), List.of()).stream().map(CaseEntry::id).toList());
        assertEquals(List.of("2.1", "2.10", "2.11"), c.select(List.of("2.1*"), List.of()).stream().map(CaseEntry::id).toList());
        assertEquals(List.of("2.10", "2.11"), c.select(List.of("2.1*"), List.of("2.1")).stream().map(CaseEntry::id).toList());
        assertThrows(IllegalArgumentException.class, () -> c.select(List.of("8.*"), List.of()));
    }
}
