package dev.weft.protocol.http1;

import dev.weft.protocol.testing.Events;
import dev.weft.protocol.testing.Feed;
import dev.weft.protocol.testing.Splits;
import dev.weft.protocol.testing.Vectors;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Parsers that share one {@link Http1Parser.Scratch} (one per event loop in the server) give the
 * same events as parsers with their own, however their direct-buffer reads interleave: a parser
 * whose staged bytes another parser displaced must copy them again, never read the other's.
 */
class SharedScratchTest {
    @Test
    void interleavedParsersSharingAScratchSeeOnlyTheirOwnBytes() {
        byte[] a = Vectors.bytes(Vectors.BROWSER_GET + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        byte[] b = Vectors.bytes("POST /upload HTTP/1.1\r\nHost: b\r\nContent-Length: 11\r\nX-Other: " + "z".repeat(1500)
                + "\r\n\r\nhello world");
        for (int size : new int[] {1, 7, 64, 4096}) {
            var shared = new Http1Parser.Scratch();
            var pa = new Http1Parser(Role.SERVER, Http1Limits.DEFAULTS, shared);
            var pb = new Http1Parser(Role.SERVER, Http1Limits.DEFAULTS, shared);
            var sa = new Stepper(pa, chunks(a, size));
            var sb = new Stepper(pb, chunks(b, size));
            while (sa.step() | sb.step()) { /* one event from each in turn */ }
            var ea = sa.events;
            var eb = sb.events;
            assertEquals(alone(a), Events.coalesceBodies(ea), "A, chunks of " + size);
            assertEquals(alone(b), Events.coalesceBodies(eb), "B, chunks of " + size);
        }
    }

    /** Pulls one event at a time from its parser, feeding the next direct-buffer chunk when it needs more. */
    private static final class Stepper {
        final Http1Parser parser;
        final List<byte[]> chunks;
        final List<Http1Event> events = new ArrayList<>();
        int next;

        Stepper(Http1Parser parser, List<byte[]> chunks) {
            this.parser = parser;
            this.chunks = chunks;
            feed();
        }

        private void feed() {
            byte[] chunk = chunks.get(next++);
            parser.feed(ByteBuffer.allocateDirect(chunk.length).put(chunk).flip());
        }

        /** False once every chunk is fed and parsed. */
        boolean step() {
            Http1Event e = parser.next();
            if (e == Http1Event.Signal.NEED_MORE) {
                if (next == chunks.size()) return false;
                feed();
                return true;
            }
            events.add(e instanceof Http1Event.Body body ? new Http1Event.Body(ByteBuffer.wrap(body.copy())) : e);
            return true;
        }
    }

    private static List<Object> alone(byte[] wire) {
        return Events.coalesceBodies(Feed.all(new Http1Parser(Role.SERVER, Http1Limits.DEFAULTS), List.of(wire)));
    }

    private static List<byte[]> chunks(byte[] wire, int size) {
        var cuts = new ArrayList<Integer>();
        for (int i = size; i < wire.length; i += size) cuts.add(i);
        return Splits.at(wire, cuts.stream().mapToInt(Integer::intValue).toArray());
    }
}
