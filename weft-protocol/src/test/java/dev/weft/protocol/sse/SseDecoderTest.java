package dev.weft.protocol.sse;

import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.sse.SseEvent.Comment;
import dev.weft.protocol.sse.SseEvent.Message;
import dev.weft.protocol.sse.SseEvent.Retry;
import dev.weft.protocol.sse.SseEvent.Signal;
import dev.weft.protocol.testing.SseFeed;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The rules of WHATWG HTML §9.2.6, one at a time. Every stream here runs whole, byte by byte and
 * at every two-way split, from heap and direct buffers ({@link SseFeed#everySplit}).
 */
class SseDecoderTest {
    /** The events {@code stream} gives (UTF-8), the same at every split, then CLOSED after the end. */
    private static List<SseEvent> events(String stream) {
        var outcome = SseFeed.everySplit(() -> new SseDecoder(SseLimits.DEFAULTS), utf8(stream), true);
        assertNull(outcome.violation(), () -> outcome.toString());
        List<SseEvent> events = outcome.events();
        assertEquals(Signal.CLOSED, events.getLast());
        return events.subList(0, events.size() - 1);
    }

    private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static byte[] latin1(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    // ---- line ends ----

    @Test
    void linesEndInCrlfLfOrCrAndMayBeMixed() {
        assertEquals(List.of(Message.of("a\nb\nc\nd")), events("data: a\r\ndata: b\ndata: c\rdata: d\r\n\n"));
        assertEquals(List.of(Message.of("x"), Message.of("y")), events("data: x\r\rdata: y\n\r"));
    }

    @Test
    void crAtTheEndOfOneReadAndLfAtTheStartOfTheNextAreOneLineEnd() {
        // Were they two line ends, the LF would be a blank line and "a" would be dispatched alone.
        var decoder = new SseDecoder(SseLimits.DEFAULTS);
        var events = SseFeed.all(decoder, List.of(latin1("data: a\r"), latin1("\ndata: b\r"), latin1("\n\r"), latin1("\n")), true);
        assertEquals(List.of(Message.of("a\nb"), Signal.CLOSED), events);
    }

    @Test
    void aLineEndingInCrIsReadBeforeTheNextByteArrives() {
        var decoder = new SseDecoder(SseLimits.DEFAULTS);
        decoder.feed(ByteBuffer.wrap(latin1("data: now\n\r")));
        assertEquals(Message.of("now"), decoder.next());
        assertEquals(Signal.NEED_MORE, decoder.next());
        decoder.feed(ByteBuffer.wrap(latin1("\n")));   // the rest of that CRLF, not a second blank line
        assertEquals(Signal.NEED_MORE, decoder.next());
    }

    @Test
    void lfCrIsTwoLineEnds() {
        assertEquals(List.of(Message.of("a")), events("data: a\n\r"));
    }

    // ---- the byte order mark and UTF-8 ----

    @Test
    void oneLeadingByteOrderMarkIsStrippedAndOnlyOne() {
        assertEquals(List.of(Message.of("x")), events("\uFEFFdata: x\n\n"));
        // a second one is part of the first field's name, which then names no field
        assertEquals(List.of(), events("\uFEFF\uFEFFdata: x\n\n"));
        // not at the start of the stream, it is part of the line
        assertEquals(List.of(Message.of("x"), Message.of("\uFEFFz")), events("data: x\n\n\uFEFFdata: y\n\ndata: \uFEFFz\n\n"));
        assertEquals(List.of(), events("\n\uFEFFdata: x\n\n"));
    }

    @Test
    void aByteOrderMarkAloneIsABlankFirstLine() {
        assertEquals(List.of(Message.of("x")), events("\uFEFF\ndata: x\n\n"));
    }

    @Test
    void valuesAreUtf8AndMalformedBytesBecomeReplacementCharacters() {
        assertEquals(List.of(Message.of("caf\u00e9 \u20ac \uD83D\uDE00")), events("data: caf\u00e9 \u20ac \uD83D\uDE00\n\n"));
        var outcome = SseFeed.everySplit(() -> new SseDecoder(SseLimits.DEFAULTS),
            new byte[] {'d', 'a', 't', 'a', ':', (byte) 0xFF, 'x', (byte) 0xE2, (byte) 0x82, '\n', '\n'}, false);
        assertEquals(SseFeed.Outcome.of(List.of(Message.of("\uFFFDx\uFFFD"))), outcome);
    }

    // ---- fields ----

    @Test
    void oneLeadingSpaceIsStrippedFromAValueAndNoMore() {
        assertEquals(List.of(Message.of("a"), Message.of("a"), Message.of(" a"), Message.of("a "), Message.of("\ta")),
            events("data:a\n\ndata: a\n\ndata:  a\n\ndata: a \n\ndata:\ta\n\n"));
    }

    @Test
    void theValueIsEverythingAfterTheFirstColon() {
        assertEquals(List.of(Message.of("ev:t", "a:b: c")), events("event: ev:t\ndata: a:b: c\n\n"));
    }

    @Test
    void aFieldWithoutAColonHasAnEmptyValue() {
        assertEquals(List.of(Message.of(""), Message.of("x\n"), Message.of("y")),
            events("data\n\ndata: x\ndata\n\nevent: t\nevent\ndata: y\n\n"));
        assertEquals(List.of(Message.of("1").withId("5"), Message.of("2")), events("id: 5\ndata: 1\n\nid\ndata: 2\n\n"));
    }

    @Test
    void fieldNamesAreMatchedExactlyAndUnknownOnesIgnored() {
        assertEquals(List.of(Message.of("ok")),
            events("Data: no\nDATA: no\n data: no\ndata : no\nEvent: x\nID: 9\nfoo: bar\nfoo\ndata: ok\n\n"));
    }

    @Test
    void theDefaultTypeIsMessageAndAnEmptyTypeMeansIt() {
        assertEquals(List.of(Message.of("a"), Message.of("b"), Message.of("typed", "c"), Message.of("d")),
            events("data: a\n\nevent:\ndata: b\n\nevent: typed\ndata: c\n\ndata: d\n\n"));
        assertEquals("message", Message.DEFAULT_TYPE);
    }

    @Test
    void theLastEventTypeFieldWins() {
        assertEquals(List.of(Message.of("second", "x")), events("event: first\nevent: second\ndata: x\n\n"));
    }

    // ---- ids ----

    @Test
    void theLastEventIdCarriesOverToLaterMessages() {
        var decoder = new SseDecoder(SseLimits.DEFAULTS);
        var events = SseFeed.all(decoder, List.of(latin1("id: 7\ndata: a\n\ndata: b\n\nid: 8\n\ndata: c\n\n")), false);
        assertEquals(List.of(Message.of("a").withId("7"), Message.of("b").withId("7"), Message.of("c").withId("8")), events);
        assertEquals("8", decoder.lastEventId());
    }

    @Test
    void anIdSetInABlockWithoutDataStillCounts() {
        // §9.2.6 dispatch step 1 runs before the empty-data check: the id is set, no event fires.
        assertEquals(List.of(Message.of("x").withId("3")), events("id: 3\n\ndata: x\n\n"));
    }

    @Test
    void anIdWithNulIsIgnored() {
        assertEquals(List.of(Message.of("a").withId("5"), Message.of("b").withId("5")),
            events("id: 5\ndata: a\n\nid: 6\u0000\ndata: b\n\n"));
    }

    @Test
    void anIdMayHoldAnyOtherCharacter() {
        assertEquals(List.of(Message.of("a").withId(" 1:2 \u00e9\t")), events("id:  1:2 \u00e9\t\ndata: a\n\n"));
    }

    @Test
    void aDecoderMayStartFromTheIdItResumedFrom() {
        var decoder = new SseDecoder(SseLimits.DEFAULTS, "41");
        assertEquals("41", decoder.lastEventId());
        assertEquals(List.of(Message.of("x").withId("41"), Message.of("y").withId("42")),
            SseFeed.all(decoder, List.of(latin1("data: x\n\nid: 42\ndata: y\n\n")), false));
    }

    // ---- retry ----

    @Test
    void retryTakesAsciiDigitsOnly() {
        assertEquals(List.of(new Retry(5000), new Retry(0), new Retry(250), new Retry(7)),
            events("retry: 5000\nretry: 0\nretry: 1a\nretry: -1\nretry:\nretry\nretry:  5\nretry: 5 \nretry: +5\n"
                + "retry: \u0665\nretry:250\nretry: 007\n"));
    }

    @Test
    void retryIsReadWhenItsLineEndsNotWithTheMessage() {
        assertEquals(List.of(new Retry(10), Message.of("x")), events("data: x\nretry: 10\n\n"));
        // and a block with a retry and no data fires no message
        assertEquals(List.of(new Retry(10)), events("retry: 10\n\n"));
    }

    @Test
    void aRetryTooLargeForALongSaturates() {
        assertEquals(List.of(new Retry(Long.MAX_VALUE), new Retry(Long.MAX_VALUE)),
            events("retry: 9223372036854775807\nretry: 99999999999999999999999999\n"));
    }

    // ---- dispatch ----

    @Test
    void aBlockWithoutDataFiresNothingAndForgetsItsType() {
        assertEquals(List.of(Message.of("x")), events("event: lost\n\ndata: x\n\n"));
        assertEquals(List.of(), events("\n\n\n\r\n\r"));
    }

    @Test
    void oneTrailingLfIsRemovedFromTheData() {
        assertEquals(List.of(Message.of("a\n"), Message.of("\n\n")), events("data: a\ndata\n\ndata\ndata\ndata\n\n"));
    }

    @Test
    void theEndDiscardsAnUnfinishedMessageAndAnUnfinishedLine() {
        assertEquals(List.of(Message.of("a")), events("data: a\n\ndata: b\n"));
        assertEquals(List.of(Message.of("a")), events("data: a\n\ndata: b"));
        assertEquals(List.of(), events("retry: 10"));
        assertEquals(List.of(new Retry(10)), events("retry: 10\r"));
    }

    // ---- comments ----

    @Test
    void commentsAreReturnedWithOneLeadingSpaceStripped() {
        var events = events(":\n: hi\n:  two\n::\ndata: x\n: mid\n\n");
        assertEquals(List.of(Comment.EMPTY, new Comment("hi"), new Comment(" two"), new Comment(":"), new Comment("mid"),
            Message.of("x")), events);
        assertSame(Comment.EMPTY, events.getFirst(), "a heartbeat costs no allocation");
    }

    // ---- usage ----

    @Test
    void afterTheEndTheDecoderStaysClosed() {
        var decoder = new SseDecoder(SseLimits.DEFAULTS);
        decoder.feedEnd();
        assertEquals(Signal.CLOSED, decoder.next());
        assertEquals(Signal.CLOSED, decoder.next());
        assertThrows(UsageViolation.class, () -> decoder.feed(ByteBuffer.allocate(1)));
    }

    @Test
    void feedingBeforeThePreviousBufferIsReadIsAUsageViolation() {
        var decoder = new SseDecoder(SseLimits.DEFAULTS);
        decoder.feed(ByteBuffer.wrap(latin1("data: a\n\ndata: b\n\n")));
        assertEquals(Message.of("a"), decoder.next());
        assertThrows(UsageViolation.class, () -> decoder.feed(ByteBuffer.wrap(latin1("x"))));
        assertEquals(Message.of("b"), decoder.next());
        assertEquals(Signal.NEED_MORE, decoder.next());
        decoder.feed(ByteBuffer.wrap(latin1("data: c\n\n")));
        assertEquals(Message.of("c"), decoder.next());
    }

    @Test
    void theSameBufferMayBeRefilledOnceItWasRead() {
        var decoder = new SseDecoder(SseLimits.DEFAULTS);
        ByteBuffer buffer = ByteBuffer.allocate(64);
        var events = new ArrayList<SseEvent>();
        for (String read : List.of("data: o", "ne\n", "\ndata: two\n\n")) {
            buffer.clear().put(latin1(read)).flip();
            decoder.feed(buffer);
            for (SseEvent e = decoder.next(); e != Signal.NEED_MORE; e = decoder.next()) events.add(e);
        }
        assertEquals(List.of(Message.of("one"), Message.of("two")), events);
    }

    @Test
    void aReadOnlyBufferIsReadLikeAnyOther() {
        var decoder = new SseDecoder(SseLimits.DEFAULTS);
        decoder.feed(ByteBuffer.wrap(latin1("data: ro\n\n")).asReadOnlyBuffer());
        assertEquals(Message.of("ro"), decoder.next());
    }
}
