package dev.weft.bench.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartTest {
    @Test
    void eachGroupScalesToItsLargestBarAndAServerKeepsItsColour() {
        String svg = new Chart("t")
                .group(new Chart.Group("a", false, List.of(new Chart.Bar("weft", 200, "200"), new Chart.Bar("jdk", 100, "100"))))
                .group(new Chart.Group("b & c", true, List.of(new Chart.Bar("jdk", 5, "5"), new Chart.Bar("weft +COH", 10, "10"))))
                .render();
        assertTrue(svg.startsWith("<svg ") && svg.endsWith("</svg>\n"));
        assertTrue(svg.contains("width=\"420\" height=\"14\" fill=\"#1f77b4\""), "weft's full bar");
        assertTrue(svg.contains("width=\"210\" height=\"14\" fill=\"#ff7f0e\""), "jdk's half bar");
        assertTrue(svg.contains("b &amp; c (lower is better)"));
        assertEquals(2, svg.split("fill=\"#1f77b4\"", -1).length - 1, "weft and weft +COH share a colour");
    }
}
