package dev.weft.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A Markdown table whose columns are padded to line up in a terminal as well as render on a
 * page. A column whose cells all start like a figure (a digit, sign or ±) is right-aligned, any
 * other column left-aligned.
 */
public final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = List.of(header);
    }

    public Table row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, header " + header.size());
        }
        rows.add(List.of(cells));
        return this;
    }

    public int size() {
        return rows.size();
    }

    public String render() {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = Math.max(3, header.get(c).length());
            for (var row : rows) widths[c] = Math.max(widths[c], row.get(c).length());
        }
        boolean[] right = new boolean[header.size()];
        for (int c = 0; c < right.length; c++) {
            final int column = c;
            right[c] = !rows.isEmpty() && rows.stream().allMatch(row -> isFigure(row.get(column)));
        }
        var out = new StringBuilder();
        line(out, header, widths, right);
        out.append('|');
        for (int c = 0; c < widths.length; c++) {
            out.append(right[c] ? " " : " :").append("-".repeat(widths[c] - 1)).append(right[c] ? ": |" : " |");
        }
        out.append('\n');
        for (var row : rows) line(out, row, widths, right);
        return out.toString();
    }

    private static boolean isFigure(String cell) {
        if (cell.isEmpty()) return false;
        char first = cell.charAt(0);
        return (first >= '0' && first <= '9') || first == '-' || first == '+' || first == '±' || cell.equals("n/a");
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths, boolean[] right) {
        out.append('|');
        for (int c = 0; c < widths.length; c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            out.append(' ').append(right[c] ? pad + cell : cell + pad).append(" |");
        }
        out.append('\n');
    }
}
