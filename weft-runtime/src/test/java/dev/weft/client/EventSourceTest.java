package dev.weft.client;

import dev.weft.protocol.http.Status;
import dev.weft.protocol.sse.SseEvent;
import dev.weft.server.Handler;
import dev.weft.server.Response;
import dev.weft.server.Server;
import dev.weft.server.sse.EventStream;
import dev.weft.testing.Nginx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EventSource client against real servers: Weft's own event streams that end and resume,
 * and Nchan (started here), whose streams it must follow across a reconnect with
 * {@code Last-Event-ID}; refusals that end it for good; a silent stream that counts as lost.
 */
@Timeout(60)
class EventSourceTest {
    @TempDir Path dir;
    private final HttpClient client = HttpClient.builder().loops(1).build();
    private Server server;
    private final LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
    private final List<String> lastEventIds = new ArrayList<>();

    @AfterEach void stop() {
        client.close();
        if (server != null) server.stop(Duration.ofSeconds(1));
    }

    /** Records what the client hears: "open", "message id data", "error", "closed". */
    private final class Recorder implements EventSource.Listener {
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();

        @Override public void onMessage(SseEvent.Message m) { seen.add(m.id() + " " + m.data()); }
        @Override public void onOpen() { seen.add("open"); }
        @Override public void onError(Throwable cause, Duration retryIn) { seen.add("error"); }
        @Override public void onClosed(Throwable cause) { closed.complete(cause); }
    }

    private String next() throws InterruptedException {
        String s = seen.poll(10, TimeUnit.SECONDS);
        return s == null ? "(nothing in 10 s)" : s;
    }

    /** A stream of numbered events that ends after three, resuming after the Last-Event-ID it is sent. */
    private void startCounting() throws Exception {
        server = Server.builder().port(0).loops(1)
                .get("/count", (Handler.Async) (req, ex) -> {
                    synchronized (lastEventIds) {
                        lastEventIds.add(req.headers().firstOr("last-event-id", "-"));
                    }
                    int from = EventStream.lastEventId(req).map(Integer::parseInt).orElse(0);
                    var stream = EventStream.open(ex, EventStream.Options.DEFAULTS.withRetry(Duration.ofMillis(50)));
                    for (int i = from + 1; i <= from + 3; i++) stream.send(SseEvent.Message.of("n" + i).withId(Integer.toString(i)));
                    stream.close();
                })
                .get("/json", (Handler.Async) (req, ex) -> ex.reply(Response.json("{}")))
                .get("/gone", (Handler.Async) (req, ex) -> ex.reply(Response.of(Status.NO_CONTENT)))
                .get("/quiet", (Handler.Async) (req, ex) -> {
                    synchronized (lastEventIds) {
                        lastEventIds.add("quiet");
                    }
                    EventStream.open(ex, EventStream.Options.DEFAULTS.withHeartbeat(Duration.ofHours(1)));
                })
                .start();
    }

    private URI uri(String path) { return URI.create("http://127.0.0.1:" + server.address().getPort() + path); }

    @Test void anEndedStreamIsResumedAfterItsLastEventIdAtTheServersRetry() throws Exception {
        startCounting();
        var recorder = new Recorder();
        var source = EventSource.connect(client, uri("/count"), EventSource.Options.DEFAULTS, recorder);
        var expected = List.of("open", "1 n1", "2 n2", "3 n3", "error", "open", "4 n4", "5 n5", "6 n6", "error", "open", "7 n7");
        for (String e : expected) assertEquals(e, next());
        source.close();
        recorder.closed.get(5, TimeUnit.SECONDS);
        assertEquals(EventSource.ReadyState.CLOSED, source.readyState());
        synchronized (lastEventIds) {
            assertEquals(List.of("-", "3", "6"), lastEventIds.subList(0, 3), "each attempt resumed after the last id seen");
        }
    }

    @Test void answersThatAreNotEventStreamsEndItForGood() throws Exception {
        startCounting();
        for (String path : List.of("/json", "/gone", "/missing")) {
            var recorder = new Recorder();
            var source = EventSource.connect(client, uri(path), EventSource.Options.DEFAULTS.withRetry(Duration.ofMillis(10)), recorder);
            Throwable why = recorder.closed.get(10, TimeUnit.SECONDS);
            assertTrue(why.getMessage().contains("not an event stream"), path + ": " + why);
            Thread.sleep(100);
            assertEquals(1, source.attempts(), path + ": never asked again");
        }
        assertEquals(null, seen.poll(), "no open, no message");
    }

    @Test void aSilentStreamCountsAsLostAndIsReconnected() throws Exception {
        startCounting();
        var recorder = new Recorder();
        var options = EventSource.Options.DEFAULTS.withMaxSilence(Duration.ofMillis(300)).withRetry(Duration.ofMillis(20));
        var source = EventSource.connect(client, uri("/quiet"), options, recorder);
        for (String e : List.of("open", "error", "open", "error")) assertEquals(e, next());
        source.close();
        assertTrue(source.attempts() >= 2);
    }

    @Test void aServerThatIsNotThereIsRetriedWithBackoffUntilItComes() throws Exception {
        int port = Nginx.freePort();                      // nothing listens yet
        var recorder = new Recorder();
        var options = EventSource.Options.DEFAULTS.withRetry(Duration.ofMillis(20)).withMaxDelay(Duration.ofMillis(200));
        var source = EventSource.connect(client, URI.create("http://127.0.0.1:" + port + "/count"), options, recorder);
        for (int i = 0; i < 3; i++) assertEquals("error", next());
        server = Server.builder().port(port).loops(1)
                .get("/count", (Handler.Async) (req, ex) -> EventStream.open(ex).send(SseEvent.Message.of("here").withId("1")))
                .start();
        String s;
        while ((s = next()).equals("error")) { }
        assertEquals("open", s);
        assertEquals("1 here", next());
        source.close();
    }

    @Test void followsRealNchanAcrossAReconnect() throws Exception {
        try (var nchan = Nginx.start(dir, """
                        location ~ ^/pub/(\\w+)$ { nchan_publisher; nchan_channel_id $1; }
                        location ~ ^/sub/(\\w+)$ { nchan_subscriber; nchan_channel_id $1; }
                """, true)) {
            String pub = nchan.base() + "/pub/es";
            var recorder = new Recorder();
            var options = EventSource.Options.DEFAULTS.withRetry(Duration.ofMillis(50));
            var source = EventSource.connect(client, URI.create(nchan.base() + "/sub/es"), options, recorder);
            assertEquals("open", next());
            client.sendBlocking(ClientRequest.post(pub, "one"));
            String first = next();
            assertTrue(first.matches("\\d+:\\d+ one"), first);
            source.close();
            recorder.closed.get(5, TimeUnit.SECONDS);
            // published while nobody listened: a new source resuming from the saved id gets it, and only it
            client.sendBlocking(ClientRequest.post(pub, "two"));
            var again = EventSource.connect(client, URI.create(nchan.base() + "/sub/es"), options, source.lastEventId(), new Recorder());
            assertEquals("open", next());
            String second = next();
            assertTrue(second.matches("\\d+:\\d+ two"), second);
            again.close();
        }
    }
}
