package io.github.tokenprepending.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/** How the evaluation tables (STS, retrieval) print: a header row of labels, then one row of numbers per label. */
public final class TableFormat {
    private TableFormat() {
    }

    /**
     * @param rows the cells, the header row first, every row as long as the header
     * @return plain text: columns separated by two spaces, the first column left-aligned, the others right-aligned,
     *     every line ending in a newline
     */
    public static String text(List<List<String>> rows) {
        int columns = rows.get(0).size();
        int[] width = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                String cell = row.get(c);
                String pad = " ".repeat(width[c] - cell.length());
                out.append(c == 0 ? cell + pad : "  " + pad + cell);
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * @param rows the cells, the header row first
     * @return a Markdown table, the first column left-aligned, the others right-aligned, {@code |} in it escaped
     */
    public static String markdown(List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = new ArrayList<>(rows.get(r));
            row.set(0, row.get(0).replace("|", "\\|"));
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
            if (r == 0) {
                out.append("|---").append("|---:".repeat(row.size() - 1)).append("|\n");
            }
        }
        return out.toString();
    }

    /**
     * @param fraction a value in [0, 1] (or [-1, 1])
     * @return it times 100 as {@link #twoDecimals} writes it
     */
    public static String percent(double fraction) {
        return twoDecimals(fraction * 100);
    }

    /**
     * @param x a number
     * @return it with two decimals, half-even rounded on the exact value; {@code nan} for NaN, and the sign kept for
     *     negative values that round to zero
     */
    public static String twoDecimals(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        String s = new BigDecimal(x).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
        return Math.copySign(1.0, x) < 0 && !s.startsWith("-") ? "-" + s : s;
    }
}
