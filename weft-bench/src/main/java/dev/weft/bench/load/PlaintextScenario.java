package dev.weft.bench.load;

import dev.weft.bench.Args;
import dev.weft.bench.peers.Peer;
import dev.weft.bench.report.Machine;
import dev.weft.bench.report.Progress;
import dev.weft.bench.report.Results;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./weft bench plaintext} (keep-alive GET /plaintext at 64 and 256 connections; with
 * {@code --pipelined} also 16 requests per write) and {@code ./weft bench echo} (POST /echo with
 * a 4 KiB body): {@link LoadScenario} with the workloads of issue 4.
 */
public final class PlaintextScenario {
    private PlaintextScenario() {}

    public static void run(Args args, boolean echo) throws Exception {
        boolean quick = args.flag("--quick");
        boolean pipelined = args.flag("--pipelined");
        var connections = args.option("--connections").map(PlaintextScenario::ints);
        var workloads = new ArrayList<Workload>();
        if (echo) {
            workloads.add(Workload.echo(connections.orElse(List.of(64))));
        } else {
            workloads.add(Workload.plaintext(connections.orElse(List.of(64, 256))));
            if (pipelined) workloads.add(Workload.pipelined(List.of(256)));
        }
        var plan = new LoadScenario.Plan(
                args.option("--servers").map(s -> List.of(s.split(","))).orElse(Peer.NAMES),
                List.copyOf(workloads),
                args.intOption("--threads", 2),
                args.intOption("--seconds", quick ? 5 : 10),
                args.intOption("--warmup", quick ? 3 : 5),
                args.intOption("--rounds", 2));
        args.finish();
        String name = echo ? "echo" : "plaintext";
        var results = Results.create();
        String machine = Machine.describe();
        var runs = LoadScenario.measure(plan, results, new Progress(name, plan.estimate()));
        String report = "## " + name + " (" + plan.describe() + ")\n\n"
                + machine + "; load average at the end " + Machine.loadAverage() + "\n\n"
                + LoadScenario.table(runs, plan).render();
        System.out.println();
        System.out.print(report);
        System.out.println("\nwritten to " + results.write(name, report));
    }

    static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }
}
