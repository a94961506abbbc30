package dev.weft.bench.parse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParseReportTest {
    @Test
    void convertsOperationsToRequestsAndBytes() {
        var s = new ParseReport.Score("weft", Requests.MINIMAL, 16, "DIRECT", 1000, 10);
        assertEquals(16_000, s.requestsPerSecond());
        assertEquals(16_000.0 * 27 / 1e6, s.megabytesPerSecond(), 1e-9);
    }

    @Test
    void ratioIsTakenAgainstNettyOnTheSameInputAndPipelining() {
        var rows = ParseReport.table(List.of(
                new ParseReport.Score("netty", Requests.BROWSER, 1, "DIRECT", 100, 1),
                new ParseReport.Score("weft", Requests.BROWSER, 1, "DIRECT", 250, 1),
                new ParseReport.Score("netty", Requests.BROWSER, 16, "DIRECT", 10, 1),
                new ParseReport.Score("weft", Requests.BROWSER, 16, "DIRECT", 30, 1))).render().lines().toList();
        assertEquals(6, rows.size());
        assertTrue(rows.get(2).startsWith("| weft ") && rows.get(2).endsWith(" 2.50x |"), rows.get(2));
        assertTrue(rows.get(3).startsWith("| netty") && rows.get(3).endsWith(" 1.00x |"), rows.get(3));
        assertTrue(rows.get(4).contains(" 480 ") && rows.get(4).endsWith(" 3.00x |"), rows.get(4));
    }

    @Test
    void pipelinedInputIsTheRequestRepeated() {
        byte[] one = Requests.MINIMAL.one();
        byte[] three = Requests.MINIMAL.pipelined(3);
        assertEquals(3 * one.length, three.length);
        assertEquals(new String(one) + new String(one) + new String(one), new String(three));
    }
}
