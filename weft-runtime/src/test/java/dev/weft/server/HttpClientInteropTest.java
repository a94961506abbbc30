package dev.weft.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JDK's HttpClient against the server over 127.0.0.1 (HTTP/1.1 forced). */
class HttpClientInteropTest {
    private static Server server;
    private static HttpClient client;

    @BeforeAll static void start() throws Exception {
        server = Server.builder().port(0).loops(2)
                .get("/hello/{name}", (Handler.Async) (req, ex) -> ex.reply(Response.ok("hello " + req.pathParam("name"))))
                .post("/echo", Handler.buffered((req, ex) -> ex.reply(Response.bytes(bytes(req)))))
                .post("/digest", (Handler.Blocking) req -> {
                    var sha = MessageDigest.getInstance("SHA-256");
                    try (var in = req.bodyStream()) {
                        byte[] buf = new byte[8192];
                        long total = 0;
                        for (int n; (n = in.read(buf)) > 0; total += n) sha.update(buf, 0, n);
                        return Response.ok(total + " " + HexFormat.of().formatHex(sha.digest()));
                    }
                })
                .start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll static void stop() {
        client.close();
        server.close();
    }

    private static byte[] bytes(Request r) {
        var b = r.body();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    private static URI uri(String path) { return URI.create("http://" + server.address().getHostString() + ":" + server.address().getPort() + path); }

    @Test void get() throws Exception {
        var r = client.send(HttpRequest.newBuilder(uri("/hello/world")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("hello world", r.body());
        assertTrue(r.headers().firstValue("date").isPresent());
        assertEquals(404, client.send(HttpRequest.newBuilder(uri("/nope")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @ParameterizedTest @ValueSource(ints = {0, 1024, 10 << 20})
    void postEchoesBodiesOfAnySize(int size) throws Exception {
        byte[] body = new byte[size];
        new Random(size).nextBytes(body);
        var r = client.send(HttpRequest.newBuilder(uri("/echo")).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertArrayEquals(sha256(body), sha256(r.body()));
    }

    @Test void chunkedUploadIsStreamedToABlockingHandler() throws Exception {
        byte[] body = new byte[3 << 20];
        new Random(7).nextBytes(body);
        var r = client.send(HttpRequest.newBuilder(uri("/digest"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(body.length + " " + HexFormat.of().formatHex(sha256(body)), r.body());
    }

    @Test void keepAliveReusesOneConnection() throws Exception {
        try (var fresh = Server.builder().port(0).loops(1)
                .get("/n", (Handler.Async) (req, ex) -> ex.reply(Response.ok("n"))).start();
             var one = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            var u = URI.create("http://127.0.0.1:" + fresh.address().getPort() + "/n");
            for (int i = 0; i < 20; i++) {
                assertEquals("n", one.send(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.ofString()).body());
            }
            var counts = fresh.counters().total();
            assertEquals(1, counts.connectionsAccepted());
            assertEquals(20, counts.requests());
            assertEquals(20, counts.responses());
        }
    }

    @Test void http10ViaRawSocket() throws Exception {
        try (var wire = Wire.connect(server.address())) {
            var r = wire.send("GET /hello/old HTTP/1.0\r\n\r\n").read();
            assertEquals(200, r.status());
            assertEquals("hello old", r.text());
            assertTrue(wire.closedByPeer(), "HTTP/1.0 without keep-alive closes");
        }
        try (var wire = Wire.connect(server.address())) {
            var r = wire.send("GET /hello/a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertEquals("keep-alive", r.header("connection").toLowerCase());
            assertEquals("hello b", wire.send("GET /hello/b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read().text());
        }
    }

    static byte[] sha256(byte[] b) throws Exception { return MessageDigest.getInstance("SHA-256").digest(b); }
}
