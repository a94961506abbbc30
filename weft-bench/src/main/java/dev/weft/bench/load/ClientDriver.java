package dev.weft.bench.load;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A child JVM for the client benchmark: {@code CONCURRENCY} chains of asynchronous requests
 * through one client library, each chain sending its next request when a response has been read
 * whole; a warm-up, then {@code SECONDS} counted. Prints {@code Requests/sec: N} as wrk does.
 * Usage: {@code ClientDriver weft|jdk URL CONCURRENCY SECONDS}.
 */
public final class ClientDriver {
    private ClientDriver() {}

    public static void main(String[] args) throws Exception {
        String which = args[0];
        URI uri = URI.create(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        var counting = new AtomicBoolean();
        var stop = new AtomicBoolean();
        var done = new AtomicLong();
        var errors = new AtomicLong();
        Runnable[] chains = new Runnable[concurrency];
        AutoCloseable client;
        if (which.equals("weft")) {
            var weft = dev.weft.client.HttpClient.builder().loops(2).maxConnectionsPerOrigin(concurrency).build();
            var request = dev.weft.client.ClientRequest.get(uri.toString());
            for (int i = 0; i < concurrency; i++) {
                Runnable[] self = new Runnable[1];
                self[0] = () -> weft.send(request).whenComplete((r, e) -> {
                    if (e != null) errors.incrementAndGet();
                    else if (counting.get()) done.incrementAndGet();
                    if (!stop.get()) self[0].run();
                });
                chains[i] = self[0];
            }
            client = weft;
        } else {
            var jdk = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            var request = HttpRequest.newBuilder(uri).build();
            for (int i = 0; i < concurrency; i++) {
                Runnable[] self = new Runnable[1];
                self[0] = () -> jdk.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) -> {
                    if (e != null) errors.incrementAndGet();
                    else if (counting.get()) done.incrementAndGet();
                    if (!stop.get()) self[0].run();
                });
                chains[i] = self[0];
            }
            client = jdk;
        }
        for (Runnable chain : chains) chain.run();
        Thread.sleep(TimeUnit.SECONDS.toMillis(3));                     // warm-up
        counting.set(true);
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        counting.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long n = done.get();
        stop.set(true);
        System.out.printf(java.util.Locale.ROOT, "  %d requests in %.2fs, errors %d%nRequests/sec: %.2f%n", n, elapsed, errors.get(), n / elapsed);
        System.out.flush();
        client.close();
        System.exit(0);
    }
}
