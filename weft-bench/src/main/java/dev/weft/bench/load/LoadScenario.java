package dev.weft.bench.load;

import dev.weft.bench.report.Chart;
import dev.weft.bench.report.Figures;
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
 * wrk against each server in turn. Rounds are interleaved (every server once, then every server
 * again) so a burst of other work on the machine lands on all servers rather than on one. Each
 * server starts fresh as a child JVM per round, gets one warm-up run, then one wrk run per
 * workload and connection count.
 */
public final class LoadScenario {
    /** The settings of one run. */
    public record Plan(List<String> servers, List<Workload> workloads, int threads, int seconds, int warmupSeconds,
                       int rounds) {
        Duration estimate() {
            long total = 0;
            for (String server : servers) {
                long runs = workloads.stream().filter(w -> w.supports(server)).mapToLong(w -> w.connections().size()).sum();
                total += warmupSeconds + 3 + runs * (seconds + 1);
            }
            return Duration.ofSeconds(total * rounds);
        }

        String describe() {
            return "wrk -t" + threads + " -d" + seconds + "s --latency, " + rounds + " interleaved rounds, warm-up "
                    + warmupSeconds + " s per server start";
        }
    }

    /** Every wrk result, keyed by server, workload and connection count, in run order. */
    public record Runs(Map<String, List<Wrk.Result>> byKey, Map<String, List<Double>> cpuMicros) {
        List<Wrk.Result> of(String server, Workload w, int connections) {
            return byKey.getOrDefault(key(server, w, connections), List.of());
        }

        /** Server CPU per request, in microseconds, one value per run (NaN off Linux). */
        List<Double> cpu(String server, Workload w, int connections) {
            return cpuMicros.getOrDefault(key(server, w, connections), List.of());
        }
    }

    private LoadScenario() {}

    public static Runs measure(Plan plan, Results results, Progress progress) throws Exception {
        var runs = new LinkedHashMap<String, List<Wrk.Result>>();
        var cpu = new LinkedHashMap<String, List<Double>>();
        var scripts = results.folder().resolve("scripts");
        for (int round = 1; round <= plan.rounds(); round++) {
            for (String server : plan.servers()) {
                progress.say("round " + round + "/" + plan.rounds() + ": starting " + server);
                try (var child = ServerProcess.start(server, List.of(), results.logs())) {
                    var first = plan.workloads().stream().filter(w -> w.supports(server)).findFirst()
                            .orElse(Workload.plaintext(List.of(64)));
                    progress.say(server + ": warm-up, " + plan.warmupSeconds() + " s");
                    Wrk.run(child.url(first.path()), plan.threads(), first.connections().getFirst(),
                            plan.warmupSeconds(), first.wrkArguments(scripts));
                    for (var w : plan.workloads()) {
                        if (!w.supports(server)) continue;
                        for (int c : w.connections()) {
                            progress.say(server + ": " + w.name() + ", " + c + " connections, " + plan.seconds() + " s");
                            double before = ServerCpu.seconds(child.cpuPids());
                            var r = Wrk.run(child.url(w.path()), plan.threads(), c, plan.seconds(), w.wrkArguments(scripts));
                            double used = ServerCpu.seconds(child.cpuPids()) - before;
                            runs.computeIfAbsent(key(server, w, c), _ -> new ArrayList<>()).add(r);
                            cpu.computeIfAbsent(key(server, w, c), _ -> new ArrayList<>()).add(1e6 * used / Math.max(1, r.requests()));
                        }
                    }
                }
            }
        }
        return new Runs(runs, cpu);
    }

    /** One row per workload, connection count and server; ratios against the first server that ran it. */
    public static Table table(Runs runs, Plan plan) {
        var table = new Table("workload", "connections", "server", "requests/s (median)", "each round", "spread",
                "p99 (median)", "server CPU per request (median)", "errors", "vs first row");
        for (var w : plan.workloads()) {
            for (int c : w.connections()) {
                double anchorRate = plan.servers().stream().map(s -> runs.of(s, w, c)).filter(rs -> !rs.isEmpty())
                        .findFirst().map(rs -> median(rates(rs))).orElse(Double.NaN);
                for (String server : plan.servers()) {
                    var rs = runs.of(server, w, c);
                    if (rs.isEmpty()) continue;
                    double[] rates = rates(rs);
                    long errors = rs.stream().mapToLong(r -> r.socketErrors() + r.non2xx()).sum();
                    table.row(w.name(), Integer.toString(c), server, Figures.whole(median(rates)),
                            String.join(" / ", Arrays.stream(rates).mapToObj(Figures::whole).toList()), spread(rates),
                            Figures.micros(median(rs.stream().mapToDouble(Wrk.Result::p99Micros).toArray())),
                            cpuMicros(median(runs.cpu(server, w, c).stream().mapToDouble(Double::doubleValue).toArray())),
                            Long.toString(errors), Figures.ratio(median(rates) / anchorRate));
                }
            }
        }
        return table;
    }

    /** One chart group per workload and connection count: each server's median requests/s. */
    public static List<Chart.Group> chart(Runs runs, Plan plan) {
        var groups = new ArrayList<Chart.Group>();
        for (var w : plan.workloads()) {
            for (int c : w.connections()) {
                var bars = new ArrayList<Chart.Bar>();
                for (String server : plan.servers()) {
                    var rs = runs.of(server, w, c);
                    if (rs.isEmpty()) continue;
                    double rate = median(rates(rs));
                    bars.add(new Chart.Bar(server, rate, Figures.whole(rate) + " req/s"));
                }
                groups.add(new Chart.Group(w.name() + ", " + c + " connections", false, bars));
            }
        }
        return groups;
    }

    /** Tenths of a microsecond: a request costs a few to a few tens of them. */
    static String cpuMicros(double micros) {
        return Double.isNaN(micros) ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f µs", micros);
    }

    private static double[] rates(List<Wrk.Result> rs) {
        return rs.stream().mapToDouble(Wrk.Result::requestsPerSecond).toArray();
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

    private static String key(String server, Workload w, int connections) {
        return server + "|" + w.name() + "|" + connections;
    }
}
