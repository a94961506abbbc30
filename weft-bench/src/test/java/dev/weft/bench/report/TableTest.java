package dev.weft.bench.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TableTest {
    @Test
    void padsColumnsAndAlignsFiguresRight() {
        var table = new Table("server", "requests/s").row("weft", "1,234").row("netty-epoll", "98");
        assertEquals("""
                | server      | requests/s |
                | :---------- | ---------: |
                | weft        |      1,234 |
                | netty-epoll |         98 |
                """, table.render());
    }

    @Test
    void aColumnWithAnyWordIsLeftAligned() {
        var table = new Table("a", "b").row("x", "12").row("y", "failed");
        assertEquals("""
                | a   | b      |
                | :-- | :----- |
                | x   | 12     |
                | y   | failed |
                """, table.render());
    }

    @Test
    void rejectsARowOfTheWrongWidth() {
        assertThrows(IllegalArgumentException.class, () -> new Table("a", "b").row("only one"));
    }

    @Test
    void figuresUseBinaryUnitsForBytesAndMillisecondsPastAThousandMicros() {
        assertEquals("812 B", Figures.bytes(812));
        assertEquals("3.5 KiB", Figures.bytes(3584));
        assertEquals("850 µs", Figures.micros(850));
        assertEquals("12.34 ms", Figures.micros(12_340));
        assertEquals("1.46 s", Figures.micros(1_460_000));
        assertEquals("±2.5%", Figures.spread(2.5, 100));
        assertEquals("2.14x", Figures.ratio(2.138));
    }
}
