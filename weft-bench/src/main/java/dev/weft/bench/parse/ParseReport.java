package dev.weft.bench.parse;

import dev.weft.bench.report.Figures;
import dev.weft.bench.report.Table;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Turns JMH's operations per second into what issue 2 asks for: requests per second (ops/s times
 * the requests in one operation), MB/s (10^6 bytes: requests/s times the bytes of one request)
 * and the ratio to Netty's decoder on the same input in the same run.
 */
public final class ParseReport {
    /** The side the ratios are taken against. */
    public static final String PEER = "netty";

    /** One JMH result: {@code parser} is the benchmark method's name. */
    public record Score(String parser, Requests input, int pipelined, String buffer, double opsPerSecond, double error) {
        public double requestsPerSecond() {
            return opsPerSecond * pipelined;
        }

        public double megabytesPerSecond() {
            return requestsPerSecond() * input.length() / 1e6;
        }
    }

    private ParseReport() {}

    public static Table table(List<Score> scores) {
        var table = new Table("parser", "input", "buffer", "requests per buffer", "requests/s", "MB/s", "error", "vs netty");
        var ordered = scores.stream()
                .sorted(Comparator.comparing(Score::input).thenComparing(Score::buffer).thenComparingInt(Score::pipelined)
                        .thenComparing(s -> s.parser().equals(PEER) ? 1 : 0))
                .toList();
        for (var s : ordered) {
            String ratio = peerOf(s, scores)
                    .map(peer -> Figures.ratio(s.opsPerSecond() / peer.opsPerSecond()))
                    .orElse("n/a");
            table.row(s.parser(), s.input().name().toLowerCase() + " (" + s.input().length() + " B)",
                    s.buffer().toLowerCase(), Integer.toString(s.pipelined()), Figures.whole(s.requestsPerSecond()),
                    Figures.oneDecimal(s.megabytesPerSecond()), Figures.spread(s.error(), s.opsPerSecond()), ratio);
        }
        return table;
    }

    private static Optional<Score> peerOf(Score s, List<Score> scores) {
        return scores.stream()
                .filter(p -> p.parser().equals(PEER) && p.input() == s.input() && p.pipelined() == s.pipelined()
                        && p.buffer().equals(s.buffer()))
                .findFirst();
    }
}
