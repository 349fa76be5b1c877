package dev.equilibria.simulator.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Rows of named values, written as CSV, Markdown or JSON-ready maps; column order is insertion order. */
public final class Table {

    private final List<Map<String, Object>> rows = new ArrayList<>();

    public Row row() {
        Map<String, Object> values = new LinkedHashMap<>();
        rows.add(values);
        return new Row(values);
    }

    public List<Map<String, Object>> rows() {
        return rows;
    }

    public List<String> columns() {
        List<String> columns = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            for (String key : row.keySet()) {
                if (!columns.contains(key)) {
                    columns.add(key);
                }
            }
        }
        return columns;
    }

    public String toCsv() {
        List<String> columns = columns();
        StringBuilder out = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Object> row : rows) {
            List<String> cells = new ArrayList<>();
            for (String column : columns) {
                cells.add(csvCell(format(row.get(column))));
            }
            out.append(String.join(",", cells)).append('\n');
        }
        return out.toString();
    }

    public String toMarkdown() {
        List<String> columns = columns();
        StringBuilder out = new StringBuilder("| ").append(String.join(" | ", columns)).append(" |\n|");
        columns.forEach(c -> out.append("---|"));
        out.append('\n');
        for (Map<String, Object> row : rows) {
            out.append("| ");
            for (String column : columns) {
                out.append(format(row.get(column))).append(" | ");
            }
            out.setLength(out.length() - 1);
            out.append('\n');
        }
        return out.toString();
    }

    static String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            if (d.isNaN()) {
                return "n/a";
            }
            double abs = Math.abs(d);
            if (abs != 0 && (abs < 0.001 || abs >= 1e6)) {
                return String.format(Locale.ROOT, "%.3e", d);
            }
            return String.format(Locale.ROOT, abs < 10 ? "%.4f" : "%.2f", d);
        }
        return value.toString();
    }

    private static String csvCell(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    /** One row being filled. */
    public static final class Row {
        private final Map<String, Object> values;

        Row(Map<String, Object> values) {
            this.values = values;
        }

        public Row put(String column, Object value) {
            values.put(column, value);
            return this;
        }
    }
}
