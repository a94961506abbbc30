package dev.weft.bench.load;

import dev.weft.bench.Args;
import dev.weft.bench.report.Figures;
import dev.weft.bench.report.Machine;
import dev.weft.bench.report.Results;
import dev.weft.bench.report.Table;
import dev.weft.client.WebSocketClient;
import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.websocket.WebSocket;
import dev.weft.websocket.WebSocketHandler;
import org.HdrHistogram.ConcurrentHistogram;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

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
                    echo(uri, 256, window, seconds, null);                       // warm-up
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

    /** One echo run; {@code server} (when measuring) gives the CPU time. */
    private static Echo echo(URI uri, int connections, int window, int seconds, ServerProcess server) throws Exception {
        var latency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        var counted = new LongAdder();
        var measuring = new java.util.concurrent.atomic.AtomicBoolean();
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        String message = "x".repeat(64);
        try (var group = EventLoopGroup.start(LoopConfig.defaults().withLoops(2))) {
            var sockets = new ArrayList<CompletableFuture<WebSocket>>();
            for (int i = 0; i < connections; i++) {
                var sent = new ArrayDeque<Long>();                          // send times, loop-only
                sockets.add(WebSocketClient.connect(group, uri, WebSocketClient.Options.DEFAULTS, new WebSocketHandler() {
                    @Override public void onOpen(WebSocket ws) {
                        for (int k = 0; k < window; k++) {
                            sent.add(System.nanoTime());
                            ws.sendText(message);
                        }
                    }

                    @Override public void onText(WebSocket ws, String text) {
                        long now = System.nanoTime();
                        Long at = sent.poll();
                        if (measuring.get() && at != null) {
                            counted.increment();
                            latency.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(now - at), latency.getHighestTrackableValue()));
                        }
                        if (stop.get()) return;
                        sent.add(now);
                        ws.sendText(message);
                    }
                }));
            }
            for (var s : sockets) s.get(30, TimeUnit.SECONDS);
            Thread.sleep(500);
            double cpu0 = server == null ? 0 : ServerCpu.seconds(server.cpuPids());
            long start = System.nanoTime();
            measuring.set(true);
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            measuring.set(false);
            long elapsed = System.nanoTime() - start;
            double cpu = server == null ? 0 : ServerCpu.seconds(server.cpuPids()) - cpu0;
            stop.set(true);
            for (var s : sockets) s.get().close(1000, "");
            Thread.sleep(300);
            long n = counted.sum();
            return new Echo(server == null ? "warm-up" : server.name(), window, n / (elapsed / 1e9),
                    latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0, cpu / Math.max(1, n));
        }
    }

    private static Idle idle(ServerProcess server, int connections) throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + server.address().getPort() + "/ws");
        echo(uri, 64, 4, 2, null);                                           // the code paths loaded and compiled
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
