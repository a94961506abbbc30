package dev.weft.server.pubsub;

import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.pubsub.Authorizer;
import dev.weft.pubsub.TopicLimits;
import dev.weft.pubsub.Topics;
import dev.weft.server.Server;
import dev.weft.server.ServerTimeouts;
import dev.weft.testing.AdversePeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nchan's protocol (docs/NCHAN.md) against a real server on 127.0.0.1, driven by the JDK's HTTP
 * and WebSocket clients and by raw sockets where the bytes matter.
 */
@Timeout(60)
class PubSubRoutesTest {
    private static final Pattern ID = Pattern.compile("\\d+:\\d+");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private EventLoopGroup loops;
    private Topics topics;
    private Server server;

    @AfterEach void stop() {
        if (server != null) server.stop(Duration.ofSeconds(2));
        if (topics != null) topics.close();
        if (loops != null) loops.shutdown(Duration.ofSeconds(2));
        http.close();
    }

    private void start(TopicLimits limits, PubSubOptions options) throws IOException {
        start(limits, options, ServerTimeouts.DEFAULTS);
    }

    private void start(TopicLimits limits, PubSubOptions options, ServerTimeouts timeouts) throws IOException {
        loops = EventLoopGroup.start(LoopConfig.defaults().withLoops(2));
        topics = Topics.on(loops, limits);
        var routes = PubSubRoutes.of(topics, options);
        server = Server.builder().group(loops).port(0).timeouts(timeouts)
                .any("/pub/{channel}", routes.publisher(r -> r.pathParam("channel")))
                .any("/sub/{channel}", routes.subscriber(r -> r.pathParam("channel")))
                .start();
    }

    private void start() throws IOException { start(TopicLimits.DEFAULTS, PubSubOptions.DEFAULTS); }

    private URI uri(String path) { return URI.create("http://127.0.0.1:" + server.address().getPort() + path); }

    private InetSocketAddress address() { return server.address(); }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> publish(String channel, String body, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(uri("/pub/" + channel)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return send(b);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) b.headers(headers);
        return send(b);
    }

    /** The channel's subscriber count, from its JSON info. */
    private int subscribers(String channel) throws Exception {
        var info = get("/pub/" + channel, "Accept", "application/json");
        if (info.statusCode() == 404) return 0;
        var m = Pattern.compile("\"subscribers\": (\\d+)").matcher(info.body());
        assertTrue(m.find(), info.body());
        return Integer.parseInt(m.group(1));
    }

    private void awaitSubscribers(String channel, int n) throws Exception {
        long due = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (subscribers(channel) != n) {
            assertTrue(System.nanoTime() < due, "waiting for " + n + " subscribers of " + channel + ", have " + subscribers(channel));
            Thread.sleep(10);
        }
    }

    // ---- the publisher (N4 to N10) ----

    @Test void publishAnswersWithTheChannelInfoIn202Or201() throws Exception {
        start();
        var first = publish("news", "hello", "Content-Type", "text/plain");
        assertEquals(202, first.statusCode(), "no subscriber yet");
        assertEquals("text/plain", first.headers().firstValue("content-type").orElseThrow());
        assertTrue(Pattern.matches("queued messages: 1\r\nlast requested: -1 sec. ago\r\nactive subscribers: 0\r\nlast message id: \\d+:0",
                first.body()), first.body());

        var waiting = http.sendAsync(HttpRequest.newBuilder(uri("/sub/news")).header("If-None-Match", idOf(first.body())).build(),
                HttpResponse.BodyHandlers.ofString());
        awaitSubscribers("news", 1);
        var second = publish("news", "again");
        assertEquals(201, second.statusCode(), "a subscriber got it: " + second.body());
        assertEquals("again", waiting.get(10, TimeUnit.SECONDS).body());

        var json = get("/pub/news", "Accept", "text/json");
        assertTrue(Pattern.matches("\\{\"messages\": 2, \"requested\": \\d+, \"subscribers\": 0, \"last_message_id\": \"\\d+:\\d+\" }",
                json.body()), json.body());
        assertEquals("text/json", json.headers().firstValue("content-type").orElseThrow());
        var xml = get("/pub/news", "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        assertEquals("text/xml", xml.headers().firstValue("content-type").orElseThrow(), "a browser's Accept gets XML, as Nchan");
        assertTrue(xml.body().startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\r\n<channel>\r\n  <messages>2</messages>"), xml.body());
        var yaml = get("/pub/news", "Accept", "text/yaml, text/json");
        assertTrue(yaml.body().startsWith("---\r\nmessages: 2\r\n") && yaml.body().endsWith("\"\r\n\r\n"), yaml.body());

        assertEquals(404, get("/pub/never").statusCode());
        assertEquals(200, send(HttpRequest.newBuilder(uri("/pub/news")).DELETE()).statusCode());
        assertEquals(404, send(HttpRequest.newBuilder(uri("/pub/news")).DELETE()).statusCode());
        assertEquals(404, get("/pub/news").statusCode());
    }

    private static String idOf(String plainInfo) {
        var m = Pattern.compile("last message id: (\\d+:\\d+)").matcher(plainInfo);
        assertTrue(m.find(), plainInfo);
        return m.group(1);
    }

    @Test void emptyAndOversizedPublishes() throws Exception {
        start(TopicLimits.DEFAULTS.withMaxMessageBytes(16), PubSubOptions.DEFAULTS);
        assertEquals(202, publish("small", "").statusCode(), "an empty body is an empty message");
        assertEquals(202, publish("small", "x".repeat(16)).statusCode());
        assertEquals(413, publish("small", "x".repeat(17)).statusCode());
        var empty = get("/sub/small");                               // oldest first (N12 step 4)
        assertEquals(200, empty.statusCode());
        assertEquals("", empty.body());
        assertEquals("0", empty.headers().firstValue("content-length").orElseThrow());
        assertTrue(empty.headers().firstValue("content-type").isEmpty(), "published without a type, served without one");
    }

    @Test void channelIdsAndMethodsOutsideTheProtocol() throws Exception {
        start();
        assertEquals(403, publish("x".repeat(1025), "m").statusCode(), "N10: longer than 1024 bytes");
        assertEquals(403, send(HttpRequest.newBuilder(uri("/sub/c")).POST(HttpRequest.BodyPublishers.ofString("m"))).statusCode(),
                "N11: no publishing at a subscriber location");
        var patch = send(HttpRequest.newBuilder(uri("/pub/c")).method("PATCH", HttpRequest.BodyPublishers.ofString("m")));
        assertEquals(405, patch.statusCode());
        assertEquals("GET, POST, PUT, DELETE, OPTIONS", patch.headers().firstValue("allow").orElseThrow());
    }

    @Test void anAuthorizerRefusalIs403() throws Exception {
        Authorizer<dev.weft.server.Request> onlyPublic = (topic, _, _) -> topic.startsWith("public-");
        start(TopicLimits.DEFAULTS, PubSubOptions.DEFAULTS.withAuthorizer(onlyPublic));
        assertEquals(403, publish("secret", "m").statusCode());
        assertEquals(403, get("/sub/secret").statusCode());
        assertEquals(202, publish("public-a", "m").statusCode());
    }

    // ---- long-poll (N12 to N18) ----

    @Test void aLongPollWalksTheBufferWithItsCursorThenWaits() throws Exception {
        start();
        for (String m : List.of("one", "two", "three")) publish("walk", m);
        var got = new java.util.ArrayList<String>();
        String since = null, match = null;
        for (int i = 0; i < 3; i++) {
            var r = since == null ? get("/sub/walk") : get("/sub/walk", "If-Modified-Since", since, "If-None-Match", match);
            assertEquals(200, r.statusCode());
            assertEquals("If-None-Match, If-Modified-Since", r.headers().firstValue("vary").orElseThrow());
            since = r.headers().firstValue("last-modified").orElseThrow();
            match = r.headers().firstValue("etag").orElseThrow();
            assertTrue(match.matches("\\d+"), "the tag alone, unquoted: " + match);
            got.add(r.body());
        }
        assertEquals(List.of("one", "two", "three"), got);
        var next = http.sendAsync(HttpRequest.newBuilder(uri("/sub/walk")).header("If-Modified-Since", since)
                .header("If-None-Match", match).build(), HttpResponse.BodyHandlers.ofString());
        awaitSubscribers("walk", 1);
        assertFalse(next.isDone(), "parked at the newest");
        publish("walk", "four", "Content-Type", "application/json");
        var four = next.get(10, TimeUnit.SECONDS);
        assertEquals("four", four.body());
        assertEquals("application/json", four.headers().firstValue("content-type").orElseThrow());
    }

    @Test void cursorsNchanAcceptsAndRefuses() throws Exception {
        start();
        var first = publish("cur", "a");
        publish("cur", "b");
        String id = idOf(first.body());
        assertEquals("b", get("/sub/cur", "Last-Event-ID", id).body(), "Last-Event-ID is a cursor for long-poll too");
        assertEquals("b", get("/sub/cur?last_event_id=" + id.replace(":", "%3A")).body());
        assertEquals("b", get("/sub/cur", "If-None-Match", id).body(), "If-None-Match holding a whole id");
        assertEquals("b", get("/sub/cur", "Etag", id).body(), "the request Etag Nchan's client sends when it resumes");
        assertEquals("a", get("/sub/cur", "If-None-Match", "1", "Last-Event-ID", id).body(),
                "an If-None-Match without ':' is ignored and so is the rest: the oldest");
        assertEquals("a", get("/sub/cur", "Last-Event-ID", "garbage").body(), "no ':' is no cursor");
        assertEquals("a", get("/sub/cur", "Last-Event-ID", "0:0").body(), "time 0 is no cursor");
        for (String[] bad : List.of(new String[] {"Last-Event-ID", "abc:1"}, new String[] {"Last-Event-ID", "1:[0],1"},
                new String[] {"If-Modified-Since", "Sat, 05 Dec 2026 00:00:00 GMT"},
                new String[] {"Last-Event-ID", "99999999999999999999:1"})) {
            var r = get("/sub/cur", bad);
            assertEquals(400, r.statusCode(), String.join(": ", bad));
            assertEquals("Message ID invalid", r.body());
        }
    }

    @Test void aLongPollThatWaitsTooLongIs408WithItsCursorAndOneOfADeletedChannel410() throws Exception {
        start(TopicLimits.DEFAULTS, PubSubOptions.DEFAULTS.withLongPollTimeout(Duration.ofMillis(300)));
        var first = publish("late", "a");
        var timedOut = get("/sub/late", "If-None-Match", idOf(first.body()));
        assertEquals(408, timedOut.statusCode());
        assertEquals("0", timedOut.headers().firstValue("etag").orElseThrow(), "the cursor's tag echoed");
        var gone = http.sendAsync(HttpRequest.newBuilder(uri("/sub/late")).header("If-None-Match", idOf(first.body())).build(),
                HttpResponse.BodyHandlers.ofString());
        awaitSubscribers("late", 1);
        send(HttpRequest.newBuilder(uri("/pub/late")).DELETE());
        assertEquals(410, gone.get(10, TimeUnit.SECONDS).statusCode());
    }

    @Test void aClientThatLeavesIsDroppedAtOnce() throws Exception {
        start();
        publish("leave", "a");
        try (var peer = AdversePeer.connect(address())) {
            peer.send("GET /sub/leave HTTP/1.1\r\nHost: t\r\nIf-None-Match: 9999999999:0\r\n\r\n");
            awaitSubscribers("leave", 1);
        }
        awaitSubscribers("leave", 0);
    }

    @Test void aResumeThatLostMessagesSaysSo() throws Exception {
        start(TopicLimits.DEFAULTS.withBufferLength(2), PubSubOptions.DEFAULTS);
        var first = publish("gap", "1");
        for (String m : List.of("2", "3", "4")) publish("gap", m);
        var r = get("/sub/gap", "Last-Event-ID", idOf(first.body()));
        assertEquals("3", r.body(), "the oldest kept, as Nchan");
        assertEquals("gap", r.headers().firstValue("weft-resume").orElseThrow());
        var older = get("/sub/gap", "Last-Event-ID", "1000000000:0");
        assertEquals("other-epoch", older.headers().firstValue("weft-resume").orElseThrow(), "from before the channel was made");
    }

    @Test void crossOriginRequestsGetNchansHeaders() throws Exception {
        start();
        publish("cors", "a");
        var r = get("/sub/cors", "Origin", "http://example.test");
        assertEquals("http://example.test", r.headers().firstValue("access-control-allow-origin").orElseThrow());
        assertEquals("true", r.headers().firstValue("access-control-allow-credentials").orElseThrow());
        assertEquals("Last-Modified, Etag, Content-Type", r.headers().firstValue("access-control-expose-headers").orElseThrow());
        var pre = send(HttpRequest.newBuilder(uri("/sub/cors")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://example.test"));
        assertEquals(200, pre.statusCode());
        assertTrue(pre.headers().firstValue("access-control-allow-headers").orElseThrow().contains("If-None-Match"));
        assertTrue(get("/sub/cors").headers().firstValue("access-control-allow-origin").isEmpty(), "no Origin, no CORS");
    }

    // ---- EventSource (N19 to N24) ----

    @Test void anEventStreamOpensWithHiThenCarriesNchansEvents() throws Exception {
        start();
        publish("es", "l1\nl2\n", "X-EventSource-Event", "update");
        try (var peer = AdversePeer.connect(address())) {
            peer.send("GET /sub/es HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\n\r\n");
            String head = readHead(peer);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertTrue(head.contains("content-type: text/event-stream; charset=utf-8"), head);
            assertTrue(head.toLowerCase(java.util.Locale.ROOT).contains("connection: close") && !head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding"), "ended by the close, as Nchan: " + head);
            String body = readBlocks(peer, 2);
            assertTrue(Pattern.matches(": hi\n\nevent: update\nid: \\d+:0\ndata: l1\ndata: l2\ndata: \n\n", body), body);
            publish("es", "plain");
            String next = readBlocks(peer, 1);
            assertTrue(Pattern.matches("id: \\d+:1\ndata: plain\n\n", next), next);
        }
    }

    @Test void anEventStreamResumesFromLastEventIdAndEndsWith410WhenDeleted() throws Exception {
        start();
        var first = publish("es2", "a");
        publish("es2", "b");
        try (var peer = AdversePeer.connect(address())) {
            peer.send("GET /sub/es2 HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\nLast-Event-ID: " + idOf(first.body()) + "\r\n\r\n");
            readHead(peer);
            String body = readBlocks(peer, 2);
            assertTrue(Pattern.matches(": hi\n\nid: \\d+:1\ndata: b\n\n", body), body);
            send(HttpRequest.newBuilder(uri("/pub/es2")).DELETE());
            assertEquals(":410: 410 Gone\n\n", readBlocks(peer, 1));
        }
    }

    // ---- WebSocket (N25 to N28) ----

    @Test void aWebSocketWithNchansMetaSubprotocolGetsMetaFrames() throws Exception {
        start();
        publish("ws", "before", "Content-Type", "text/x-custom");
        var frames = new LinkedBlockingQueue<Object>();
        var ws = http.newWebSocketBuilder().subprotocols("chat", "ws+meta.nchan")
                .buildAsync(URI.create("ws://127.0.0.1:" + address().getPort() + "/sub/ws"), collector(frames)).get(10, TimeUnit.SECONDS);
        assertEquals("ws+meta.nchan", ws.getSubprotocol(), "chosen wherever it is offered");
        assertTrue(Pattern.matches("id: \\d+:0\ncontent-type: text/x-custom\n\nbefore", (String) frames.poll(10, TimeUnit.SECONDS)));
        publish("ws", "plain");
        assertTrue(Pattern.matches("id: \\d+:\\d+\n\nplain", (String) frames.poll(10, TimeUnit.SECONDS)));
        send(HttpRequest.newBuilder(uri("/pub/ws")).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'b', 'i', 'n', 0}))
                .header("Content-Type", "application/octet-stream"));
        var binary = (ByteBuffer) frames.poll(10, TimeUnit.SECONDS);
        String text = StandardCharsets.ISO_8859_1.decode(binary).toString();
        assertTrue(Pattern.matches("id: \\d+:\\d+\ncontent-type: application/octet-stream\n\nbin\u0000", text), text);
        send(HttpRequest.newBuilder(uri("/pub/ws")).DELETE());
        assertEquals("close 1001 410 Gone", frames.poll(10, TimeUnit.SECONDS));
    }

    @Test void aWebSocketWithoutTheSubprotocolGetsBodiesAlone() throws Exception {
        start();
        var frames = new LinkedBlockingQueue<Object>();
        var ws = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + address().getPort() + "/sub/plainws"), collector(frames)).get(10, TimeUnit.SECONDS);
        assertEquals("", ws.getSubprotocol());
        awaitSubscribers("plainws", 1);
        publish("plainws", "just this");
        assertEquals("just this", frames.poll(10, TimeUnit.SECONDS));
        ws.sendText("publishing?", true);
        assertEquals("close 1008 Publishing not allowed.", frames.poll(10, TimeUnit.SECONDS));
        awaitSubscribers("plainws", 0);
    }

    // ---- graceful stop ----

    @Test void aStopEndsEachTransportInAWayItsClientUnderstands() throws Exception {
        start(TopicLimits.DEFAULTS, PubSubOptions.DEFAULTS,
                ServerTimeouts.DEFAULTS.withDrainWindow(Duration.ofMillis(600)).withGracefulStop(Duration.ofSeconds(3)));
        var first = publish("bye", "a");
        var poll = http.sendAsync(HttpRequest.newBuilder(uri("/sub/bye")).header("If-None-Match", idOf(first.body())).build(),
                HttpResponse.BodyHandlers.ofString());
        var frames = new LinkedBlockingQueue<Object>();
        http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + address().getPort() + "/sub/bye?last_event_id="
                + idOf(first.body())), collector(frames)).get(10, TimeUnit.SECONDS);
        try (var peer = AdversePeer.connect(address())) {
            peer.send("GET /sub/bye HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\nLast-Event-ID: " + idOf(first.body()) + "\r\n\r\n");
            readHead(peer);
            assertEquals(": hi\n\n", readBlocks(peer, 1));
            awaitSubscribers("bye", 3);
            var stopping = CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(3)));
            var answer = poll.get(10, TimeUnit.SECONDS);
            assertEquals(503, answer.statusCode());
            assertTrue(answer.headers().firstValue("retry-after").isPresent());
            assertEquals("0", answer.headers().firstValue("etag").orElseThrow(), "the cursor kept");
            String end = new String(peer.readToEnd(), StandardCharsets.UTF_8);
            assertTrue(Pattern.matches("retry: \\d{4}\n", end), "a jittered retry, then the end: " + end);
            assertEquals("close 1001 server going away", frames.poll(10, TimeUnit.SECONDS));
            stopping.get(10, TimeUnit.SECONDS);
            server = null;
        }
    }

    // ---- helpers ----

    private static WebSocket.Listener collector(LinkedBlockingQueue<Object> frames) {
        return new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();
            private ByteBuffer bytes = ByteBuffer.allocate(0);

            @Override public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    frames.add(text.toString());
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                bytes = ByteBuffer.allocate(bytes.remaining() + data.remaining()).put(bytes).put(data).flip();
                if (last) {
                    frames.add(bytes);
                    bytes = ByteBuffer.allocate(0);
                }
                ws.request(1);
                return null;
            }

            @Override public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                frames.add("close " + code + " " + reason);
                return null;
            }
        };
    }

    private static String readHead(AdversePeer peer) throws IOException {
        var head = new StringBuilder();
        for (String line; !(line = peer.readLine()).isEmpty(); ) head.append(line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type")
                ? line.toLowerCase(java.util.Locale.ROOT) : line).append('\n');
        return head.toString();
    }

    /** Reads {@code n} blocks of an event stream (lines up to a blank line), each line with its LF. */
    private static String readBlocks(AdversePeer peer, int n) throws IOException {
        var out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            for (String line; !(line = peer.readLine()).isEmpty(); ) out.append(line).append('\n');
            out.append('\n');
        }
        return out.toString();
    }
}
