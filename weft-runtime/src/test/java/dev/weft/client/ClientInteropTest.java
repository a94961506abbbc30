package dev.weft.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The client against servers no one here wrote: nginx (keep-alive, Content-Length, ranges) and
 * Python's http.server (HTTP/1.0, bodies delimited by the close). Each is skipped when missing,
 * except under CI=true, where a missing one fails the run (./weft test installs nginx).
 */
class ClientInteropTest {
    @TempDir Path dir;
    private Process server;
    private final HttpClient client = HttpClient.builder().loops(1).build();

    @AfterEach void stop() throws InterruptedException {
        client.close();
        if (server != null) {
            server.destroy();
            if (!server.waitFor(5, TimeUnit.SECONDS)) server.destroyForcibly();
        }
    }

    private static Path find(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        for (String d : path.split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) return Path.of(d, tool);
        }
        return null;
    }

    private static Path require(String tool) {
        Path p = find(tool);
        if (p == null && "true".equals(System.getenv("CI"))) fail(tool + " is required under CI=true but was not found");
        assumeTrue(p != null, tool + " not found: skipping");
        return p;
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port) throws Exception {
        long due = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < due) {
            try (var s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nothing listened on " + port);
    }

    @Test void nginx() throws Exception {
        Path nginx = require("nginx");
        byte[] content = new byte[300_000];
        new java.util.Random(7).nextBytes(content);
        Files.write(dir.resolve("data.bin"), content);
        // nginx's workers drop root for nobody: they must be able to read the test's folder.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("data.bin"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        int port = freePort();
        Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server {
                        listen 127.0.0.1:%2$d;
                        location / { root %1$s; }
                        location = /hello { default_type text/plain; return 200 "hello from nginx"; }
                    }
                }
                """.formatted(dir, port));
        server = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        awaitListening(port);
        String base = "http://127.0.0.1:" + port;
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
        Path python = require("python3");
        Files.writeString(dir.resolve("page.txt"), "served by python");
        int port = freePort();
        server = new ProcessBuilder(List.of(python.toString(), "-m", "http.server", "--bind", "127.0.0.1",
                Integer.toString(port), "--directory", dir.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("python.log").toFile()).start();
        awaitListening(port);
        String base = "http://127.0.0.1:" + port;
        for (int i = 0; i < 3; i++) {
            var r = client.send(ClientRequest.get(base + "/page.txt")).get(10, TimeUnit.SECONDS);
            assertEquals(200, r.status().code());
            assertEquals("served by python", r.text());
        }
        assertEquals(404, client.send(ClientRequest.get(base + "/nope")).get(10, TimeUnit.SECONDS).status().code());
    }
}
