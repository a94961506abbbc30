package dev.weft.client;

import dev.weft.loop.EventLoop;
import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Status;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An HTTP/1.1 client on Weft's event loops (its own, or shared with a server), built on the same
 * sans-IO parser and writer as the server, in their client role.
 * <pre>{@code
 * try (var client = HttpClient.builder().build()) {
 *     ClientResponse r = client.send(ClientRequest.get("http://127.0.0.1:8080/hello")).join();
 *     String text = client.sendBlocking(ClientRequest.get("http://127.0.0.1:8080/hello")).text();   // a virtual thread parks
 * }
 * }</pre>
 * Four ways to read a response: whole, as a future ({@link #send(ClientRequest)}); whole, parking
 * the calling (virtual) thread ({@link #sendBlocking}); as an InputStream on a virtual thread, with
 * backpressure ({@link #sendStreaming}); or piece by piece on the loop with demand
 * ({@link #send(ClientRequest, ResponseReader)}). A request body is in memory, or written as it is
 * sent by a {@link ClientRequest.BodySource}, held back at the connection's water marks. A future
 * completes on the loop: stages chained to it run there too, and must not block.
 *
 * <p>Connections are pooled per origin and per loop (see {@link ClientLoop}); a request from a
 * loop thread stays on that loop. A request that failed on a reused keep-alive connection before
 * any byte of its response came (the server closed it as we sent) is retried once on a new
 * connection when its method is idempotent (RFC 9110 §9.2.2), as browsers and OkHttp do.
 * {@code Expect: 100-continue} is sent with bodies of {@value #EXPECT_CONTINUE_ABOVE} bytes or more.
 * Redirects are not followed unless {@link Builder#followRedirects} allows some, and then only
 * for responses read whole: 301, 302 and 303 become a GET without a body (as browsers do for a
 * POST), 307 and 308 repeat the method and body (RFC 9110 §15.4); Authorization and Cookie are
 * not sent to another origin; past the count, or to a scheme other than http, the 3xx is returned.
 */
public final class HttpClient implements AutoCloseable {
    static final long EXPECT_CONTINUE_ABOVE = 1 << 20;
    private static final Set<Method> IDEMPOTENT = Set.of(Method.GET, Method.HEAD, Method.PUT, Method.DELETE,
            Method.OPTIONS, Method.TRACE);

    /** The client's settings, with each limit's share per loop. */
    record Settings(ClientTimeouts timeouts, int perLoopPerOrigin, int perLoopTotal, int maxWaiting, long maxBodyBytes,
                    int maxRedirects) {}

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final List<ClientLoop> loops;
    private final Settings settings;

    private HttpClient(Builder b) {
        this.ownsGroup = b.group == null;
        this.group = ownsGroup ? EventLoopGroup.start(LoopConfig.defaults().withLoops(b.loops)) : b.group;
        int n = group.loops().size();
        this.settings = new Settings(b.timeouts, Math.max(1, ceilDiv(b.maxPerOrigin, n)), Math.max(1, ceilDiv(b.maxTotal, n)),
                b.maxWaiting, b.maxBodyBytes, b.maxRedirects);
        var perLoop = new ArrayList<ClientLoop>(n);
        for (EventLoop loop : group.loops()) perLoop.add(new ClientLoop(loop, settings));
        this.loops = List.copyOf(perLoop);
    }

    public static Builder builder() { return new Builder(); }

    /** Sends {@code request} and reads the whole response (at most {@code maxBodyBytes}, else it fails). */
    public CompletableFuture<ClientResponse> send(ClientRequest request) { return followed(request, settings.maxRedirects()); }

    /** Sends {@code request}, then follows at most {@code left} redirects. */
    private CompletableFuture<ClientResponse> followed(ClientRequest request, int left) {
        var collector = new Collector();
        send(request, collector);
        if (left == 0) return collector.result;
        return collector.result.thenCompose(r -> Redirects.next(request, r)
                .map(next -> followed(next, left - 1))
                .orElse(CompletableFuture.completedFuture(r)));
    }

    /**
     * Sends {@code request} and parks the calling thread until the whole response is read; meant
     * for virtual threads. Interrupting the thread cancels the exchange.
     */
    public ClientResponse sendBlocking(ClientRequest request) throws IOException, InterruptedException {
        ClientResponse r = sendOnceBlocking(request);
        for (int left = settings.maxRedirects(); left > 0; left--) {
            var next = Redirects.next(request, r);
            if (next.isEmpty()) break;
            request = next.get();
            r = sendOnceBlocking(request);
        }
        return r;
    }

    private ClientResponse sendOnceBlocking(ClientRequest request) throws IOException, InterruptedException {
        var collector = new Collector();
        return park(collector.result, send(request, collector));
    }

    /** Parks the calling thread until {@code result}; an interrupt cancels {@code call}. */
    private static <T> T park(CompletableFuture<T> result, ClientCall call) throws IOException, InterruptedException {
        try {
            return result.get();
        } catch (InterruptedException e) {
            call.cancel();
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            throw new IOException(cause.getMessage(), cause);
        }
    }

    /**
     * Sends {@code request} and parks the calling (virtual) thread until the response head comes;
     * the body is then read from {@link ClientStream#body()} as it arrives, with backpressure.
     * Close the stream when done with it.
     */
    public ClientStream sendStreaming(ClientRequest request) throws IOException, InterruptedException {
        var stream = new ClientStream();
        ClientCall call = send(request, stream.reader());
        stream.start(call);
        return park(stream.headed(), call);
    }

    /** Sends {@code request}; {@code reader} gets the response on the loop, piece by piece. */
    public ClientCall send(ClientRequest request, ResponseReader reader) { return send(request, reader, settings.timeouts()); }

    /** As {@link #send(ClientRequest, ResponseReader)} with deadlines of its own (an event stream's silence, say). */
    ClientCall send(ClientRequest request, ResponseReader reader, ClientTimeouts timeouts) {
        Origin origin = Origin.of(request.uri());
        ClientLoop target = loopFor();
        var call = new Call(target, origin, request, reader, timeouts);
        call.start();
        return call;
    }

    /** Connections open now, over all loops (a little stale off the loops). */
    public int openConnections() { return loops.stream().mapToInt(ClientLoop::openConnections).sum(); }

    /** Closes the pooled connections, and the loops if the client started them. */
    @Override public void close() {
        for (ClientLoop l : loops) {
            try {
                l.loop.execute(l::closeAll);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // a shared group already shut down
            }
        }
        if (ownsGroup) group.shutdown(Duration.ofSeconds(5));
    }

    /** The client's timeouts, for what builds on it. */
    ClientTimeouts timeouts() { return settings.timeouts(); }

    /** A loop of the client's, for timers of what builds on it. */
    dev.weft.loop.EventLoop anyLoop() { return loopFor().loop; }

    private ClientLoop loopFor() {
        for (ClientLoop l : loops) if (l.loop.inLoop()) return l;
        return loops.get(group.next().index());
    }

    private static int ceilDiv(int a, int b) { return (a + b - 1) / b; }

    /** One call: its exchange now, and the one retry it may get. */
    private final class Call implements ClientCall, ResponseReader {
        private final ClientLoop loop;
        private final Origin origin;
        private final ClientRequest request;
        private final ResponseReader reader;
        private final ClientTimeouts timeouts;
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private volatile ClientExchange exchange;
        private boolean retried;               // loop-only

        Call(ClientLoop loop, Origin origin, ClientRequest request, ResponseReader reader, ClientTimeouts timeouts) {
            this.loop = loop;
            this.origin = origin;
            this.request = request;
            this.reader = Objects.requireNonNull(reader, "reader");
            this.timeouts = timeouts;
        }

        void start() {
            exchange = new ClientExchange(request, this, timeouts);
            ClientExchange ex = exchange;
            run(() -> loop.submit(origin, ex));
        }

        @Override public void resume() {
            run(() -> {
                var ex = exchange;
                var c = ex == null ? null : ex.connection();
                if (c != null) c.resume(ex);
            });
        }

        @Override public void cancel() {
            if (!cancelled.compareAndSet(false, true)) return;
            run(() -> exchange.fail(new IOException("cancelled")));
        }

        private void run(Runnable task) {
            if (loop.loop.inLoop()) task.run();
            else loop.loop.execute(task);
        }

        @Override public void onHead(Status status, Headers headers) { reader.onHead(status, headers); }

        @Override public boolean onBytes(ByteBuffer piece) { return reader.onBytes(piece); }

        @Override public void onEnd(Headers trailers) { reader.onEnd(trailers); }

        @Override public void onFailure(Throwable cause) {
            ClientExchange ex = exchange;
            boolean retry = !retried && !cancelled.get() && ex.reused && !ex.responseStarted && request.source().isEmpty()
                    && cause instanceof IOException && !(cause instanceof InterruptedIOException)
                    && IDEMPOTENT.contains(request.method());
            if (!retry) {
                reader.onFailure(cause);
                return;
            }
            retried = true;
            exchange = new ClientExchange(request, this, timeouts);
            loop.submit(origin, exchange);
        }
    }

    /** Reads a response whole into a growing array, bounded by the parser's body limit. */
    private static final class Collector implements ResponseReader {
        final CompletableFuture<ClientResponse> result = new CompletableFuture<>();
        private Status status;
        private Headers headers;
        private byte[] body = new byte[0];
        private int size;

        @Override public void onHead(Status s, Headers h) {
            status = s;
            headers = h;
        }

        @Override public boolean onBytes(ByteBuffer piece) {
            int n = piece.remaining();
            if (body.length - size < n) body = Arrays.copyOf(body, Math.max(size + n, Math.max(1024, 2 * body.length)));
            piece.get(body, size, n);
            size += n;
            return true;
        }

        @Override public void onEnd(Headers trailers) {
            Headers all = headers;
            if (!trailers.isEmpty()) {
                all = headers.copy();
                for (var f : trailers) all.add(f.name(), f.value());
            }
            result.complete(new ClientResponse(status, all, ByteBuffer.wrap(body, 0, size)));
        }

        @Override public void onFailure(Throwable cause) { result.completeExceptionally(cause); }
    }

    /**
     * Settings. Defaults: its own loops, one per core; 64 connections per origin and 1,024 in all
     * (each shared out between the loops); 1,024 requests waiting per origin and loop; bodies read
     * whole up to 16 MiB; {@link ClientTimeouts#DEFAULTS}.
     */
    public static final class Builder {
        private EventLoopGroup group;
        private int loops = Runtime.getRuntime().availableProcessors();
        private ClientTimeouts timeouts = ClientTimeouts.DEFAULTS;
        private int maxPerOrigin = 64;
        private int maxTotal = 1024;
        private int maxWaiting = 1024;
        private long maxBodyBytes = 16L << 20;
        private int maxRedirects;

        private Builder() {}

        /** Follows up to {@code n} redirects for responses read whole (0, the default: none). */
        public Builder followRedirects(int n) {
            if (n < 0 || n > 20) throw new IllegalArgumentException("redirects must be 0 to 20: " + n);
            this.maxRedirects = n;
            return this;
        }

        /** Runs on an existing group (a server's, say), which the client then does not shut down. */
        public Builder group(EventLoopGroup group) { this.group = Objects.requireNonNull(group); return this; }

        public Builder loops(int n) {
            if (n < 1) throw new IllegalArgumentException("loops < 1: " + n);
            this.loops = n;
            return this;
        }

        public Builder timeouts(ClientTimeouts t) { this.timeouts = Objects.requireNonNull(t); return this; }

        public Builder maxConnectionsPerOrigin(int n) { this.maxPerOrigin = positive(n); return this; }

        public Builder maxConnections(int n) { this.maxTotal = positive(n); return this; }

        public Builder maxWaiting(int n) { this.maxWaiting = positive(n); return this; }

        public Builder maxBodyBytes(long n) {
            if (n < 0) throw new IllegalArgumentException("maxBodyBytes < 0: " + n);
            this.maxBodyBytes = n;
            return this;
        }

        public HttpClient build() { return new HttpClient(this); }

        private static int positive(int n) {
            if (n < 1) throw new IllegalArgumentException("must be positive: " + n);
            return n;
        }
    }
}
