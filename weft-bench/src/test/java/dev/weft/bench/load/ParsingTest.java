package dev.weft.bench.load;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The small readers the scenarios rely on: jcmd's histogram, /proc status, response heads, medians. */
class ParsingTest {
    private static final String HISTOGRAM = """
            9292:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:         22831        1583216  [B (java.base@25.0.3)
               2:          3833         615592  [Ljava.lang.Object; (java.base@25.0.3)
               3:         21967         527208  java.lang.String (java.base@25.0.3)
            Total        101400        5464720
            """;

    @Test
    void histogramTotalAndClasses() {
        var h = Histogram.parse(HISTOGRAM);
        assertEquals(101_400, h.totalInstances());
        assertEquals(5_464_720, h.totalBytes());
        assertEquals(3, h.classes().size());
        assertEquals(new Histogram.Entry(3833, 615592, "[Ljava.lang.Object; (java.base@25.0.3)"), h.classes().get(1));
    }

    @Test
    void histogramGrowthIsAfterMinusBeforeLargestFirst() {
        var before = Histogram.parse(HISTOGRAM);
        var after = Histogram.parse(HISTOGRAM
                .replace("22831        1583216", "24831        1683216")
                .replace("Total        101400", "   4:   1000   200000  dev.weft.net.Connection\nTotal        101400"));
        var grown = after.growthSince(before, 5);
        assertEquals(2, grown.size());
        assertEquals(new Histogram.Entry(1000, 200000, "dev.weft.net.Connection"), grown.get(0));
        assertEquals(new Histogram.Entry(2000, 100000, "[B (java.base@25.0.3)"), grown.get(1));
    }

    @Test
    void rssComesFromVmRssInKilobytes() {
        String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmRSS:\t  74136 kB\nRssAnon:\t 50000 kB\n";
        assertEquals(74136L * 1024, IdleScenario.parseRss(status));
        assertThrows(IllegalArgumentException.class, () -> IdleScenario.parseRss("Name:\tjava\n"));
    }

    @Test
    void responseHeadNeedsTheBlankLine() {
        byte[] partial = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n".getBytes(StandardCharsets.US_ASCII);
        assertNull(HttpProbe.parseHead(partial, partial.length));
        byte[] whole = "HTTP/1.1 200 OK\r\ncontent-length: 13\r\n\r\nHello".getBytes(StandardCharsets.US_ASCII);
        assertEquals(new HttpProbe.Head(200, 13, whole.length - 5), HttpProbe.parseHead(whole, whole.length));
    }

    @Test
    void medianAndSpread() {
        assertEquals(2, LoadScenario.median(new double[] {3, 1, 2}));
        assertEquals(2.5, LoadScenario.median(new double[] {4, 1}));
        assertEquals("20.0%", LoadScenario.spread(new double[] {90, 110, 100}));
    }
}
