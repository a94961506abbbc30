package dev.weft.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's endpoints, driven by the JDK's HTTP client over 127.0.0.1 (the pages themselves: DemoBrowserTest). */
@Timeout(30)
class DemoTest {
    private Demo demo;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        demo = Demo.start(new Options("127.0.0.1", 0, 2));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        demo.stop(Duration.ofSeconds(2));
        client.shutdownNow();                       // close() would wait for the streams still open
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + demo.server().address().getPort() + path);
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> say(String form) throws Exception {
        return send(HttpRequest.newBuilder(uri("/chat/say")).POST(HttpRequest.BodyPublishers.ofString(form))
                .header("Content-Type", "application/x-www-form-urlencoded").build());
    }

    @Test
    void pagesScriptsAndBenchmarkEndpoints() throws Exception {
        var page = send(HttpRequest.newBuilder(uri("/")).build());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Weft chat"));
        assertTrue(send(HttpRequest.newBuilder(uri("/dashboard")).build()).body().contains("new EventSource('/stats/stream')"));
        assertTrue(send(HttpRequest.newBuilder(uri("/demo/pubsub.js")).build()).body().contains("class ChannelSubscriber"));
        assertTrue(send(HttpRequest.newBuilder(uri("/demo/chat-worker.js")).build()).body().contains("onconnect"));
        assertEquals("Hello, World!", send(HttpRequest.newBuilder(uri("/plaintext")).build()).body());
        assertEquals("ping", send(HttpRequest.newBuilder(uri("/echo")).POST(HttpRequest.BodyPublishers.ofString("ping")).build()).body());
    }

    @Test
    void sayingPublishesJsonThatEveryTransportSees() throws Exception {
        var said = say("name=ann&text=" + java.net.URLEncoder.encode("hello <b>&\"you\"", java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(200, said.statusCode());
        assertTrue(Pattern.matches("\\{\"id\":\"\\d+:\\d+\"}", said.body()), said.body());
        var polled = send(HttpRequest.newBuilder(uri("/sub/chat")).build());
        assertEquals("application/json", polled.headers().firstValue("content-type").orElseThrow());
        assertTrue(Pattern.matches("\\{\"name\":\"ann\",\"text\":\"hello \\\\u003cb>&\\\\\"you\\\\\"\",\"time\":\\d+}", polled.body()),
                polled.body());
    }

    @Test
    void badSaysAreRefusedAndLongOnesCut() throws Exception {
        assertEquals(400, say("name=ann&text=").statusCode());
        assertEquals(400, say("garbage").statusCode());
        assertEquals(200, say("text=" + "x".repeat(600)).statusCode());
        var polled = send(HttpRequest.newBuilder(uri("/sub/chat")).build()).body();
        assertTrue(polled.contains("\"name\":\"guest\"") && polled.contains("\"text\":\"" + "x".repeat(Demo.MAX_TEXT) + "\""), polled);
        assertEquals(413, say("text=" + "x".repeat(9000)).statusCode());
    }

    @Test
    void theDashboardStreamTicksWithTheNumbers() throws Exception {
        var lines = client.send(HttpRequest.newBuilder(uri("/stats/stream")).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals("text/event-stream; charset=utf-8", lines.headers().firstValue("content-type").orElseThrow());
        java.util.List<String> data;
        try (var body = lines.body()) {
            data = body.filter(l -> l.startsWith("data: ")).limit(2).toList();
        }
        assertEquals(2, data.size(), "the first numbers at once, the next a second later");
        assertTrue(data.get(1).contains("\"subscribers\":{\"longpoll\":") && data.get(1).contains("\"loops\":["), data.get(1));
    }

    @Test
    void statsCountSubscribersByTransport() throws Exception {
        var stream = client.sendAsync(HttpRequest.newBuilder(uri("/sub/chat?last_event_id=4000000000:0"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        var waiting = client.sendAsync(HttpRequest.newBuilder(uri("/sub/chat?last_event_id=4000000000:0")).build(),
                HttpResponse.BodyHandlers.ofString());
        long due = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String stats;
        do {
            stats = send(HttpRequest.newBuilder(uri("/stats")).build()).body();
            assertTrue(System.nanoTime() < due, stats);
        } while (!stats.contains("\"subscribers\":{\"longpoll\":1,\"eventsource\":1,\"websocket\":0}"));
        stream.cancel(true);
        waiting.cancel(true);
    }
}
