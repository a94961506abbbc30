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
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * 5 of 50 subscribers close after message 3 of 10: each misses messages 4..9 at least (and
     * earlier ones still on their way: a long-poller lags one answer per message at 20/s), counted
     * as lost, not as failures; the others lose nothing; the run ends within its 2 s grace.
     */
    private static void vanishedIsLost(PubSubServer server) throws Exception {
        for (String mode : List.of("longpoll", "sse", "ws")) {
            var settings = new FanOut.Settings(mode, URI.create(server.base()), "v" + mode + System.nanoTime() % 10_000,
                    50, 10, 20, 100, 2000, Duration.ofSeconds(2), 2, true);
            long start = System.nanoTime();
            FanOut.Result r = FanOut.runVanishing(settings, 5, 3);
            double seconds = (System.nanoTime() - start) / 1e9;
            String what = server.name() + " " + mode + ": " + r.line();
            assertTrue(r.lost() >= 5 * 6 && r.lost() <= 5 * 10, what);
            assertEquals(500, r.delivered() + r.lost(), what);
            assertEquals(0, r.duplicates(), what);
            assertEquals(0, r.failures(), what);
            assertTrue(seconds < 15, what + ": took " + seconds + " s");
        }
    }

    @Test void aVanishedSubscriberIsLostNotWaitedFor() throws Exception {
        try (var server = PubSubServer.weft()) {
            vanishedIsLost(server);
        }
    }

    @Test void aVanishedNchanSubscriberIsLostNotWaitedFor() throws Exception {
        try (var server = PubSubServer.nchan(dir)) {
            vanishedIsLost(server);
        }
    }
}
