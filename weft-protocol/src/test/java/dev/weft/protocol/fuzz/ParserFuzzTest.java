package dev.weft.protocol.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http1.BodyFraming;
import dev.weft.protocol.http1.Http1Event;
import dev.weft.protocol.http1.Http1Limits;
import dev.weft.protocol.http1.Http1Parser;
import dev.weft.protocol.http1.Role;

import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Coverage-guided fuzz targets for the HTTP/1.1 parser, both roles, with Jazzer. The contract
 * each checks: any bytes, cut into any pieces, yield events or a {@link PeerViolation} and nothing
 * else; the parser never loops without consuming or signalling; nothing follows CLOSED; and a
 * body never carries more bytes than its Content-Length said.
 *
 * <p>In an ordinary build ({@code ./weft test}) each target replays its saved inputs under
 * {@code src/test/resources/dev/weft/protocol/fuzz/ParserFuzzTestInputs/<target>/} as regression
 * tests. To fuzz, for as long as you like, from the repository root:
 * <pre>
 * JAZZER_FUZZ=1 ./weft test -pl weft-protocol -Dtest=ParserFuzzTest#requests -Djazzer.max_duration=10m
 * </pre>
 * New inputs that reach new code go to {@code .cifuzz-corpus/}; a failing input is written to the
 * inputs folder above, where it then stays as a regression test once committed.
 */
@Timeout(value = 7, unit = TimeUnit.DAYS)   // fuzzing runs as long as asked; the build's 120 s default would cut it
class ParserFuzzTest {
    private static final Http1Limits LIMITS = Http1Limits.DEFAULTS.withMaxBodyBytes(1 << 20);

    /** Requests, as a server reads them: the bytes cut into pieces at fuzzed places. */
    @FuzzTest(maxDuration = "30s")
    void requests(FuzzedDataProvider data) {
        int[] cuts = cuts(data);
        byte[] wire = data.consumeRemainingAsBytes();
        check(new Http1Parser(Role.SERVER, LIMITS), wire, cuts);
    }

    /** Responses, as a client reads them after sending GET, HEAD or CONNECT. */
    @FuzzTest(maxDuration = "30s")
    void responses(FuzzedDataProvider data) {
        Method sent = data.pickValue(new Method[] {Method.GET, Method.HEAD, Method.CONNECT, Method.POST});
        int[] cuts = cuts(data);
        byte[] wire = data.consumeRemainingAsBytes();
        var parser = new Http1Parser(Role.CLIENT, LIMITS);
        parser.requestSent(sent);
        check(parser, wire, cuts);
    }

    /** Chunked bodies after a fixed, valid head: the chunk-size, extension and trailer states. */
    @FuzzTest(maxDuration = "30s")
    void chunkedBodies(FuzzedDataProvider data) {
        int[] cuts = cuts(data);
        byte[] body = data.consumeRemainingAsBytes();
        byte[] head = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] wire = new byte[head.length + body.length];
        System.arraycopy(head, 0, wire, 0, head.length);
        System.arraycopy(body, 0, wire, head.length, body.length);
        check(new Http1Parser(Role.SERVER, LIMITS), wire, cuts);
    }

    private static int[] cuts(FuzzedDataProvider data) {
        int n = data.consumeInt(0, 4);
        int[] cuts = new int[n];
        for (int i = 0; i < n; i++) cuts[i] = data.consumeInt(0, 1 << 16);
        return cuts;
    }

    /** Feeds {@code wire} in pieces, then its end, pulling every event; asserts the contract. */
    static void check(Http1Parser parser, byte[] wire, int[] cuts) {
        var state = new State();
        try {
            int from = 0;
            for (int cut : cuts) {
                int to = Math.min(wire.length, from + cut);
                from = feed(parser, wire, from, to, state);
            }
            feed(parser, wire, from, wire.length, state);
            parser.feedEnd();
            drain(parser, state);
        } catch (PeerViolation expected) {
            // the one failure any input may cause
        }
    }

    private static int feed(Http1Parser parser, byte[] wire, int from, int to, State state) {
        if (state.closed || state.paused) return to;
        ByteBuffer piece = ByteBuffer.wrap(wire, from, to - from);
        parser.feed(piece);
        drain(parser, state);
        if (piece.hasRemaining() && !state.closed && !state.paused) {
            throw new AssertionError("NEED_MORE with " + piece.remaining() + " bytes unconsumed");
        }
        return to;
    }

    private static void drain(Http1Parser parser, State state) {
        for (int steps = 0; ; steps++) {
            if (steps > 100_000) throw new AssertionError("no signal after 100,000 events: an endless loop");
            Http1Event event = parser.next();
            switch (event) {
                case Http1Event.Signal s -> {
                    if (s == Http1Event.Signal.CLOSED) state.closed = true;
                    if (s == Http1Event.Signal.PAUSED) state.paused = true;
                    return;
                }
                default -> state.event(event);
            }
        }
    }

    /** What the events said so far, to check each against. */
    private static final class State {
        boolean closed, paused;
        long declared = -1, received;

        void event(Http1Event event) {
            if (closed) throw new AssertionError(event + " after CLOSED");
            switch (event) {
                case Http1Event.RequestHead h -> begin(h.framing());
                case Http1Event.ResponseHead h -> begin(h.framing());
                case Http1Event.Body(ByteBuffer bytes) -> {
                    received += bytes.remaining();
                    if (declared >= 0 && received > declared) throw new AssertionError(received + " body bytes, " + declared + " declared");
                }
                case Http1Event.EndOfMessage _ -> {
                    if (declared >= 0 && received != declared) throw new AssertionError("ended at " + received + " of " + declared);
                }
                default -> { }
            }
        }

        private void begin(BodyFraming framing) {
            declared = framing instanceof BodyFraming.Fixed(long n) ? n : -1;
            received = 0;
        }
    }
}
