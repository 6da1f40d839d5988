package io.tern.autobahn.catalogue;

import java.util.List;
import java.util.Map;

/**
 * A top-level group of the Autobahn catalogue (e.g. group 6, "UTF-8 Handling"), as a provider of its
 * cases in official order. Groups are listed in {@link Catalogue}.
 */
public interface CaseGroup {

    /** The group number as in case ids, e.g. {@code 6}. */
    int number();

    /** The group's title, e.g. {@code "UTF-8 Handling"}. */
    String title();

    /** Titles of subgroups by prefix (e.g. {@code "6.4" -> "Fail-fast on invalid UTF-8"}); may be empty. */
    default Map<String, String> subgroupTitles() {
        return Map.of();
    }

    /** The cases, in the official suite's order. */
    List<CaseEntry> cases();
}
