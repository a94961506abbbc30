package dev.weft.server;

import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.testing.LineServer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Other protocols share the loops (docs/ARCHITECTURE.md, "How a request travels"): a line protocol built on
 * Listener and ConnectionHandler alone, and the HTTP server, served by one EventLoopGroup at once.
 */
class SharedLoopsTest {
    @Test
    void aLineProtocolAndHttpShareOneGroupOfLoops() throws Exception {
        Set<String> httpThreads = ConcurrentHashMap.newKeySet();
        try (var group = EventLoopGroup.start(LoopConfig.defaults().withLoops(2));
             var lines = LineServer.start(group)) {
            var http = Server.builder().group(group).port(0)
                    .get("/where", (Handler.Async) (req, ex) -> {
                        httpThreads.add(Thread.currentThread().getName());
                        ex.reply(Response.ok("http"));
                    })
                    .start();
            try {
                Set<String> lineLoops = new HashSet<>();
                for (int i = 0; i < 6; i++) {
                    try (var line = new Socket("127.0.0.1", lines.address().getPort());
                         var web = new Socket("127.0.0.1", http.address().getPort())) {
                        line.setSoTimeout(5000);
                        web.setSoTimeout(5000);
                        var lineIn = new BufferedReader(new InputStreamReader(line.getInputStream(), StandardCharsets.US_ASCII));
                        line.getOutputStream().write("UPPER weft\nLOOP\n".getBytes(StandardCharsets.US_ASCII));
                        assertEquals("WEFT", lineIn.readLine());
                        lineLoops.add(lineIn.readLine());

                        OutputStream out = web.getOutputStream();
                        out.write("GET /where HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        String response = new String(web.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
                        assertTrue(response.endsWith("\r\n\r\nhttp"), response);
                    }
                }
                Set<String> loopThreads = new HashSet<>();
                group.loops().forEach(loop -> loopThreads.add(threadOf(loop)));
                assertTrue(loopThreads.containsAll(httpThreads), "HTTP ran on " + httpThreads + ", loops are " + loopThreads);
                assertTrue(Set.of("0", "1").containsAll(lineLoops), "line connections on loops " + lineLoops);
            } finally {
                http.stop(Duration.ofSeconds(2));
            }
            try (var line = new Socket("127.0.0.1", lines.address().getPort())) {
                line.setSoTimeout(5000);
                line.getOutputStream().write("PING\n".getBytes(StandardCharsets.US_ASCII));
                var in = new BufferedReader(new InputStreamReader(line.getInputStream(), StandardCharsets.US_ASCII));
                assertEquals("PONG", in.readLine(), "the line protocol outlives the HTTP server on the shared loops");
            }
        }
    }

    private static String threadOf(dev.weft.loop.EventLoop loop) {
        var name = new java.util.concurrent.CompletableFuture<String>();
        loop.execute(() -> name.complete(Thread.currentThread().getName()));
        return name.join();
    }
}
