package dev.weft.bench.load;

import dev.weft.bench.Args;
import dev.weft.bench.peers.Peer;
import dev.weft.bench.report.Figures;
import dev.weft.bench.report.Machine;
import dev.weft.bench.report.Progress;
import dev.weft.bench.report.Results;
import dev.weft.bench.report.Table;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./weft bench plaintext}: keep-alive GET /plaintext under wrk. Rounds are interleaved
 * (every server once, then every server again) so a burst of other work on the machine lands on
 * all servers rather than on one. Each server starts fresh as a child JVM, gets a warm-up run,
 * then one wrk run per connection count.
 */
public final class PlaintextScenario {
    /** The settings of one run of the scenario. */
    record Plan(List<String> servers, List<Integer> connections, int threads, int seconds, int warmupSeconds, int rounds) {
        Duration estimate() {
            long perServer = warmupSeconds + 3 + (long) connections.size() * (seconds + 1);
            return Duration.ofSeconds(perServer * servers.size() * rounds);
        }
    }

    private PlaintextScenario() {}

    public static void run(Args args) throws Exception {
        boolean quick = args.flag("--quick");
        var plan = new Plan(
                args.option("--servers").map(s -> List.of(s.split(","))).orElse(Peer.NAMES),
                args.option("--connections").map(PlaintextScenario::ints).orElse(List.of(64, 256)),
                args.intOption("--threads", 2),
                args.intOption("--seconds", quick ? 5 : 10),
                args.intOption("--warmup", quick ? 3 : 5),
                args.intOption("--rounds", 2));
        args.finish();
        var results = Results.create();
        String machine = Machine.describe();
        var runs = measure(plan, results);
        String report = "## plaintext (wrk -t" + plan.threads() + " -d" + plan.seconds() + "s --latency, "
                + plan.rounds() + " interleaved rounds, warm-up " + plan.warmupSeconds() + " s)\n\n"
                + machine + "; load average at the end " + Machine.loadAverage() + "\n\n"
                + table(runs, plan).render();
        System.out.println();
        System.out.print(report);
        System.out.println("\nwritten to " + results.write("plaintext", report));
    }

    /** Every wrk result, keyed by server and connection count, in run order. */
    private static Map<String, List<Wrk.Result>> measure(Plan plan, Results results) throws Exception {
        var runs = new LinkedHashMap<String, List<Wrk.Result>>();
        var progress = new Progress("plaintext", plan.estimate());
        for (int round = 1; round <= plan.rounds(); round++) {
            for (String server : plan.servers()) {
                progress.say("round " + round + "/" + plan.rounds() + ": starting " + server);
                try (var child = ServerProcess.start(server, List.of(), results.logs())) {
                    String url = child.url("/plaintext");
                    progress.say(server + ": warm-up, " + plan.warmupSeconds() + " s");
                    Wrk.run(url, plan.threads(), plan.connections().getFirst(), plan.warmupSeconds(), List.of());
                    for (int c : plan.connections()) {
                        progress.say(server + ": " + c + " connections, " + plan.seconds() + " s");
                        var r = Wrk.run(url, plan.threads(), c, plan.seconds(), List.of());
                        runs.computeIfAbsent(key(server, c), _ -> new ArrayList<>()).add(r);
                    }
                }
            }
        }
        return runs;
    }

    static Table table(Map<String, List<Wrk.Result>> runs, Plan plan) {
        var table = new Table("server", "connections", "requests/s (median)", "each round", "spread",
                "p99 (median)", "errors", "vs " + plan.servers().getFirst());
        for (int c : plan.connections()) {
            var anchor = runs.get(key(plan.servers().getFirst(), c));
            double anchorRate = anchor == null ? Double.NaN : median(anchor.stream().mapToDouble(Wrk.Result::requestsPerSecond).toArray());
            for (String server : plan.servers()) {
                var rs = runs.get(key(server, c));
                if (rs == null) continue;
                double[] rates = rs.stream().mapToDouble(Wrk.Result::requestsPerSecond).toArray();
                double rate = median(rates);
                long errors = rs.stream().mapToLong(r -> r.socketErrors() + r.non2xx()).sum();
                table.row(server, Integer.toString(c), Figures.whole(rate),
                        String.join(" / ", Arrays.stream(rates).mapToObj(Figures::whole).toList()),
                        spread(rates), Figures.micros(median(rs.stream().mapToDouble(Wrk.Result::p99Micros).toArray())),
                        Long.toString(errors), Figures.ratio(rate / anchorRate));
            }
        }
        return table;
    }

    /** The middle value; with an even count, the mean of the two middle values. */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        if (n == 0) return Double.NaN;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** (max - min) / median, as a percentage. */
    static String spread(double[] values) {
        double max = Arrays.stream(values).max().orElse(Double.NaN);
        double min = Arrays.stream(values).min().orElse(Double.NaN);
        return Figures.oneDecimal(100 * (max - min) / median(values)) + "%";
    }

    private static String key(String server, int connections) {
        return server + "@" + connections;
    }

    private static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }
}
