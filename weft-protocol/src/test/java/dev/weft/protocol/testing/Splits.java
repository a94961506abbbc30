package dev.weft.protocol.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ways to cut a byte string into the reads a peer might deliver (ARCHITECTURE.md convention 13): a parser must
 * give the same events however its input is split.
 */
public final class Splits {
    private Splits() {}

    /** Whole, byte by byte, then every two-way split. */
    public static List<List<byte[]>> all(byte[] wire) {
        var out = new ArrayList<List<byte[]>>(wire.length + 1);
        out.add(List.of(wire));
        out.add(byteByByte(wire));
        for (int cut = 1; cut < wire.length; cut++) out.add(at(wire, cut));
        return out;
    }

    /** One chunk per byte. */
    public static List<byte[]> byteByByte(byte[] wire) {
        var out = new ArrayList<byte[]>(wire.length);
        for (byte b : wire) out.add(new byte[] {b});
        return out;
    }

    /** Cut before each of {@code cuts} (any order; out-of-range and repeated cuts are ignored). */
    public static List<byte[]> at(byte[] wire, int... cuts) {
        int[] sorted = Arrays.stream(cuts).filter(c -> c > 0 && c < wire.length).sorted().distinct().toArray();
        var out = new ArrayList<byte[]>(sorted.length + 1);
        int from = 0;
        for (int cut : sorted) {
            out.add(Arrays.copyOfRange(wire, from, cut));
            from = cut;
        }
        out.add(Arrays.copyOfRange(wire, from, wire.length));
        return out;
    }

    /** Cut before each of {@code cuts}, taken modulo the length (for generated cut points). */
    public static List<byte[]> atModulo(byte[] wire, List<Integer> cuts) {
        if (wire.length < 2) return List.of(wire);
        return at(wire, cuts.stream().mapToInt(c -> 1 + Math.floorMod(c, wire.length - 1)).toArray());
    }
}
