package dev.weft.server;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many parked long-polls at once: an async handler parks every exchange in a queue, costing no
 * thread; one other thread then answers them all. The 10,000 clients run in a child JVM
 * ({@link LongPollClients}): the machine allows 20,000 open files per process, and 10,000 client
 * sockets plus 10,000 server sockets plus the JVM's own files would not fit in one.
 */
class LongPollTest {
    static final int CLIENTS = 10_000;

    @Test void tenThousandParkedLongPollsAllAnswered() throws Exception {
        var parked = new ConcurrentLinkedQueue<Exchange>();
        try (var server = Server.builder().port(0).loops(2).backlog(4096)
                .get("/poll/{id}", (Handler.Async) (req, ex) -> parked.add(ex))
                .start()) {
            String java = ProcessHandle.current().info().command().orElseThrow();
            Process clients = new ProcessBuilder(java, "-Xss256k", "-cp", System.getProperty("java.class.path"),
                    LongPollClients.class.getName(), Integer.toString(server.address().getPort()), Integer.toString(CLIENTS))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try (var out = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.US_ASCII))) {
                assertEquals("SENT", out.readLine(), "the child sent every poll");
                long due = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (parked.size() < CLIENTS && System.nanoTime() < due) Thread.sleep(10);
                assertEquals(CLIENTS, parked.size(), "every poll parked");
                assertEquals(CLIENTS, server.counters().total().connectionsOpen());

                var replier = Thread.ofPlatform().start(() -> {
                    for (Exchange ex; (ex = parked.poll()) != null; ) {
                        ex.reply(Response.ok("event for " + ex.request().pathParam("id")));
                    }
                });
                assertEquals("RECEIVED " + CLIENTS, out.readLine(), "every client got its own event");
                replier.join();
                assertTrue(clients.waitFor(30, TimeUnit.SECONDS), "the child exits");
                assertEquals(0, clients.exitValue());
                assertEquals(CLIENTS, server.counters().total().responses());
            } finally {
                clients.destroyForcibly();
            }
        }
    }
}
