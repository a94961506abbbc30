package dev.weft.protocol.http1;

import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.http.Violation;
import dev.weft.protocol.http1.Http1Event.Body;
import dev.weft.protocol.http1.Http1Event.EndOfMessage;
import dev.weft.protocol.http1.Http1Event.RequestHead;
import dev.weft.protocol.http1.Http1Event.Signal;
import dev.weft.protocol.testing.Events;
import dev.weft.protocol.testing.Feed;
import dev.weft.protocol.testing.Splits;
import dev.weft.protocol.testing.Vectors;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The parser's contract with its caller (its javadoc): buffer ownership, signals, the calls that
 * are only valid in some states, and errors that stick.
 */
class ParserUsageTest {
    private static Http1Parser server() { return new Http1Parser(Role.SERVER, Http1Limits.DEFAULTS); }

    private static ByteBuffer wrap(String latin1) { return ByteBuffer.wrap(Vectors.bytes(latin1)); }

    @Test
    void needMoreMeansEveryByteWasConsumedSoTheBufferCanBeReused() {
        var p = server();
        byte[] array = new byte[64];
        var buffer = ByteBuffer.wrap(array);
        buffer.put(Vectors.bytes("GET /reused HTTP/1.1\r\nHo")).flip();
        p.feed(buffer);
        assertSame(Signal.NEED_MORE, p.next());
        assertFalse(buffer.hasRemaining());
        Arrays.fill(array, (byte) 'Z');                          // the caller reuses its buffer
        buffer.clear().put(Vectors.bytes("st: x\r\n\r\n")).flip();
        p.feed(buffer);
        assertEquals(Vectors.get("/reused", "host", "x"), p.next());
    }

    @Test
    void feedingWhileBytesRemainIsAUsageViolation() {
        var p = server();
        var first = wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        p.feed(first);
        assertThrows(UsageViolation.class, () -> p.feed(wrap("GET")));
        assertThrows(UsageViolation.class, () -> p.feed(first));
        assertInstanceOf(RequestHead.class, p.next());
        assertSame(EndOfMessage.NO_TRAILERS, p.next());
        p.feed(wrap("GET / HTTP/1.1\r\nHost: y\r\n\r\n"));          // the first one is used up now
        assertInstanceOf(RequestHead.class, p.next());
    }

    @Test
    void feedingAfterFeedEndIsAUsageViolation() {
        var p = server();
        p.feedEnd();
        assertThrows(UsageViolation.class, () -> p.feed(wrap("GET")));
        assertSame(Signal.CLOSED, p.next());
    }

    @Test
    void bytesFedBeforeFeedEndAreParsedFirst() {
        var p = server();
        p.feed(wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        p.feedEnd();
        assertInstanceOf(RequestHead.class, p.next());
        assertSame(EndOfMessage.NO_TRAILERS, p.next());
        assertSame(Signal.CLOSED, p.next());
        assertSame(Signal.CLOSED, p.next());
    }

    @Test
    void closedLeavesLaterBytesUnconsumed() {
        var p = server();
        var buffer = wrap("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /next HTTP/1.1\r\n");
        p.feed(buffer);
        assertInstanceOf(RequestHead.class, p.next());
        assertSame(EndOfMessage.NO_TRAILERS, p.next());
        int position = buffer.position();
        assertSame(Signal.CLOSED, p.next());
        assertSame(Signal.CLOSED, p.next());
        assertEquals(position, buffer.position());
        assertEquals("GET /next HTTP/1.1\r\n".length(), buffer.remaining());
    }

    @Test
    void pausedWaitsForResumeWhichGoesOnWithHttp11() {
        var p = server();
        var buffer = wrap("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
        p.feed(buffer);
        assertTrue(((RequestHead) p.next()).upgrade());
        assertSame(EndOfMessage.NO_TRAILERS, p.next());
        assertSame(Signal.PAUSED, p.next());
        assertSame(Signal.PAUSED, p.next());
        p.resume();                                                // the server refused the upgrade
        assertEquals(Vectors.get("/b", "host", "x"), p.next());
        assertThrows(UsageViolation.class, p::resume);
    }

    @Test
    void resumeAfterAPausedCloseIsClosed() {
        var p = server();
        p.feed(wrap("CONNECT a.example:443 HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n"));
        p.next();
        p.next();
        assertSame(Signal.PAUSED, p.next());
        p.resume();
        assertSame(Signal.CLOSED, p.next());
    }

    @Test
    void bodyLimitIsOnlyForTheGapBetweenHeadAndBody() {
        var p = server();
        assertThrows(UsageViolation.class, () -> p.bodyLimit(5));
        p.feed(wrap("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab"));
        p.next();
        assertThrows(UsageViolation.class, () -> p.bodyLimit(-1));
        p.bodyLimit(2);
        assertInstanceOf(Body.class, p.next());
        assertThrows(UsageViolation.class, () -> p.bodyLimit(5));
    }

    @Test
    void requestSentIsForClientsAndBounded() {
        assertThrows(UsageViolation.class, () -> server().requestSent(Method.GET));
        var client = new Http1Parser(Role.CLIENT, Http1Limits.DEFAULTS);
        for (int i = 0; i < 64; i++) client.requestSent(Method.GET);
        assertThrows(UsageViolation.class, () -> client.requestSent(Method.GET));
    }

    @Test
    void bodiesAreReadOnlyViewsOfTheFedBuffer() {
        for (ByteBuffer buffer : List.of(wrap("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"),
                ByteBuffer.allocateDirect(64).put(Vectors.bytes("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")).flip())) {
            var p = server();
            p.feed(buffer);
            p.next();
            var body = (Body) p.next();
            assertTrue(body.bytes().isReadOnly());
            assertEquals(3, body.bytes().remaining());
            buffer.put(buffer.limit() - 3, (byte) 'X');            // a view, not a copy: the change shows
            assertEquals('X', body.bytes().get(0));
        }
    }

    @Test
    void aParserThatThrewKeepsThrowingTheSameViolation() {
        var p = server();
        p.feed(wrap("GET / HTTP/1.1\r\nHost : x\r\n\r\n"));
        var first = assertThrows(PeerViolation.class, p::next);
        assertEquals(Violation.WHITESPACE_BEFORE_COLON, first.violation());
        assertSame(first, assertThrows(PeerViolation.class, p::next));
        p.feed(wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));           // ignored once failed
        p.feedEnd();
        assertSame(first, assertThrows(PeerViolation.class, p::next));
    }

    @Test
    void steadyStateHandsOutSingletons() {
        var p = server();
        p.feed(wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\nPOST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
        assertSame(BodyFraming.EMPTY, ((RequestHead) p.next()).framing());
        assertSame(EndOfMessage.NO_TRAILERS, p.next());
        assertSame(BodyFraming.CHUNKED, ((RequestHead) p.next()).framing());
        assertSame(EndOfMessage.NO_TRAILERS, p.next());
        assertSame(Signal.NEED_MORE, p.next());
        assertSame(Signal.NEED_MORE, p.next());
    }

    @Test
    void pipelinedRequestsWaitUntilAskedFor() {
        var p = server();
        var buffer = wrap("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
        p.feed(buffer);
        p.next();
        p.next();
        assertEquals("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n".length(), buffer.remaining());   // not touched until next()
        assertEquals(Vectors.get("/2", "host", "x"), p.next());
    }

    @Test
    void readOnlyHeapBuffersWork() {
        var p = server();
        p.feed(wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n").asReadOnlyBuffer());
        assertEquals(Vectors.get("/", "host", "x"), p.next());
    }

    @Test
    void headsLongerThanOneStagedCopyOfADirectBufferWork() {
        String cookie = "c".repeat(9000);
        var wire = new StringBuilder();
        for (int i = 0; i < 3; i++) wire.append("GET /").append(i).append(" HTTP/1.1\r\nHost: x\r\nCookie: ").append(cookie).append("\r\n\r\n");
        for (int i = 0; i < 200; i++) wire.append("GET /p HTTP/1.1\r\nHost: x\r\n\r\n");
        byte[] bytes = Vectors.bytes(wire.toString());
        for (List<byte[]> chunks : List.of(List.of(bytes), Splits.at(bytes, 4095, 4097, 9000, 13000))) {
            var events = Feed.all(new Http1Parser(Role.SERVER, Http1Limits.DEFAULTS), chunks, false, Feed.Buffers.DIRECT);
            assertEquals(2 * 203, events.size());
            assertEquals(cookie, ((RequestHead) events.get(4)).headers().firstOr("cookie", ""));
            assertEquals(Vectors.get("/p", "host", "x"), events.getLast() instanceof EndOfMessage ? events.get(events.size() - 2) : null);
        }
    }

    @Test
    void chunkFramingAcrossStagedCopiesOfADirectBufferWorks() {
        var wire = new StringBuilder("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        var expected = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            String piece = Integer.toString(i, 36);
            wire.append(Integer.toHexString(piece.length())).append(";n=").append(i % 7).append("\r\n").append(piece).append("\r\n");
            expected.append(piece);
        }
        wire.append("0\r\nX-Done: yes\r\n\r\n");
        byte[] bytes = Vectors.bytes(wire.toString());
        var limits = Http1Limits.DEFAULTS.withMaxChunkExtensionBytes(1 << 20);
        for (List<byte[]> chunks : List.of(List.of(bytes), Splits.at(bytes, 4096, 8191, 8200, 12000))) {
            var events = Events.coalesceBodies(Feed.all(new Http1Parser(Role.SERVER, limits), chunks, false, Feed.Buffers.DIRECT));
            assertEquals(Events.data(expected.toString()), events.get(1));
            assertEquals(new EndOfMessage(dev.weft.protocol.http.Headers.of("x-done", "yes")), events.get(2));
        }
    }

    @Test
    void bodiesSpanningReadsArriveInPieces() {
        byte[] wire = Vectors.bytes("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789");
        var events = Feed.all(server(), Splits.at(wire, wire.length - 7, wire.length - 3));
        assertEquals(5, events.size());                           // head, 3 pieces, end
        assertEquals(List.of(Events.data("0123456789")), Events.coalesceBodies(events.subList(1, 4)));
    }
}
