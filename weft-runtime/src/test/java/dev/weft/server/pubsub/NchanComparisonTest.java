package dev.weft.server.pubsub;

import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.pubsub.TopicLimits;
import dev.weft.pubsub.Topics;
import dev.weft.server.Server;
import dev.weft.testing.Nginx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The same publish and subscribe sequences against real Nchan (Debian's nginx module, started
 * here) and against Weft's routes, over raw sockets, and what each answers compared: statuses, the
 * headers a client reads, bodies, event streams and WebSocket frames. Ids differ in their time, so
 * every {@code seconds:tag} is written {@code T:tag}, and Last-Modified is only checked to be there.
 * Skipped without nginx and the module, except under CI=true (./weft test installs both).
 */
@Timeout(120)
class NchanComparisonTest {
    @TempDir static Path dir;
    private static Nginx nginx;
    private static int nchanPort;
    private static EventLoopGroup loops;
    private static Topics topics, small;
    private static Server weft;

    @BeforeAll static void start() throws Exception {
        nginx = Nginx.start(dir, """
                        location ~ ^/pub/(\\w+)$ { nchan_publisher; nchan_channel_id $1; }
                        location ~ ^/sub/(\\w+)$ { nchan_subscriber; nchan_channel_id $1; }
                        location ~ ^/pub_small/(\\w+)$ { nchan_publisher; nchan_channel_id small_$1;
                            nchan_message_buffer_length 3; client_max_body_size 16; }
                        location ~ ^/sub_small/(\\w+)$ { nchan_subscriber; nchan_channel_id small_$1; }
                """, true);
        nchanPort = nginx.port();

        loops = EventLoopGroup.start(LoopConfig.defaults().withLoops(2));
        topics = Topics.on(loops);
        small = Topics.on(loops, TopicLimits.DEFAULTS.withBufferLength(3).withMaxMessageBytes(16));
        var routes = PubSubRoutes.of(topics);
        var smallRoutes = PubSubRoutes.of(small);
        Function<dev.weft.server.Request, String> channel = r -> r.pathParam("channel");
        weft = Server.builder().group(loops).port(0)
                .any("/pub/{channel}", routes.publisher(channel)).any("/sub/{channel}", routes.subscriber(channel))
                .any("/pub_small/{channel}", smallRoutes.publisher(channel)).any("/sub_small/{channel}", smallRoutes.subscriber(channel))
                .start();
    }

    @AfterAll static void stop() throws Exception {
        if (nginx != null) nginx.close();
        if (weft != null) weft.stop(Duration.ofSeconds(2));
        if (topics != null) topics.close();
        if (small != null) small.close();
        if (loops != null) loops.shutdown(Duration.ofSeconds(2));
    }

    /** Runs {@code sequence} against both servers (each on a channel of its own) and compares the transcripts. */
    private static void same(String name, Sequence sequence) throws Exception {
        String channel = name + System.nanoTime() % 1_000_000;
        String nchan = sequence.run(new InetSocketAddress("127.0.0.1", nchanPort), channel);
        String ours = sequence.run(weft.address(), channel);
        assertEquals(nchan, ours, name + ": Nchan's transcript, then Weft's");
    }

    @FunctionalInterface
    interface Sequence {
        String run(InetSocketAddress server, String channel) throws Exception;
    }

    @Test void publishInfoAndLongPollWalk() throws Exception {
        same("walk", (server, c) -> {
            var t = new StringBuilder();
            t.append(exchange(server, "POST /pub/" + c, "Content-Type: text/plain", "first")).append(exchange(server, "POST /pub/" + c, "", "second"));
            Reply first = request(server, "GET /sub/" + c, "", "");
            t.append(first);
            t.append(exchange(server, "GET /sub/" + c, "If-Modified-Since: " + first.header("last-modified") + "\r\nIf-None-Match: "
                    + first.header("etag"), ""));
            for (String accept : List.of("text/json", "text/xml", "text/yaml", "application/json", "text/plain")) {
                t.append(exchange(server, "GET /pub/" + c, "Accept: " + accept, ""));
            }
            t.append(exchange(server, "GET /pub/nothing" + c, "", ""));
            return t.toString();
        });
    }

    @Test void cursorsTheWayNchanReadsThem() throws Exception {
        same("cursor", (server, c) -> {
            var t = new StringBuilder();
            Reply a = request(server, "POST /pub/" + c, "", "a");
            exchange(server, "POST /pub/" + c, "", "b");
            String id = a.body.replaceAll("(?s).*last message id: (\\d+:\\d+).*", "$1");
            t.append(exchange(server, "GET /sub/" + c, "Last-Event-ID: " + id, ""));
            t.append(exchange(server, "GET /sub/" + c + "?last_event_id=" + id.replace(":", "%3A"), "", ""));
            t.append(exchange(server, "GET /sub/" + c, "If-None-Match: " + id, ""));
            t.append(exchange(server, "GET /sub/" + c, "If-None-Match: 1\r\nLast-Event-ID: " + id, ""));
            t.append(exchange(server, "GET /sub/" + c, "Last-Event-ID: garbage", ""));
            t.append(exchange(server, "GET /sub/" + c, "Last-Event-ID: 0:0", ""));
            t.append(exchange(server, "GET /sub/" + c, "Last-Event-ID: abc:1", ""));
            t.append(exchange(server, "GET /sub/" + c, "If-Modified-Since: Sat, 05 Dec 2026 00:00:00 GMT", ""));
            return t.toString();
        });
    }

    @Test void emptyMessagesBodyLimitsAndTheSilentGap() throws Exception {
        same("small", (server, c) -> {
            var t = new StringBuilder();
            t.append(exchange(server, "POST /pub_small/" + c, "", ""));
            t.append(exchange(server, "GET /sub_small/" + c, "", ""));
            t.append(status(request(server, "POST /pub_small/" + c, "", "x".repeat(17))));
            Reply first = request(server, "POST /pub_small/" + c, "", "1");
            for (String m : List.of("2", "3", "4", "5")) exchange(server, "POST /pub_small/" + c, "", m);
            String id = first.body.replaceAll("(?s).*last message id: (\\d+:\\d+).*", "$1");
            t.append(exchange(server, "GET /sub_small/" + c, "Last-Event-ID: " + id, ""));   // lost 2: gets 3, the oldest kept
            return t.toString();
        });
    }

    @Test void eventSourceStreams() throws Exception {
        same("es", (server, c) -> {
            exchange(server, "POST /pub/" + c, "X-EventSource-Event: update", "l1\nl2\n");
            exchange(server, "POST /pub/" + c, "", "plain");
            try (var s = open(server)) {
                s.getOutputStream().write(("GET /sub/" + c + " HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                return normalize(readFor(s, 600));
            }
        });
    }

    @Test void deletingEndsEachKindOfSubscriber() throws Exception {
        same("delete", (server, c) -> {
            Reply a = request(server, "POST /pub/" + c, "", "a");
            String id = a.body.replaceAll("(?s).*last message id: (\\d+:\\d+).*", "$1");
            try (var poll = open(server); var stream = open(server)) {
                poll.getOutputStream().write(("GET /sub/" + c + " HTTP/1.1\r\nHost: t\r\nLast-Event-ID: " + id + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                stream.getOutputStream().write(("GET /sub/" + c + " HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\nLast-Event-ID: "
                        + id + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(300);
                String deleted = status(request(server, "DELETE /pub/" + c, "", ""));
                return deleted + "\n--poll\n" + Reply.read(poll.getInputStream()) + "--stream\n"
                        + normalize(readFor(stream, 600)).replaceAll("(?s)^.*?\r\n\r\n", "");
            }
        });
    }

    @Test void webSocketMetaFrames() throws Exception {
        same("ws", (server, c) -> {
            exchange(server, "POST /pub/" + c, "Content-Type: text/x-custom", "before");
            exchange(server, "POST /pub/" + c, "", "plain");
            exchange(server, "POST /pub/" + c, "Content-Type: application/octet-stream", "bin");
            try (var s = open(server)) {
                s.getOutputStream().write(("GET /sub/" + c + " HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                        + "Sec-WebSocket-Protocol: ws+meta.nchan\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] all = readFor(s, 600);
                int body = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) + 4;
                String head = new String(all, 0, body, StandardCharsets.ISO_8859_1);
                var t = new StringBuilder(head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("sec-websocket-"))
                        .map(l -> l.toLowerCase(Locale.ROOT)).sorted().reduce("", (x, y) -> x + y + "\n"));
                for (int at = body; at < all.length; ) {
                    int op = all[at] & 0x0f, len = all[at + 1] & 0x7f;
                    t.append(op == 1 ? "text " : "binary ").append(normalize(new String(all, at + 2, len, StandardCharsets.ISO_8859_1)))
                            .append('\n');
                    at += 2 + len;
                }
                return t.toString();
            }
        });
    }

    // ---- a raw client ----

    /** A response: status, the headers clients read (normalised), the body. */
    record Reply(int status, TreeMap<String, String> headers, String body) {
        static final List<String> COMPARED = List.of("content-type", "etag", "vary", "access-control-allow-origin",
                "access-control-expose-headers", "content-length");

        String header(String name) { return headers.getOrDefault(name, ""); }

        static Reply read(InputStream in) throws IOException {
            String status = line(in);
            var headers = new TreeMap<String, String>();
            for (String l; !(l = line(in)).isEmpty(); ) {
                int colon = l.indexOf(':');
                headers.put(l.substring(0, colon).toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return new Reply(Integer.parseInt(status.split(" ")[1]), headers, body);
        }

        @Override public String toString() {
            var t = new StringBuilder().append(status).append('\n');
            for (String h : COMPARED) if (headers.containsKey(h)) t.append(h).append(": ").append(normalize(headers.get(h))).append('\n');
            if (headers.containsKey("last-modified")) t.append("last-modified: present\n");
            // "last requested: 0 sec. ago" and the like depend on timing, not on the protocol
            String b = normalize(body).replaceAll("requested(\"?): ?-?\\d+", "requested$1: R").replaceAll("<requested>-?\\d+<", "<requested>R<")
                    .replaceAll("last requested: -?\\d+", "last requested: R");
            return t.append(b).append("\n\n").toString();
        }
    }

    private static String status(Reply r) { return r.status + "\n"; }

    private static Reply request(InetSocketAddress server, String line, String headers, String body) throws IOException {
        try (var s = open(server)) {
            String[] parts = line.split(" ", 2);
            String req = parts[0] + " " + parts[1] + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n" + (headers.isEmpty() ? "" : headers + "\r\n")
                    + (parts[0].equals("POST") ? "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n" : "") + "\r\n" + body;
            s.getOutputStream().write(req.getBytes(StandardCharsets.UTF_8));
            return Reply.read(s.getInputStream());
        }
    }

    private static String exchange(InetSocketAddress server, String line, String headers, String body) throws IOException {
        return request(server, line, headers, body).toString();
    }

    private static Socket open(InetSocketAddress server) throws IOException {
        var s = new Socket();
        s.connect(server, 5_000);
        s.setSoTimeout(5_000);
        return s;
    }

    /** What arrives within {@code millis}. */
    private static byte[] readFor(Socket s, int millis) throws IOException {
        var out = new ByteArrayOutputStream();
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        byte[] buf = new byte[8192];
        while (System.nanoTime() < due) {
            s.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(due - System.nanoTime())));
            try {
                int n = s.getInputStream().read(buf);
                if (n < 0) break;
                out.write(buf, 0, n);
            } catch (SocketTimeoutException enough) {
                break;
            }
        }
        return out.toByteArray();
    }

    /** An event stream's bytes: ids as T:tag, the head reduced to its status and content type. */
    private static String normalize(byte[] bytes) {
        String all = new String(bytes, StandardCharsets.UTF_8);
        int end = all.indexOf("\r\n\r\n");
        if (end < 0 || !all.startsWith("HTTP/")) return normalize(all);
        String head = all.substring(0, end);
        var kept = new ArrayList<String>();
        kept.add(head.lines().findFirst().orElse(""));
        head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-type")).map(l -> l.toLowerCase(Locale.ROOT)).forEach(kept::add);
        return String.join("\n", kept) + "\r\n\r\n" + normalize(all.substring(end + 4));
    }

    private static String normalize(String s) { return s.replaceAll("\\b\\d{9,}:", "T:"); }

    private static int indexOf(byte[] a, byte[] b) {
        outer:
        for (int i = 0; i + b.length <= a.length; i++) {
            for (int j = 0; j < b.length; j++) if (a[i + j] != b[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static String line(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) throw new IOException("EOF in a line: " + line);
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
