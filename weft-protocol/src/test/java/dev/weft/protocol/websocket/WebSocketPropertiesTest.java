package dev.weft.protocol.websocket;

import dev.weft.protocol.testing.CollectingSink;
import dev.weft.protocol.testing.Events;
import dev.weft.protocol.testing.Splits;
import dev.weft.protocol.testing.WebSocketFeed;
import dev.weft.protocol.websocket.WebSocketEvent.Close;
import dev.weft.protocol.websocket.WebSocketEvent.MessageEnd;
import dev.weft.protocol.websocket.WebSocketEvent.MessageStart;
import dev.weft.protocol.websocket.WebSocketEvent.Ping;
import dev.weft.protocol.websocket.WebSocketEvent.Pong;
import dev.weft.protocol.websocket.WebSocketEvent.Signal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Properties (ARCHITECTURE.md convention 13): whatever an encoder writes, a decoder of the other
 * role reads back as the same messages, however the bytes are cut, masked, fragmented or
 * compressed; and any bytes at all give events or a {@link WebSocketPeerViolation}, nothing
 * else, the same whole as byte by byte.
 */
class WebSocketPropertiesTest {
    /** Which permessage-deflate, if any, both ends agreed on. */
    enum Deflate { NONE, TAKEOVER, NO_TAKEOVER }

    sealed interface Step {}

    /** One message in one call: text as a String or as bytes. */
    record Whole(MessageType type, byte[] payload, boolean asString) implements Step {}

    /** One message in fragments cut at {@code cuts}, with a Ping after each fragment in {@code pingsAfter}. */
    record Fragments(MessageType type, byte[] payload, List<Integer> cuts, Set<Integer> pingsAfter) implements Step {}

    record Control(boolean ping, byte[] payload) implements Step {}

    /** Steps, then a Close unless {@code closeCode} is 0. */
    record Conversation(List<Step> steps, int closeCode, String reason) {}

    // ---- round trips ----

    @Property(tries = 400)
    void whatIsWrittenIsRead(@ForAll("conversations") Conversation c, @ForAll boolean clientWrites, @ForAll Deflate deflate,
                             @ForAll long maskSeed, @ForAll @IntRange(max = 200) int minCompress,
                             @ForAll @Size(max = 12) List<Integer> cuts, @ForAll WebSocketFeed.Buffers buffers) {
        var options = DeflateOptions.DEFAULTS.withMinMessageBytes(minCompress);
        byte[] wire = write(c, clientWrites, deflate, options, maskSeed);
        var decoder = reader(clientWrites, deflate, options, WebSocketLimits.DEFAULTS);
        var result = WebSocketFeed.run(decoder, Splits.atModulo(wire, cuts), false, buffers);
        assertEquals(expected(c), result.events());
        assertEquals(0, result.unconsumed().length);
    }

    /** The bytes an encoder of the given role writes for the conversation. */
    static byte[] write(Conversation c, boolean client, Deflate deflate, DeflateOptions options, long maskSeed) {
        var out = new CollectingSink();
        PerMessageDeflate pmd = extension(deflate, client, options);
        var masks = new SplittableRandom(maskSeed);
        FrameEncoder e = client ? (pmd == null ? FrameEncoder.client(masks) : FrameEncoder.client(masks, pmd))
                                : (pmd == null ? FrameEncoder.server() : FrameEncoder.server(pmd));
        for (Step step : c.steps()) {
            switch (step) {
                case Whole(var type, var payload, var asString) -> {
                    if (type == MessageType.TEXT && asString) e.text(new String(payload, StandardCharsets.UTF_8), out);
                    else e.message(type, ByteBuffer.wrap(payload), out);
                }
                case Fragments f -> {
                    List<byte[]> pieces = pieces(f);
                    for (int i = 0; i < pieces.size(); i++) {
                        boolean last = i == pieces.size() - 1;
                        e.fragment(f.type(), ByteBuffer.wrap(pieces.get(i)), last, out);
                        if (!last && f.pingsAfter().contains(i)) e.ping(ByteBuffer.wrap(pingPayload(i)), out);
                    }
                }
                case Control(var ping, var payload) -> {
                    if (ping) e.ping(ByteBuffer.wrap(payload), out);
                    else e.pong(ByteBuffer.wrap(payload), out);
                }
            }
        }
        if (c.closeCode() != 0) e.close(c.closeCode(), c.reason(), out);
        if (pmd != null) pmd.close();
        return out.bytes();
    }

    /** A decoder of the role that reads what {@code clientWrites} says was written. */
    static FrameDecoder reader(boolean clientWrites, Deflate deflate, DeflateOptions options, WebSocketLimits limits) {
        PerMessageDeflate pmd = extension(deflate, !clientWrites, options);
        if (clientWrites) return pmd == null ? FrameDecoder.server(limits) : FrameDecoder.server(limits, pmd);
        return pmd == null ? FrameDecoder.client(limits) : FrameDecoder.client(limits, pmd);
    }

    static PerMessageDeflate extension(Deflate deflate, boolean client, DeflateOptions options) {
        DeflateParameters p = switch (deflate) {
            case NONE -> null;
            case TAKEOVER -> DeflateParameters.PLAIN;
            case NO_TAKEOVER -> new DeflateParameters(true, true, 15, 15);
        };
        if (p == null) return null;
        return client ? PerMessageDeflate.client(p, options) : PerMessageDeflate.server(p, options);
    }

    /** The events a decoder reports for the conversation, Data merged as WebSocketFeed merges it. */
    static List<Object> expected(Conversation c) {
        var out = new ArrayList<Object>();
        for (Step step : c.steps()) {
            switch (step) {
                case Whole(var type, var payload, var _) -> {
                    out.add(MessageStart.of(type));
                    data(out, payload);
                    out.add(MessageEnd.END);
                }
                case Fragments f -> {
                    out.add(MessageStart.of(f.type()));
                    List<byte[]> pieces = pieces(f);
                    for (int i = 0; i < pieces.size(); i++) {
                        data(out, pieces.get(i));
                        if (i < pieces.size() - 1 && f.pingsAfter().contains(i)) out.add(new Ping(ByteBuffer.wrap(pingPayload(i))));
                    }
                    out.add(MessageEnd.END);
                }
                case Control(var ping, var payload) -> out.add(ping ? new Ping(ByteBuffer.wrap(payload)) : new Pong(ByteBuffer.wrap(payload)));
            }
        }
        if (c.closeCode() != 0) {
            out.add(new Close(c.closeCode(), c.reason()));
            out.add(Signal.CLOSED);
        }
        return out;
    }

    private static void data(List<Object> out, byte[] bytes) {
        if (bytes.length == 0) return;
        if (!out.isEmpty() && out.getLast() instanceof Events.Data(var before)) {
            byte[] both = Arrays.copyOf(before, before.length + bytes.length);
            System.arraycopy(bytes, 0, both, before.length, bytes.length);
            out.set(out.size() - 1, new Events.Data(both));
        } else {
            out.add(new Events.Data(bytes));
        }
    }

    static List<byte[]> pieces(Fragments f) {
        var at = new TreeSet<Integer>();
        for (int cut : f.cuts()) at.add(Math.floorMod(cut, f.payload().length + 1));
        var out = new ArrayList<byte[]>();
        int from = 0;
        for (int cut : at) {
            out.add(Arrays.copyOfRange(f.payload(), from, cut));
            from = cut;
        }
        out.add(Arrays.copyOfRange(f.payload(), from, f.payload().length));
        return out;
    }

    private static byte[] pingPayload(int i) { return ("p" + i).getBytes(StandardCharsets.US_ASCII); }

    // ---- garbage ----

    @Property(tries = 2000)
    void randomBytesGiveEventsOrAViolation(@ForAll @Size(max = 300) byte[] bytes, @ForAll boolean server, @ForAll Deflate deflate,
                                           @ForAll @Size(max = 4) List<Integer> cuts, @ForAll boolean end) {
        var decoder = reader(!server, deflate, DeflateOptions.DEFAULTS, new WebSocketLimits(200, 1000));
        try {
            WebSocketFeed.run(decoder, Splits.atModulo(bytes, cuts), end, WebSocketFeed.Buffers.HEAP);
        } catch (WebSocketPeerViolation expected) {
            assertSame(expected, assertThrows(WebSocketPeerViolation.class, decoder::next));   // and it stays failed
        }
    }

    /** A change to a valid stream: replace, insert or delete one byte. */
    record Mutation(int at, byte value, int kind) {}

    @Property(tries = 1500)
    void mutatedStreamsFailAlikeWholeAndByteByByte(@ForAll("smallConversations") Conversation c, @ForAll boolean clientWrites,
                                                  @ForAll Deflate deflate, @ForAll("mutations") List<Mutation> mutations,
                                                  @ForAll @Size(max = 6) List<Integer> cuts) {
        var options = DeflateOptions.DEFAULTS.withMinMessageBytes(0);
        byte[] wire = write(c, clientWrites, deflate, options, 42);
        for (Mutation m : mutations) wire = mutate(wire, m);
        var limits = new WebSocketLimits(300, 1000);
        Object whole = outcome(reader(clientWrites, deflate, options, limits), List.of(wire));
        assertEquals(whole, outcome(reader(clientWrites, deflate, options, limits), Splits.byteByByte(wire)));
        assertEquals(whole, outcome(reader(clientWrites, deflate, options, limits), Splits.atModulo(wire, cuts)));
    }

    @Property(tries = 1000)
    void legacyFramingGivesEventsOrAViolationAlikeWholeAndByteByByte(@ForAll("hixieish") byte[] bytes) {
        var limits = new WebSocketLimits(200, 1000);
        Object whole = outcome(new HixieDecoder(limits), List.of(bytes));
        assertEquals(whole, outcome(new HixieDecoder(limits), Splits.byteByByte(bytes)));
    }

    /** The coalesced events, or the violation that ended the run. */
    static Object outcome(WebSocketDecoder decoder, List<byte[]> chunks) {
        try {
            return WebSocketFeed.all(decoder, chunks);
        } catch (WebSocketPeerViolation e) {
            return e.violation();
        }
    }

    static byte[] mutate(byte[] wire, Mutation m) {
        if (wire.length == 0) return new byte[] {m.value()};
        int at = Math.floorMod(m.at(), wire.length);
        return switch (m.kind()) {
            case 0 -> {
                byte[] b = wire.clone();
                b[at] = m.value();
                yield b;
            }
            case 1 -> {
                byte[] b = new byte[wire.length + 1];
                System.arraycopy(wire, 0, b, 0, at);
                b[at] = m.value();
                System.arraycopy(wire, at, b, at + 1, wire.length - at);
                yield b;
            }
            default -> {
                byte[] b = new byte[wire.length - 1];
                System.arraycopy(wire, 0, b, 0, at);
                System.arraycopy(wire, at + 1, b, at, wire.length - at - 1);
                yield b;
            }
        };
    }

    // ---- generators ----

    @Provide Arbitrary<Conversation> conversations() { return conversations(sizes()); }

    @Provide Arbitrary<Conversation> smallConversations() { return conversations(Arbitraries.integers().between(0, 150)); }

    /** Mostly small, sometimes around the 16-bit length form's edges. */
    private static Arbitrary<Integer> sizes() {
        return Arbitraries.frequencyOf(
            Tuple.of(20, Arbitraries.integers().between(0, 130)),
            Tuple.of(4, Arbitraries.integers().between(0, 3000)),
            Tuple.of(1, Arbitraries.of(65535, 65536, 70_000)));
    }

    private static Arbitrary<Conversation> conversations(Arbitrary<Integer> sizes) {
        Arbitrary<MessageType> types = Arbitraries.of(MessageType.class);
        Arbitrary<Long> seeds = Arbitraries.longs();
        Arbitrary<Step> whole = Combinators.combine(types, sizes, seeds, Arbitraries.of(true, false))
            .as((t, n, seed, s) -> new Whole(t, payload(t, n, seed), s));
        Arbitrary<Step> fragments = Combinators.combine(types, sizes, seeds, Arbitraries.integers().list().ofMaxSize(5),
                Arbitraries.integers().between(0, 5).set().ofMaxSize(3))
            .as((t, n, seed, cuts, pings) -> new Fragments(t, payload(t, n, seed), cuts, pings));
        Arbitrary<Step> control = Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 125), seeds)
            .as((ping, n, seed) -> new Control(ping, bytes(n, seed)));
        Arbitrary<List<Step>> steps = Arbitraries.frequencyOf(Tuple.of(5, whole), Tuple.of(3, fragments), Tuple.of(2, control))
            .list().ofMaxSize(8);
        Arbitrary<Integer> codes = Arbitraries.of(0, 0, 1000, 1001, 1003, 1011, 1014, 3000, 4999);
        Arbitrary<String> reasons = Arbitraries.longs().map(seed -> text(Math.floorMod(seed, 40), seed));
        return Combinators.combine(steps, codes, reasons).as((s, code, reason) -> new Conversation(s, code, code == 0 ? "" : reason));
    }

    @Provide Arbitrary<List<Mutation>> mutations() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.bytes(), Arbitraries.integers().between(0, 2))
            .as(Mutation::new).list().ofMinSize(1).ofMaxSize(3);
    }

    /** Bytes that look like the legacy framing: its type bytes, text, sentinels and lengths. */
    @Provide Arbitrary<byte[]> hixieish() {
        Arbitrary<byte[]> pieces = Arbitraries.oneOf(
            Arbitraries.of(new byte[] {0x00}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xFF, 0x00}, new byte[] {(byte) 0x80},
                new byte[] {(byte) 0x81, 0x10}, new byte[] {0x05}, new byte[] {(byte) 0xC3, (byte) 0xA9}, new byte[] {(byte) 0xED, (byte) 0xA0}),
            Arbitraries.longs().map(seed -> text(Math.floorMod(seed, 30), seed).getBytes(StandardCharsets.UTF_8)),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(4));
        return pieces.list().ofMaxSize(12).map(list -> {
            var out = new java.io.ByteArrayOutputStream();
            list.forEach(out::writeBytes);
            return out.toByteArray();
        });
    }

    /** A payload of about {@code n} bytes: valid UTF-8 for text, any bytes for binary. */
    static byte[] payload(MessageType type, int n, long seed) {
        return type == MessageType.TEXT ? text(n, seed).getBytes(StandardCharsets.UTF_8) : bytes(n, seed);
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Text of about {@code n} UTF-8 bytes, mixing one- to four-byte characters, never a lone surrogate. */
    static String text(int n, long seed) {
        var r = new SplittableRandom(seed);
        var sb = new StringBuilder();
        int bytes = 0;
        while (bytes < n) {
            int kind = r.nextInt(10);
            int cp = kind < 6 ? r.nextInt(0x20, 0x7F) : kind < 8 ? r.nextInt(0x80, 0x800)
                : kind < 9 ? r.nextInt(0xE000, 0x10000) : r.nextInt(0x10000, 0x110000);
            sb.appendCodePoint(cp);
            bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        }
        return sb.toString();
    }
}
