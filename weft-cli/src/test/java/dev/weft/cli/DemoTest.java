package dev.weft.cli;

import dev.weft.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The demo's endpoints, driven by the JDK's HTTP client over 127.0.0.1. */
class DemoTest {
    private ScheduledExecutorService timer;
    private ChatRoom chat;
    private Server server;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        timer = Executors.newSingleThreadScheduledExecutor();
        chat = new ChatRoom();
        server = Demo.build(new Options("127.0.0.1", 0, 2), chat, timer).start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        server.stop(Duration.ofSeconds(2));
        timer.shutdownNow();
        client.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pageAndBenchmarkEndpoints() throws Exception {
        var page = send(HttpRequest.newBuilder(uri("/")).build());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Long-poll chat"));
        assertEquals("Hello, World!", send(HttpRequest.newBuilder(uri("/plaintext")).build()).body());
        var echo = send(HttpRequest.newBuilder(uri("/echo")).POST(HttpRequest.BodyPublishers.ofString("ping")).build());
        assertEquals("ping", echo.body());
    }

    @Test
    void aParkedPollIsAnsweredByTheNextMessage() throws Exception {
        CompletableFuture<HttpResponse<String>> poll = client.sendAsync(
                HttpRequest.newBuilder(uri("/chat/poll?after=0")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (chat.parkedCount() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(1, chat.parkedCount(), "the poll is parked, holding no thread");
        assertFalse(poll.isDone());

        var said = send(HttpRequest.newBuilder(uri("/chat/say")).POST(HttpRequest.BodyPublishers.ofString("hello <b>")).build());
        assertEquals("{\"id\":1}", said.body());
        String body = poll.get(10, TimeUnit.SECONDS).body();
        assertTrue(body.startsWith("[{\"id\":1,"), body);
        assertTrue(body.endsWith("\"text\":\"hello \\u003cb>\"}]"), body);
        assertEquals(0, chat.parkedCount());

        var late = send(HttpRequest.newBuilder(uri("/chat/poll?after=0")).build());
        assertTrue(late.body().contains("\"id\":1"), "news is answered at once");
    }

    @Test
    void emptyMessagesAreRefused() throws Exception {
        var r = send(HttpRequest.newBuilder(uri("/chat/say")).POST(HttpRequest.BodyPublishers.ofString("  ")).build());
        assertEquals(400, r.statusCode());
    }

    @Test
    void theClockStreamsLines() throws Exception {
        var r = client.send(HttpRequest.newBuilder(uri("/clock")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertEquals("chunked", r.headers().firstValue("transfer-encoding").orElse(""));
        try (var lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (int i = 0; i < 2; i++) assertTrue(lines.readLine().matches("\\d\\d:\\d\\d:\\d\\d"));
        }
    }

    @Test
    void statsAreJson() throws Exception {
        String s = send(HttpRequest.newBuilder(uri("/stats")).build()).body();
        assertTrue(s.matches("\\{\"loops\":2,\"reusePort\":(true|false),\"connectionsOpen\":\\d+,.*\"parkedPolls\":0}"), s);
    }
}
