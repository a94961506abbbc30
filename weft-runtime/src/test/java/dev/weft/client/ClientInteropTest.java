package dev.weft.client;

import dev.weft.testing.Nginx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The client against servers no one here wrote: nginx (keep-alive, Content-Length, ranges) and
 * Python's http.server (HTTP/1.0, bodies delimited by the close). Each is skipped when missing,
 * except under CI=true, where a missing one fails the run (./weft test installs nginx).
 */
class ClientInteropTest {
    @TempDir Path dir;
    private Process server;
    private Nginx nginx;
    private final HttpClient client = HttpClient.builder().loops(1).build();

    @AfterEach void stop() throws InterruptedException {
        client.close();
        if (nginx != null) nginx.close();
        if (server != null) {
            server.destroy();
            if (!server.waitFor(5, TimeUnit.SECONDS)) server.destroyForcibly();
        }
    }

    @Test void nginx() throws Exception {
        byte[] content = new byte[300_000];
        new java.util.Random(7).nextBytes(content);
        Files.write(dir.resolve("data.bin"), content);
        // nginx's workers drop root for nobody: they must be able to read the file (Nginx opens the folder)
        Files.setPosixFilePermissions(dir.resolve("data.bin"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        nginx = Nginx.start(dir, """
                        location / { root %s; }
                        location = /hello { default_type text/plain; return 200 "hello from nginx"; }
                """.formatted(dir), false);
        String base = nginx.base();
        for (int i = 0; i < 10; i++) {
            assertEquals("hello from nginx", client.send(ClientRequest.get(base + "/hello")).get(10, TimeUnit.SECONDS).text());
        }
        assertEquals(1, client.openConnections(), "nginx kept the connection alive and the pool reused it");
        assertArrayEquals(content, client.send(ClientRequest.get(base + "/data.bin")).get(10, TimeUnit.SECONDS).bytes());
        var range = client.send(ClientRequest.get(base + "/data.bin").header("Range", "bytes=10-19")).get(10, TimeUnit.SECONDS);
        assertEquals(206, range.status().code());
        assertArrayEquals(java.util.Arrays.copyOfRange(content, 10, 20), range.bytes());
        assertEquals(404, client.send(ClientRequest.get(base + "/missing")).get(10, TimeUnit.SECONDS).status().code());
    }

    @Test void pythonHttpServer() throws Exception {
        Path python = Nginx.require("python3");
        Files.writeString(dir.resolve("page.txt"), "served by python");
        int port = Nginx.freePort();
        server = new ProcessBuilder(List.of(python.toString(), "-m", "http.server", "--bind", "127.0.0.1",
                Integer.toString(port), "--directory", dir.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("python.log").toFile()).start();
        Nginx.awaitListening(port);
        String base = "http://127.0.0.1:" + port;
        for (int i = 0; i < 3; i++) {
            var r = client.send(ClientRequest.get(base + "/page.txt")).get(10, TimeUnit.SECONDS);
            assertEquals(200, r.status().code());
            assertEquals("served by python", r.text());
        }
        assertEquals(404, client.send(ClientRequest.get(base + "/nope")).get(10, TimeUnit.SECONDS).status().code());
    }
}
