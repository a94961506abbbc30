package dev.weft.protocol.sse;

import dev.weft.protocol.http.ByteSink;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.sse.SseEvent.Comment;
import dev.weft.protocol.sse.SseEvent.Message;
import dev.weft.protocol.sse.SseEvent.Retry;
import dev.weft.protocol.sse.SseEvent.Signal;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The encoder's exact bytes (WHATWG HTML §9.2.5), its refusals, and the buffers it hands out. */
class SseEncoderTest {
    private static String text(SseEvent event) { return new String(SseEncoder.toBytes(event), StandardCharsets.UTF_8); }

    @Test
    void aMessageIsTypeIdDataLinesAndABlankLine() {
        assertEquals("event: update\nid: 42\ndata: {\"a\":1}\n\n", text(new Message("update", "{\"a\":1}", "42")));
        assertEquals("data: hello\n\n", text(Message.of("hello")));
    }

    @Test
    void theDefaultTypeAndAnEmptyTypeAreNotWritten() {
        assertEquals("data: x\n\n", text(new Message("message", "x", "")));
        assertEquals("data: x\n\n", text(new Message("", "x", "")));
        assertEquals("event: Message\ndata: x\n\n", text(new Message("Message", "x", "")), "names are case-sensitive");
    }

    @Test
    void dataIsCutIntoLinesAtCrLfAndCrlf() {
        assertEquals("data: a\ndata: b\ndata: c\ndata: d\n\n", text(Message.of("a\rb\nc\r\nd")));
        assertEquals("data: a\ndata: \ndata: b\n\n", text(Message.of("a\n\rb")), "LF then CR is two breaks");
        assertEquals("data: \ndata: \n\n", text(Message.of("\r\n")));
        assertEquals("data: a\ndata: \n\n", text(Message.of("a\n")), "a trailing break keeps an empty last line");
    }

    @Test
    void messagesAreByteForByteWhatNchanSends() {
        // Recorded from Nchan 1.3.6 (libnginx-mod-nchan on nginx 1.22.1): a message published with
        // X-EventSource-Event, one with several lines and a trailing LF, and an empty one.
        assertEquals("event: upd\nid: 1796452139:0\ndata: {\"a\":1}\n\n",
            text(new Message("upd", "{\"a\":1}", "1796452139:0")));
        assertEquals("id: 1796452353:0\ndata: l1\ndata: l2\ndata: \n\n", text(Message.of("l1\nl2\n").withId("1796452353:0")));
        assertEquals("id: 1796452140:0\ndata: \n\n", text(Message.of("").withId("1796452140:0")));
    }

    @Test
    void emptyDataIsStillOneDataLineSoTheMessageFires() {
        assertEquals("data: \n\n", text(Message.of("")));
    }

    @Test
    void aValueOpeningWithASpaceKeepsIt() {
        assertEquals("event:  t\nid:  7\ndata:  x\n\n", text(new Message(" t", " x", " 7")));
    }

    @Test
    void textIsUtf8() {
        byte[] bytes = SseEncoder.toBytes(Message.of("\u00e9\u20ac\uD83D\uDE00"));
        assertArrayEquals("data: \u00e9\u20ac\uD83D\uDE00\n\n".getBytes(StandardCharsets.UTF_8), bytes);
        assertEquals(6 + 2 + 3 + 4 + 2, bytes.length);
    }

    @Test
    void aLoneSurrogateBecomesAQuestionMarkAsInGetBytes() {
        String lone = "a\uD800b\uDC00";
        assertEquals("data: a?b?\n\n", text(Message.of(lone)));
        assertArrayEquals(("data: " + lone + "\n\n").getBytes(StandardCharsets.UTF_8), SseEncoder.toBytes(Message.of(lone)));
    }

    @Test
    void retryAndComments() {
        assertEquals("retry: 3000\n", text(new Retry(3000)));
        assertEquals("retry: 0\n", text(new Retry(0)));
        assertEquals("retry: 9223372036854775807\n", text(new Retry(Long.MAX_VALUE)));
        assertEquals(":\n", text(Comment.EMPTY));
        assertEquals(": hi there\n", text(new Comment("hi there")));
        assertEquals(": one\n: two\n:\n: four\n", text(new Comment("one\r\ntwo\n\rfour")));
        assertThrows(IllegalArgumentException.class, () -> new Retry(-1));
    }

    @Test
    void theHeartbeatIsAnEmptyCommentLine() {
        ByteBuffer beat = SseEncoder.heartbeat();
        assertEquals(ByteBuffer.wrap(new byte[] {':', '\n'}), beat);
        assertTrue(beat.isReadOnly());
        beat.get();                                        // a reader moves its own view only
        assertEquals(2, SseEncoder.heartbeat().remaining());
        assertArrayEquals(SseEncoder.toBytes(Comment.EMPTY), new byte[] {':', '\n'});
    }

    // ---- refusals ----

    @Test
    void anIdWithCrLfOrNulIsRefused() {
        for (String id : List.of("a\nb", "a\rb", "a\r\n", "\n", "a\u0000b")) {
            var m = Message.of("x").withId(id);
            assertThrows(UsageViolation.class, () -> SseEncoder.toBytes(m), id);
            assertThrows(UsageViolation.class, () -> SseEncoder.encodedLength(m), id);
        }
    }

    @Test
    void aTypeWithCrOrLfIsRefusedButNulIsAllowed() {
        for (String type : List.of("a\nb", "a\rb", "\r\n")) {
            assertThrows(UsageViolation.class, () -> SseEncoder.toBytes(Message.of(type, "x")), type);
        }
        assertEquals("event: a\u0000b\ndata: x\n\n", text(Message.of("a\u0000b", "x")));
    }

    @Test
    void aRefusedEventWritesNothing() {
        var sink = new Recorder();
        assertThrows(UsageViolation.class, () -> SseEncoder.encode(Message.of("x").withId("1\n2"), sink));
        assertEquals(0, sink.writes);
    }

    @Test
    void signalsAreNotPartOfAStream() {
        assertThrows(UsageViolation.class, () -> SseEncoder.toBytes(Signal.NEED_MORE));
        assertThrows(UsageViolation.class, () -> SseEncoder.encodedLength(Signal.CLOSED));
    }

    // ---- buffers ----

    @Test
    void toBufferIsReadOnlyAndExactlySized() {
        var m = new Message("t", "line 1\nline 2", "9");
        ByteBuffer shared = SseEncoder.toBuffer(m);
        assertTrue(shared.isReadOnly());
        assertEquals(SseEncoder.encodedLength(m), shared.capacity());
        assertEquals(shared.capacity(), shared.remaining());
        assertThrows(ReadOnlyBufferException.class, () -> shared.put(0, (byte) 'x'));
        // one encoding, many readers: each duplicate has its own position
        ByteBuffer a = shared.duplicate();
        ByteBuffer b = shared.duplicate();
        a.position(a.limit());
        assertEquals(shared.capacity(), b.remaining());
        assertEquals("event: t\nid: 9\ndata: line 1\ndata: line 2\n\n", StandardCharsets.UTF_8.decode(b).toString());
    }

    @Test
    void encodeHandsTheSinkOneBufferItMayKeep() {
        var sink = new Recorder();
        SseEncoder.encode(Message.of("a"), sink);
        SseEncoder.encode(Comment.EMPTY, sink);
        assertEquals(2, sink.writes);
        assertEquals(2, sink.kept.size());
        assertEquals("data: a\n\n:\n", sink.bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void encodedLengthMatchesTheBytes() {
        for (SseEvent e : List.of(Message.of(""), Message.of("\r\n\r\n"), new Message("t", "\uD83D\uDE00\n\u00e9", "\u20ac"),
                                  new Retry(12345), new Comment(""), new Comment("a\nb"))) {
            assertEquals(SseEncoder.toBytes(e).length, SseEncoder.encodedLength(e), e.toString());
        }
    }

    /** Keeps what it is given, as a gathering sink would. */
    private static final class Recorder implements ByteSink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<ByteBuffer> kept = new ArrayList<>();
        int writes;

        @Override public void write(byte[] b, int offset, int length) {
            bytes.write(b, offset, length);
            writes++;
        }

        @Override public void write(ByteBuffer b) {
            kept.add(b);
            byte[] copy = new byte[b.remaining()];
            b.duplicate().get(copy);
            bytes.writeBytes(copy);
            writes++;
        }
    }
}
