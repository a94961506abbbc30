package dev.weft.protocol.sse;

import dev.weft.protocol.sse.SseEvent.Comment;
import dev.weft.protocol.sse.SseEvent.Message;
import dev.weft.protocol.sse.SseEvent.Signal;
import dev.weft.protocol.testing.SseFeed;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every example stream of WHATWG HTML §9.2 (the introduction in §9.2.1 and the examples closing
 * §9.2.6) with the events the spec says it fires. Each runs whole, byte by byte and at every
 * two-way split, from heap and direct buffers, with its lines ended by LF, CRLF and CR, with and
 * without a leading byte order mark: always the same events.
 */
class SseSpecExamplesTest {
    record Example(String name, String stream, List<SseEvent> events) {
        @Override public String toString() { return name; }
    }

    static List<Example> examples() {
        return List.of(
            new Example("§9.2.1 three messages, one of two lines", """
                data: This is the first message.

                data: This is the second message, it
                data: has two lines.

                data: This is the third message.

                """,
                List.of(Message.of("This is the first message."),
                        Message.of("This is the second message, it\nhas two lines."),
                        Message.of("This is the third message."))),
            new Example("§9.2.1 event types add and remove", """
                event: add
                data: 73857293

                event: remove
                data: 2153

                event: add
                data: 113411

                """,
                List.of(Message.of("add", "73857293"), Message.of("remove", "2153"), Message.of("add", "113411"))),
            new Example("§9.2.6 YHOO, once followed by a blank line", """
                data: YHOO
                data: +2
                data: 10

                """,
                List.of(Message.of("YHOO\n+2\n10"))),
            // The comment is returned (the spec ignores it); the id carries, then is reset by a bare "id".
            new Example("§9.2.6 test stream: comment, id, id reset, one space stripped", """
                : test stream

                data: first event
                id: 1

                data:second event
                id

                data:  third event

                """,
                List.of(new Comment("test stream"),
                        Message.of("first event").withId("1"),
                        Message.of("second event"),
                        Message.of(" third event"))),
            new Example("§9.2.6 empty data, a lone newline, and a block the end does not dispatch", """
                data

                data
                data

                data:""",
                List.of(Message.of(""), Message.of("\n"))),
            new Example("§9.2.6 two identical events: the space after the colon is optional", """
                data:test

                data: test

                """,
                List.of(Message.of("test"), Message.of("test"))));
    }

    static Stream<Arguments> variants() {
        var out = new ArrayList<Arguments>();
        for (Example e : examples()) {
            for (String eol : List.of("\n", "\r\n", "\r")) {
                for (boolean bom : List.of(false, true)) out.add(Arguments.of(e, eol, bom));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} bom={2}") @MethodSource("variants")
    void firesTheEventsTheSpecSays(Example example, String eol, boolean bom) {
        String text = (bom ? "\uFEFF" : "") + example.stream().replace("\n", eol);
        byte[] wire = text.getBytes(StandardCharsets.UTF_8);
        var expected = new ArrayList<>(example.events());
        expected.add(Signal.CLOSED);
        var outcome = SseFeed.everySplit(() -> new SseDecoder(SseLimits.DEFAULTS), wire, true);
        assertEquals(SseFeed.Outcome.of(expected), outcome);
    }
}
