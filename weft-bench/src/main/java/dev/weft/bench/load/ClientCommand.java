package dev.weft.bench.load;

import dev.weft.bench.Args;
import dev.weft.bench.Command;
import dev.weft.bench.report.Figures;
import dev.weft.bench.report.Machine;
import dev.weft.bench.report.Results;
import dev.weft.bench.report.Table;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code weft bench client}: Weft as the client, against nginx's plaintext location. Two
 * comparisons, rounds interleaved: {@code weft load} beside wrk (the same connections and
 * threads), and Weft's HttpClient beside the JDK's java.net.http client (the same number of
 * asynchronous request chains, each in a child JVM of its own).
 */
public final class ClientCommand {
    private ClientCommand() {}

    public static void run(Args args) throws Exception {
        int seconds = args.intOption("--seconds", 10);
        int rounds = args.intOption("--rounds", 2);
        int connections = args.intOption("--connections", 64);
        args.finish();
        var results = Results.create();
        String machine = Machine.describe();
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        try (var nginx = ServerProcess.start("nginx", List.of(), results.logs())) {
            String url = nginx.url("/plaintext");
            for (int round = 1; round <= rounds; round++) {
                System.err.println("round " + round + ": wrk");
                Wrk.run(url, 2, connections, 2, List.of());
                add(rates, "wrk", Wrk.run(url, 2, connections, seconds, List.of()).requestsPerSecond());
                System.err.println("round " + round + ": weft load");
                add(rates, "weft load", child(seconds + 60, "dev.weft.cli.Main", "load", "-t", "2", "-c",
                        Integer.toString(connections), "-d", Integer.toString(seconds + 2), "--quiet", url));
                System.err.println("round " + round + ": Weft's HttpClient");
                add(rates, "Weft HttpClient", child(seconds + 60, ClientDriver.class.getName(), "weft", url,
                        Integer.toString(connections), Integer.toString(seconds)));
                System.err.println("round " + round + ": the JDK's HttpClient");
                add(rates, "JDK HttpClient", child(seconds + 60, ClientDriver.class.getName(), "jdk", url,
                        Integer.toString(connections), Integer.toString(seconds)));
            }
        }
        var table = new Table("client", "requests/s (median)", "each round", "vs wrk", "vs the JDK client");
        double wrk = median(rates.get("wrk")), jdk = median(rates.get("JDK HttpClient"));
        for (var e : rates.entrySet()) {
            double m = median(e.getValue());
            table.row(e.getKey(), Figures.whole(m), String.join(" / ", e.getValue().stream().map(Figures::whole).toList()),
                    Figures.ratio(m / wrk), Figures.ratio(m / jdk));
        }
        String report = "## client (GET /plaintext on nginx, " + connections + " connections or chains, " + seconds
                + " s, " + rounds + " interleaved rounds)\n\n" + machine + "; load average at the end " + Machine.loadAverage()
                + "; " + Machine.versions() + "\n\n" + table.render();
        System.out.println();
        System.out.print(report);
        System.out.println("\nwritten to " + results.write("client", report));
    }

    private static void add(Map<String, List<Double>> rates, String key, double rate) {
        rates.computeIfAbsent(key, _ -> new ArrayList<>()).add(rate);
    }

    /** Runs a main class in a child JVM (same class path and JAVA_OPTS) and reads its Requests/sec. */
    private static double child(int timeoutSeconds, String mainClass, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        command.add(Jdk.tool("java").toString());
        command.addAll(ServerProcess.jvmOptions(List.of()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        var result = Command.run(Duration.ofSeconds(timeoutSeconds), command);
        if (result.exitCode() != 0) throw new IOException(mainClass + " failed (" + result.exitCode() + "):\n" + result.output());
        return Wrk.parse(result.output()).requestsPerSecond();
    }

    private static double median(List<Double> values) {
        return LoadScenario.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
