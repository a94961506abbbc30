package dev.weft.bench.load;

import dev.weft.bench.Args;
import dev.weft.bench.report.Figures;
import dev.weft.bench.report.Machine;
import dev.weft.bench.report.Results;
import dev.weft.bench.report.Table;
import dev.weft.cli.FanOut;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code weft bench fanout}: publish/subscribe fan-out, Weft ({@code weft pubsub}, a child JVM)
 * beside Nchan (Debian's nginx module, master and workers) in the same run, measured by
 * {@code weft load --fanout} (Weft's client in this process). Each scenario starts a fresh server,
 * connects the subscribers, and once the server counts them all reads its memory (RSS of every
 * process; for Weft also the live heap after a full GC) and its CPU time; then the messages are
 * published and the CPU time read again. Memory per subscriber is what the subscribers added over
 * the idle server; CPU per delivery is the server's CPU over the publishing phase (re-polls
 * included) divided by the deliveries.
 */
public final class FanOutCommand {
    private FanOutCommand() {}

    record Scenario(String mode, int subscribers, int messages, double rate) {
        String name() {
            return mode + " " + subscribers + (mode.equals("longpoll") ? "" : " at " + Figures.whole(rate) + "/s");
        }
    }

    record Measured(Scenario scenario, String server, FanOut.Result result, double rssPerSub, double heapPerSub, double cpuPerDelivery) {}

    public static void run(Args args) throws Exception {
        boolean quick = args.flag("--quick");
        List<String> servers = List.of(args.option("--servers").orElse("weft,nchan").split(","));
        args.finish();
        List<Scenario> scenarios = quick
                ? List.of(new Scenario("longpoll", 200, 5, 2), new Scenario("sse", 500, 10, 5))
                : List.of(new Scenario("longpoll", 1000, 20, 2), new Scenario("longpoll", 5000, 20, 2),
                          new Scenario("longpoll", 15000, 20, 2), new Scenario("sse", 10000, 50, 5),
                          new Scenario("sse", 10000, 200, 20));
        var results = Results.create();
        String machine = Machine.describe();
        var measured = new ArrayList<Measured>();
        for (Scenario s : scenarios) {
            for (String server : servers) {
                System.err.println(s.name() + ": " + server);
                measured.add(measure(s, server, results.logs()));
            }
        }
        String report = "## fanout (weft load --fanout against weft pubsub and Nchan, one fresh server per row, warmed"
                + " by 40 messages to up to 2,000 subscribers first; 64-byte messages)\n\n" + machine
                + "; load average at the end " + Machine.loadAverage() + "; " + Machine.versions() + "\n\n" + table(measured).render()
                + "\n" + String.join("\n", measured.stream().map(m -> m.server() + " " + m.result().line()).toList()) + "\n";
        System.out.println(report);
        System.out.println("written to " + results.write("fanout", report));
    }

    private static Table table(List<Measured> measured) {
        var t = new Table("scenario", "server", "published/s", "delivered", "lost", "dup", "p50", "p99", "max", "all back (max)",
                "deliveries/s", "server CPU per delivery", "RSS per subscriber", "live heap per subscriber");
        for (Measured m : measured) {
            var r = m.result();
            boolean poll = m.scenario().mode().equals("longpoll");
            t.row(m.scenario().name(), m.server(), Figures.oneDecimal(r.publishedPerSecond()), r.delivered() + " / " + r.expected(), Long.toString(r.lost()),
                    Long.toString(r.duplicates()), ms(FanOut.Result.ms(r.latency(), 50)), ms(FanOut.Result.ms(r.latency(), 99)),
                    ms(r.latency().getMaxValue() / 1000.0), poll ? ms(r.allBack().getMaxValue() / 1000.0) : "-",
                    Figures.whole(r.deliveriesPerSecond()), Figures.micros(m.cpuPerDelivery() * 1e6),
                    kib(m.rssPerSub()), Double.isNaN(m.heapPerSub()) ? "-" : kib(m.heapPerSub()));
        }
        return t;
    }

    private static String ms(double v) { return String.format(Locale.ROOT, "%.1f ms", v); }

    private static String kib(double bytes) { return String.format(Locale.ROOT, "%.2f KiB", bytes / 1024); }

    private static Measured measure(Scenario s, String server, Path logs) throws Exception {
        try (var peer = server.equals("nchan") ? Peer.nchan(logs) : Peer.weft(logs)) {
            // The same warm-up for both: a JVM measured cold would be measured compiling its code.
            var warm = new FanOut.Settings(s.mode(), URI.create("http://127.0.0.1:" + peer.port), "warmup",
                    Math.min(s.subscribers(), 2000), 40, 20, 64, 2000, Duration.ofSeconds(10), 2, true);
            FanOut.run(warm, null);
            Thread.sleep(500);
            long heap0 = peer.heap();                          // the GC first: it may give memory back
            long rss0 = peer.rss();
            long[] at = new long[2];
            double[] cpu = new double[1];
            var settings = new FanOut.Settings(s.mode(), URI.create("http://127.0.0.1:" + peer.port), "bench" + System.nanoTime() % 100_000,
                    s.subscribers(), s.messages(), s.rate(), 64, 2000, Duration.ofSeconds(10), 2, true);
            FanOut.Result r = FanOut.run(settings, null, () -> {
                try {
                    at[1] = peer.heap();
                    at[0] = peer.rss();
                    cpu[0] = ServerCpu.seconds(peer.pids());
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            double cpuUsed = ServerCpu.seconds(peer.pids()) - cpu[0];
            return new Measured(s, server, r, (at[0] - rss0) / (double) s.subscribers(),
                    heap0 < 0 ? Double.NaN : (at[1] - heap0) / (double) s.subscribers(), cpuUsed / Math.max(1, r.delivered()));
        }
    }

    /** A pub/sub server in processes of its own. */
    static final class Peer implements AutoCloseable {
        private static final Pattern USED = Pattern.compile("used (\\d+)K");
        final Process process;
        final int port;
        final boolean jvm;

        private Peer(Process process, int port, boolean jvm) {
            this.process = process;
            this.port = port;
            this.jvm = jvm;
        }

        /** {@code weft pubsub} as shipped: the launcher's JVM options, JAVA_OPTS, the harness's class path. */
        static Peer weft(Path logs) throws Exception {
            int port = ServerProcess.freePort();
            var command = new ArrayList<String>();
            command.add(Jdk.tool("java").toString());
            command.addAll(ServerProcess.jvmOptions(List.of("-XX:+UseCompactObjectHeaders")));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.weft.cli.Main", "pubsub", "--port",
                    Integer.toString(port)));
            Files.createDirectories(logs);
            var p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logs.resolve("weft-pubsub-" + port + ".log").toFile()).start();
            return started(new Peer(p, port, true));
        }

        /** Nginx with Nchan, one worker per core, descriptors for every subscriber. */
        static Peer nchan(Path logs) throws Exception {
            Path nginx = Debian.ensure("nginx", "nginx");
            Path module = Path.of("/usr/lib/nginx/modules/ngx_nchan_module.so");
            if (!Files.exists(module)) throw new IOException("Nchan is not installed: apt-get install libnginx-mod-nchan");
            int port = ServerProcess.freePort();
            Path dir = Files.createTempDirectory("weft-bench-nchan");
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(dir.resolve("nginx.conf"), """
                    load_module %3$s;
                    worker_processes auto;                      # one per core, as Weft has one loop per core
                    worker_rlimit_nofile 20000;
                    daemon off;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    events { worker_connections 19000; }
                    http {
                        access_log off;
                        client_body_temp_path %1$s/body;
                        proxy_temp_path %1$s/proxy;
                        fastcgi_temp_path %1$s/fastcgi;
                        uwsgi_temp_path %1$s/uwsgi;
                        scgi_temp_path %1$s/scgi;
                        nchan_shared_memory_size 128M;
                        server {
                            listen 127.0.0.1:%2$d;
                            location ~ ^/pub/(\\w+)$ { nchan_publisher; nchan_channel_id $1; }
                            location ~ ^/sub/(\\w+)$ { nchan_subscriber; nchan_channel_id $1; }
                        }
                    }
                    """.formatted(dir, port, module));
            Files.createDirectories(logs);
            var p = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                    .redirectErrorStream(true).redirectOutput(logs.resolve("nchan-" + port + ".log").toFile()).start();
            return started(new Peer(p, port, false));
        }

        private static Peer started(Peer peer) throws Exception {
            long due = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < due) {
                if (!peer.process.isAlive()) throw new IOException("the server exited with " + peer.process.exitValue());
                try (var s = new Socket("127.0.0.1", peer.port)) {
                    return peer;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            peer.close();
            throw new IOException("nothing listened on " + peer.port);
        }

        /** The process and its children (nginx's workers). */
        List<Long> pids() {
            var pids = new ArrayList<Long>();
            pids.add(process.pid());
            process.children().forEach(c -> pids.add(c.pid()));
            return pids;
        }

        long rss() throws IOException {
            long total = 0;
            for (long pid : pids()) total += IdleScenario.parseRss(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            return total;
        }

        /** Live heap after a full GC, in bytes; -1 for a server that is not a JVM. */
        long heap() throws IOException, InterruptedException {
            if (!jvm) return -1;
            jcmd("GC.run");
            var m = USED.matcher(jcmd("GC.heap_info"));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        }

        private String jcmd(String what) throws IOException, InterruptedException {
            var p = new ProcessBuilder(Jdk.tool("jcmd").toString(), Long.toString(process.pid()), what).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        }

        @Override public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
            process.children().forEach(ProcessHandle::destroyForcibly);
        }
    }
}
