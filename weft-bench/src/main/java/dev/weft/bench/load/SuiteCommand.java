package dev.weft.bench.load;

import dev.weft.bench.Args;
import dev.weft.bench.peers.Peer;
import dev.weft.bench.report.Chart;
import dev.weft.bench.report.Machine;
import dev.weft.bench.report.Progress;
import dev.weft.bench.report.Results;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./weft bench} with no command, or {@code ./weft bench all}: every scenario, every server,
 * in one go (issue 4). The wrk workloads share one server start per round (plaintext, 16
 * pipelined, echo, files), two interleaved rounds; then the idle scenario. Writes summary.md and
 * chart.svg to the results folder and prints the tables.
 * <ul>
 *   <li>default: 6 s per wrk run, 5 s warm-up, 15,000 idle connections, compact object headers
 *       tried for Weft only: about 15 minutes on 2 cores;</li>
 *   <li>{@code --quick}: one round of 2 s runs, 1,000 idle connections, default flags: about 3.</li>
 * </ul>
 */
public final class SuiteCommand {
    private SuiteCommand() {}

    public static void run(Args args) throws Exception {
        boolean quick = args.flag("--quick");
        var servers = args.option("--servers").map(s -> List.of(s.split(","))).orElse(Peer.NAMES);
        int idleConnections = args.intOption("--connections", quick ? 1_000 : 15_000);
        var plan = plan(quick, servers, args);
        args.finish();
        var results = Results.create();
        String machine = Machine.describe();
        System.err.println("weft bench: results go to " + results.folder());

        var runs = LoadScenario.measure(plan, results, new Progress("load", plan.estimate()));
        String loadTable = LoadScenario.table(runs, plan).render();
        var variants = new ArrayList<IdleScenario.Variant>();
        for (String s : servers) {
            variants.add(new IdleScenario.Variant(s, List.of()));
            if (!quick && s.equals("weft")) variants.add(new IdleScenario.Variant(s, List.of(IdleScenario.COMPACT_HEADERS)));
        }
        var idle = IdleScenario.measureAll(variants, idleConnections, results);

        var chart = new Chart("Weft and its peers, " + Machine.describe().substring(5, 15));
        LoadScenario.chart(runs, plan).forEach(chart::group);
        IdleScenario.chart(idle).forEach(chart::group);
        Files.writeString(results.folder().resolve("chart.svg"), chart.render());
        String summary = "# weft bench" + (quick ? " --quick" : "") + "\n\n" + machine + "; load average at the end "
                + Machine.loadAverage() + "; " + Machine.versions() + "\n\n## load (" + plan.describe() + ")\n\n" + loadTable + "\n"
                + "\n## idle keep-alive connections (" + idleConnections + " requested)\n\n" + IdleScenario.body(idle)
                + "\n![chart](chart.svg)\n";
        System.out.println();
        System.out.print(summary);
        System.out.println("\nwritten to " + results.write("summary", summary) + " and chart.svg beside it");
    }

    private static LoadScenario.Plan plan(boolean quick, List<String> servers, Args args) {
        int seconds = args.intOption("--seconds", quick ? 2 : 6);
        var workloads = List.of(
                Workload.plaintext(List.of(64, 256)),
                Workload.pipelined(List.of(256)),
                Workload.echo(List.of(64)),
                Workload.file("4 KiB", "4k.bin", List.of(64)),
                Workload.file("1 MiB", "1m.bin", List.of(64)));
        return new LoadScenario.Plan(servers, workloads, 2, seconds, args.intOption("--warmup", quick ? 2 : 5),
                args.intOption("--rounds", quick ? 1 : 2));
    }
}
