package dev.weft.protocol.http1;

import dev.weft.protocol.testing.Events;
import dev.weft.protocol.testing.Feed;
import dev.weft.protocol.testing.Splits;
import dev.weft.protocol.testing.Vector;
import dev.weft.protocol.testing.Vectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every standard vector, requests and responses, whole, byte by byte and at every two-way split,
 * from heap slices and from direct buffers: one set of events (ARCHITECTURE.md convention 13; h11's tr()).
 */
class ParserVectorTest {
    /** What a peer might send after a final message: a new request, then junk no parser accepts. */
    private static final byte[] TRAILING = Vectors.bytes("GET /next HTTP/1.1\r\nHost: x\r\n\r\n\u0000\u0001junk\r\n");

    static List<Vector> vectors() { return Vectors.all(); }

    static List<Vector> finalVectors() { return Vectors.all().stream().filter(Vector::isFinal).toList(); }

    @ParameterizedTest @MethodSource("vectors")
    void sameEventsAcrossEverySplit(Vector v) {
        for (Feed.Buffers buffers : Feed.Buffers.values()) {
            for (List<byte[]> chunks : Splits.all(v.wire())) {
                var events = Feed.all(v.parser(), chunks, v.end(), buffers);
                assertEquals(v.events(), Events.coalesceBodies(events), () -> v + " " + buffers + " in " + chunks.size() + " chunks");
            }
        }
    }

    @ParameterizedTest @MethodSource("finalVectors")
    void bytesAfterTheFinalMessageStayUnconsumed(Vector v) {
        var wire = new ByteArrayOutputStream();
        wire.writeBytes(v.wire());
        wire.writeBytes(TRAILING);
        for (Feed.Buffers buffers : Feed.Buffers.values()) {
            for (List<byte[]> chunks : Splits.all(wire.toByteArray())) {
                var result = Feed.run(v.parser(), chunks, false, buffers);
                assertEquals(v.events(), Events.coalesceBodies(result.events()), () -> v + " " + buffers);
                assertArrayEquals(TRAILING, result.unconsumed(), () -> v + " " + buffers + " in " + chunks.size() + " chunks");
            }
        }
    }
}
