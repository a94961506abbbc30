package dev.weft.protocol.sse;

import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.Violation;
import dev.weft.protocol.sse.SseEvent.Message;
import dev.weft.protocol.sse.SseEvent.Signal;
import dev.weft.protocol.testing.SseFeed;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.weft.protocol.http.Violation.SSE_EVENT_TOO_LARGE;
import static dev.weft.protocol.http.Violation.SSE_LINE_TOO_LONG;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Each limit of SseLimits at its boundary: the limit passes, one byte more fails with its
 * Violation, at every split, and the failure comes as the bytes arrive rather than at a line end
 * that a hostile server never sends.
 */
class SseLimitsTest {
    private static final SseLimits SMALL = new SseLimits(20, 24);

    private static SseFeed.Outcome outcome(String stream) {
        return SseFeed.everySplit(() -> new SseDecoder(SMALL), stream.getBytes(StandardCharsets.UTF_8), false);
    }

    @Test
    void aLineOfTheLimitPassesAndOneByteMoreFails() {
        String twenty = "data: 0123456789abcd";
        assertEquals(20, twenty.length());
        assertEquals(SseFeed.Outcome.of(List.of(Message.of("0123456789abcd"))), outcome(twenty + "\n\n"));
        assertEquals(SseFeed.Outcome.of(List.of(Message.of("0123456789abcd"))), outcome(twenty + "\r\n\r\n"));
        assertEquals(new SseFeed.Outcome(List.of(), SSE_LINE_TOO_LONG), outcome(twenty + "X\n\n"));
    }

    @Test
    void theLineLimitCountsEveryKindOfLine() {
        assertEquals(new SseFeed.Outcome(List.of(), SSE_LINE_TOO_LONG), outcome(": a comment that is too long\n"));
        assertEquals(new SseFeed.Outcome(List.of(), SSE_LINE_TOO_LONG), outcome("unknown-field: too long to keep\n"));
    }

    @Test
    void aLineWithoutEndTripsTheLimitOneBytePastIt() {
        var decoder = new SseDecoder(SMALL);
        decoder.feed(ByteBuffer.wrap(new byte[20]));
        assertEquals(Signal.NEED_MORE, decoder.next());
        decoder.feed(ByteBuffer.wrap(new byte[1]));
        var v = assertThrows(PeerViolation.class, decoder::next);
        assertEquals(SSE_LINE_TOO_LONG, v.violation());
    }

    @Test
    void eventsBeforeTheViolationAreStillReturned() {
        assertEquals(new SseFeed.Outcome(List.of(Message.of("ok")), SSE_LINE_TOO_LONG),
            outcome("data: ok\n\ndata: far too long for this\n"));
    }

    @Test
    void dataOfTheLimitPassesAndOneByteMoreFails() {
        // 24 bytes of data buffer: "0123456789" + LF + "0123456789ab" + LF
        assertEquals(SseFeed.Outcome.of(List.of(Message.of("0123456789\n0123456789ab"))),
            outcome("data: 0123456789\ndata: 0123456789ab\n\n"));
        assertEquals(new SseFeed.Outcome(List.of(), SSE_EVENT_TOO_LARGE),
            outcome("data: 0123456789\ndata: 0123456789abc\n\n"));
    }

    @Test
    void theEventLimitIsPerMessage() {
        String twelve = "data: 0123456789a\n\n";   // 12 bytes of data buffer each
        assertNull(outcome(twelve.repeat(5)).violation());
        assertEquals(SSE_EVENT_TOO_LARGE, outcome("data\n".repeat(25) + "\n").violation());
        assertNull(outcome("data\n".repeat(24) + "\n").violation());
    }

    @Test
    void aFailedDecoderKeepsFailingTheSameWay() {
        var decoder = new SseDecoder(SMALL);
        decoder.feed(ByteBuffer.wrap("data: this line is too long\n".getBytes(StandardCharsets.US_ASCII)));
        var first = assertThrows(PeerViolation.class, decoder::next);
        assertSame(first, assertThrows(PeerViolation.class, decoder::next));
        decoder.feed(ByteBuffer.wrap(new byte[] {'\n'}));     // ignored
        decoder.feedEnd();
        assertSame(first, assertThrows(PeerViolation.class, decoder::next));
        assertEquals(0, first.getStackTrace().length);
    }

    @Test
    void violationsSayWhatAClientShouldReport() {
        for (Violation v : List.of(SSE_LINE_TOO_LONG, SSE_EVENT_TOO_LARGE)) {
            assertEquals(Status.BAD_GATEWAY, v.status());
            assertTrue(v.rfc().startsWith("WHATWG HTML §9.2"), v.rfc());
        }
    }

    @Test
    void defaultsAndChecks() {
        assertEquals(1 << 20, SseLimits.DEFAULTS.maxLineBytes());
        assertEquals(16 << 20, SseLimits.DEFAULTS.maxEventBytes());
        assertEquals(new SseLimits(5, 6), SseLimits.DEFAULTS.withMaxLineBytes(5).withMaxEventBytes(6));
        assertThrows(IllegalArgumentException.class, () -> new SseLimits(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SseLimits(1, 0));
    }

    @Test
    void aLargeMessageWellWithinTheDefaultsDecodes() {
        String big = "x".repeat(200_000);
        var decoder = new SseDecoder(SseLimits.DEFAULTS);
        var events = SseFeed.all(decoder, List.of(("data: " + big + "\ndata: " + big + "\n\n").getBytes(StandardCharsets.US_ASCII)), false);
        assertEquals(List.of(Message.of(big + "\n" + big)), events);
    }
}
