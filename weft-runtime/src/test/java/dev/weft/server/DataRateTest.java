package dev.weft.server;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import dev.weft.testing.LoopHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.weft.server.HostileClientTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deadlines that a trickling client used to slip past, on a manual clock: the server runs on a
 * {@link LoopHarness} group, bytes move over real sockets, and time moves only when the test
 * says. The defaults apply: a 30 s body deadline judged at 500 bytes/s, so each 30 s window
 * needs 15,000 bytes.
 */
class DataRateTest {
    private final LoopHarness harness = LoopHarness.start(1);

    @AfterEach void stop() { harness.close(); }

    private Server start() throws IOException {
        return Server.builder().port(0).group(harness.group())
                .post("/echo", Handler.buffered((req, ex) -> ex.reply(Response.ok(req.body().remaining() + " bytes"))))
                .start();
    }

    @Test void aBodyTrickledFasterThanTheIdleDeadlineButBelowTheRateIsCutOff() throws Exception {
        try (var server = start(); var wire = Wire.connect(server.address())) {
            wire.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\nx");
            for (int second = 0; second < 30; second += 10) {          // a byte every 10 s: never 30 s of silence
                long read = bytesRead(server);
                wire.send("y");
                await(() -> bytesRead(server) > read, "the byte arrived");
                harness.advance(Duration.ofSeconds(10));
            }
            var reply = wire.read();
            assertEquals(408, reply.status());
            assertTrue(reply.text().contains("minimum data rate"), reply.text());
            assertTrue(wire.closedByPeer());
            assertEquals(1, server.counters().total().deadlines(Deadline.MIN_DATA_RATE));
        }
    }

    @Test void aBodyAboveTheRateIsNeverCutOffHoweverLongItTakes() throws Exception {
        try (var server = start(); var wire = Wire.connect(server.address())) {
            int total = 200_000;
            wire.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + total + "\r\n\r\n");
            byte[] piece = new byte[10_000];                           // 10,000 bytes per 10 s: twice the rate
            for (int sent = 0; sent < total; sent += piece.length) {
                long read = bytesRead(server);
                wire.send(piece);
                await(() -> bytesRead(server) >= read + piece.length, "the piece arrived");
                harness.advance(Duration.ofSeconds(10));
            }
            assertEquals(total + " bytes", wire.read().text());
            assertEquals(0, server.counters().total().deadlines(Deadline.MIN_DATA_RATE));
        }
    }

    @Test void silenceMidBodyIsStillTheBodyDeadline() throws Exception {
        try (var server = start(); var wire = Wire.connect(server.address())) {
            wire.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
            await(() -> bytesRead(server) > 0, "the head arrived");
            harness.advance(Duration.ofSeconds(30));
            assertEquals(408, wire.read().status());
            assertEquals(1, server.counters().total().deadlines(Deadline.REQUEST_BODY));
        }
    }

    @Test void aStreamThatStopsWritingIsAbortedAtTheReplyDeadline() throws Exception {
        var stream = new CompletableFuture<ResponseStream>();
        try (var server = Server.builder().port(0).group(harness.group())
                .get("/events", (req, ex) -> stream.complete(ex.stream(Status.OK, new Headers())))
                .start(); var wire = Wire.connect(server.address())) {
            wire.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n");
            ResponseStream s = stream.get(10, TimeUnit.SECONDS);
            for (int minute = 0; minute < 12; minute++) {              // a heartbeat a minute: alive
                s.write(": beat\n");
                harness.run(l -> { });                                 // the piece is written on the loop
                harness.advance(Duration.ofMinutes(1));
            }
            assertTrue(s.isOpen(), "a stream that writes is never cut off");
            harness.advance(Duration.ofMinutes(5));
            harness.advance(Duration.ofMinutes(5));                    // a whole period with nothing written
            await(() -> !s.isOpen(), "the silent stream was aborted");
            assertTrue(wire.closedByPeerAfterDraining());
            assertEquals(1, server.counters().total().deadlines(Deadline.REPLY));
        }
    }

    private static long bytesRead(Server server) { return server.counters().total().bytesRead(); }
}
