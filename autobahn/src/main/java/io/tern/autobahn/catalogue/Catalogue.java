package io.tern.autobahn.catalogue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The registry of case groups. Each group is one line in {@link #PROVIDERS}; order there does not
 * matter, groups are sorted by number (the official order: 1, 2, ... 7, 9, 10, 12, 13) and cases keep
 * their group's order, which is what {@code /runCase?case=N} indexes.
 *
 * <p>Selection patterns are the official suite's: comma-separated ids where {@code *} matches any
 * characters, e.g. {@code 1.*,6.4.*} or {@code 7.1.1}.
 */
public final class Catalogue {

    /** Every group provider, one per line. */
    private static final List<Supplier<CaseGroup>> PROVIDERS = List.of(
            Group1::new,
            Group2::new,
            Group3::new,
            Group4::new,
            Group5::new,
            Group6::new,
            Group7::new,
            Group10::new,
            io.tern.autobahn.catalogue.big.Group9::new,
            io.tern.autobahn.catalogue.big.Group12::new,
            io.tern.autobahn.catalogue.big.Group13::new
    );

    private final List<CaseGroup> groups;

    private Catalogue(List<CaseGroup> groups) {
        this.groups = groups;
    }

    /** The full catalogue. */
    public static Catalogue load() {
        List<CaseGroup> groups = new ArrayList<>();
        for (Supplier<CaseGroup> provider : PROVIDERS) {
            groups.add(provider.get());
        }
        groups.sort(Comparator.comparingInt(CaseGroup::number));
        return new Catalogue(List.copyOf(groups));
    }

    /** The groups, sorted by number. */
    public List<CaseGroup> groups() {
        return groups;
    }

    /** Every case, in official order. */
    public List<CaseEntry> all() {
        List<CaseEntry> out = new ArrayList<>();
        for (CaseGroup g : groups) {
            out.addAll(g.cases());
        }
        return out;
    }

    /**
     * The cases selected by {@code include} patterns (null or empty: all) minus those matched by
     * {@code exclude} patterns, in official order.
     *
     * @throws IllegalArgumentException if an include pattern matches no case (a typo would otherwise
     *                                  silently run nothing)
     */
    public List<CaseEntry> select(List<String> include, List<String> exclude) {
        List<Pattern> inc = compile(include);
        List<Pattern> exc = compile(exclude);
        Map<Pattern, Boolean> used = new LinkedHashMap<>();
        inc.forEach(p -> used.put(p, false));
        List<CaseEntry> out = new ArrayList<>();
        for (CaseEntry e : all()) {
            boolean in = inc.isEmpty();
            for (Pattern p : inc) {
                if (p.matcher(e.id()).matches()) {
                    in = true;
                    used.put(p, true);
                }
            }
            if (in && exc.stream().noneMatch(p -> p.matcher(e.id()).matches())) {
                out.add(e);
            }
        }
        for (Map.Entry<Pattern, Boolean> u : used.entrySet()) {
            if (!u.getValue()) {
                throw new IllegalArgumentException("case pattern matches no case: " + RAW.get(u.getKey()));
            }
        }
        return out;
    }

    /** The group a case id belongs to, or null. */
    public CaseGroup groupOf(String caseId) {
        String first = caseId.substring(0, caseId.indexOf('.') < 0 ? caseId.length() : caseId.indexOf('.'));
        for (CaseGroup g : groups) {
            if (String.valueOf(g.number()).equals(first)) {
                return g;
            }
        }
        return null;
    }

    /**
     * Compiles selection patterns (comma-separated, {@code *} matches anything) to whole-id regular
     * expressions.
     *
     * @param patterns the patterns as given, each possibly a comma-separated list; null for none
     * @return one pattern per id pattern
     */
    public static List<Pattern> patterns(List<String> patterns) {
        return compile(patterns);
    }

    /** The pattern as the user wrote it, for error messages (patterns compare by identity). */
    private static final Map<Pattern, String> RAW = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    static List<Pattern> compile(List<String> patterns) {
        List<Pattern> out = new ArrayList<>();
        if (patterns == null) {
            return out;
        }
        for (String raw : patterns) {
            for (String one : raw.split(",")) {
                String p = one.trim();
                if (p.isEmpty()) {
                    continue;
                }
                StringBuilder re = new StringBuilder();
                for (char c : p.toCharArray()) {
                    re.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
                }
                out.add(Pattern.compile(re.toString()));
                RAW.put(out.get(out.size() - 1), p);
            }
        }
        return out;
    }
}
