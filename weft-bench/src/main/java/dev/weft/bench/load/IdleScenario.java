package dev.weft.bench.load;

import dev.weft.bench.Args;
import dev.weft.bench.peers.Peer;
import dev.weft.bench.report.Chart;
import dev.weft.bench.report.Figures;
import dev.weft.bench.report.Machine;
import dev.weft.bench.report.Progress;
import dev.weft.bench.report.Results;
import dev.weft.bench.report.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./weft bench idle --connections N}: what an idle keep-alive connection costs each server.
 * Steps, per server and JVM flag set:
 * <ol>
 *   <li>start the server as a child JVM; warm its request path with 200 requests on one connection;</li>
 *   <li>measure it: live heap from {@code jcmd PID GC.class_histogram} (a full GC, then the total of
 *       what survived) and then RSS from /proc/PID/status VmRSS;</li>
 *   <li>open N connections from this process, one request each, then leave them idle;</li>
 *   <li>wait 2 s, measure again; (after - before) / opened is the cost per connection;</li>
 *   <li>send a second request on every connection, count the answers; close all; stop the server.</li>
 * </ol>
 * Client and server are separate processes, so each has its own file-descriptor limit.
 */
public final class IdleScenario {
    /** One server under one set of JVM flags. */
    record Variant(String server, List<String> jvmOptions) {
        String label() {
            return jvmOptions.isEmpty() ? server : server + " " + String.join(" ", jvmOptions);
        }

        String shortLabel() {
            return jvmOptions.contains(COMPACT_HEADERS) ? server + " +COH" : server;
        }
    }

    /** The measurements of one variant. */
    record Measured(Variant variant, int opened, int failed, int answered, Optional<Histogram> heapBefore,
                    Optional<Histogram> heapAfter, long rssBefore, long rssAfter) {
        double heapPerConnection() {
            if (heapBefore.isEmpty() || heapAfter.isEmpty()) return Double.NaN;
            return (double) (heapAfter.get().totalBytes() - heapBefore.get().totalBytes()) / opened;
        }

        double rssPerConnection() {
            return (double) (rssAfter - rssBefore) / opened;
        }
    }

    static final String COMPACT_HEADERS = "-XX:+UseCompactObjectHeaders";
    private static final int PARALLEL = 64;
    private static final int HISTOGRAM_LINES = 15;

    private IdleScenario() {}

    public static void run(Args args) throws Exception {
        int connections = args.intOption("--connections", 15_000);
        var servers = args.option("--servers").map(s -> List.of(s.split(","))).orElse(Peer.NAMES);
        String compact = args.option("--compact-headers").orElse("both");
        args.finish();
        var variants = variants(servers, compact);
        var results = Results.create();
        String machine = Machine.describe();
        String report = report(measureAll(variants, connections, results), connections, machine);
        System.out.println();
        System.out.print(report);
        System.out.println("\nwritten to " + results.write("idle", report));
    }

    /** Measures each variant in turn, a fresh server each. */
    static List<Measured> measureAll(List<Variant> variants, int connections, Results results) throws Exception {
        var progress = new Progress("idle", Duration.ofSeconds(25L * variants.size()));
        var measured = new ArrayList<Measured>();
        for (var v : variants) measured.add(measure(v, connections, results, progress));
        return measured;
    }

    /** Heap and RSS per connection, one bar per variant. */
    static List<Chart.Group> chart(List<Measured> measured) {
        var heap = new ArrayList<Chart.Bar>();
        var rss = new ArrayList<Chart.Bar>();
        for (var m : measured) {
            if (m.heapBefore().isPresent()) {
                heap.add(new Chart.Bar(m.variant().shortLabel(), m.heapPerConnection(), Figures.bytes(m.heapPerConnection())));
            }
            rss.add(new Chart.Bar(m.variant().shortLabel(), m.rssPerConnection(), Figures.bytes(m.rssPerConnection())));
        }
        return List.of(new Chart.Group("live heap per idle connection", true, heap),
                new Chart.Group("RSS per idle connection", true, rss));
    }

    static List<Variant> variants(List<String> servers, String compact) {
        var variants = new ArrayList<Variant>();
        for (String s : servers) {
            boolean jvm = !s.equals("nginx");
            if (!compact.equals("on") || !jvm) variants.add(new Variant(s, List.of()));
            if (!compact.equals("off") && jvm) variants.add(new Variant(s, List.of(COMPACT_HEADERS)));
        }
        return variants;
    }

    private static Measured measure(Variant v, int connections, Results results, Progress progress) throws Exception {
        progress.say(v.label() + ": starting");
        try (var child = ServerProcess.start(v.server(), v.jvmOptions(), results.logs())) {
            warm(child);
            progress.say(v.label() + ": full GC and heap histogram before");
            var heapBefore = heap(child);
            long rssBefore = rss(child);
            progress.say(v.label() + ": opening " + connections + " connections");
            try (var clients = IdleClients.open(child.address(), connections, PARALLEL,
                    n -> progress.say(v.label() + ": " + n + "/" + connections + " open"))) {
                Thread.sleep(2000);
                progress.say(v.label() + ": " + clients.opened() + " open (" + clients.failed() + " failed); GC and histogram");
                var heapAfter = heap(child);
                long rssAfter = rss(child);
                progress.say(v.label() + ": asking every connection again");
                int answered = clients.askAgain(PARALLEL);
                return new Measured(v, clients.opened(), clients.failed(), answered, heapBefore, heapAfter, rssBefore, rssAfter);
            }
        }
    }

    private static void warm(ServerProcess child) throws IOException {
        try (var socket = new java.net.Socket()) {
            socket.connect(child.address(), 5000);
            socket.setSoTimeout(5000);
            for (int i = 0; i < 200; i++) HttpProbe.exchange(socket, HttpProbe.PLAINTEXT);
        }
    }

    /** The live heap, for a JVM server; nginx has none to report. */
    private static Optional<Histogram> heap(ServerProcess child) throws IOException, InterruptedException {
        return child.isJvm() ? Optional.of(Histogram.of(child.pid())) : Optional.empty();
    }

    /** Resident set size in bytes of the server's processes, from /proc/PID/status ("VmRSS:   123456 kB"). */
    static long rss(ServerProcess child) throws IOException {
        long total = 0;
        for (long pid : child.serverPids()) total += parseRss(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        return total;
    }

    static long parseRss(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                if (parts.length == 2 && parts[1].equals("kB")) return Long.parseLong(parts[0]) * 1024;
            }
        }
        throw new IllegalArgumentException("no VmRSS line in kB");
    }

    static String report(List<Measured> measured, int connections, String machine) {
        return "## idle keep-alive connections (" + connections + " requested)\n\n" + machine
                + "; load average at the end " + Machine.loadAverage() + "; " + Machine.versions() + "\n\n" + body(measured);
    }

    /** The table, how it was measured, and where each JVM server's heap went. */
    static String body(List<Measured> measured) {
        var table = new Table("server and flags", "opened", "answered again", "heap/conn", "RSS/conn",
                "heap before", "heap after", "RSS before", "RSS after");
        for (var m : measured) {
            table.row(m.variant().label(), m.opened() + (m.failed() > 0 ? " (" + m.failed() + " failed)" : ""),
                    Integer.toString(m.answered()), Figures.bytes(m.heapPerConnection()),
                    Figures.bytes(m.rssPerConnection()), heapTotal(m.heapBefore()), heapTotal(m.heapAfter()),
                    Figures.bytes(m.rssBefore()), Figures.bytes(m.rssAfter()));
        }
        var out = new StringBuilder()
                .append("heap = live bytes after the full GC that `jcmd PID GC.class_histogram` runs (its Total line); ")
                .append("RSS = /proc/PID/status VmRSS; both after minus before, divided by the connections opened.\n\n")
                .append(table.render());
        for (var m : measured) {
            if (m.heapBefore().isPresent() && m.heapAfter().isPresent()) out.append(growth(m, m.heapBefore().get(), m.heapAfter().get()));
        }
        return out.toString();
    }

    private static String heapTotal(Optional<Histogram> h) {
        return h.map(x -> Figures.bytes(x.totalBytes())).orElse("n/a");
    }

    private static String growth(Measured m, Histogram before, Histogram after) {
        var table = new Table("class", "instances/conn", "bytes/conn");
        for (var e : after.growthSince(before, HISTOGRAM_LINES)) {
            table.row("`" + e.className().replaceFirst(" \\([\\w.]+@[^)]*\\)$", "") + "`", Figures.oneDecimal((double) e.instances() / m.opened()),
                    Figures.oneDecimal((double) e.bytes() / m.opened()));
        }
        return "\n### where the heap went: " + m.variant().label() + "\n\n" + table.render();
    }
}
