package dev.weft.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.testing.AdversePeer;
import dev.weft.testing.LineServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A non-HTTP protocol on the same loops: {@link LineServer}, driven by a few clients at once. */
class LineProtocolTest {
    private final NetFixture net = new NetFixture(2);
    private final LineServer server = start();

    private LineServer start() {
        try {
            return LineServer.start(net.group);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() {
        server.close();
        net.close();
    }

    @Test
    void severalClientsAtOnceEachGetTheirOwnAnswers() throws Exception {
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            var results = new ArrayList<Future<String>>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                results.add(clients.submit((Callable<String>) () -> conversation(n)));
            }
            for (int i = 0; i < results.size(); i++) assertEquals("ok " + i, results.get(i).get());
        }
        assertEquals(0, net.lent(), "all idle or gone: no buffers lent");
    }

    private String conversation(int n) throws IOException {
        try (var peer = AdversePeer.connect(server.address())) {
            assertEquals("PONG", peer.send("PING\n").readLine());
            for (int i = 0; i < 50; i++) assertEquals("hello " + n + " " + i, peer.send("ECHO hello " + n + " " + i + "\r\n").readLine());
            // Two commands in one segment, and one split across two.
            peer.send("UPPER abc\nPI");
            assertEquals("ABC", peer.readLine());
            assertEquals("PONG", peer.send("NG\n").readLine());
            assertEquals("ERR unknown command", peer.send("FROB\n").readLine());
            assertEquals("BYE", peer.send("QUIT\n").readLine());
            assertEquals(0, peer.readToEnd().length, "the server closed after BYE");
            return "ok " + n;
        }
    }

    @Test
    void aSlowLorisStillGetsItsAnswerByteByByte() throws IOException {
        try (var peer = AdversePeer.connect(server.address())) {
            peer.apply(new AdversePeer.SlowLoris("ECHO slow\n".getBytes(StandardCharsets.US_ASCII), Duration.ofMillis(2)));
            assertEquals("slow", peer.readLine());
        }
    }

    @Test
    void anOverlongLineIsRefusedAndClosed() throws IOException {
        try (var peer = AdversePeer.connect(server.address())) {
            peer.send("ECHO " + "x".repeat(LineServer.MAX_LINE + 10));
            assertArrayEquals("ERR line too long\n".getBytes(StandardCharsets.US_ASCII), peer.readToEnd());
        }
    }
}
