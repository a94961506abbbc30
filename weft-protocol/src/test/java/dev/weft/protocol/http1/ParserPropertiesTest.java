package dev.weft.protocol.http1;

import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.testing.Events;
import dev.weft.protocol.testing.Feed;
import dev.weft.protocol.testing.Splits;
import dev.weft.protocol.testing.Vector;
import dev.weft.protocol.testing.Vectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Properties (ARCHITECTURE.md convention 13, h11's fuzzing contract): any chunking of a valid vector gives
 * its events; any bytes give events or a PeerViolation and nothing else; and a parser that threw
 * keeps throwing that same violation.
 */
class ParserPropertiesTest {
    private static final List<Vector> VECTORS = Vectors.all();

    /** A change to a vector: replace, insert or delete one byte. */
    record Mutation(int at, byte value, int kind) {}

    @Property(tries = 2000)
    void randomChunkingsGiveTheSameEvents(@ForAll("vectors") Vector v, @ForAll @Size(max = 12) List<Integer> cuts,
                                          @ForAll Feed.Buffers buffers) {
        var events = Feed.all(v.parser(), Splits.atModulo(v.wire(), cuts), v.end(), buffers);
        assertEquals(v.events(), Events.coalesceBodies(events));
    }

    @Property(tries = 2000)
    void randomBytesGiveEventsOrPeerViolation(@ForAll @Size(max = 300) byte[] bytes, @ForAll Role role,
                                              @ForAll boolean end, @ForAll @Size(max = 4) List<Integer> cuts) {
        runExpectingOnlyPeerViolations(parser(role), bytes, end, cuts);
    }

    @Property(tries = 3000)
    void httpLookingBytesGiveEventsOrPeerViolation(@ForAll("httpish") byte[] bytes, @ForAll Role role,
                                                   @ForAll boolean end, @ForAll @Size(max = 4) List<Integer> cuts) {
        runExpectingOnlyPeerViolations(parser(role), bytes, end, cuts);
    }

    @Property(tries = 3000)
    void mutatedVectorsGiveEventsOrPeerViolation(@ForAll("vectors") Vector v, @ForAll("mutations") List<Mutation> mutations,
                                                 @ForAll boolean end, @ForAll @Size(max = 4) List<Integer> cuts) {
        byte[] wire = v.wire();
        for (Mutation m : mutations) wire = mutate(wire, m);
        runExpectingOnlyPeerViolations(v.parser(), wire, end, cuts);
    }

    @Property(tries = 1500)
    void wholeAndByteByByteAgreeOnMutatedVectors(@ForAll("vectors") Vector v, @ForAll("mutations") List<Mutation> mutations,
                                                 @ForAll boolean end) {
        byte[] wire = v.wire();
        for (Mutation m : mutations) wire = mutate(wire, m);
        // whole, the fast path takes every clean field line; byte by byte, every line goes the careful way
        assertEquals(outcome(v.parser(), List.of(wire), end), outcome(v.parser(), Splits.byteByByte(wire), end));
    }

    /** The coalesced events, or the violation that ended the run. */
    private static Object outcome(Http1Parser parser, List<byte[]> chunks, boolean end) {
        try {
            return Events.coalesceBodies(Feed.run(parser, chunks, end, Feed.Buffers.HEAP).events());
        } catch (PeerViolation e) {
            return e.violation();
        }
    }

    private static Http1Parser parser(Role role) {
        var parser = new Http1Parser(role, Http1Limits.DEFAULTS);
        if (role == Role.CLIENT) {
            parser.requestSent(dev.weft.protocol.http.Method.GET);
            parser.requestSent(dev.weft.protocol.http.Method.HEAD);
            parser.requestSent(dev.weft.protocol.http.Method.CONNECT);
        }
        return parser;
    }

    /** Any outcome but an exception other than PeerViolation; after one, the parser repeats it. */
    private static void runExpectingOnlyPeerViolations(Http1Parser parser, byte[] wire, boolean end, List<Integer> cuts) {
        try {
            Feed.run(parser, Splits.atModulo(wire, cuts), end, Feed.Buffers.HEAP);
        } catch (PeerViolation first) {
            assertSame(first, assertThrows(PeerViolation.class, parser::next));
            assertSame(first, assertThrows(PeerViolation.class, parser::next));
        }
    }

    private static byte[] mutate(byte[] wire, Mutation m) {
        if (wire.length == 0) return new byte[] {m.value()};
        int at = Math.floorMod(m.at(), wire.length);
        var out = new ByteArrayOutputStream(wire.length + 1);
        out.write(wire, 0, at);
        switch (m.kind()) {
            case 0 -> { out.write(m.value()); out.write(wire, at + 1, wire.length - at - 1); }
            case 1 -> { out.write(m.value()); out.write(wire, at, wire.length - at); }
            default -> out.write(wire, at + 1, wire.length - at - 1);
        }
        return out.toByteArray();
    }

    @Provide
    Arbitrary<Vector> vectors() { return Arbitraries.of(VECTORS); }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Byte> interesting = Arbitraries.of((byte) '\r', (byte) '\n', (byte) ' ', (byte) '\t', (byte) ':',
            (byte) ';', (byte) ',', (byte) '0', (byte) 'f', (byte) 0, (byte) 0x7F, (byte) 0xFF);
        Arbitrary<Byte> value = Arbitraries.oneOf(interesting, Arbitraries.bytes());
        return Combinators.combine(Arbitraries.integers(), value, Arbitraries.integers().between(0, 2))
            .as(Mutation::new).list().ofMinSize(1).ofMaxSize(4);
    }

    /** Concatenations of the pieces HTTP/1.1 is made of, so the parser gets past its first checks. */
    @Provide
    Arbitrary<byte[]> httpish() {
        Arbitrary<String> pieces = Arbitraries.of("GET", "POST", "HEAD", "CONNECT", "OPTIONS", " ", "/", "*", "/a?b",
            "http://h/", "h:443", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "\r\n", "\r\n\r\n", "\r", "\n", ":", ": ",
            "Host", "Content-Length", "Transfer-Encoding", "Connection", "Upgrade", "Expect", "chunked", "close",
            "keep-alive", "upgrade", "100-continue", "0", "5", "ffffffff", ";", "=", "\t", ",", "x", "200", "101",
            "204", "100", "OK", "\u0000", "\u00ff", "\u007f");
        return pieces.list().ofMaxSize(80).map(list -> Vectors.bytes(String.join("", list)));
    }
}
