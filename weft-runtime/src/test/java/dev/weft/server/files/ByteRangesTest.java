package dev.weft.server.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 9110 §14 on a 10,000-byte representation, plus the amplification bounds. */
class ByteRangesTest {
    private static String plan(String header) { return describe(ByteRanges.plan(header, 10_000)); }

    static String describe(ByteRanges.Plan plan) {
        return switch (plan) {
            case ByteRanges.Plan.Whole _ -> "whole";
            case ByteRanges.Plan.Unsatisfiable _ -> "416";
            case ByteRanges.Plan.Parts(var ranges) -> String.join(",", ranges.stream().map(r -> r.first() + "-" + r.last()).toList());
        };
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "bytes=0-499                 | 0-499",
            "bytes=500-999               | 500-999",
            "bytes=-500                  | 9500-9999",
            "bytes=9500-                 | 9500-9999",
            "bytes=0-0,-1                | 0-0,9999-9999",
            "bytes= 0-499 , 1000-1499    | 0-499,1000-1499",
            "BYTES=0-1                   | 0-1",
            "bytes=9000-20000            | 9000-9999",
            "bytes=-20000                | 0-9999",
            "bytes=0-499,200-999         | 0-999",
            "bytes=0-499,500-999         | 0-999",
            "bytes=500-999,0-499,1000-   | 0-9999",
            "bytes=10000-                | 416",
            "bytes=20000-30000           | 416",
            "bytes=-0                    | 416",
            "bytes=500-100               | whole",
            "bytes=abc                   | whole",
            "bytes=1-2-3                 | whole",
            "items=0-5                   | whole",
            "bytes=                      | whole",
            "bytes=99999999999999999999- | whole",
    })
    void rangeHeaders(String header, String expected) { assertEquals(expected, plan(header)); }

    @Test void noHeaderIsTheWholeRepresentation() { assertEquals("whole", plan(null)); }

    @Test void thousandsOfTinyRangesAreAnsweredWithTheContentOnce() {
        var many = new StringBuilder("bytes=");
        for (int i = 0; i < 40; i++) many.append(i * 100).append('-').append(i * 100 + 1).append(',');
        assertEquals("whole", plan(many.toString()));
    }

    @Test void theSameRangeAskedManyTimesIsSentOnce() {
        assertEquals("0-99", plan("bytes=" + "0-99,".repeat(50)));
    }

    @Test void anEmptyRepresentationSatisfiesNoRange() { assertEquals("416", describe(ByteRanges.plan("bytes=0-", 0))); }
}
