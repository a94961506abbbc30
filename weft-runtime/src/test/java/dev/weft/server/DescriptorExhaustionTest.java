package dev.weft.server;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that runs out of file descriptors from a cold start keeps serving the connections it
 * has, backs off accepting, and recovers by itself once descriptors free up; its loops never die.
 * The server is a child JVM under {@code ulimit -n 256} (this JVM's own limit is far higher, so
 * this side can open more connections than the child can accept). Linux and macOS: needs bash.
 */
class DescriptorExhaustionTest {
    private static final int LIMIT = 256;

    @Test void aServerOutOfDescriptorsKeepsServingAndRecoversByItself() throws Exception {
        Path stderr = Files.createTempFile("weft-starved", ".log");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder("bash", "-c", "ulimit -n " + LIMIT + " && exec \"$0\" --enable-native-access=ALL-UNNAMED -cp \"$1\" " + StarvedServer.class.getName(),
                java, System.getProperty("java.class.path"))
                .redirectError(stderr.toFile()).start();
        // Bounded: if the child stops answering, killing it ends every read below.
        var watchdog = Thread.ofPlatform().daemon().start(() -> {
            try {
                if (!child.waitFor(90, TimeUnit.SECONDS)) child.destroyForcibly();
            } catch (InterruptedException done) {
                // the test finished first
            }
        });
        var flood = new ArrayList<Socket>();
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
             var commands = new PrintWriter(child.getOutputStream(), true)) {
            String first = out.readLine();
            assertTrue(first != null && first.startsWith("PORT "), "child started: " + first + "\n" + Files.readString(stderr));
            var address = new InetSocketAddress("127.0.0.1", Integer.parseInt(first.substring(5)));
            try (var kept = Wire.connect(address)) {
                assertEquals("hello", hello(kept));
                for (int i = 0; i < 2 * LIMIT; i++) {                       // more than the child can hold
                    var s = new Socket();
                    s.connect(address, 5_000);                             // the kernel's backlog completes it
                    flood.add(s);
                }
                Map<String, Long> stats = awaitStats(out, commands, s -> s.get("backoffs") >= 1);
                assertEquals(2, stats.get("loops"), "both loops alive while starved");
                assertEquals("hello", hello(kept), "a connection it had is still served while starved");

                for (Socket s : flood) s.close();
                flood.clear();
                long due = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                String answer = null;
                while (answer == null && System.nanoTime() < due) {
                    try (var fresh = Wire.connect(address)) {
                        fresh.socket.setSoTimeout(2_000);
                        answer = hello(fresh);
                    } catch (IOException notYet) {
                        Thread.sleep(100);
                    }
                }
                assertEquals("hello", answer, "new connections are served again, with no restart");
                assertEquals(2, awaitStats(out, commands, s -> true).get("loops"), "both loops alive after");
            }
        } finally {
            for (Socket s : flood) s.close();
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) child.destroyForcibly();
            watchdog.interrupt();
        }
        String log = Files.readString(stderr);
        Files.delete(stderr);
        assertTrue(!log.contains("Exception in thread") && !log.contains("died"), "no loop died:\n" + log);
        // One warning per listening socket for the whole spell of exhaustion, not one per back-off.
        long warnings = log.lines().filter(l -> l.contains("out of file descriptors")).count();
        assertTrue(warnings >= 1 && warnings <= 2, "one warning per listening socket:\n" + log);
    }

    private static String hello(Wire wire) throws IOException {
        return wire.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().text();
    }

    private static Map<String, Long> awaitStats(BufferedReader out, PrintWriter commands,
                                                java.util.function.Predicate<Map<String, Long>> until) throws Exception {
        long due = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (;;) {
            commands.println("stats");
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("STATS "), "stats line: " + line);
            Map<String, Long> stats = new HashMap<>();
            for (String kv : List.of(line.substring(6).split(" "))) {
                String[] p = kv.split("=");
                stats.put(p[0], Long.parseLong(p[1]));
            }
            if (until.test(stats)) return stats;
            if (System.nanoTime() > due) throw new AssertionError("stats never matched: " + line);
            Thread.sleep(50);
        }
    }
}
