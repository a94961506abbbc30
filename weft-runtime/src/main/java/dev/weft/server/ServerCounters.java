package dev.weft.server;

import dev.weft.protocol.http.Violation;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of what a server has done, per event loop and summed. Counters are written by their
 * loop and read here without stopping it, so a snapshot taken while traffic flows may be a few
 * events behind; the totals are the sums of the loops.
 */
public record ServerCounters(Counts total, List<Counts> perLoop) {
    public ServerCounters {
        perLoop = List.copyOf(perLoop);
    }

    /**
     * One loop's counts (or the sum). {@code violations} counts requests answered for each codec
     * violation; {@code deadlines} counts expiries by kind; {@code handlerExceptions} counts
     * handlers and callbacks that threw (bugs, logged at WARNING); {@code peerFaults} counts
     * handler failures that the client caused (it left mid-body, sent a broken body; logged at
     * DEBUG); {@code turnedAway} counts requests answered 503 because the server's memory budget
     * was spent. Both maps hold only kinds that happened.
     */
    public record Counts(long connectionsOpen, long connectionsAccepted, long requests, long responses,
                         long bytesRead, long bytesWritten, long handlerExceptions, long turnedAway, long peerFaults,
                         Map<Violation, Long> violations, Map<Deadline, Long> deadlines) {
        public Counts {
            violations = Map.copyOf(violations);
            deadlines = Map.copyOf(deadlines);
        }

        public long violations(Violation v) { return violations.getOrDefault(v, 0L); }

        public long deadlines(Deadline d) { return deadlines.getOrDefault(d, 0L); }

        /** Every violation answered, of any kind. */
        public long violationsTotal() { return violations.values().stream().mapToLong(Long::longValue).sum(); }
    }
}
