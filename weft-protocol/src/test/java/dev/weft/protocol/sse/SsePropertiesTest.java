package dev.weft.protocol.sse;

import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.sse.SseEvent.Comment;
import dev.weft.protocol.sse.SseEvent.Message;
import dev.weft.protocol.sse.SseEvent.Retry;
import dev.weft.protocol.sse.SseEvent.Signal;
import dev.weft.protocol.testing.Feed;
import dev.weft.protocol.testing.SseFeed;
import dev.weft.protocol.testing.Splits;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Properties: whatever the encoder writes, the decoder reads back, however the bytes are cut;
 * any bytes at all give events or a PeerViolation and nothing else, the same whole as in pieces;
 * and the encoder's UTF-8 is the JDK's.
 */
class SsePropertiesTest {
    private static final SseLimits SMALL = new SseLimits(40, 64);

    @Property(tries = 1500)
    void encoderToDecoderRoundTrips(@ForAll("streams") List<SseEvent> parts, @ForAll @Size(max = 12) List<Integer> cuts,
                                    @ForAll Feed.Buffers buffers) {
        var wire = new ByteArrayOutputStream();
        for (SseEvent part : parts) {
            byte[] bytes = SseEncoder.toBytes(part);
            assertEquals(SseEncoder.encodedLength(part), bytes.length);
            wire.writeBytes(bytes);
        }
        var outcome = SseFeed.run(new SseDecoder(SseLimits.DEFAULTS), Splits.atModulo(wire.toByteArray(), cuts), true, buffers);
        var expected = new ArrayList<>(decoded(parts));
        expected.add(Signal.CLOSED);
        assertEquals(SseFeed.Outcome.of(expected), outcome);
    }

    @Property(tries = 300)
    void oneEncodedMessageDecodesAtEverySplit(@ForAll("messages") Message m) {
        var outcome = SseFeed.everySplit(() -> new SseDecoder(SseLimits.DEFAULTS), SseEncoder.toBytes(m), false);
        assertEquals(SseFeed.Outcome.of(decoded(List.of(m))), outcome);
    }

    @Property(tries = 2000)
    void randomBytesGiveEventsOrAViolationTheSameInPieces(@ForAll @Size(max = 300) byte[] bytes, @ForAll boolean small,
                                                          @ForAll boolean end, @ForAll @Size(max = 6) List<Integer> cuts) {
        sameOutcomeWholeAndInPieces(bytes, small ? SMALL : SseLimits.DEFAULTS, end, cuts);
    }

    @Property(tries = 3000)
    void streamLookingBytesGiveEventsOrAViolationTheSameInPieces(@ForAll("soup") byte[] bytes, @ForAll boolean small,
                                                                 @ForAll boolean end, @ForAll @Size(max = 6) List<Integer> cuts) {
        sameOutcomeWholeAndInPieces(bytes, small ? SMALL : SseLimits.DEFAULTS, end, cuts);
    }

    @Property(tries = 2000)
    void utf8IsTheJdksOnAnyString(@ForAll String s) {
        byte[] jdk = s.getBytes(StandardCharsets.UTF_8);
        assertEquals(jdk.length, Utf8.length(s, 0, s.length()));
        byte[] ours = new byte[jdk.length];
        assertEquals(jdk.length, Utf8.write(s, 0, s.length(), ours, 0));
        assertArrayEquals(jdk, ours);
    }

    @Property(tries = 200)
    void theCostOfAnEncodingIsItsBytes(@ForAll("messages") Message m) {
        ByteBuffer shared = SseEncoder.toBuffer(m);
        assertEquals(shared.capacity(), shared.remaining());
        assertEquals(SseEncoder.encodedLength(m), shared.capacity());
    }

    /**
     * Runs {@code wire} whole, byte by byte and cut at {@code cuts}: the outcomes agree, the only
     * exception is a PeerViolation, and a decoder that threw keeps throwing the same one.
     */
    private static void sameOutcomeWholeAndInPieces(byte[] wire, SseLimits limits, boolean end, List<Integer> cuts) {
        var whole = SseFeed.run(new SseDecoder(limits), List.of(wire), end, Feed.Buffers.HEAP);
        assertEquals(whole, SseFeed.run(new SseDecoder(limits), Splits.byteByByte(wire), end, Feed.Buffers.DIRECT));
        var decoder = new SseDecoder(limits);
        assertEquals(whole, SseFeed.run(decoder, Splits.atModulo(wire, cuts), end, Feed.Buffers.HEAP));
        if (whole.violation() != null) {
            var first = assertThrows(PeerViolation.class, decoder::next);
            assertSame(first, assertThrows(PeerViolation.class, decoder::next));
        } else if (end) {
            assertEquals(Signal.CLOSED, decoder.next());
        } else {
            assertEquals(Signal.NEED_MORE, decoder.next());
        }
        for (SseEvent e : whole.events()) {
            if (e instanceof Message m) assertEquals(m, new Message(m.type(), m.data(), m.id()));   // no nulls inside
        }
    }

    /** What a decoder gives for {@code parts} as the encoder wrote them (the model the property checks). */
    private static List<SseEvent> decoded(List<SseEvent> parts) {
        var out = new ArrayList<SseEvent>();
        String lastId = "";
        for (SseEvent part : parts) {
            switch (part) {
                case Message m -> {
                    if (!m.id().isEmpty()) lastId = m.id();
                    String type = m.type().isEmpty() ? Message.DEFAULT_TYPE : m.type();
                    out.add(new Message(type, String.join("\n", lines(m.data())), lastId));
                }
                case Comment c -> lines(c.text()).forEach(line -> out.add(new Comment(line)));
                case Retry r -> out.add(r);
                case Signal s -> throw new AssertionError(s);
            }
        }
        return out;
    }

    /** {@code text} cut at CR, LF and CRLF; always at least one line. */
    private static List<String> lines(String text) {
        return List.of(text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1));
    }

    // ---- generators ----

    /** Text with the characters that matter: every line break, colons, spaces, NUL, BOM, non-ASCII. */
    private static Arbitrary<String> text(String... without) {
        Arbitrary<String> special = Arbitraries.of("\r", "\n", "\r\n", "\n\r", ":", " ", "  ", "data: ", "id", "\u0000",
            "\u00e9", "\u20ac", "\uD83D\uDE00", "\uFEFF", "\t", "retry: 5");
        Arbitrary<String> plain = Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(12);
        return Arbitraries.oneOf(special, plain).list().ofMaxSize(8).map(pieces -> {
            String s = String.join("", pieces);
            for (String w : without) s = s.replace(w, "");
            return s;
        });
    }

    @Provide
    Arbitrary<Message> messages() {
        Arbitrary<String> type = Arbitraries.oneOf(Arbitraries.of("", "message", "update"), text("\r", "\n"));
        Arbitrary<String> id = Arbitraries.oneOf(Arbitraries.of("", "1700000000:3"), text("\r", "\n", "\u0000"));
        return Combinators.combine(type, text(), id).as(Message::new);
    }

    @Provide
    Arbitrary<List<SseEvent>> streams() {
        Arbitrary<SseEvent> retry = Arbitraries.longs().between(0, Long.MAX_VALUE).map(Retry::new);
        Arbitrary<SseEvent> comment = Arbitraries.oneOf(Arbitraries.just(Comment.EMPTY), text().map(Comment::new));
        Arbitrary<SseEvent> message = messages().map(m -> m);
        return Arbitraries.frequencyOf(
            Tuple.of(6, message), Tuple.of(1, retry), Tuple.of(2, comment))
            .list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<byte[]> soup() {
        Arbitrary<byte[]> token = Arbitraries.of("data", "data:", "data: ", "event:", "id:", "id: 1", "retry:", "retry: 10",
                ":", " ", "\r", "\n", "\r\n", "\n\n", "\uFEFF", "\u0000", "x", "message", "0123456789abcdefghij")
            .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> junk = Arbitraries.bytes().array(byte[].class).ofMaxSize(6);
        return Arbitraries.oneOf(token, token, token, junk).list().ofMaxSize(40).map(pieces -> {
            var out = new ByteArrayOutputStream();
            pieces.forEach(out::writeBytes);
            return out.toByteArray();
        });
    }
}
