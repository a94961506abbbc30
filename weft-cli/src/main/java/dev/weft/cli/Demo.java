package dev.weft.cli;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import dev.weft.server.Exchange;
import dev.weft.server.Request;
import dev.weft.server.Response;
import dev.weft.server.ResponseStream;
import dev.weft.server.Server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code weft demo}: one server showing what Weft is for, in a browser.
 * <ul>
 *   <li>{@code /}: the page;</li>
 *   <li>{@code /chat/poll?after=N}, {@code POST /chat/say}: a long-poll chat whose waiting polls
 *       cost no thread and are answered from whichever thread posts;</li>
 *   <li>{@code /clock}: a response streamed a line a second from a timer thread, with
 *       backpressure (a tick the connection cannot take is skipped, not queued);</li>
 *   <li>{@code /stats}: the server's live counters;</li>
 *   <li>{@code /plaintext}, {@code POST /echo}: the benchmark endpoints.</li>
 * </ul>
 */
final class Demo {
    private Demo() {}

    static final Duration POLL_WAIT = Duration.ofSeconds(25);
    static final int CLOCK_TICKS = 60;

    static int run(Options options) throws Exception {
        var timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("demo-timer").factory());
        var chat = new ChatRoom();
        var server = build(options, chat, timer).start();
        var info = server.info();
        System.out.printf("weft demo: http://%s:%d/  (%d loops, %s)  Ctrl-C stops%n",
                info.address().getHostString(), info.address().getPort(), info.loops(),
                info.reusePort() ? "one listening socket per loop (SO_REUSEPORT)" : "one acceptor");
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            server.stop(Duration.ofSeconds(5));
            timer.shutdownNow();
            stopped.countDown();
        }));
        timer.scheduleAtFixedRate(chat::expireAll, POLL_WAIT.toSeconds(), POLL_WAIT.toSeconds(), TimeUnit.SECONDS);
        stopped.await();
        return 0;
    }

    /** The demo server, not started yet. */
    static Server build(Options options, ChatRoom chat, ScheduledExecutorService timer) {
        byte[] page = resource("demo.html");
        var self = new AtomicReference<Server>();
        var server = Server.builder().host(options.host()).port(options.port()).loops(options.loops())
                .get("/", (req, ex) -> ex.reply(Response.bytes(Status.OK, "text/html; charset=utf-8", page)))
                .get("/plaintext", (req, ex) -> ex.reply(Response.ok("Hello, World!")))
                .post("/echo", req -> Response.bytes(Status.OK,
                        req.headers().firstOr("content-type", "application/octet-stream"), req.bodyStream().readAllBytes()))
                .get("/chat/poll", (req, ex) -> chat.poll(ex, after(req)))
                .post("/chat/say", req -> say(chat, req))
                .get("/clock", (req, ex) -> clock(ex, timer))
                .get("/stats", (req, ex) -> ex.reply(Response.json(stats(self.get(), chat))))
                .build();
        self.set(server);
        return server;
    }

    private static long after(Request req) {
        try {
            return Long.parseLong(req.queryParam("after").orElse("0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Response say(ChatRoom chat, Request req) throws IOException {
        String text = new String(req.bodyStream().readNBytes(ChatRoom.MAX_TEXT * 4), StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) return Response.text(Status.BAD_REQUEST, "empty message");
        if (text.length() > ChatRoom.MAX_TEXT) text = text.substring(0, ChatRoom.MAX_TEXT);
        var m = chat.say(text, System.currentTimeMillis());
        return Response.json("{\"id\":" + m.id() + "}");
    }

    /** Streams the time once a second from the timer thread; a tick the socket cannot take is skipped. */
    private static void clock(Exchange exchange, ScheduledExecutorService timer) {
        ResponseStream stream = exchange.stream(Status.OK,
                Headers.of("content-type", "text/plain; charset=utf-8", "cache-control", "no-store"));
        var ticks = new AtomicInteger();
        var task = new AtomicReference<ScheduledFuture<?>>();
        task.set(timer.scheduleAtFixedRate(() -> {
            if (!stream.isOpen() || ticks.incrementAndGet() > CLOCK_TICKS) {
                stream.close();
                task.get().cancel(false);
            } else if (stream.isReady()) {
                stream.write(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "\n");
            }
        }, 0, 1, TimeUnit.SECONDS));
        exchange.onCancel(() -> task.get().cancel(false));
    }

    private static String stats(Server server, ChatRoom chat) {
        var t = server.counters().total();
        var info = server.info();
        return "{\"loops\":" + info.loops() + ",\"reusePort\":" + info.reusePort()
                + ",\"connectionsOpen\":" + t.connectionsOpen() + ",\"connectionsAccepted\":" + t.connectionsAccepted()
                + ",\"requests\":" + t.requests() + ",\"bytesRead\":" + t.bytesRead()
                + ",\"bytesWritten\":" + t.bytesWritten() + ",\"violations\":" + t.violationsTotal()
                + ",\"parkedPolls\":" + chat.parkedCount() + "}";
    }

    private static byte[] resource(String name) {
        try (InputStream in = Demo.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
