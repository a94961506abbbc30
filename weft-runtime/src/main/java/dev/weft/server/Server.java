package dev.weft.server;

import dev.weft.internal.Log;
import dev.weft.loop.EventLoop;
import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.loop.Transports;
import dev.weft.loop.spi.Transport;
import dev.weft.net.ConnectionOptions;
import dev.weft.net.Listener;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http1.Http1Limits;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;

/**
 * An HTTP/1.1 server on a group of event loops.
 * <pre>{@code
 * try (var server = Server.builder()
 *         .port(8080)
 *         .get("/hello/{name}", (req, ex) -> ex.reply(Response.ok("hi " + req.pathParam("name"))))   // Async
 *         .post("/upload", req -> Response.ok(req.bodyStream().readAllBytes().length + " bytes"))    // Blocking
 *         .start()) {
 *     ...
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 * <ol>
 *   <li>{@link Builder#build()} fixes the routes and settings; nothing runs yet.</li>
 *   <li>{@link #start()} starts its own loops (or uses a shared group) and binds; from then on
 *       connections are accepted and spread over the loops.</li>
 *   <li>{@link #stop(Duration)} stops accepting at once (new connects are refused), lets
 *       exchanges in flight finish, closes idle keep-alive connections at once (and the others
 *       after their current response), tells each long-lived exchange and upgraded connection to
 *       end at a random moment within the drain window ({@link Exchange#onDrain},
 *       {@link UpgradedConnection#drain}), and at the deadline closes whatever is left. Loops the
 *       server started are then shut down; a shared group is left running.</li>
 * </ol>
 * Thread-safe: every method may be called from any thread.
 */
public final class Server implements AutoCloseable {
    static final Log LOG = Log.of(Server.class);

    private enum State { NEW, STARTED, STOPPED }

    private final Builder settings;
    private final Router router;
    private State state = State.NEW;
    private EventLoopGroup group;
    private Listener listener;
    private volatile List<ServerLoop> loops = List.of();

    private Server(Builder b) {
        this.settings = b.copy();
        this.router = b.router;
    }

    public static Builder builder() { return new Builder(); }

    /** Starts the loops (unless shared) and binds. Returns this. */
    public synchronized Server start() throws IOException {
        if (state != State.NEW) throw new IllegalStateException("a server starts once");
        group = settings.group != null ? settings.group : EventLoopGroup.start(LoopConfig.defaults().withLoops(settings.loops)
                .withTransport(settings.transport != null ? settings.transport : Transports.preferred()));
        var perLoop = new ArrayList<ServerLoop>();
        long share = Math.max(1, settings.memoryBudget / group.loops().size());
        for (EventLoop loop : group.loops()) perLoop.add(new ServerLoop(loop, share));
        loops = List.copyOf(perLoop);
        var options = settings.options.withWriteStallTimeout(settings.timeouts.writeStall())
                .withMinWriteRate(settings.timeouts.minDataRate());
        var core = new ServerCore(router, settings.limits, settings.timeouts, settings.maxPipelined, options,
                new RequestScope(settings.carried, settings.limits.maxBodyBytes()), loops, settings.accessLog);
        try {
            listener = Listener.bind(group, new InetSocketAddress(settings.host, settings.port), settings.backlog, options,
                    () -> new Http1Connection(core));
        } catch (IOException | RuntimeException e) {
            if (settings.group == null) group.shutdown(Duration.ofSeconds(5));
            throw e;
        }
        state = State.STARTED;
        LOG.debug(() -> "listening on " + listener.localAddress() + " with " + loops.size() + " loops");
        return this;
    }

    /** The bound address (the actual port when bound to 0). */
    public synchronized InetSocketAddress address() {
        if (listener == null) throw new IllegalStateException("not started");
        return listener.localAddress();
    }

    public synchronized ServerInfo info() {
        if (listener == null) throw new IllegalStateException("not started");
        return new ServerInfo(listener.localAddress(), loops.size(), listener.reusePort(), settings.maxPipelined, settings.timeouts,
                group.transport().name());
    }

    /** A snapshot of the counters, per loop and summed (see {@link ServerCounters}). */
    /** This server's per-loop state, for tests in this package. */
    List<ServerLoop> serverLoops() { return loops; }

    public ServerCounters counters() {
        List<ServerLoop> ls = loops;
        var perLoop = new ArrayList<ServerCounters.Counts>(ls.size());
        var stats = new ArrayList<ServerStats>(ls.size());
        for (ServerLoop l : ls) {
            perLoop.add(l.stats.snapshot());
            stats.add(l.stats);
        }
        return new ServerCounters(ServerStats.sum(stats), perLoop);
    }

    /** Graceful stop within {@code deadline} (see the lifecycle above). Idempotent. */
    public synchronized void stop(Duration deadline) {
        if (state != State.STARTED) {
            state = State.STOPPED;
            return;
        }
        state = State.STOPPED;
        for (ServerLoop l : loops) l.stopping = true;
        listener.close();
        long spread = Math.min(settings.timeouts.drainWindow().toNanos(), deadline.toNanos() / 3 * 2);
        onEveryLoop(l -> l.stop(spread));
        long due = System.nanoTime() + deadline.toNanos();
        if (!awaitClosed(due)) {
            onEveryLoop(ServerLoop::forceClose);
            awaitClosed(System.nanoTime() + Duration.ofSeconds(1).toNanos());
        }
        if (settings.group == null) group.shutdown(Duration.ofSeconds(5));
    }

    /** {@link #stop(Duration)} with {@code ServerTimeouts.gracefulStop}. */
    @Override public void close() { stop(settings.timeouts.gracefulStop()); }

    private void onEveryLoop(java.util.function.Consumer<ServerLoop> action) {
        for (ServerLoop l : loops) {
            try {
                l.loop.execute(() -> action.accept(l));
            } catch (RejectedExecutionException stopped) {
                // a shared group already shut down: nothing of ours is left on it
            }
        }
    }

    private boolean awaitClosed(long dueNanos) {
        while (counters().total().connectionsOpen() > 0) {
            if (System.nanoTime() - dueNanos >= 0) return false;
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Settings and routes. Defaults: host {@code 127.0.0.1} (loopback, so nothing is exposed by
     * accident; use {@code 0.0.0.0} to listen on every interface), port 8080, one loop per core,
     * {@link Http1Limits#DEFAULTS}, {@link ServerTimeouts#DEFAULTS}, 16 pipelined requests in
     * flight per connection, backlog 1024, {@link ConnectionOptions#defaults()}.
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private int loops = Runtime.getRuntime().availableProcessors();
        private EventLoopGroup group;
        private Transport transport;
        private Http1Limits limits = Http1Limits.DEFAULTS;
        private ServerTimeouts timeouts = ServerTimeouts.DEFAULTS;
        private int maxPipelined = 16;
        private int backlog = 1024;
        private ConnectionOptions options = ConnectionOptions.defaults();
        private long memoryBudget = Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 4);
        private AccessLog accessLog = AccessLog.NONE;
        private List<ScopedValue<?>> carried = List.of();
        private Router router = new Router();

        private Builder() {}

        public Builder host(String host) { this.host = Objects.requireNonNull(host); return this; }

        /** 0 picks any free port; see {@link Server#address()}. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port outside 0..65535: " + port);
            this.port = port;
            return this;
        }

        /** Loops to start; ignored when {@link #group} is given. */
        public Builder loops(int loops) {
            if (loops < 1) throw new IllegalArgumentException("loops < 1: " + loops);
            this.loops = loops;
            return this;
        }

        /**
         * The transport its own loops poll with ({@link Transports#named}: "epoll" or "nio");
         * by default {@link Transports#preferred()}. Ignored when {@link #group} is given.
         */
        public Builder transport(Transport transport) { this.transport = Objects.requireNonNull(transport); return this; }

        /** Runs on an existing group, shared with other users; the server does not shut it down. */
        public Builder group(EventLoopGroup group) { this.group = Objects.requireNonNull(group); return this; }

        public Builder limits(Http1Limits limits) { this.limits = Objects.requireNonNull(limits); return this; }

        public Builder timeouts(ServerTimeouts timeouts) { this.timeouts = Objects.requireNonNull(timeouts); return this; }

        /** Requests parsed ahead of their responses on one connection; reading stops at this many. */
        public Builder maxPipelined(int n) {
            if (n < 1) throw new IllegalArgumentException("maxPipelined < 1: " + n);
            this.maxPipelined = n;
            return this;
        }

        public Builder backlog(int backlog) { this.backlog = backlog; return this; }

        /** Watermarks and TCP_NODELAY; the write-stall timeout comes from {@link ServerTimeouts#writeStall()}. */
        public Builder connectionOptions(ConnectionOptions options) { this.options = Objects.requireNonNull(options); return this; }

        /**
         * The most memory the server holds on its own account, in bytes: pooled I/O buffers (unsent
         * output, unparsed input) and request bodies it buffers, summed over its loops (each loop
         * keeps its share, the budget divided by the loops). Past it, work is turned away rather
         * than queued: a new request is answered 503 with {@code Retry-After} and its connection
         * closes, a body being collected is refused the same way, and a streamed body's reader is
         * paused. Per connection, the write water marks already bound output; the budget bounds
         * the sum over many connections. Default: a quarter of the maximum heap, at least 16 MiB.
         */
        public Builder memoryBudget(long bytes) {
            if (bytes < 1) throw new IllegalArgumentException("memoryBudget < 1: " + bytes);
            this.memoryBudget = bytes;
            return this;
        }

        /** Told of every completed response, on the loop (see {@link AccessLog}); none by default. */
        public Builder accessLog(AccessLog log) { this.accessLog = Objects.requireNonNull(log); return this; }

        /** Scoped values captured with the request and bound again for its callbacks (see {@link RequestContext}). */
        public Builder carry(ScopedValue<?>... values) {
            var all = new ArrayList<>(carried);
            all.addAll(Arrays.asList(values));
            carried = List.copyOf(all);
            return this;
        }

        // Each verb takes a Handler, and also each kind by name, so that a lambda needs no cast: its
        // arity picks the kind, (req, ex) -> ... for Async and req -> ... for Blocking.

        public Builder get(String pattern, Handler handler) { return route(Method.GET, pattern, handler); }

        public Builder get(String pattern, Handler.Async handler) { return route(Method.GET, pattern, handler); }

        public Builder get(String pattern, Handler.Blocking handler) { return route(Method.GET, pattern, handler); }

        public Builder post(String pattern, Handler handler) { return route(Method.POST, pattern, handler); }

        public Builder post(String pattern, Handler.Async handler) { return route(Method.POST, pattern, handler); }

        public Builder post(String pattern, Handler.Blocking handler) { return route(Method.POST, pattern, handler); }

        public Builder put(String pattern, Handler handler) { return route(Method.PUT, pattern, handler); }

        public Builder put(String pattern, Handler.Async handler) { return route(Method.PUT, pattern, handler); }

        public Builder put(String pattern, Handler.Blocking handler) { return route(Method.PUT, pattern, handler); }

        public Builder delete(String pattern, Handler handler) { return route(Method.DELETE, pattern, handler); }

        public Builder delete(String pattern, Handler.Async handler) { return route(Method.DELETE, pattern, handler); }

        public Builder delete(String pattern, Handler.Blocking handler) { return route(Method.DELETE, pattern, handler); }

        public Builder patch(String pattern, Handler handler) { return route(Method.PATCH, pattern, handler); }

        public Builder patch(String pattern, Handler.Async handler) { return route(Method.PATCH, pattern, handler); }

        public Builder patch(String pattern, Handler.Blocking handler) { return route(Method.PATCH, pattern, handler); }

        /**
         * Adds a route (see {@link Router} for patterns: literals, {@code {name}}, a final
         * {@code {rest...}}). HEAD requests use the GET route unless a HEAD route exists.
         *
         * @throws IllegalArgumentException for a malformed pattern or a duplicate route
         */
        public Builder route(Method method, String pattern, Handler handler) {
            router.add(method, pattern, Objects.requireNonNull(handler));
            return this;
        }

        /**
         * {@code handler} for GET (and so HEAD), POST, PUT, DELETE, PATCH and OPTIONS on
         * {@code pattern}: for a resource that decides by method itself, as a pub/sub endpoint
         * does. It answers the methods it does not take (405 with Allow, RFC 9110 §15.5.6).
         */
        public Builder any(String pattern, Handler handler) {
            for (Method m : new Method[] {Method.GET, Method.POST, Method.PUT, Method.DELETE, Method.PATCH, Method.OPTIONS}) {
                route(m, pattern, handler);
            }
            return this;
        }

        /** {@link #any(String, Handler)} for an async handler. */
        public Builder any(String pattern, Handler.Async handler) { return any(pattern, (Handler) handler); }

        /** The server; later changes to this builder do not affect it. */
        public Server build() {
            var server = new Server(this);
            router = copyRoutes(router);
            return server;
        }

        /** {@code build().start()}. */
        public Server start() throws IOException { return build().start(); }

        private Builder copy() {
            var b = new Builder();
            b.host = host;
            b.port = port;
            b.loops = loops;
            b.group = group;
            b.limits = limits;
            b.timeouts = timeouts;
            b.maxPipelined = maxPipelined;
            b.backlog = backlog;
            b.options = options;
            b.carried = carried;
            b.memoryBudget = memoryBudget;
            b.accessLog = accessLog;
            b.transport = transport;
            return b;
        }

        private static Router copyRoutes(Router from) {
            var to = new Router();
            for (Route r : from.routes()) to.add(r.method(), r.pattern(), r.handler());
            return to;
        }
    }
}
