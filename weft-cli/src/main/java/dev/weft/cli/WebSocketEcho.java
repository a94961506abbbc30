package dev.weft.cli;

import dev.weft.client.WebSocketClient;
import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.websocket.WebSocket;
import dev.weft.websocket.WebSocketHandler;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code weft load --ws-echo}: WebSocket connections to an echo server, each keeping a window of
 * text messages in flight and sending the next as each comes back, for a while: messages per
 * second and round-trip latency (from a message's send to its echo, on one clock). On Weft's own
 * WebSocketClient: a few loops, no thread per connection.
 */
public final class WebSocketEcho {
    static final String HELP = """
            usage: weft load --ws-echo [options] ws://HOST:PORT/PATH

            Opens connections to a WebSocket echo server and keeps messages in flight on each for
            a while; prints messages per second and round-trip latency.

            options:
              -c, --connections N   connections (default 256)
              --in-flight N         messages in flight per connection (default 1)
              --message-bytes B     size of each text message (default 64)
              -d, --duration S      seconds to measure, after a warm-up as long (default 10)
              -t, --threads N       event loops (default: one per core)
            """;

    /** What to run. */
    public record Settings(URI uri, int connections, int inFlight, int messageBytes, Duration duration, int loops, boolean warmUp) {}

    /** What it measured; latency in microseconds. */
    public record Result(long messages, double perSecond, Histogram latency) {
        public String line() {
            return String.format(Locale.ROOT, "WSECHO messages=%d per_s=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f", messages, perSecond,
                    FanOut.Result.ms(latency, 50), FanOut.Result.ms(latency, 99), latency.getMaxValue() / 1000.0);
        }
    }

    private WebSocketEcho() {}

    static int main(String[] args, PrintStream out) throws Exception {
        int connections = 256, inFlight = 1, bytes = 64, loops = Runtime.getRuntime().availableProcessors();
        Duration duration = Duration.ofSeconds(10);
        String url = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--ws-echo" -> { }
                case "-c", "--connections" -> connections = Load.number(a, Load.value(args, ++i, a), 1, 19_000);
                case "--in-flight" -> inFlight = Load.number(a, Load.value(args, ++i, a), 1, 1024);
                case "--message-bytes" -> bytes = Load.number(a, Load.value(args, ++i, a), 0, 1 << 20);
                case "-d", "--duration" -> duration = Duration.ofSeconds(Load.number(a, Load.value(args, ++i, a), 1, 3600));
                case "-t", "--threads" -> loops = Load.number(a, Load.value(args, ++i, a), 1, 256);
                default -> {
                    if (a.startsWith("-")) throw new Options.UsageError("unknown option " + a + " (see weft load --help)");
                    url = a;
                }
            }
        }
        if (url == null || !(url.startsWith("ws://"))) throw new Options.UsageError("weft load --ws-echo needs a ws:// URL");
        var s = new Settings(URI.create(url), connections, inFlight, bytes, duration, loops, true);
        out.printf("WebSocket echo @ %s: %d connections, %d in flight each, %d-byte messages%n", url, connections, inFlight, bytes);
        Result r = run(s);
        out.printf(Locale.ROOT, "  Latency   p50 %.2f ms  p99 %.2f ms  max %.2f ms%n", FanOut.Result.ms(r.latency(), 50),
                FanOut.Result.ms(r.latency(), 99), r.latency().getMaxValue() / 1000.0);
        out.printf(Locale.ROOT, "  Messages/sec: %.0f%n%s%n", r.perSecond(), r.line());
        return 0;
    }

    /** Connects, warms up for as long as it measures (if asked), measures, and closes every connection. */
    public static Result run(Settings s) throws Exception { return run(s, () -> {}, () -> {}); }

    /** As {@link #run(Settings)}, calling {@code atStart} and {@code atEnd} around the measured part (a harness reads the server's CPU there). */
    public static Result run(Settings s, Runnable atStart, Runnable atEnd) throws Exception {
        var latency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        var counted = new LongAdder();
        var measuring = new AtomicBoolean();
        var stop = new AtomicBoolean();
        String message = "x".repeat(s.messageBytes());
        try (var group = EventLoopGroup.start(LoopConfig.defaults().withLoops(s.loops()))) {
            List<CompletableFuture<WebSocket>> sockets = new ArrayList<>();
            for (int i = 0; i < s.connections(); i++) {
                var sent = new ArrayDeque<Long>();                        // send times; this connection's loop only
                sockets.add(WebSocketClient.connect(group, s.uri(), WebSocketClient.Options.DEFAULTS, new WebSocketHandler() {
                    @Override public void onOpen(WebSocket ws) {
                        for (int k = 0; k < s.inFlight(); k++) {
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
            for (var f : sockets) f.get(30, TimeUnit.SECONDS);
            if (s.warmUp()) Thread.sleep(s.duration().toMillis());
            atStart.run();
            long start = System.nanoTime();
            measuring.set(true);
            Thread.sleep(s.duration().toMillis());
            measuring.set(false);
            long elapsed = System.nanoTime() - start;
            atEnd.run();
            stop.set(true);
            for (var f : sockets) f.get().close(1000, "");
            Thread.sleep(300);
            long n = counted.sum();
            return new Result(n, n / (elapsed / 1e9), latency.copy());
        }
    }
}
