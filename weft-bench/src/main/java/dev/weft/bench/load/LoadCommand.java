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
 * The wrk commands: {@code plaintext} (keep-alive GET /plaintext at 64 and 256 connections; with
 * {@code --pipelined} also 16 requests per write at 256), {@code echo} (POST /echo, 4 KiB body,
 * 64 connections) and {@code files} (GET of a 4 KiB and a 1 MiB file, 64 connections), each
 * {@link LoadScenario} with the workloads of issue 4.
 */
public final class LoadCommand {
    /** Which workloads a command runs. */
    public enum Kind { PLAINTEXT, ECHO, FILES }

    private LoadCommand() {}

    public static void run(Kind kind, Args args) throws Exception {
        boolean quick = args.flag("--quick");
        var plan = plan(kind, args, quick, args.option("--servers").map(s -> List.of(s.split(","))).orElse(Peer.NAMES));
        args.finish();
        String name = kind.name().toLowerCase();
        var results = Results.create();
        String report = measure(name, plan, results);
        System.out.println();
        System.out.print(report);
        System.out.println("\nwritten to " + results.write(name, report));
    }

    /** Runs the plan and returns its report: a heading, the machine, the table. */
    public static String measure(String name, LoadScenario.Plan plan, Results results) throws Exception {
        String machine = Machine.describe();
        var runs = LoadScenario.measure(plan, results, new Progress(name, plan.estimate()));
        return "## " + name + " (" + plan.describe() + ")\n\n"
                + machine + "; load average at the end " + Machine.loadAverage() + "; " + Machine.versions() + "\n\n"
                + LoadScenario.table(runs, plan).render();
    }

    /** The workloads and timings for {@code kind}, with the options a user gave. */
    public static LoadScenario.Plan plan(Kind kind, Args args, boolean quick, List<String> servers) {
        var connections = args.option("--connections").map(LoadCommand::ints);
        var workloads = new ArrayList<Workload>();
        switch (kind) {
            case PLAINTEXT -> {
                workloads.add(Workload.plaintext(connections.orElse(List.of(64, 256))));
                if (args.flag("--pipelined")) workloads.add(Workload.pipelined(List.of(256)));
            }
            case ECHO -> workloads.add(Workload.echo(connections.orElse(List.of(64))));
            case FILES -> {
                workloads.add(Workload.file("4 KiB", "4k.bin", connections.orElse(List.of(64))));
                workloads.add(Workload.file("1 MiB", "1m.bin", connections.orElse(List.of(64))));
            }
        }
        return new LoadScenario.Plan(servers, List.copyOf(workloads),
                args.intOption("--threads", 2),
                args.intOption("--seconds", quick ? 5 : 10),
                args.intOption("--warmup", quick ? 2 : 5),
                args.intOption("--rounds", 2));
    }

    static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }
}
