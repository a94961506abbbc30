package dev.weft.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The server side of {@link DescriptorExhaustionTest}, run as a child JVM under a low open-file
 * limit. Serves {@code GET /hello} on two loops, prints {@code PORT n}, then answers each
 * {@code stats} line on standard input with one line of counters, until standard input closes.
 */
public final class StarvedServer {
    private StarvedServer() {}

    public static void main(String[] args) throws Exception {
        var server = Server.builder().port(0).loops(2)
                .get("/hello", (req, ex) -> ex.reply(Response.ok("hello")))
                .start();
        // Loaded now: with descriptors gone, this JVM cannot open class files (tried: the first
        // stats line failed with NoClassDefFoundError while the server itself carried on).
        stats(server);
        System.out.println("PORT " + server.address().getPort());
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("stats")) System.out.println(stats(server));
        }
        server.stop(Duration.ofSeconds(2));
    }

    private static String stats(Server server) {
        long backoffs = 0, contained = 0;
        for (ServerLoop l : server.serverLoops()) {
            backoffs += l.loop.counters().acceptBackoffs();
            contained += l.loop.counters().errorsContained();
        }
        long alive = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("weft-loop-") && t.isAlive()).count();
        return "STATS backoffs=" + backoffs + " contained=" + contained + " loops=" + alive
                + " open=" + server.counters().total().connectionsOpen();
    }
}
