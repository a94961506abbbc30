package dev.weft.protocol.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Version;
import dev.weft.protocol.websocket.DeflateOptions;
import dev.weft.protocol.websocket.DeflateParameters;
import dev.weft.protocol.websocket.FrameDecoder;
import dev.weft.protocol.websocket.HixieDecoder;
import dev.weft.protocol.websocket.PerMessageDeflate;
import dev.weft.protocol.websocket.ServerHandshake;
import dev.weft.protocol.websocket.WebSocketDecoder;
import dev.weft.protocol.websocket.WebSocketEvent;
import dev.weft.protocol.websocket.WebSocketLimits;
import dev.weft.protocol.websocket.WebSocketPeerViolation;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Coverage-guided fuzz targets for the WebSocket codec, with Jazzer, in the manner of
 * {@link ParserFuzzTest}. The contract each decoder target checks: any bytes, cut into any pieces,
 * yield events or a {@link WebSocketPeerViolation} and nothing else; NEED_MORE only once every
 * fed byte is consumed; messages are well formed (Data only inside a message, never empty, never
 * more than the message limit, text that is whole UTF-8 at its end); nothing follows CLOSED or
 * END_WITHOUT_CLOSE. The handshake target checks that any request head gets an Accept or a
 * Reject, nothing else.
 *
 * <p>In an ordinary build each target replays its saved inputs (if any) under
 * {@code src/test/resources/dev/weft/protocol/fuzz/WebSocketFuzzTestInputs/<target>/}. To fuzz:
 * <pre>
 * JAZZER_FUZZ=1 ./weft test -pl weft-protocol -Dtest=WebSocketFuzzTest#serverFrames -Djazzer.max_duration=10m
 * </pre>
 */
@Timeout(value = 7, unit = TimeUnit.DAYS)   // fuzzing runs as long as asked; the build's 120 s default would cut it
class WebSocketFuzzTest {
    private static final WebSocketLimits LIMITS = new WebSocketLimits(4096, 16384);
    private static final DeflateOptions OPTIONS = DeflateOptions.DEFAULTS.withMinMessageBytes(0);

    /** Frames as a server reads them, with permessage-deflate off, with context takeover, or without. */
    @FuzzTest(maxDuration = "30s")
    void serverFrames(FuzzedDataProvider data) { frames(data, true); }

    /** Frames as a client reads them. */
    @FuzzTest(maxDuration = "30s")
    void clientFrames(FuzzedDataProvider data) { frames(data, false); }

    /** The legacy framing of hixie-75 and -76. */
    @FuzzTest(maxDuration = "30s")
    void legacyFrames(FuzzedDataProvider data) {
        int[] cuts = cuts(data);
        boolean end = data.consumeBoolean();
        check(new HixieDecoder(LIMITS), data.consumeRemainingAsBytes(), cuts, end);
    }

    /** Request heads from fuzzed field lines, legacy drafts allowed: an Accept or a Reject, nothing else. */
    @FuzzTest(maxDuration = "30s")
    void serverHandshake(FuzzedDataProvider data) {
        var handshake = new ServerHandshake(ServerHandshake.Options.DEFAULTS.withSubprotocols("chat", "v2")
            .withDeflate(OPTIONS).withLegacyHixie(data.consumeBoolean()));
        Method method = data.pickValue(new Method[] {Method.GET, Method.POST});
        Version version = data.pickValue(Version.values());
        var headers = new Headers();
        String[] names = {"Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol",
                          "Sec-WebSocket-Extensions", "Origin", "Host", "Sec-WebSocket-Key1", "Sec-WebSocket-Key2"};
        for (int i = data.consumeInt(0, 12); i > 0; i--) {
            String value = data.consumeString(80);
            try {
                headers.add(data.pickValue(names), value);
            } catch (IllegalArgumentException notAFieldValue) {
                // Headers refuses controls, as the HTTP parser would have
            }
        }
        var request = new ServerHandshake.UpgradeRequest(method, version, "/" + data.consumeAsciiString(20), headers, data.consumeBoolean());
        switch (handshake.accept(request, ByteBuffer.wrap(data.consumeBytes(8)))) {
            case ServerHandshake.Accept a -> {
                if (a.status().code() != 101) throw new AssertionError("an Accept with " + a.status());
            }
            case ServerHandshake.Reject r -> {
                if (r.status().code() < 400) throw new AssertionError("a Reject with " + r.status());
            }
        }
    }

    private static void frames(FuzzedDataProvider data, boolean server) {
        int mode = data.consumeInt(0, 2);
        int[] cuts = cuts(data);
        boolean end = data.consumeBoolean();
        byte[] wire = data.consumeRemainingAsBytes();
        DeflateParameters agreed = mode == 1 ? DeflateParameters.PLAIN : new DeflateParameters(true, true, 15, 15);
        PerMessageDeflate deflate = mode == 0 ? null
            : server ? PerMessageDeflate.server(agreed, OPTIONS) : PerMessageDeflate.client(agreed, OPTIONS);
        FrameDecoder decoder = server
            ? (deflate == null ? FrameDecoder.server(LIMITS) : FrameDecoder.server(LIMITS, deflate))
            : (deflate == null ? FrameDecoder.client(LIMITS) : FrameDecoder.client(LIMITS, deflate));
        try {
            check(decoder, wire, cuts, end);
        } finally {
            if (deflate != null) deflate.close();
        }
    }

    private static int[] cuts(FuzzedDataProvider data) {
        int n = data.consumeInt(0, 4);
        int[] cuts = new int[n];
        for (int i = 0; i < n; i++) cuts[i] = data.consumeInt(0, 1 << 16);
        return cuts;
    }

    /** Feeds {@code wire} in pieces, then (if {@code end}) its end, pulling every event; asserts the contract. */
    static void check(WebSocketDecoder decoder, byte[] wire, int[] cuts, boolean end) {
        var state = new State();
        try {
            int from = 0;
            for (int cut : cuts) from = feed(decoder, wire, from, Math.min(wire.length, from + cut), state);
            feed(decoder, wire, from, wire.length, state);
            if (end && !state.over) {
                decoder.feedEnd();
                drain(decoder, state);
                if (!state.over) throw new AssertionError("NEED_MORE after feedEnd");
            }
        } catch (WebSocketPeerViolation expected) {
            // the one failure any input may cause
        }
    }

    private static int feed(WebSocketDecoder decoder, byte[] wire, int from, int to, State state) {
        if (state.over) return to;
        ByteBuffer piece = ByteBuffer.wrap(wire.clone(), from, to - from);    // the decoder unmasks in place
        decoder.feed(piece);
        drain(decoder, state);
        if (piece.hasRemaining() && !state.over) throw new AssertionError("NEED_MORE with " + piece.remaining() + " bytes unconsumed");
        return to;
    }

    private static void drain(WebSocketDecoder decoder, State state) {
        for (int steps = 0; ; steps++) {
            if (steps > 1_000_000) throw new AssertionError("no signal after 1,000,000 events: an endless loop");
            WebSocketEvent event = decoder.next();
            if (event instanceof WebSocketEvent.Signal s) {
                if (s != WebSocketEvent.Signal.NEED_MORE) {
                    state.over = true;
                    if (decoder.next() != s) throw new AssertionError("a signal after " + s);
                }
                return;
            }
            state.event(event);
        }
    }

    /** What the events said so far, to check each against. */
    private static final class State {
        boolean over;
        WebSocketEvent.MessageStart message;
        long received;
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();

        void event(WebSocketEvent event) {
            if (over) throw new AssertionError(event + " after the end");
            switch (event) {
                case WebSocketEvent.MessageStart start -> {
                    if (message != null) throw new AssertionError("a message inside a message");
                    message = start;
                    received = 0;
                    text.reset();
                }
                case WebSocketEvent.Data(var bytes) -> data(bytes);
                case WebSocketEvent.MessageEnd _ -> end();
                case WebSocketEvent.Close _ -> message = null;
                case WebSocketEvent.Ping(var p) -> control(p);
                case WebSocketEvent.Pong(var p) -> control(p);
                case WebSocketEvent.Signal s -> throw new AssertionError(s);
            }
        }

        private void data(ByteBuffer bytes) {
            if (message == null) throw new AssertionError("Data outside a message");
            if (!bytes.hasRemaining()) throw new AssertionError("empty Data");
            received += bytes.remaining();
            if (received > LIMITS.maxMessageBytes()) throw new AssertionError(received + " bytes in a message, past the limit");
            if (message == WebSocketEvent.MessageStart.TEXT) {
                byte[] b = new byte[bytes.remaining()];
                bytes.duplicate().get(b);
                text.writeBytes(b);
            }
        }

        private void end() {
            if (message == null) throw new AssertionError("MessageEnd outside a message");
            if (message == WebSocketEvent.MessageStart.TEXT) {
                try {
                    StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(text.toByteArray()));
                } catch (CharacterCodingException e) {
                    throw new AssertionError("a text message that is not UTF-8 reached its end", e);
                }
            }
            message = null;
        }

        private static void control(ByteBuffer payload) {
            if (payload.remaining() > 125) throw new AssertionError("a control payload of " + payload.remaining() + " bytes");
        }
    }
}
