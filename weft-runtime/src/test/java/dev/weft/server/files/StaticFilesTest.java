package dev.weft.server.files;

import dev.weft.server.AccessLog;
import dev.weft.server.Server;
import dev.weft.testing.Conditions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The static file handler over real sockets, with the JDK's HTTP client and raw requests. */
class StaticFilesTest {
    @TempDir Path root;
    @TempDir Path outside;
    private Server server;
    private StaticFiles files;
    private final ConcurrentLinkedQueue<AccessLog.Entry> log = new ConcurrentLinkedQueue<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach void start() throws IOException { start(StaticFiles.at(root).listing(true)); }

    private void start(StaticFiles.Builder builder) throws IOException {
        if (server != null) server.stop(Duration.ofSeconds(2));
        files = builder.build();
        server = Server.builder().port(0).loops(1).accessLog(log::add).get("/{path...}", files).start();
    }

    @AfterEach void stop() {
        server.stop(Duration.ofSeconds(2));
        client.close();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private Path file(String name, byte[] content) throws IOException {
        Path p = root.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, content);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    @Test void filesOfEverySizeArriveWhole() throws Exception {
        for (int size : new int[] {0, 1, 4 << 10, 1 << 20}) {
            byte[] content = random(size);
            file("f" + size + ".bin", content);
            var r = get("/f" + size + ".bin");
            assertEquals(200, r.statusCode());
            assertArrayEquals(content, r.body(), size + " bytes");
            assertEquals(Long.toString(size), r.headers().firstValue("content-length").orElseThrow());
            assertEquals("application/octet-stream", r.headers().firstValue("content-type").orElseThrow());
        }
    }

    @Test void aHundredMebibyteFileIsSentWithSendfileIntact() throws Exception {
        Path big = root.resolve("big.bin");
        var digest = MessageDigest.getInstance("SHA-256");
        try (var out = Files.newOutputStream(big)) {
            byte[] chunk = random(1 << 20);
            for (int i = 0; i < 100; i++) {
                chunk[0] = (byte) i;
                out.write(chunk);
                digest.update(chunk);
            }
        }
        var r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + "/big.bin")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        var received = MessageDigest.getInstance("SHA-256");
        long n = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[1 << 16];
            for (int k; (k = in.read(buf)) > 0; n += k) received.update(buf, 0, k);
        }
        assertEquals(100L << 20, n);
        assertEquals(HexFormat.of().formatHex(digest.digest()), HexFormat.of().formatHex(received.digest()));
    }

    @Test void headHasTheHeadersAndNoBody() throws Exception {
        file("a.txt", "hello".getBytes(StandardCharsets.UTF_8));
        var r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + "/a.txt"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("5", r.headers().firstValue("content-length").orElseThrow());
        assertEquals("text/plain; charset=utf-8", r.headers().firstValue("content-type").orElseThrow());
        assertEquals(0, r.body().length);
    }

    @Test void conditionalRequests() throws Exception {
        file("c.txt", "version one".getBytes(StandardCharsets.UTF_8));
        var first = get("/c.txt");
        String etag = first.headers().firstValue("etag").orElseThrow();
        String modified = first.headers().firstValue("last-modified").orElseThrow();
        assertTrue(etag.startsWith("\"") && !etag.startsWith("W/"), "a strong tag: " + etag);
        assertEquals(304, get("/c.txt", "If-None-Match", etag).statusCode());
        assertEquals(304, get("/c.txt", "If-Modified-Since", modified).statusCode());
        assertEquals(200, get("/c.txt", "If-None-Match", "\"stale\"").statusCode());
        assertEquals(412, get("/c.txt", "If-Match", "\"stale\"").statusCode());
        assertEquals(412, get("/c.txt", "If-Unmodified-Since", "Sat, 01 Jan 2000 00:00:00 GMT").statusCode());
        var notModified = get("/c.txt", "If-None-Match", etag);
        assertEquals(etag, notModified.headers().firstValue("etag").orElseThrow(), "a 304 repeats the validators");
        assertEquals(0, notModified.body().length);
    }

    @Test void ranges() throws Exception {
        byte[] content = random(10_000);
        file("r.bin", content);
        var one = get("/r.bin", "Range", "bytes=100-199");
        assertEquals(206, one.statusCode());
        assertEquals("bytes 100-199/10000", one.headers().firstValue("content-range").orElseThrow());
        assertArrayEquals(java.util.Arrays.copyOfRange(content, 100, 200), one.body());
        var suffix = get("/r.bin", "Range", "bytes=-10");
        assertArrayEquals(java.util.Arrays.copyOfRange(content, 9990, 10000), suffix.body());

        var several = get("/r.bin", "Range", "bytes=0-9,5000-5009");
        assertEquals(206, several.statusCode());
        String type = several.headers().firstValue("content-type").orElseThrow();
        assertTrue(type.startsWith("multipart/byteranges; boundary="), type);
        String body = new String(several.body(), StandardCharsets.ISO_8859_1);
        String boundary = type.substring(type.indexOf('=') + 1);
        assertTrue(body.contains("Content-Range: bytes 0-9/10000") && body.contains("Content-Range: bytes 5000-5009/10000"), body);
        assertTrue(body.endsWith("--" + boundary + "--\r\n"));
        assertTrue(body.contains(new String(java.util.Arrays.copyOfRange(content, 5000, 5010), StandardCharsets.ISO_8859_1)));
        assertEquals(several.body().length, Integer.parseInt(several.headers().firstValue("content-length").orElseThrow()));

        var unsatisfiable = get("/r.bin", "Range", "bytes=20000-");
        assertEquals(416, unsatisfiable.statusCode());
        assertEquals("bytes */10000", unsatisfiable.headers().firstValue("content-range").orElseThrow());

        String etag = one.headers().firstValue("etag").orElseThrow();
        assertEquals(206, get("/r.bin", "Range", "bytes=0-9", "If-Range", etag).statusCode());
        assertEquals(200, get("/r.bin", "Range", "bytes=0-9", "If-Range", "\"old\"").statusCode(), "a changed file is sent whole");
        assertEquals(200, get("/r.bin", "Range", "bytes=" + "0-1,".repeat(200)).statusCode(), "amplification refused");
    }

    @Test void foldersRedirectServeTheirIndexAndListEscapedNames() throws Exception {
        file("site/index.html", "<p>home</p>".getBytes(StandardCharsets.UTF_8));
        file("docs/<b>&\"x'.txt", new byte[1]);
        var redirect = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + "/site?x=1")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertEquals(301, redirect.statusCode());
        assertEquals("/site/?x=1", redirect.headers().firstValue("location").orElseThrow());
        assertEquals("<p>home</p>", new String(get("/site/").body(), StandardCharsets.UTF_8));
        String listing = new String(get("/docs/").body(), StandardCharsets.UTF_8);
        assertTrue(listing.contains("&lt;b&gt;&amp;&quot;x&#39;.txt"), listing);
        assertTrue(listing.contains("href=\"%3Cb%3E%26%22x%27.txt\"") , listing);
        start(StaticFiles.at(root));
        assertEquals(404, get("/docs/").statusCode(), "no listing unless enabled");
    }

    @Test void precompressedSiblingsWhenAccepted() throws Exception {
        file("app.js", "plain".getBytes(StandardCharsets.UTF_8));
        file("app.js.gz", "gzipped".getBytes(StandardCharsets.UTF_8));
        file("app.js.br", "brotli".getBytes(StandardCharsets.UTF_8));
        var br = get("/app.js", "Accept-Encoding", "gzip, br");
        assertEquals("brotli", new String(br.body(), StandardCharsets.UTF_8));
        assertEquals("br", br.headers().firstValue("content-encoding").orElseThrow());
        assertEquals("text/javascript; charset=utf-8", br.headers().firstValue("content-type").orElseThrow());
        assertEquals("Accept-Encoding", br.headers().firstValue("vary").orElseThrow());
        var gz = get("/app.js", "Accept-Encoding", "gzip, br;q=0");
        assertEquals("gzipped", new String(gz.body(), StandardCharsets.UTF_8));
        var plain = get("/app.js", "Accept-Encoding", "identity");
        assertEquals("plain", new String(plain.body(), StandardCharsets.UTF_8));
        assertEquals("Accept-Encoding", plain.headers().firstValue("vary").orElseThrow(), "Vary on every variant");
        assertTrue(plain.headers().firstValue("content-encoding").isEmpty());
    }

    @Test void traversalAndHiddenFilesAreNotFound() throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "secret");
        file(".env", "TOKEN=1".getBytes(StandardCharsets.UTF_8));
        file("ok.txt", "ok".getBytes(StandardCharsets.UTF_8));
        String up = root.relativize(outside).toString();
        for (String target : List.of("/../" + up + "/secret.txt", "/%2e%2e/" + up + "/secret.txt",
                "/ok.txt%2f..%2f..%2f" + up + "%2fsecret.txt", "/..%5c" + up + "%5csecret.txt", "/ok.txt%00.png",
                "/%c0%ae%c0%ae/" + up + "/secret.txt", "/.env", "/%2eenv", "/missing.txt")) {
            assertEquals(404, raw(target), target);
        }
        assertEquals(200, raw("/sub/../ok.txt"), "dot segments that stay inside are normalised");
        start(StaticFiles.at(root).hiddenFiles(true));
        assertEquals(200, raw("/.env"));
    }

    @Test void symbolicLinksThatLeaveTheRootAreRefusedUnlessAllowed() throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "secret");
        file("inside.txt", "inside".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(root.resolve("out.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("outdir"), outside);
        Files.createSymbolicLink(root.resolve("in.txt"), root.resolve("inside.txt"));
        assertEquals(403, get("/out.txt").statusCode());
        assertEquals(403, get("/outdir/secret.txt").statusCode());
        assertEquals("inside", new String(get("/in.txt").body(), StandardCharsets.UTF_8), "a link within the root is fine");
        start(StaticFiles.at(root).linksOutsideRoot(true));
        assertEquals("secret", new String(get("/out.txt").body(), StandardCharsets.UTF_8));
    }

    @Test void aFileSwappedForALinkBetweenCheckAndOpenIsRefused() throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Path target = file("swap.bin", random(100 << 10));
        files.beforeOpen(path -> {
            try {
                Files.delete(target);
                Files.createSymbolicLink(target, outside.resolve("secret.txt"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        var r = get("/swap.bin");
        assertEquals(403, r.statusCode());
        assertTrue(!new String(r.body(), StandardCharsets.UTF_8).contains("secret"));
    }

    @Test void aFileThatShrinksMidSendNeverSendsMoreThanAnnounced() throws Exception {
        Path shrinking = file("shrink.bin", random(16 << 20));
        try (var socket = new Socket()) {
            socket.setReceiveBufferSize(16 << 10);
            socket.connect(server.address());
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /shrink.bin HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(200);
            assertTrue(new String(head, StandardCharsets.US_ASCII).contains("Content-Length: " + (16 << 20)));
            try (var ch = FileChannel.open(shrinking, StandardOpenOption.WRITE)) {
                ch.truncate(1 << 20);                                     // shrinks while being sent
            }
            long total = head.length;
            try {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) total += n;
            } catch (IOException reset) {
                // closed with a reset: fine
            }
            assertTrue(total < (16 << 20) + 200, "never past the announced length: " + total);
        }
        await(() -> server.counters().total().connectionsOpen() == 0, "the connection was ended");
    }

    @Test void aClientThatLeavesMidFileLeavesNoDescriptorBehindAndIdleConnectionsHoldNone() throws Exception {
        file("large.bin", random(32 << 20));
        file("small.txt", "small".getBytes(StandardCharsets.UTF_8));
        long before = openDescriptors();
        try (var socket = new Socket()) {
            socket.setReceiveBufferSize(16 << 10);
            socket.connect(server.address());
            socket.getOutputStream().write("GET /large.bin HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getInputStream().readNBytes(1 << 20);
            socket.setSoLinger(true, 0);
        }
        await(() -> server.counters().total().connectionsOpen() == 0, "the server closed its side");
        await(() -> openDescriptors() <= before, "the file was closed with the connection");
        try (var idle = new Socket()) {
            idle.connect(server.address());
            OutputStream out = idle.getOutputStream();
            out.write("GET /large.bin HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = idle.getInputStream();
            long want = (32 << 20), got = 0;
            byte[] buf = new byte[1 << 16];
            while (got < want + 100) {                                    // head + body, then idle
                int n = in.read(buf);
                if (n < 0) break;
                got += n;
                if (new String(buf, 0, Math.min(n, 300), StandardCharsets.ISO_8859_1).contains("\r\n\r\n") && got >= want) break;
            }
            await(() -> openDescriptors() <= before + 2, "an idle keep-alive connection holds its socket, not the file");
        }
    }

    @Test void aSlowReaderGetsEveryByte() throws Exception {
        byte[] content = random(4 << 20);
        file("slow.bin", content);
        try (var socket = new Socket()) {
            socket.setReceiveBufferSize(8 << 10);
            socket.connect(server.address());
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("GET /slow.bin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            var all = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[64 << 10];
            for (int n, i = 0; (n = in.read(buf)) > 0; i++) {
                all.write(buf, 0, n);
                if (i % 16 == 0) Thread.sleep(5);
            }
            byte[] got = all.toByteArray();
            int bodyStart = new String(got, 0, 400, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
            assertArrayEquals(content, java.util.Arrays.copyOfRange(got, bodyStart, got.length));
        }
    }

    @Test void onlyGetAndHeadAndEveryResponseIsLogged() throws Exception {
        file("x.txt", "x".getBytes(StandardCharsets.UTF_8));
        var post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + "/x.txt"))
                .POST(HttpRequest.BodyPublishers.ofString("y")).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("allow").orElseThrow());
        get("/x.txt");
        await(() -> log.size() == 2, "two entries");
        var entry = log.stream().filter(e -> e.method().equals("GET")).findFirst().orElseThrow();
        assertEquals("/x.txt", entry.target());
        assertEquals(200, entry.status());
        assertEquals(1, entry.bytes());
    }

    @Test void aModifiedFileGetsANewTag() throws Exception {
        Path p = file("m.txt", "one".getBytes(StandardCharsets.UTF_8));
        String first = get("/m.txt").headers().firstValue("etag").orElseThrow();
        Files.writeString(p, "two");
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        var r = get("/m.txt", "If-None-Match", first);
        assertEquals(200, r.statusCode());
        assertEquals("two", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test void curlGetsRangesConditionalsAndTheGzipVariant() throws Exception {
        boolean present;
        try {
            present = new ProcessBuilder("curl", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            present = false;
        }
        if (!present && "true".equals(System.getenv("CI"))) throw new AssertionError("curl is required under CI=true");
        org.junit.jupiter.api.Assumptions.assumeTrue(present, "curl not found");
        file("page.html", "<p>the page, uncompressed</p>".getBytes(StandardCharsets.UTF_8));
        var gz = new java.io.ByteArrayOutputStream();
        try (var z = new java.util.zip.GZIPOutputStream(gz)) {
            z.write("<p>the page, from its gzip sibling</p>".getBytes(StandardCharsets.UTF_8));
        }
        file("page.html.gz", gz.toByteArray());
        String url = "http://127.0.0.1:" + server.address().getPort() + "/page.html";
        assertEquals("<p>the page", curl("-r", "0-10", url));
        assertEquals("<p>the page, from its gzip sibling</p>", curl("--compressed", url));
        assertEquals("<p>the page, uncompressed</p>", curl(url));
        String etag = curl("-sI", url).lines().filter(l -> l.startsWith("etag:")).findFirst().orElseThrow().substring(6).trim();
        assertTrue(curl("-si", "-H", "If-None-Match: " + etag, url).startsWith("HTTP/1.1 304"));
    }

    private static String curl(String... args) throws Exception {
        var cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "curl " + args);
        return out;
    }

    /** The status of a request sent byte for byte as written (the JDK client would normalise it). */
    private int raw(String target) throws IOException {
        try (var s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    private static long openDescriptors() { return Conditions.openDescriptors(); }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Conditions.await(condition, what, Duration.ofSeconds(15));
    }
}
