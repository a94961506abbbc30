package dev.weft.cli;

import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.protocol.http.Status;
import dev.weft.pubsub.Broker;
import dev.weft.pubsub.TopicLimits;
import dev.weft.pubsub.Topics;
import dev.weft.server.Request;
import dev.weft.server.Response;
import dev.weft.server.Server;
import dev.weft.server.pubsub.PubSubRoutes;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code weft demo}: one server showing what Weft is for, in a browser.
 * <ul>
 *   <li>{@code /}: a chat page; each tab picks its transport (WebSocket, EventSource, long-poll)
 *       and all tabs of a browser that picked the same one share one connection (a
 *       SharedWorker), so ten tabs stay well inside a browser's six connections per host;</li>
 *   <li>{@code /dashboard}: the server's live numbers and charts, fed by an event stream;</li>
 *   <li>{@code /pub/{channel}}, {@code /sub/{channel}}: the channels, with Nchan's protocol (as
 *       {@code weft pubsub} serves them); the chat is channel {@value #CHAT};</li>
 *   <li>{@code POST /chat/say}: says something in the chat (the server writes the message, so a
 *       page cannot publish anything but a name and a text);</li>
 *   <li>{@code /stats}, {@code /stats/stream}: the numbers as JSON, once or once a second;</li>
 *   <li>{@code /plaintext}, {@code POST /echo}: the benchmark endpoints.</li>
 * </ul>
 */
final class Demo implements AutoCloseable {
    static final String CHAT = "chat";
    static final int MAX_TEXT = 500;
    static final int MAX_NAME = 40;

    private final EventLoopGroup loops;
    private final Topics topics;
    private final PubSubRoutes routes;
    private final Dashboard dashboard;
    private final Server server;

    private Demo(Options options) throws IOException {
        loops = EventLoopGroup.start(LoopConfig.defaults().withLoops(options.loops()));
        topics = Topics.on(loops, TopicLimits.DEFAULTS.withBufferLength(100).withMaxMessageBytes(4 << 10));
        routes = PubSubRoutes.of(topics);
        dashboard = new Dashboard(this::statsJson);
        try {
            server = build(options).start();
        } catch (IOException | RuntimeException e) {
            dashboard.close();
            loops.shutdown(Duration.ofSeconds(1));
            throw e;
        }
    }

    /** The demo, serving. */
    static Demo start(Options options) throws IOException { return new Demo(options); }

    Server server() { return server; }

    static int run(Options options) throws Exception {
        var demo = start(options);
        var info = demo.server.info();
        System.out.printf("weft demo: http://%s:%d/  (%d loops on %s, %s)  Ctrl-C stops%n",
                info.address().getHostString(), info.address().getPort(), info.loops(), info.transport(),
                info.reusePort() ? "one listening socket per loop (SO_REUSEPORT)" : "one acceptor");
        System.out.flush();
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            demo.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    private Server.Builder build(Options options) {
        byte[] page = resource("demo.html"), board = resource("dashboard.html");
        byte[] client = resource("pubsub.js"), worker = resource("chat-worker.js");
        return Server.builder().group(loops).host(options.host()).port(options.port())
                .get("/", (req, ex) -> ex.reply(Response.bytes(Status.OK, "text/html; charset=utf-8", page)))
                .get("/dashboard", (req, ex) -> ex.reply(Response.bytes(Status.OK, "text/html; charset=utf-8", board)))
                .get("/demo/pubsub.js", (req, ex) -> ex.reply(Response.bytes(Status.OK, "text/javascript; charset=utf-8", client)))
                .get("/demo/chat-worker.js", (req, ex) -> ex.reply(Response.bytes(Status.OK, "text/javascript; charset=utf-8", worker)))
                .any("/pub/{channel}", routes.publisher(r -> r.pathParam("channel")))
                .any("/sub/{channel}", routes.subscriber(r -> r.pathParam("channel")))
                .post("/chat/say", dev.weft.server.Handler.buffered(8 << 10, (req, ex) -> ex.reply(say(req))))
                .get("/stats", (req, ex) -> ex.reply(Response.json(statsJson())))
                .get("/stats/stream", (req, ex) -> dashboard.subscribe(ex))
                .get("/plaintext", (req, ex) -> ex.reply(Response.ok("Hello, World!")))
                .post("/echo", req -> Response.bytes(Status.OK,
                        req.headers().firstOr("content-type", "application/octet-stream"), req.bodyStream().readAllBytes()));
    }

    /** {@code name=...&text=...}, form-encoded: published as {@code {"name":..,"text":..,"time":..}}. */
    private Response say(Request req) {
        Map<String, String> form = form(req.bodyText());
        String text = form.getOrDefault("text", "").strip();
        String name = form.getOrDefault("name", "").strip();
        if (text.isEmpty()) return Response.text(Status.BAD_REQUEST, "say something\n");
        if (name.isEmpty()) name = "guest";
        text = cut(text, MAX_TEXT);
        name = cut(name, MAX_NAME);
        var json = new StringBuilder(64 + text.length());
        json.append("{\"name\":");
        Json.string(json, name);
        json.append(",\"text\":");
        Json.string(json, text);
        json.append(",\"time\":").append(System.currentTimeMillis()).append('}');
        var body = ByteBuffer.wrap(json.toString().getBytes(StandardCharsets.UTF_8));
        return switch (topics.publish(CHAT, "application/json", body)) {
            case Broker.Published.Accepted a -> Response.json("{\"id\":\"" + a.message().seconds() + ":" + a.message().tag() + "\"}");
            case Broker.Published.Refused r -> Response.text(Status.SERVICE_UNAVAILABLE, r.why() + "\n");
        };
    }

    /** At most {@code max} characters, not cutting a surrogate pair. */
    private static String cut(String s, int max) {
        if (s.length() <= max) return s;
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }

    private static Map<String, String> form(String body) {
        var out = new HashMap<String, String>();
        for (String pair : body.split("&", 16)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) continue;
            try {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformed) {
                // a bad escape: the field is left out
            }
        }
        return out;
    }

    /** The numbers the dashboard draws. */
    String statsJson() {
        var counters = server == null ? null : server.counters();
        var stats = routes.stats(5);
        var sb = new StringBuilder(512);
        sb.append("{\"time\":").append(System.currentTimeMillis());
        if (counters != null) {
            var t = counters.total();
            sb.append(",\"connections\":").append(t.connectionsOpen()).append(",\"accepted\":").append(t.connectionsAccepted())
                    .append(",\"requests\":").append(t.requests()).append(",\"bytesIn\":").append(t.bytesRead())
                    .append(",\"bytesOut\":").append(t.bytesWritten()).append(",\"loops\":[");
            for (int i = 0; i < counters.perLoop().size(); i++) {
                if (i > 0) sb.append(',');
                sb.append(counters.perLoop().get(i).connectionsOpen());
            }
            sb.append(']');
        }
        sb.append(",\"subscribers\":{\"longpoll\":").append(stats.longPolls()).append(",\"eventsource\":").append(stats.eventSources())
                .append(",\"websocket\":").append(stats.webSockets()).append("},\"published\":").append(topics.published())
                .append(",\"delivered\":").append(stats.delivered()).append(",\"channels\":").append(topics.size()).append(",\"slowest\":[");
        for (int i = 0; i < stats.slowest().size(); i++) {
            var lag = stats.slowest().get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"channel\":");
            Json.string(sb, lag.channel());
            sb.append(",\"transport\":\"").append(lag.transport()).append("\",\"queued\":").append(lag.queued())
                    .append(",\"behind\":").append(lag.behind()).append(",\"rtt\":").append(lag.rttMicros())
                    .append(",\"cwnd\":").append(lag.congestionWindow()).append('}');
        }
        return sb.append("]}").toString();
    }

    /** Graceful: each chat connection is ended at its own moment in the drain window (10 s), then closed. */
    @Override public void close() { stop(Duration.ofSeconds(13)); }

    void stop(Duration deadline) {
        server.stop(deadline);
        dashboard.close();
        topics.close();
        loops.shutdown(Duration.ofSeconds(2));
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
