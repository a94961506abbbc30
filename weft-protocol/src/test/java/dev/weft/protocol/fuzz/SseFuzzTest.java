package dev.weft.protocol.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http.Violation;
import dev.weft.protocol.sse.SseDecoder;
import dev.weft.protocol.sse.SseEvent;
import dev.weft.protocol.sse.SseLimits;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A coverage-guided fuzz target for the event-stream decoder, in the manner of
 * {@link ParserFuzzTest}. The contract: any bytes, cut into any pieces and fed in heap or direct
 * buffers, yield messages, retries and comments or one of the two limit violations, nothing else;
 * NEED_MORE only once every fed byte is consumed; no message's data over the event limit; after
 * the end, CLOSED and nothing more. Every byte sequence is a valid stream (§9.2.6), so a limit is
 * the only way to fail.
 *
 * <p>In an ordinary build the target replays its saved inputs under
 * {@code src/test/resources/dev/weft/protocol/fuzz/SseFuzzTestInputs/events/}. To fuzz:
 * <pre>
 * JAZZER_FUZZ=1 ./weft test -pl weft-protocol -Dtest=SseFuzzTest -Djazzer.max_duration=10m
 * </pre>
 */
@Timeout(value = 7, unit = TimeUnit.DAYS)   // fuzzing runs as long as asked; the build's 120 s default would cut it
class SseFuzzTest {
    private static final SseLimits LIMITS = new SseLimits(512, 2048);

    @FuzzTest(maxDuration = "30s")
    void events(FuzzedDataProvider data) {
        int n = data.consumeInt(0, 4);
        int[] cuts = new int[n];
        for (int i = 0; i < n; i++) cuts[i] = data.consumeInt(0, 1 << 12);
        boolean direct = data.consumeBoolean();
        byte[] wire = data.consumeRemainingAsBytes();
        var decoder = new SseDecoder(LIMITS);
        try {
            int from = 0;
            for (int cut : cuts) {
                int to = Math.min(wire.length, from + cut);
                feed(decoder, wire, from, to, direct);
                from = to;
            }
            feed(decoder, wire, from, wire.length, direct);
            decoder.feedEnd();
            if (decoder.next() != SseEvent.Signal.CLOSED) throw new AssertionError("after the end: CLOSED");
            if (decoder.next() != SseEvent.Signal.CLOSED) throw new AssertionError("CLOSED stays");
        } catch (PeerViolation v) {
            if (v.violation() != Violation.SSE_LINE_TOO_LONG && v.violation() != Violation.SSE_EVENT_TOO_LARGE) throw v;
        }
    }

    private static void feed(SseDecoder decoder, byte[] wire, int from, int to, boolean direct) {
        ByteBuffer piece = direct ? ByteBuffer.allocateDirect(to - from) : ByteBuffer.allocate(to - from);
        piece.put(wire, from, to - from).flip();
        decoder.feed(piece);
        for (;;) {
            SseEvent e = decoder.next();
            if (e == SseEvent.Signal.NEED_MORE) {
                if (piece.hasRemaining()) throw new AssertionError("NEED_MORE with bytes left");
                return;
            }
            if (e instanceof SseEvent.Message m && m.data().length() > LIMITS.maxEventBytes()) {
                throw new AssertionError("a message over the event limit: " + m.data().length());
            }
            if (e == SseEvent.Signal.CLOSED) throw new AssertionError("CLOSED before the end");
        }
    }
}
