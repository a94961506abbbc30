package dev.weft.protocol.testing;

import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http.Violation;
import dev.weft.protocol.sse.SseDecoder;
import dev.weft.protocol.sse.SseEvent;
import dev.weft.protocol.sse.SseEvent.Signal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Drives an {@link SseDecoder} over a list of reads, as a client connection would: feed one read,
 * take events until NEED_MORE, feed the next; then, if asked, feedEnd and take events until CLOSED.
 */
public final class SseFeed {
    private SseFeed() {}

    /**
     * What a run gave: the events (NEED_MORE left out, CLOSED kept) and the violation that ended
     * it, or null. Tests compare whole outcomes, so the events before a violation count too.
     */
    public record Outcome(List<SseEvent> events, Violation violation) {
        public Outcome {
            events = List.copyOf(events);
        }

        public static Outcome of(List<SseEvent> events) { return new Outcome(events, null); }
    }

    private static final int MAX_EVENTS = 1_000_000;

    public static Outcome run(SseDecoder decoder, List<byte[]> chunks, boolean end, Feed.Buffers buffers) {
        var events = new ArrayList<SseEvent>();
        try {
            for (byte[] chunk : chunks) {
                ByteBuffer buffer = wrap(chunk, buffers);
                decoder.feed(buffer);
                drain(decoder, events);
                if (buffer.hasRemaining()) throw new AssertionError("NEED_MORE with bytes left in the buffer");
            }
            if (end) {
                decoder.feedEnd();
                if (drain(decoder, events) != Signal.CLOSED) throw new AssertionError("no CLOSED after feedEnd");
                events.add(Signal.CLOSED);
            }
            return new Outcome(events, null);
        } catch (PeerViolation v) {
            return new Outcome(events, v.violation());
        }
    }

    /** The events of a run that must not fail. */
    public static List<SseEvent> all(SseDecoder decoder, List<byte[]> chunks, boolean end) {
        Outcome o = run(decoder, chunks, end, Feed.Buffers.HEAP);
        if (o.violation() != null) throw new AssertionError(o.violation() + " after " + o.events());
        return o.events();
    }

    /**
     * The outcome of {@code wire}, checked to be the same whole, byte by byte and at every two-way
     * split, from heap slices and from direct buffers.
     */
    public static Outcome everySplit(Supplier<SseDecoder> decoders, byte[] wire, boolean end) {
        Outcome seen = null;
        for (Feed.Buffers buffers : Feed.Buffers.values()) {
            for (List<byte[]> chunks : Splits.all(wire)) {
                Outcome o = run(decoders.get(), chunks, end, buffers);
                if (seen != null && !seen.equals(o)) {
                    throw new AssertionError(seen + " whole but " + o + " for " + buffers + " " + describe(chunks));
                }
                seen = o;
            }
        }
        return seen;
    }

    /** Takes events until a signal and returns the signal; NEED_MORE and CLOSED are not recorded. */
    private static Signal drain(SseDecoder decoder, List<SseEvent> events) {
        for (int n = 0; n < MAX_EVENTS; n++) {
            SseEvent e = decoder.next();
            if (e instanceof Signal s) return s;
            events.add(e);
        }
        throw new AssertionError("no signal after " + MAX_EVENTS + " events");
    }

    private static ByteBuffer wrap(byte[] chunk, Feed.Buffers buffers) {
        if (buffers == Feed.Buffers.DIRECT) return ByteBuffer.allocateDirect(chunk.length).put(chunk).flip();
        byte[] padded = new byte[chunk.length + 16];
        Arrays.fill(padded, (byte) '\n');     // a line end on either side: a decoder that reads past its slice shows it
        System.arraycopy(chunk, 0, padded, 8, chunk.length);
        return ByteBuffer.wrap(padded, 8, chunk.length).slice();
    }

    private static String describe(List<byte[]> chunks) {
        var sb = new StringBuilder();
        for (byte[] c : chunks) sb.append('[').append(Events.escape(c)).append(']');
        return sb.toString();
    }
}
