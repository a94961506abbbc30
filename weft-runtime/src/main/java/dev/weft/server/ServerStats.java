package dev.weft.server;

import dev.weft.protocol.http.Violation;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One loop's counters. Mostly written by the loop, sometimes by a handler's virtual thread (a
 * handler exception), so each slot is an atomic; read by any thread for {@link ServerCounters}.
 */
final class ServerStats {
    enum Count {
        CONNECTIONS_OPEN, CONNECTIONS_ACCEPTED, REQUESTS, RESPONSES, BYTES_READ, BYTES_WRITTEN, HANDLER_EXCEPTIONS,
        TURNED_AWAY, PEER_FAULTS
    }

    private static final int COUNTS = Count.values().length;
    private static final Violation[] VIOLATIONS = Violation.values();
    private static final Deadline[] DEADLINES = Deadline.values();

    private final AtomicLongArray slots = new AtomicLongArray(COUNTS + VIOLATIONS.length + DEADLINES.length);

    void add(Count c, long n) { slots.getAndAdd(c.ordinal(), n); }

    void increment(Count c) { slots.getAndIncrement(c.ordinal()); }

    void violation(Violation v) { slots.getAndIncrement(COUNTS + v.ordinal()); }

    void deadline(Deadline d) { slots.getAndIncrement(COUNTS + VIOLATIONS.length + d.ordinal()); }

    long get(Count c) { return slots.get(c.ordinal()); }

    ServerCounters.Counts snapshot() { return sum(List.of(this)); }

    static ServerCounters.Counts sum(List<ServerStats> all) {
        long[] s = new long[COUNTS + VIOLATIONS.length + DEADLINES.length];
        for (ServerStats stats : all) {
            for (int i = 0; i < s.length; i++) s[i] += stats.slots.get(i);
        }
        Map<Violation, Long> violations = new EnumMap<>(Violation.class);
        for (Violation v : VIOLATIONS) {
            long n = s[COUNTS + v.ordinal()];
            if (n != 0) violations.put(v, n);
        }
        Map<Deadline, Long> deadlines = new EnumMap<>(Deadline.class);
        for (Deadline d : DEADLINES) {
            long n = s[COUNTS + VIOLATIONS.length + d.ordinal()];
            if (n != 0) deadlines.put(d, n);
        }
        return new ServerCounters.Counts(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], violations, deadlines);
    }
}
