package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.Conditions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 19,000 keep-alive connections held open at once in this one process (the machine allows 20,000
 * open files per process), each answered after a spell of idleness, then all gone with every
 * descriptor back. The clients live in a child JVM ({@link IdleConnections}) with its own limit.
 */
class ManyConnectionsTest {
    static final int CONNECTIONS = 19_000;

    @Test @Timeout(180) void nineteenThousandIdleConnectionsAreEachAnsweredAndThenReleased() throws Exception {
        long descriptorsBefore = Conditions.openDescriptors();
        try (var server = Server.builder().port(0).loops(2).backlog(4096)
                .timeouts(ServerTimeouts.DEFAULTS.withKeepAliveIdle(Duration.ofMinutes(5)))
                .get("/hello", (Handler.Async) (request, exchange) -> exchange.reply(Response.ok("hello")))
                .start()) {
            String java = ProcessHandle.current().info().command().orElseThrow();
            Process clients = new ProcessBuilder(java, "-Xss256k", "-cp", System.getProperty("java.class.path"),
                    IdleConnections.class.getName(), Integer.toString(server.address().getPort()), Integer.toString(CONNECTIONS))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (var out = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.US_ASCII));
                 var in = new PrintWriter(clients.getOutputStream(), true)) {
                assertEquals("OPEN " + CONNECTIONS, out.readLine(), "the child connected every socket");
                await(() -> server.counters().total().connectionsOpen() == CONNECTIONS, "every connection accepted");
                Thread.sleep(1000);                                       // idle for a while
                long heldDescriptors = Conditions.openDescriptors() - descriptorsBefore;
                System.out.printf("%,d idle connections on %s: %,d descriptors held%n", CONNECTIONS,
                        server.info().transport(), heldDescriptors);
                assertTrue(heldDescriptors >= CONNECTIONS, "one descriptor per connection: " + heldDescriptors);
                in.println("ASK");
                assertEquals("ANSWERED " + CONNECTIONS, out.readLine(), "each idle connection answered");
                assertEquals(CONNECTIONS, server.counters().total().responses());
                in.close();                                               // the child resets them all
                assertTrue(clients.waitFor(60, TimeUnit.SECONDS), "the child exits");
                await(() -> server.counters().total().connectionsOpen() == 0, "every connection closed");
                await(() -> Conditions.openDescriptors() - descriptorsBefore < 64, "their descriptors released");
            } finally {
                clients.destroyForcibly();
            }
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Conditions.await(condition, what, Duration.ofSeconds(60));
    }
}
