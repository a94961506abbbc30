package dev.weft.server;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.http.Violation;
import dev.weft.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server semantics over real sockets: handler kinds, cancellation, context, stop, counters. */
class ServerBehaviourTest {
    private static final ScopedValue<String> TRACE = ScopedValue.newInstance();

    private static String get(Server s, String path) throws IOException {
        try (var w = Wire.connect(s.address())) {
            return w.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").read().text();
        }
    }

    @Test void blockingHandlersDoNotHoldUpAsyncOnesOnTheSameLoop() throws Exception {
        var release = new CountDownLatch(1);
        var entered = new AtomicInteger();
        var finished = new AtomicInteger();
        try (var server = Server.builder().port(0).loops(1)
                .get("/block", (Handler.Blocking) req -> {
                    entered.incrementAndGet();
                    release.await(30, TimeUnit.SECONDS);
                    finished.incrementAndGet();
                    return Response.ok("blocked " + Thread.currentThread().isVirtual());
                })
                .get("/fast", (Handler.Async) (req, ex) -> ex.reply(Response.ok("fast")))
                .start()) {
            var blocked = new ArrayList<Wire>();
            for (int i = 0; i < 50; i++) blocked.add(Wire.connect(server.address()).send("GET /block HTTP/1.1\r\nHost: t\r\n\r\n"));
            while (entered.get() < 50) Thread.sleep(5);
            assertEquals("fast", get(server, "/fast"));
            assertEquals(0, finished.get(), "the async reply came while every blocking handler was still blocked");
            release.countDown();
            for (Wire w : blocked) {
                assertEquals("blocked true", w.read().text());
                w.close();
            }
        }
    }

    @Test void parkedExchangeIsCancelledWhenTheClientLeaves() throws Exception {
        var parked = new CompletableFuture<Exchange>();
        var cancelled = new CompletableFuture<String>();
        try (var server = Server.builder().port(0).loops(1)
                .get("/wait", (Handler.Async) (req, ex) -> {
                    ex.onCancel(() -> cancelled.complete(Thread.currentThread().getName()));
                    parked.complete(ex);
                }).start()) {
            var wire = Wire.connect(server.address()).send("GET /wait HTTP/1.1\r\nHost: t\r\n\r\n");
            Exchange ex = parked.get(10, TimeUnit.SECONDS);
            assertTrue(ex.isOpen());
            wire.close();
            assertTrue(cancelled.get(10, TimeUnit.SECONDS).startsWith("weft-loop"), "onCancel runs on the loop");
            assertFalse(ex.isOpen());
            ex.reply(Response.ok("too late"));                                   // a no-op
            assertThrows(UsageViolation.class, () -> ex.reply(Response.ok("twice")));
        }
    }

    @Test void replyTwiceThrowsEvenWhenTheFirstWasSent() throws Exception {
        var second = new CompletableFuture<Throwable>();
        try (var server = Server.builder().port(0).loops(1)
                .get("/twice", (Handler.Async) (req, ex) -> {
                    ex.reply(Response.ok("first"));
                    try {
                        ex.reply(Response.ok("second"));
                        second.complete(null);
                    } catch (UsageViolation expected) {
                        second.complete(expected);
                    }
                }).start()) {
            assertEquals("first", get(server, "/twice"));
            assertInstanceOf(UsageViolation.class, second.get(5, TimeUnit.SECONDS));
        }
    }

    @Test void replyFromAWorkerRunsInTheRequestContext() throws Exception {
        var parked = new LinkedBlockingQueue<Exchange>();
        try (var server = Server.builder().port(0).loops(1).carry(TRACE)
                .get("/ctx", (Handler.Async) (req, ex) -> ScopedValue.where(TRACE, req.headers().firstOr("x-trace", "?"))
                        .run(() -> {
                            ex.onCancel(() -> {});                               // parks the exchange inside the binding
                            parked.add(ex);
                        }))
                .start();
             var wire = Wire.connect(server.address())) {
            wire.send("GET /ctx HTTP/1.1\r\nHost: t\r\nX-Trace: t-42\r\n\r\n");
            Exchange ex = parked.poll(10, TimeUnit.SECONDS);
            Thread.ofPlatform().start(() -> ex.reply(Response.streamed(Status.OK, new Headers(), out ->
                    out.write((TRACE.orElse("unbound") + " " + RequestContext.CURRENT.get().path()).getBytes(StandardCharsets.UTF_8)))));
            assertEquals("t-42 /ctx", wire.read().text());
        }
    }

    @Test void replyDeadlineAnswers503AndCancels() throws Exception {
        var cancelled = new CompletableFuture<Boolean>();
        try (var server = Server.builder().port(0).loops(1)
                .timeouts(ServerTimeouts.DEFAULTS.withReply(Duration.ofMillis(200)))
                .get("/never", (Handler.Async) (req, ex) -> ex.onCancel(() -> cancelled.complete(true)))
                .start();
             var wire = Wire.connect(server.address())) {
            assertEquals(503, wire.send("GET /never HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
            assertTrue(cancelled.get(5, TimeUnit.SECONDS));
            assertEquals(1, server.counters().total().deadlines(Deadline.REPLY));
        }
    }

    @Test void anExchangesOwnReplyTimeoutRunsItsActionThenTheServersPeriodApplies() throws Exception {
        var timedOut = new LinkedBlockingQueue<String>();
        try (var server = Server.builder().port(0).loops(1)
                .timeouts(ServerTimeouts.DEFAULTS.withReply(Duration.ofMillis(600)))
                // shorter than the server's: the action answers
                .get("/poll", (Handler.Async) (req, ex) -> ex.replyTimeout(Duration.ofMillis(100), () -> {
                    timedOut.add(RequestContext.current().map(Request::path).orElse("-"));
                    ex.reply(Response.text(Status.REQUEST_TIMEOUT, "nothing new\n"));
                }))
                // answered in time: the action never runs
                .get("/quick", (Handler.Async) (req, ex) -> {
                    ex.replyTimeout(Duration.ofMillis(150), () -> timedOut.add("quick"));
                    ex.loop().schedule(20, TimeUnit.MILLISECONDS, () -> ex.reply(Response.ok("quick")));
                })
                // longer than the server's, and an action that does not answer: 503 a period later
                .get("/silent", (Handler.Async) (req, ex) -> ex.replyTimeout(Duration.ofMillis(900), () -> timedOut.add("silent")))
                .start();
             var wire = Wire.connect(server.address())) {
            long start = System.nanoTime();
            assertEquals(408, wire.send("GET /poll HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
            assertEquals("/poll", timedOut.poll(5, TimeUnit.SECONDS), "run in the request's context");
            assertEquals("quick", wire.send("GET /quick HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
            assertEquals(503, wire.send("GET /silent HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
            assertEquals("silent", timedOut.poll(5, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100 + 900 + 600), "the 503 came a period after the action");
            Thread.sleep(200);
            assertEquals(null, timedOut.poll(), "the quick one's action never ran");
            assertEquals(1, server.counters().total().deadlines(Deadline.REPLY), "only the silent one hit the server's deadline");
        }
    }

    @Test void handlerExceptionIs500AndTheServerCarriesOn() throws Exception {
        try (var logs = LogCapture.start();
             var server = Server.builder().port(0).loops(1)
                .get("/boom", (Handler.Async) (req, ex) -> { throw new IllegalStateException("boom"); })
                .get("/vboom", (Handler.Blocking) req -> { throw new IOException("vboom"); })
                .get("/ok", (Handler.Async) (req, ex) -> ex.reply(Response.ok("ok")))
                .start();
             var wire = Wire.connect(server.address())) {
            assertEquals(500, wire.send("GET /boom HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
            assertEquals(500, wire.send("GET /vboom HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
            assertEquals("ok", wire.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
            assertEquals(2, server.counters().total().handlerExceptions());
            var warnings = logs.warnings();
            assertEquals(2, warnings.size(), "each failure logged once");
            assertTrue(warnings.stream().allMatch(r -> r.cause() != null), "with its stack trace");
        }
    }

    @Test void notFoundMethodNotAllowedAndHead() throws Exception {
        try (var server = Server.builder().port(0).loops(1)
                .get("/r", (Handler.Async) (req, ex) -> ex.reply(Response.ok("body").withHeader("x-kind", "r")))
                .delete("/r", (Handler.Async) (req, ex) -> ex.reply(Response.of(Status.NO_CONTENT)))
                .start();
             var wire = Wire.connect(server.address())) {
            assertEquals(404, wire.send("GET /nothing HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
            var r405 = wire.send("POST /r HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n").read();
            assertEquals(405, r405.status());
            assertEquals("GET, HEAD, DELETE", r405.header("allow"));
            var head = wire.send("HEAD /r HTTP/1.1\r\nHost: t\r\n\r\n").read(true);
            assertEquals(200, head.status());
            assertEquals("4", head.header("content-length"));
            assertEquals("r", head.header("x-kind"));
            assertEquals("body", wire.send("GET /r HTTP/1.1\r\nHost: t\r\n\r\n").read().text(), "no stray body after HEAD");
        }
    }

    @Test void unreadExpectContinueBodyGetsNo100AndACloseWhileASmallBodyIsSkipped() throws Exception {
        try (var server = Server.builder().port(0).loops(1)
                .post("/ignore", (Handler.Async) (req, ex) -> ex.reply(Response.ok("ignored")))
                .start()) {
            try (var wire = Wire.connect(server.address())) {
                var r = wire.send("POST /ignore HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 1000000\r\n\r\n").read();
                assertEquals(200, r.status(), "no 100 Continue came first");
                assertEquals("close", r.header("connection"));
                assertTrue(wire.closedByPeer());
            }
            try (var wire = Wire.connect(server.address())) {
                wire.send("POST /ignore HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
                assertEquals("ignored", wire.read().text());
                wire.send("POST /ignore HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
                assertEquals("ignored", wire.read().text(), "the small body was skipped and the connection kept");
            }
        }
    }

    @Test void continueIsSentOnlyWhenTheHandlerAsksForTheBody() throws Exception {
        var parked = new CompletableFuture<Exchange>();
        try (var server = Server.builder().port(0).loops(1)
                .post("/later", (Handler.Async) (req, ex) -> parked.complete(ex))
                .start();
             var wire = Wire.connect(server.address())) {
            wire.send("POST /later HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            Exchange ex = parked.get(10, TimeUnit.SECONDS);
            Thread.sleep(100);                                                    // state, not speed: nothing was sent
            assertEquals(0, wire.socket.getInputStream().available(), "no 100 before the body is asked for");
            Handler.buffered((req, e) -> e.reply(Response.ok("read " + req.bodyText()))).handle(ex.request(), ex);
            assertEquals(100, wire.read().status());
            wire.send("hello");
            assertEquals("read hello", wire.read().text());
        }
    }

    @Test void sharedGroupOutlivesTheServer() throws Exception {
        try (var group = dev.weft.loop.EventLoopGroup.start(dev.weft.loop.LoopConfig.defaults().withLoops(1))) {
            var server = Server.builder().port(0).group(group)
                    .get("/x", (Handler.Async) (req, ex) -> ex.reply(Response.ok("x"))).start();
            assertEquals("x", get(server, "/x"));
            assertEquals(1, server.info().loops());
            server.close();
            var ran = new CompletableFuture<Boolean>();
            group.next().execute(() -> ran.complete(true));
            assertTrue(ran.get(5, TimeUnit.SECONDS), "the group still runs");
        }
    }

    @Test void gracefulStopFinishesInFlightClosesIdleRefusesNew() throws Exception {
        var parked = new CompletableFuture<Exchange>();
        var server = Server.builder().port(0).loops(2)
                .get("/slow", (Handler.Async) (req, ex) -> parked.complete(ex))
                .get("/ok", (Handler.Async) (req, ex) -> ex.reply(Response.ok("ok")))
                .start();
        var address = server.address();
        var idle = Wire.connect(address);
        assertEquals("ok", idle.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
        var busy = Wire.connect(address).send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
        Exchange ex = parked.get(10, TimeUnit.SECONDS);
        var stopped = CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(20)));
        assertTrue(idle.closedByPeer(), "an idle keep-alive connection closes at once");
        assertThrows(ConnectException.class, () -> Wire.connect(address).close(), "no new connections");
        assertFalse(stopped.isDone(), "still waiting for the exchange in flight");
        ex.reply(Response.ok("finished"));
        var r = busy.read();
        assertEquals("finished", r.text());
        assertEquals("close", r.header("connection"));
        stopped.get(20, TimeUnit.SECONDS);
        assertTrue(busy.closedByPeer());
        idle.close();
        busy.close();
    }

    @Test void countersReflectARun() throws Exception {
        try (var server = Server.builder().port(0).loops(2)
                .get("/a", (Handler.Async) (req, ex) -> ex.reply(Response.ok("12345")))
                .get("/boom", (Handler.Async) (req, ex) -> { throw new IllegalStateException("counted"); })
                .start()) {
            for (int i = 0; i < 3; i++) assertEquals("12345", get(server, "/a"));
            get(server, "/missing");
            try (var w = Wire.connect(server.address())) {
                assertEquals(500, w.send("GET /boom HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
                assertEquals(400, w.send("GET /a HTTP/1.1\r\n\r\n").read().status());
            }
            var c = awaitAllClosed(server);
            assertEquals(5, c.connectionsAccepted());
            assertEquals(0, c.connectionsOpen());
            assertEquals(5, c.requests(), "the bad request never became a request");
            assertEquals(6, c.responses());
            assertEquals(1, c.handlerExceptions());
            assertEquals(1, c.violations(Violation.MISSING_HOST));
            assertTrue(c.bytesRead() > 5 * 30 && c.bytesWritten() > 6 * 60, c.toString());
            assertEquals(2, server.counters().perLoop().size());
            assertEquals(c.requests(), server.counters().perLoop().stream().mapToLong(ServerCounters.Counts::requests).sum());
        }
    }

    private static ServerCounters.Counts awaitAllClosed(Server server) throws InterruptedException {
        for (int i = 0; i < 1000 && server.counters().total().connectionsOpen() > 0; i++) Thread.sleep(5);
        return server.counters().total();
    }
}
