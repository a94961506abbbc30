package dev.weft.server.files;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code Range} header of a GET, for a representation of {@code size} bytes (RFC 9110 §14).
 * A header that does not parse is ignored (the whole representation is sent, §14.2); a set none
 * of whose ranges overlap the content is unsatisfiable (416, §15.5.17).
 *
 * <p>Range amplification: a client that asks for the same bytes many times over, or for
 * thousands of tiny ranges, makes a small request cost a large response. Overlapping and adjacent
 * ranges are merged (§14.2 allows it), and a set that still has more than {@value #MAX_RANGES}
 * ranges, or more than the whole content in total, is answered with the whole content once.
 */
final class ByteRanges {
    static final int MAX_RANGES = 16;
    private static final int MAX_PARSED = 100;

    /** What to send. */
    sealed interface Plan {
        /** The whole representation (no Range, an unparsable one, or one not worth honouring). */
        enum Whole implements Plan { WHOLE }

        /** Nothing of it overlaps the content: 416 with {@code Content-Range: bytes *}/size. */
        enum Unsatisfiable implements Plan { UNSATISFIABLE }

        /** These ranges, sorted and disjoint; first and last inclusive. */
        record Parts(List<Range> ranges) implements Plan {
            public Parts {
                ranges = List.copyOf(ranges);
            }
        }
    }

    record Range(long first, long last) {
        long length() { return last - first + 1; }
    }

    private ByteRanges() {}

    static Plan plan(String header, long size) {
        if (header == null) return Plan.Whole.WHOLE;
        int eq = header.indexOf('=');
        if (eq < 0 || !header.substring(0, eq).trim().equalsIgnoreCase("bytes")) return Plan.Whole.WHOLE;
        var ranges = new ArrayList<Range>();
        boolean any = false;
        String[] specs = header.substring(eq + 1).split(",", MAX_PARSED + 1);
        if (specs.length > MAX_PARSED) return Plan.Whole.WHOLE;
        for (String spec : specs) {
            spec = spec.trim();
            if (spec.isEmpty()) continue;                          // empty list elements are allowed (§5.6.1)
            long[] bounds = parse(spec);
            if (bounds == null) return Plan.Whole.WHOLE;
            any = true;
            Range r = resolve(bounds, size);
            if (r != null) ranges.add(r);
        }
        if (!any) return Plan.Whole.WHOLE;
        if (ranges.isEmpty()) return Plan.Unsatisfiable.UNSATISFIABLE;
        List<Range> merged = merge(ranges);
        long total = 0;
        for (Range r : merged) total += r.length();
        if (merged.size() > MAX_RANGES || (merged.size() > 1 && total >= size)) return Plan.Whole.WHOLE;
        return new Plan.Parts(merged);
    }

    /** {first, last} with last -1 for "first-"; or {-1, suffix} for "-suffix"; null if malformed. */
    private static long[] parse(String spec) {
        int dash = spec.indexOf('-');
        if (dash < 0) return null;
        String a = spec.substring(0, dash).trim(), b = spec.substring(dash + 1).trim();
        if (a.isEmpty()) {
            long suffix = digits(b);
            return suffix < 0 ? null : new long[] {-1, suffix};
        }
        long first = digits(a);
        if (first < 0) return null;
        if (b.isEmpty()) return new long[] {first, -1};
        long last = digits(b);
        if (last < 0 || last < first) return null;                 // §14.1.1: an invalid range-spec
        return new long[] {first, last};
    }

    /** The range within {@code size}, or null when it does not overlap the content. */
    private static Range resolve(long[] bounds, long size) {
        if (bounds[0] < 0) {                                       // the last n bytes
            if (bounds[1] == 0 || size == 0) return null;
            return new Range(Math.max(0, size - bounds[1]), size - 1);
        }
        if (bounds[0] >= size) return null;
        long last = bounds[1] < 0 ? size - 1 : Math.min(bounds[1], size - 1);
        return new Range(bounds[0], last);
    }

    private static List<Range> merge(List<Range> ranges) {
        var sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(Range::first));
        var merged = new ArrayList<Range>();
        for (Range r : sorted) {
            Range prev = merged.isEmpty() ? null : merged.getLast();
            if (prev != null && r.first() <= prev.last() + 1) merged.set(merged.size() - 1, new Range(prev.first(), Math.max(prev.last(), r.last())));
            else merged.add(r);
        }
        return merged;
    }

    /** A non-negative decimal of at most 18 digits (no overflow), else -1. */
    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18) return -1;
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
