package dev.weft.server;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.http1.BodyFraming;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpExchangeTest {
    private static final ScopedValue<String> TRACE = ScopedValue.newInstance();
    private final FakeHost host = new FakeHost();
    private final RequestScope scope = new RequestScope(List.of(TRACE), 1 << 20);

    @AfterEach void stop() { host.close(); }

    private HttpExchange get() { return host.exchange(FakeHost.request(Method.GET, "/x", BodyFraming.EMPTY, scope)); }

    private HttpExchange post(long length) {
        return host.exchange(FakeHost.request(Method.POST, "/x", new BodyFraming.Fixed(length), scope));
    }

    @Test void replyFromAnotherThreadReachesTheLoopOnce() throws Exception {
        var ex = get();
        var worker = Thread.ofPlatform().start(() -> ex.reply(Response.ok("a")));
        worker.join();
        host.sync();
        assertEquals(List.of(ex), host.replies);
        assertInstanceOf(HttpExchange.Reply.Ready.class, ex.replyState());
        assertThrows(UsageViolation.class, () -> ex.reply(Response.ok("b")));
        assertThrows(UsageViolation.class, () -> ex.stream(Status.OK, new Headers()));
    }

    @Test void replyAfterTheClientLeftIsANoOp() throws Exception {
        var ex = get();
        var ranOn = new CompletableFuture<String>();
        ex.onCancel(() -> ranOn.complete(Thread.currentThread().getName()));
        host.onLoop(() -> ex.cancel(new IOException("reset")));
        assertEquals("fake-loop", ranOn.get(5, TimeUnit.SECONDS));
        assertFalse(ex.isOpen());
        ex.reply(Response.ok("late"));                      // no throw, nothing sent
        host.sync();
        assertTrue(host.replies.isEmpty());
        var late = new CompletableFuture<Boolean>();
        ex.onCancel(() -> late.complete(true));              // registered after: runs at once
        assertTrue(late.get(5, TimeUnit.SECONDS));
    }

    @Test void cancelledStreamDropsWrites() throws Exception {
        var ex = get();
        host.onLoop(() -> ex.cancel(new IOException("gone")));
        ResponseStream s = ex.stream(Status.OK, new Headers());
        assertFalse(s.isOpen());
        assertTrue(s.write("x").toCompletableFuture().isCompletedExceptionally());
    }

    @Test void contextCapturedWhereTheHandlerParkedIsRestoredForCallbacks() throws Exception {
        var ex = get();
        var seen = new CompletableFuture<String>();
        host.onLoop(() -> ex.runGuarded(() -> ScopedValue.where(TRACE, "t-1").run(() ->
                ex.onCancel(() -> seen.complete(TRACE.orElse("unbound") + " " + RequestContext.CURRENT.get())))));
        assertFalse(TRACE.isBound());
        Thread.ofPlatform().start(() -> host.execute(() -> ex.cancel(new IOException("left")))).join();
        assertEquals("t-1 GET /x HTTP/1.1", seen.get(5, TimeUnit.SECONDS));
    }

    @Test void handlerFailuresGoToTheHost() throws Exception {
        var ex = get();
        host.onLoop(() -> ex.runGuarded(() -> { throw new IllegalStateException("boom"); }));
        assertEquals(1, host.failures.size());
        assertEquals("boom", host.failures.getFirst().getMessage());
    }

    @Test void readerPausesAndResumes() throws Exception {
        var ex = post(10);
        var got = new CopyOnWriteArrayList<String>();
        ex.readBody(new BodyReader() {
            @Override public boolean onBytes(ByteBuffer piece) {
                got.add(java.nio.charset.StandardCharsets.US_ASCII.decode(piece).toString());
                return false;
            }
            @Override public void onEnd(Headers trailers) { got.add("end"); }
            @Override public void onFailure(Throwable cause) { got.add("failed"); }
        });
        host.sync();
        assertEquals(List.of(ex), host.wanted);
        assertSame(HttpExchange.BodyState.WANTED, ex.bodyState());
        host.onLoop(() -> assertFalse(ex.deliver(ByteBuffer.wrap("hello".getBytes()))));
        assertSame(HttpExchange.BodyState.PAUSED, ex.bodyState());
        ex.resumeBody();
        host.sync();
        assertEquals(2, host.wanted.size());
        host.onLoop(() -> {
            ex.deliver(ByteBuffer.wrap("world".getBytes()));
            ex.deliverEnd(Headers.empty());
        });
        assertEquals(List.of("hello", "world", "end"), got);
        assertThrows(UsageViolation.class, () -> ex.readBody(new BodyInputStream(ex, 1)));
    }

    @Test void bodilessRequestEndsAtOnce() throws Exception {
        var ex = get();
        var ended = new CompletableFuture<Boolean>();
        ex.readBody(new BodyReader() {
            @Override public boolean onBytes(ByteBuffer piece) { return true; }
            @Override public void onEnd(Headers trailers) { ended.complete(true); }
            @Override public void onFailure(Throwable cause) { ended.complete(false); }
        });
        assertTrue(ended.get(5, TimeUnit.SECONDS));
        assertTrue(host.wanted.isEmpty());
    }

    @Test void bufferedHandlerSeesTheWholeBody() throws Exception {
        var ex = post(6);
        var body = new CompletableFuture<String>();
        host.onLoop(() -> ex.runGuarded(() -> Handler.buffered((r, e) -> body.complete(r.bodyText())).handle(ex.request(), ex)));
        host.onLoop(() -> {
            ex.deliver(ByteBuffer.wrap("abc".getBytes()));
            ex.deliver(ByteBuffer.wrap("def".getBytes()));
            ex.deliverEnd(Headers.empty());
        });
        assertEquals("abcdef", body.get(5, TimeUnit.SECONDS));
    }
}
