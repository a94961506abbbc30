package dev.weft.cli;

import dev.weft.client.ClientRequest;
import dev.weft.client.ClientTimeouts;
import dev.weft.client.HttpClient;
import dev.weft.client.ResponseReader;
import dev.weft.client.WebSocketClient;
import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.sse.SseDecoder;
import dev.weft.protocol.sse.SseEvent;
import dev.weft.protocol.sse.SseLimits;
import dev.weft.websocket.WebSocket;
import dev.weft.websocket.WebSocketHandler;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

/**
 * {@code weft load --fanout MODE}: many subscribers on one channel of a publish/subscribe server
 * speaking Nchan's protocol ({@code weft pubsub}, Nchan), messages published at a steady rate,
 * and what reached whom, how fast. Where wrk cannot go: long-poll, EventSource and WebSocket.
 *
 * <h2>How it runs</h2>
 * <ol>
 *   <li>{@code N} subscribers connect to {@code BASE/sub/CHANNEL}, paced at {@code --connect-rate},
 *       on Weft's own client (a few event loops, no thread per subscriber).</li>
 *   <li>It waits until the server's channel info ({@code GET BASE/pub/CHANNEL}, JSON) counts all of
 *       them, so no message is published to a crowd still arriving.</li>
 *   <li>{@code M} messages are published by POST at {@code --rate} per second; each carries its
 *       number and the publisher's {@link System#nanoTime()}, and since the same process receives
 *       them, delivery latency is one clock's difference.</li>
 *   <li>Every subscriber counts what it got: a message after a gap in the numbers is a loss, an
 *       old number a duplicate. A long-poll subscriber asks again at once with the cursor of the
 *       answer it got ({@code If-Modified-Since}, {@code If-None-Match}), as Nchan's JS client does;
 *       the time from a publish until the last subscriber has asked again is "all back".</li>
 *   <li>It stops after the last message came to everyone, or {@code --grace} after the last
 *       publish, and closes every connection.</li>
 * </ol>
 */
public final class FanOut {
    static final String HELP = """
            usage: weft load --fanout longpoll|sse|ws [options] BASE

            Subscribes N clients to BASE/sub/CHANNEL (long-poll, EventSource or WebSocket), publishes
            messages to BASE/pub/CHANNEL at a steady rate, and reports delivery latency, losses and
            duplicates. Speaks Nchan's protocol: works against weft pubsub and Nchan alike.

            options:
              --subscribers N     subscribers (default 1000; at most 19000, one descriptor each)
              --messages M        messages to publish (default 20)
              --rate R            messages per second (default 2)
              --message-bytes B   size of each message (default 64)
              --channel C         channel name (default: fanout and a random number)
              --connect-rate K    subscribers connected per second (default 2000)
              --grace S           seconds to wait for stragglers after the last publish (default 10)
              -t, --threads N     event loops (default: one per core)
              --quiet             no progress line
            """;

    /** What to run. */
    public record Settings(String mode, URI base, String channel, int subscribers, int messages, double rate,
                           int messageBytes, int connectRate, Duration grace, int loops, boolean quiet) {
        public Settings {
            if (!List.of("longpoll", "sse", "ws").contains(mode)) throw new Options.UsageError("--fanout is longpoll, sse or ws: " + mode);
        }
    }

    /** What it measured; latencies in microseconds. */
    public record Result(Settings settings, long published, long expected, long delivered, long lost, long duplicates,
                         long failures, Histogram latency, Histogram allBack, double deliveriesPerSecond, int serverCounted,
                         double publishedPerSecond) {
        public String line() {
            return String.format(Locale.ROOT, "FANOUT mode=%s n=%d published=%d delivered=%d expected=%d lost=%d duplicates=%d"
                    + " failures=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f per_s=%.0f back_p50_ms=%.1f back_max_ms=%.1f counted=%d pub_per_s=%.1f",
                    settings.mode(), settings.subscribers(), published, delivered, expected, lost, duplicates, failures,
                    ms(latency, 50), ms(latency, 99), latency.getMaxValue() / 1000.0, deliveriesPerSecond,
                    ms(allBack, 50), allBack.getMaxValue() / 1000.0, serverCounted, publishedPerSecond);
        }

        /** The percentile of {@code h}, in milliseconds (0 when empty). */
        public static double ms(Histogram h, double percentile) {
            return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
        }

        void print(PrintStream out) {
            out.printf(Locale.ROOT, "  %d %s subscribers, %d messages of %d bytes at %.1f/s (achieved %.1f/s)%n", settings.subscribers(),
                    settings.mode(), published, settings.messageBytes(), settings.rate(), publishedPerSecond);
            out.printf(Locale.ROOT, "  Delivered    %d of %d (lost %d, duplicates %d, subscriber failures %d)%n",
                    delivered, expected, lost, duplicates, failures);
            out.printf(Locale.ROOT, "  Latency      p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms%n",
                    ms(latency, 50), ms(latency, 99), ms(latency, 99.9), latency.getMaxValue() / 1000.0);
            out.printf(Locale.ROOT, "  Deliveries/sec %.0f%n", deliveriesPerSecond);
            if (settings.mode().equals("longpoll")) {
                out.printf(Locale.ROOT, "  All back     p50 %.1f ms  max %.1f ms (publish until the last subscriber asked again)%n",
                        ms(allBack, 50), allBack.getMaxValue() / 1000.0);
            }
            out.println(line());
        }
    }

    private static final Pattern SUBSCRIBERS = Pattern.compile("\"subscribers\"\\s*:\\s*(\\d+)");

    private final Settings settings;
    private final ConcurrentHistogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
    private final LongAdder delivered = new LongAdder(), lost = new LongAdder(), duplicates = new LongAdder();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger ready = new AtomicInteger();   // subscribers in, from our side
    private volatile int serverCount = -1;                     // what the server counted when publishing began
    private final AtomicLongArray publishedAt;        // nanoTime of each publish, 0 before
    private final AtomicLongArray lastBack;           // per message: the latest re-poll after it (long-poll)
    private final AtomicLongArray reached;            // per message: subscribers that got it
    private final List<Subscriber> subscribers = new ArrayList<>();
    private volatile long lastDelivery;
    private long publishSpan;                          // from the first publish to the last one's answer
    private IntConsumer afterPublish = k -> {};       // a test's hook: runs after message k is published

    private FanOut(Settings settings) {
        this.settings = settings;
        this.publishedAt = new AtomicLongArray(settings.messages());
        this.lastBack = new AtomicLongArray(settings.messages());
        this.reached = new AtomicLongArray(settings.messages());
    }

    static int main(String[] args, PrintStream out, PrintStream progress) throws Exception {
        Settings s = parse(args);
        out.printf("Fan-out %s test @ %s/sub/%s%n", s.mode(), s.base(), s.channel());
        Result r = run(s, s.quiet() ? null : progress);
        r.print(out);
        return r.lost() == 0 && r.failures() == 0 ? 0 : 2;
    }

    static Settings parse(String[] args) {
        String mode = null, channel = "fanout" + (System.nanoTime() % 100_000), base = null;
        int n = 1000, messages = 20, bytes = 64, connectRate = 2000, loops = Runtime.getRuntime().availableProcessors();
        double rate = 2;
        Duration grace = Duration.ofSeconds(10);
        boolean quiet = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--fanout" -> mode = Load.value(args, ++i, a);
                case "--subscribers" -> n = Load.number(a, Load.value(args, ++i, a), 1, 19_000);
                case "--messages" -> messages = Load.number(a, Load.value(args, ++i, a), 1, 1_000_000);
                case "--rate" -> rate = Double.parseDouble(Load.value(args, ++i, a));
                case "--message-bytes" -> bytes = Load.number(a, Load.value(args, ++i, a), 40, 1 << 20);
                case "--channel" -> channel = Load.value(args, ++i, a);
                case "--connect-rate" -> connectRate = Load.number(a, Load.value(args, ++i, a), 1, 1_000_000);
                case "--grace" -> grace = Duration.ofMillis((long) (Double.parseDouble(Load.value(args, ++i, a)) * 1000));
                case "-t", "--threads" -> loops = Load.number(a, Load.value(args, ++i, a), 1, 256);
                case "--quiet" -> quiet = true;
                default -> {
                    if (a.startsWith("-")) throw new Options.UsageError("unknown option " + a + " (see weft load --help)");
                    base = a;
                }
            }
        }
        if (base == null) throw new Options.UsageError("weft load --fanout needs a BASE URL, such as http://127.0.0.1:8090");
        if (!(rate > 0)) throw new Options.UsageError("--rate must be positive");
        URI uri = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) throw new Options.UsageError("not an http:// URL: " + base);
        return new Settings(mode, uri, channel, n, messages, rate, bytes, connectRate, grace, loops, quiet);
    }

    /** Runs the whole sequence; {@code progress} (may be null) gets a line now and then. */
    public static Result run(Settings s, PrintStream progress) throws Exception {
        return new FanOut(s).execute(progress, () -> {});
    }

    /**
     * As {@link #run(Settings, PrintStream)}; {@code whenSubscribed} runs once the server counts every
     * subscriber and before the first publish (a harness measures the server's memory there).
     */
    public static Result run(Settings s, PrintStream progress, Runnable whenSubscribed) throws Exception {
        return new FanOut(s).execute(progress, whenSubscribed);
    }

    /**
     * As {@link #run(Settings, PrintStream)}, with the first {@code vanish} subscribers closed from
     * our side right after message {@code after} is published: a test that a subscriber gone
     * mid-run is counted as lost and waited for no longer than {@code --grace}.
     */
    static Result runVanishing(Settings s, int vanish, int after) throws Exception {
        var f = new FanOut(s);
        f.afterPublish = k -> {
            if (k == after) for (int i = 0; i < vanish; i++) f.subscribers.get(i).close();
        };
        return f.execute(null, () -> {});
    }

    private Result execute(PrintStream progress, Runnable whenSubscribed) throws Exception {
        var timeouts = ClientTimeouts.DEFAULTS.withResponseHead(Duration.ofMinutes(10)).withRead(Duration.ofMinutes(10))
                .withExchange(Duration.ofMinutes(10));
        int pool = settings.subscribers() + 8;
        try (var group = EventLoopGroup.start(LoopConfig.defaults().withLoops(settings.loops()));
             var client = HttpClient.builder().group(group).timeouts(timeouts).maxConnectionsPerOrigin(pool)
                     .maxConnections(pool).maxWaiting(pool).build();
             var control = HttpClient.builder().loops(1).build()) {
            connectAll(group, client, progress);
            awaitSubscribed(control, progress);
            whenSubscribed.run();
            long first = System.nanoTime();
            publishAll(control, progress);
            long lastPublish = System.nanoTime();
            publishSpan = lastPublish - first;
            awaitDeliveries(lastPublish, progress);
            long end = Math.max(lastDelivery, lastPublish);
            for (Subscriber sub : subscribers) sub.close();
            return result(Math.max(1, end - first));
        }
    }

    private void connectAll(EventLoopGroup group, HttpClient client, PrintStream progress) throws InterruptedException {
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / settings.connectRate();
        URI sub = URI.create(settings.base() + "/sub/" + settings.channel());
        for (int i = 0; i < settings.subscribers(); i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
            Subscriber s = switch (settings.mode()) {
                case "sse" -> new EventSourceSub(client, sub);
                case "longpoll" -> new LongPollSub(client, sub);
                default -> new WebSocketSub(group, sub);
            };
            subscribers.add(s);
            s.start();
            if (progress != null && (i + 1) % 1000 == 0) progress.printf("\r  connecting: %d", i + 1);
        }
    }

    /**
     * Until every subscriber is in from our side (a stream's head came, a WebSocket opened, a poll
     * was sent) and the server's channel info counts them all, or 60 s. Nchan with several workers
     * may go on counting only some (each worker's own); a count that stays put for 2 s while all
     * are in from our side is taken as final.
     */
    private void awaitSubscribed(HttpClient control, PrintStream progress) throws Exception {
        long start = System.nanoTime(), due = start + TimeUnit.SECONDS.toNanos(60);
        String info = settings.base() + "/pub/" + settings.channel();
        int seen = -1, wanted = settings.subscribers();
        long stableSince = start;
        while (System.nanoTime() < due) {
            var r = control.sendBlocking(ClientRequest.get(info).header("accept", "text/json"));
            var m = SUBSCRIBERS.matcher(r.text());
            int now = m.find() ? Integer.parseInt(m.group(1)) : 0;
            if (now != seen) stableSince = System.nanoTime();
            seen = now;
            int in = ready.get(), out = failures.get();
            if (progress != null) progress.printf("\r  subscribed: %d in, server counts %d of %d   ", in, seen, wanted);
            if (in + out >= wanted && (seen >= wanted - out || System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(2))) {
                serverCount = seen;
                break;
            }
            Thread.sleep(100);
        }
        if (progress != null) progress.println();
        if (ready.get() + failures.get() < wanted) {
            throw new IllegalStateException(ready.get() + " of " + wanted + " subscribers in after 60 s (the server counts " + seen + ")");
        }
    }

    private void publishAll(HttpClient control, PrintStream progress) throws Exception {
        String pub = settings.base() + "/pub/" + settings.channel();
        long start = System.nanoTime();
        double interval = TimeUnit.SECONDS.toNanos(1) / settings.rate();
        for (int k = 0; k < settings.messages(); k++) {
            long wait = start + (long) (k * interval) - System.nanoTime();
            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
            long now = System.nanoTime();
            publishedAt.set(k, now);
            String head = "m " + k + " " + now + " ";
            byte[] body = (head + "x".repeat(Math.max(0, settings.messageBytes() - head.length()))).getBytes(StandardCharsets.US_ASCII);
            var r = control.sendBlocking(ClientRequest.post(pub, body).header("content-type", "text/plain"));
            if (r.status().code() >= 300) throw new IllegalStateException("publishing answered " + r.status());
            afterPublish.accept(k);
            if (progress != null) progress.printf("\r  published %d, delivered %d   ", k + 1, delivered.sum());
        }
        if (progress != null) progress.println();
    }

    private void awaitDeliveries(long lastPublish, PrintStream progress) throws InterruptedException {
        long due = lastPublish + settings.grace().toNanos();
        int last = settings.messages() - 1;
        while (System.nanoTime() < due && reached.get(last) < settings.subscribers() - failures.get()) Thread.sleep(20);
        if (settings.mode().equals("longpoll")) Thread.sleep(200);      // the last re-polls, for "all back"
    }

    private Result result(long nanos) {
        long expected = (long) settings.subscribers() * settings.messages();
        long got = delivered.sum();
        long missing = 0;
        for (Subscriber s : subscribers) missing += settings.messages() - 1 - s.last;   // never came, at the end
        var back = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
        if (settings.mode().equals("longpoll")) {
            for (int k = 0; k < settings.messages(); k++) {
                long b = lastBack.get(k), p = publishedAt.get(k);
                if (b > p && p > 0) back.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(b - p), back.getHighestTrackableValue()));
            }
        }
        return new Result(settings, settings.messages(), expected, got, lost.sum() + Math.max(0, missing), duplicates.sum(),
                failures.get(), latency.copy(), back, got / (nanos / 1e9), serverCount,
                settings.messages() <= 1 ? settings.rate() : (settings.messages() - 1) / (publishSpan / 1e9));
    }

    // ---- subscribers ----

    /** One subscriber's bookkeeping; its callbacks come on one loop. */
    private abstract class Subscriber {
        int last = -1;                                   // the last message number received
        boolean failed;

        abstract void start();

        abstract void close();

        /** A message body arrived. */
        void received(String body) {
            long now = System.nanoTime();
            int sp1 = body.indexOf(' '), sp2 = body.indexOf(' ', sp1 + 1), sp3 = body.indexOf(' ', sp2 + 1);
            if (!body.startsWith("m ") || sp2 < 0 || sp3 < 0) return;          // not ours (a server's greeting)
            int k = Integer.parseInt(body, sp1 + 1, sp2, 10);
            long sent = Long.parseLong(body, sp2 + 1, sp3, 10);
            if (k <= last) {
                duplicates.increment();
                return;
            }
            if (k > last + 1) lost.add(k - last - 1);
            last = k;
            delivered.increment();
            reached.incrementAndGet(k);
            latency.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(now - sent), latency.getHighestTrackableValue()));
            lastDelivery = now;
        }

        void failed(Throwable cause) {
            if (failed) return;
            failed = true;
            failures.incrementAndGet();
        }
    }

    private final class EventSourceSub extends Subscriber implements ResponseReader {
        private final HttpClient client;
        private final URI uri;
        private final SseDecoder decoder = new SseDecoder(SseLimits.DEFAULTS);
        private dev.weft.client.ClientCall call;
        private volatile boolean closed;

        EventSourceSub(HttpClient client, URI uri) {
            this.client = client;
            this.uri = uri;
        }

        @Override void start() {
            call = client.send(ClientRequest.get(uri.toString()).header("accept", "text/event-stream"), this);
        }

        @Override void close() {
            closed = true;
            if (call != null) call.cancel();
        }

        @Override public void onHead(Status status, Headers headers) {
            if (status.code() != 200) failed(new IllegalStateException("answered " + status));
            else ready.incrementAndGet();
        }

        @Override public boolean onBytes(ByteBuffer piece) {
            decoder.feed(piece);
            for (SseEvent e; (e = decoder.next()) != SseEvent.Signal.NEED_MORE; ) {
                if (e instanceof SseEvent.Message m) received(m.data());
                if (e == SseEvent.Signal.CLOSED) break;
            }
            return true;
        }

        @Override public void onEnd(Headers trailers) { if (!closed) failed(new IllegalStateException("the stream ended")); }

        @Override public void onFailure(Throwable cause) { if (!closed) failed(cause); }
    }

    private final class LongPollSub extends Subscriber implements ResponseReader {
        private final HttpClient client;
        private final URI uri;
        private String lastModified, etag;
        private Status status;
        private byte[] body = new byte[0];
        private int size;
        private volatile boolean closed;
        private volatile dev.weft.client.ClientCall call;

        LongPollSub(HttpClient client, URI uri) {
            this.client = client;
            this.uri = uri;
        }

        @Override void start() {
            poll();
            ready.incrementAndGet();
        }

        private void poll() {
            if (closed) return;
            var request = ClientRequest.get(uri.toString());
            if (lastModified != null) request = request.header("if-modified-since", lastModified);
            if (etag != null) request = request.header("if-none-match", etag);
            size = 0;
            call = client.send(request, this);
            if (closed) call.cancel();        // close() ran on another thread meanwhile and saw the old call
            if (last >= 0) lastBack.accumulateAndGet(last, System.nanoTime(), Math::max);
        }

        @Override void close() {
            closed = true;
            if (call != null) call.cancel();
        }

        @Override public void onHead(Status s, Headers headers) {
            status = s;
            if (s.code() == 200) {
                lastModified = headers.firstOr("last-modified", lastModified);
                etag = headers.firstOr("etag", etag);
            }
        }

        @Override public boolean onBytes(ByteBuffer piece) {
            if (body.length - size < piece.remaining()) body = java.util.Arrays.copyOf(body, Math.max(256, size + piece.remaining()));
            int n = piece.remaining();
            piece.get(body, size, n);
            size += n;
            return true;
        }

        @Override public void onEnd(Headers trailers) {
            int code = status.code();
            if (code == 200) received(new String(body, 0, size, StandardCharsets.US_ASCII));
            else if (code != 304 && code != 408) {
                failed(new IllegalStateException("answered " + status));
                return;
            }
            poll();
        }

        @Override public void onFailure(Throwable cause) { if (!closed) failed(cause); }
    }

    private final class WebSocketSub extends Subscriber implements WebSocketHandler {
        private final EventLoopGroup group;
        private final URI uri;
        private volatile WebSocket ws;

        WebSocketSub(EventLoopGroup group, URI http) {
            this.group = group;
            this.uri = URI.create("ws" + http.toString().substring(4));
        }

        @Override void start() {
            WebSocketClient.connect(group, uri, WebSocketClient.Options.DEFAULTS, this).whenComplete((w, failure) -> {
                if (failure != null) failed(failure);
                else {
                    ws = w;
                    ready.incrementAndGet();
                }
            });
        }

        @Override void close() {
            WebSocket w = ws;
            if (w != null) w.close(1000, "");
        }

        @Override public void onText(WebSocket w, String text) { received(text); }

        @Override public void onBinary(WebSocket w, ByteBuffer bytes) { received(StandardCharsets.US_ASCII.decode(bytes).toString()); }

        @Override public void onClose(WebSocket w, int code, String reason) {
            if (code != 1000 && code != 1005) failed(new IllegalStateException("closed " + code + " " + reason));
        }
    }
}
