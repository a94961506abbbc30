package dev.weft.cli;

import dev.weft.cli.browser.PubSubServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code weft load --fanout}'s accounting against servers in processes of their own: {@code weft
 * pubsub} and real Nchan, each transport, every message to every subscriber once, each latency
 * recorded; and the server's count of subscribers, which the tool waits for, matching.
 */
@Timeout(120)
class FanOutTest {
    @TempDir Path dir;

    private static void everyMessageOnce(PubSubServer server) throws Exception {
        for (String mode : List.of("longpoll", "sse", "ws")) {
            var settings = new FanOut.Settings(mode, URI.create(server.base()), "t" + mode + System.nanoTime() % 10_000,
                    200, 10, 20, 100, 2000, Duration.ofSeconds(10), 2, true);
            FanOut.Result r = FanOut.run(settings, null);
            String what = server.name() + " " + mode + ": " + r.line();
            assertEquals(2000, r.delivered(), what);
            assertEquals(0, r.lost(), what);
            assertEquals(0, r.duplicates(), what);
            assertEquals(0, r.failures(), what);
            assertEquals(2000, r.latency().getTotalCount(), what);
            if (mode.equals("longpoll")) assertEquals(10, r.allBack().getTotalCount(), what + ": every message's re-polls timed");
        }
    }

    @Test void weftPubSub() throws Exception {
        try (var server = PubSubServer.weft()) {
            everyMessageOnce(server);
        }
    }

    @Test void nchan() throws Exception {
        try (var server = PubSubServer.nchan(dir)) {
            everyMessageOnce(server);
        }
    }
}
