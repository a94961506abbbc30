package dev.weft.bench.load;

import dev.weft.bench.Args;
import dev.weft.bench.report.Figures;
import dev.weft.bench.report.Machine;
import dev.weft.bench.report.Results;
import dev.weft.bench.report.Table;
import dev.weft.cli.WebSocketEcho;
import dev.weft.client.WebSocketClient;
import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.websocket.WebSocket;
import dev.weft.websocket.WebSocketHandler;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code weft bench websocket}: Weft's WebSocket server beside Netty's (each a child JVM, the
 * {@code /ws} echo of their peers), driven by Weft's WebSocketClient in this process.
 * <ul>
 *   <li>echo: 256 connections, each keeping {@code --window} 64-byte text messages in flight and
 *       sending the next as each comes back, for {@code --seconds} after a warm-up of the same
 *       length; messages per second, round-trip latency, server CPU per message;</li>
 *   <li>idle: {@code --idle} WebSocket connections opened and left alone, then the server's live
 *       heap (a full GC's class histogram) per connection, over the server with none.</li>
 * </ul>
 */
public final class WebSocketCommand {
    private WebSocketCommand() {}

    record Echo(String server, int window, double perSecond, double p50, double p99, double cpuPerMessage) {}

    record Idle(String server, int connections, double heapPerConnection, double rssPerConnection) {}

    public static void run(Args args) throws Exception {
        boolean quick = args.flag("--quick");
        int seconds = args.intOption("--seconds", quick ? 3 : 10);
        int idle = args.intOption("--idle", quick ? 1000 : 15000);
        List<String> servers = List.of(args.option("--servers").orElse("weft,netty-epoll").split(","));
        args.finish();
        var results = Results.create();
        String machine = Machine.describe();
        var echoes = new ArrayList<Echo>();
        var idles = new ArrayList<Idle>();
        for (String server : servers) {
            try (var child = ServerProcess.start(server, List.of(), results.logs())) {
                URI uri = URI.create("ws://127.0.0.1:" + child.address().getPort() + "/ws");
                for (int window : new int[] {1, 16}) {
                    System.err.println(server + ": echo, window " + window);
                    echoes.add(echo(uri, 256, window, seconds, child));
                }
            }
            try (var child = ServerProcess.start(server, List.of(), results.logs())) {
                System.err.println(server + ": " + idle + " idle WebSockets");
                idles.add(idle(child, idle));
            }
        }
        var echoTable = new Table("server", "in flight per connection", "messages/s", "p50", "p99", "server CPU per message");
        for (Echo e : echoes) {
            echoTable.row(e.server(), Integer.toString(e.window()), Figures.whole(e.perSecond()), ms(e.p50()), ms(e.p99()),
                    Figures.micros(e.cpuPerMessage() * 1e6));
        }
        var idleTable = new Table("server", "idle WebSockets", "live heap per connection", "RSS per connection");
        for (Idle i : idles) {
            idleTable.row(i.server(), Integer.toString(i.connections()), kib(i.heapPerConnection()), kib(i.rssPerConnection()));
        }
        String report = "## websocket (Weft's WebSocketClient in the harness; 256 connections, 64-byte text messages, " + seconds
                + " s after a warm-up as long)\n\n" + machine + "; load average at the end " + Machine.loadAverage() + "; "
                + Machine.versions() + "\n\n### echo\n\n" + echoTable.render() + "\n### idle\n\n" + idleTable.render();
        System.out.println(report);
        System.out.println("written to " + results.write("websocket", report));
    }

    private static String ms(double v) { return String.format(Locale.ROOT, "%.2f ms", v); }

    private static String kib(double bytes) { return String.format(Locale.ROOT, "%.2f KiB", bytes / 1024); }

    /** One echo run ({@code weft load --ws-echo}'s engine), warmed up first; the server's CPU over the measured part. */
    private static Echo echo(URI uri, int connections, int window, int seconds, ServerProcess server) throws Exception {
        var settings = new WebSocketEcho.Settings(uri, connections, window, 64, Duration.ofSeconds(seconds), 2, true);
        if (server == null) {
            var r = WebSocketEcho.run(settings);
            return new Echo("warm-up", window, r.perSecond(), 0, 0, 0);
        }
        double[] cpu = new double[2];
        var r = WebSocketEcho.run(settings, () -> cpu[0] = ServerCpu.seconds(server.cpuPids()),
                () -> cpu[1] = ServerCpu.seconds(server.cpuPids()));
        return new Echo(server.name(), window, r.perSecond(), r.latency().getValueAtPercentile(50) / 1000.0,
                r.latency().getValueAtPercentile(99) / 1000.0, (cpu[1] - cpu[0]) / Math.max(1, r.messages()));
    }

    private static Idle idle(ServerProcess server, int connections) throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + server.address().getPort() + "/ws");
        echo(uri, 64, 4, 1, null);                                           // the code paths loaded and compiled
        Thread.sleep(500);
        long heap0 = Histogram.of(server.pid()).totalBytes();
        long rss0 = IdleScenario.rss(server);
        var opened = new AtomicLong();
        try (var group = EventLoopGroup.start(LoopConfig.defaults().withLoops(2))) {
            var sockets = new ArrayList<CompletableFuture<WebSocket>>(connections);
            long start = System.nanoTime(), interval = TimeUnit.SECONDS.toNanos(1) / 3000;   // 3,000 a second
            for (int i = 0; i < connections; i++) {
                long wait = start + i * interval - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                var f = WebSocketClient.connect(group, uri, WebSocketClient.Options.DEFAULTS, new WebSocketHandler() {});
                f.thenRun(opened::incrementAndGet);
                sockets.add(f);
            }
            for (var s : sockets) s.get(60, TimeUnit.SECONDS);
            Thread.sleep(1000);
            long heap = Histogram.of(server.pid()).totalBytes();
            long rss = IdleScenario.rss(server);
            for (var s : sockets) s.get().close(1000, "");
            return new Idle(server.name(), (int) opened.get(), (heap - heap0) / (double) connections, (rss - rss0) / (double) connections);
        }
    }
}
