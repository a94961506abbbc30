package dev.weft.cli;

import dev.weft.client.ClientTimeouts;
import dev.weft.client.RawConnection;
import dev.weft.client.ResponseReader;
import dev.weft.loop.EventLoop;
import dev.weft.loop.EventLoopGroup;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code weft load}: the connections, driven on their loops, and the tally. Each
 * loop's {@link Tally} is written only by that loop; the progress line reads it racily (a
 * second's figures may be a few requests behind), the report after the loops are quiet.
 */
final class LoadRun {
    private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Load.Settings settings;
    private final EventLoopGroup group;
    private final ByteBuffer request;
    private final List<Tally> tallies = new ArrayList<>();
    private volatile boolean stopping;
    private long endNanos;

    LoadRun(Load.Settings settings, EventLoopGroup group, ByteBuffer request) {
        this.settings = settings;
        this.group = group;
        this.request = request;
        for (int i = 0; i < group.loops().size(); i++) tallies.add(new Tally());
    }

    /** Counts of one loop. */
    static final class Tally {
        final Histogram latency = new Histogram(1, MAX_LATENCY_NANOS, 3);
        long requests, bytesReadAtStart, bytesRead, non2xx, connectErrors, readErrors, timeouts;
    }

    Report execute(PrintStream progress) throws Exception {
        var loops = group.loops();
        for (int i = 0; i < loops.size(); i++) {
            EventLoop loop = loops.get(i);
            Tally t = tallies.get(i);
            on(loop, () -> t.bytesReadAtStart = loop.counters().bytesRead());
        }
        long start = System.nanoTime();
        endNanos = start + settings.duration().toNanos();
        for (int i = 0; i < settings.connections(); i++) {
            int index = i % loops.size();
            EventLoop loop = loops.get(index);
            loop.execute(() -> new Driver(loop, tallies.get(index)).connect());
        }
        long lastRequests = 0;
        for (long next = start + 1_000_000_000L; System.nanoTime() < endNanos; next += 1_000_000_000L) {
            Thread.sleep(Math.max(0, Math.min(next, endNanos) - System.nanoTime()) / 1_000_000);
            if (progress == null) continue;
            long now = requests();
            progress.printf("  [%ds] %,d requests/s%n", (System.nanoTime() - start) / 1_000_000_000L, now - lastRequests);
            lastRequests = now;
        }
        stopping = true;
        long elapsed = System.nanoTime() - start;
        Thread.sleep(Math.min(settings.timeout().toMillis(), 500));       // let the last responses land
        var merged = new Histogram(1, MAX_LATENCY_NANOS, 3);
        long bytes = 0;
        for (int i = 0; i < loops.size(); i++) {
            EventLoop loop = loops.get(i);
            Tally t = tallies.get(i);
            on(loop, () -> t.bytesRead = loop.counters().bytesRead() - t.bytesReadAtStart);
            merged.add(t.latency);
            bytes += t.bytesRead;
        }
        return new Report(settings, merged, tallies, bytes, elapsed);
    }

    private long requests() {
        long n = 0;
        for (Tally t : tallies) n += t.requests;
        return n;
    }

    private static void on(EventLoop loop, Runnable task) throws Exception {
        var done = new CompletableFuture<Void>();
        loop.execute(() -> {
            task.run();
            done.complete(null);
        });
        done.get(10, TimeUnit.SECONDS);
    }

    /** One connection: keeps {@code pipeline} requests in flight; reconnects after an error. */
    private final class Driver implements ResponseReader {
        private final EventLoop loop;
        private final Tally tally;
        private final long[] sent = new long[64];   // write times of the requests in flight, oldest first
        private int first, count;
        private RawConnection connection;
        private long started, completed;           // for the interval a closed loop expects

        Driver(EventLoop loop, Tally tally) {
            this.loop = loop;
            this.tally = tally;
        }

        void connect() {
            if (stopping) return;
            var timeouts = ClientTimeouts.DEFAULTS.withConnect(settings.timeout()).withResponseHead(settings.timeout())
                    .withRead(settings.timeout());
            RawConnection.open(loop, settings.uri(), timeouts).whenComplete((c, failure) -> {
                if (failure != null) {
                    tally.connectErrors++;
                    if (!stopping) loop.schedule(100, TimeUnit.MILLISECONDS, this::connect);
                    return;
                }
                connection = c;
                first = count = 0;
                if (started == 0) started = System.nanoTime();
                for (int i = 0; i < settings.pipeline(); i++) sendOne();
            });
        }

        private void sendOne() {
            if (stopping || System.nanoTime() >= endNanos || !connection.isOpen()) return;
            sent[(first + count++) & 63] = System.nanoTime();
            connection.send(settings.method(), request, this);
        }

        @Override public void onHead(Status status, Headers headers) {
            int code = status.code();
            if (code < 200 || code >= 400) tally.non2xx++;
        }

        @Override public boolean onBytes(ByteBuffer piece) { return true; }

        @Override public void onEnd(Headers trailers) {
            long now = System.nanoTime();
            long latency = now - sent[first];
            first = (first + 1) & 63;
            count--;
            completed++;
            tally.requests++;
            long interval = (now - started) * Math.max(1, settings.pipeline()) / completed;
            tally.latency.recordValueWithExpectedInterval(Math.min(Math.max(latency, 1), MAX_LATENCY_NANOS), interval);
            sendOne();
        }

        @Override public void onFailure(Throwable cause) {
            if (stopping) return;
            if (cause instanceof SocketTimeoutException) tally.timeouts++;
            else tally.readErrors++;
            if (count > 0) {
                first = (first + 1) & 63;
                count--;
            }
            if (count == 0 && (connection == null || !connection.isOpen())) connect();
        }
    }

    /** The summary, in wrk's words and units. */
    record Report(Load.Settings settings, Histogram latency, List<Tally> tallies, long bytes, long elapsedNanos) {
        void print(PrintStream out) {
            long requests = 0, non2xx = 0, connect = 0, read = 0, timeouts = 0;
            for (Tally t : tallies) {
                requests += t.requests;
                non2xx += t.non2xx;
                connect += t.connectErrors;
                read += t.readErrors;
                timeouts += t.timeouts;
            }
            double seconds = elapsedNanos / 1e9;
            out.println("  Thread Stats   Avg      Stdev     Max   +/- Stdev");
            out.printf(Locale.ROOT, "    Latency   %8s  %8s  %8s  %7s%n", time(latency.getMean()), time(latency.getStdDeviation()),
                    time(latency.getMaxValue()), "");
            out.println("  Latency Distribution");
            for (double p : new double[] {50, 75, 90, 99, 99.9}) {
                out.printf(Locale.ROOT, "  %6s%%  %s%n", p == 99.9 ? "99.9" : Integer.toString((int) p), time(latency.getValueAtPercentile(p)));
            }
            out.printf(Locale.ROOT, "  %d requests in %.2fs, %s read%n", requests, seconds, size(bytes));
            if (connect + read + timeouts > 0) {
                out.printf("  Socket errors: connect %d, read %d, write 0, timeout %d%n", connect, read, timeouts);
            }
            if (non2xx > 0) out.printf("  Non-2xx or 3xx responses: %d%n", non2xx);
            out.printf(Locale.ROOT, "Requests/sec: %10.2f%n", requests / seconds);
            out.printf(Locale.ROOT, "Transfer/sec: %10s%n", size((long) (bytes / seconds)));
        }

        static String time(double nanos) {
            double us = nanos / 1000;
            if (us < 1000) return String.format(Locale.ROOT, "%.2fus", us);
            if (us < 1_000_000) return String.format(Locale.ROOT, "%.2fms", us / 1000);
            return String.format(Locale.ROOT, "%.2fs", us / 1_000_000);
        }

        static String size(long bytes) {
            if (bytes < 1024) return bytes + "B";
            if (bytes < 1 << 20) return String.format(Locale.ROOT, "%.2fKB", bytes / 1024.0);
            if (bytes < 1L << 30) return String.format(Locale.ROOT, "%.2fMB", bytes / 1048576.0);
            return String.format(Locale.ROOT, "%.2fGB", bytes / 1073741824.0);
        }
    }
}
