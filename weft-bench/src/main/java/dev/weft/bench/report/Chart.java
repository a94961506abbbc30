package dev.weft.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart as a self-contained SVG: one group per scenario, one bar per server,
 * each group scaled to its own largest value (scenarios differ by orders of magnitude), with the
 * figure written beside every bar so the picture never has to be read off an axis.
 */
public final class Chart {
    /** One bar. */
    public record Bar(String label, double value, String text) {}

    /** One scenario's bars; {@code lowerIsBetter} only changes the subtitle. */
    public record Group(String title, boolean lowerIsBetter, List<Bar> bars) {}

    private static final int WIDTH = 760, LABEL = 200, BAR_MAX = 420, ROW = 20, GAP = 14, TITLE = 22;
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"};

    private final String title;
    private final List<Group> groups = new ArrayList<>();
    private final java.util.Map<String, String> colours = new java.util.HashMap<>();   // a server keeps its colour

    public Chart(String title) {
        this.title = title;
    }

    public Chart group(Group g) {
        if (!g.bars().isEmpty()) groups.add(g);
        return this;
    }

    public String render() {
        int height = 40 + groups.stream().mapToInt(g -> TITLE + g.bars().size() * ROW + GAP).sum();
        var svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", escape(title)));
        int y = 40;
        for (var g : groups) y = group(svg, g, y);
        return svg.append("</svg>\n").toString();
    }

    private String colour(String label) {
        String server = label.split(" ")[0];
        return colours.computeIfAbsent(server, _ -> COLOURS[colours.size() % COLOURS.length]);
    }

    private int group(StringBuilder svg, Group g, int y) {
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s%s</text>%n", y + 14,
                escape(g.title()), g.lowerIsBetter() ? " (lower is better)" : ""));
        y += TITLE;
        double max = g.bars().stream().mapToDouble(Bar::value).filter(v -> !Double.isNaN(v)).max().orElse(1);
        for (int i = 0; i < g.bars().size(); i++) {
            var bar = g.bars().get(i);
            double v = Double.isNaN(bar.value()) ? 0 : Math.max(0, bar.value());
            int w = max > 0 ? (int) Math.round(BAR_MAX * v / max) : 0;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LABEL - 8, y + 14, escape(bar.label())));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
                    LABEL, y + 3, w, ROW - 6, colour(bar.label())));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LABEL + w + 6, y + 14,
                    escape(bar.text())));
            y += ROW;
        }
        return y + GAP;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
