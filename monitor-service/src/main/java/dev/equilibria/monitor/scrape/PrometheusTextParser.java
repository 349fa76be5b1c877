package dev.equilibria.monitor.scrape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the Prometheus text exposition format (version 0.0.4, which Micrometer's {@code /actuator/prometheus}
 * writes): {@code # HELP} and {@code # TYPE} lines, other comments, blank lines, samples with optional labels
 * ({@code \\}, {@code \"} and {@code \n} escaped in values), values including {@code NaN}, {@code +Inf} and
 * {@code -Inf}, and an optional millisecond timestamp. Histograms and summaries come out as their
 * {@code _bucket}/{@code _sum}/{@code _count} samples. Stateless and thread-safe.
 *
 * <p>A malformed line is an error naming its line number: a half-read scrape is worse than none.
 */
public final class PrometheusTextParser {

    public Exposition parse(String text) {
        Map<String, String> types = new HashMap<>();
        Map<String, String> help = new HashMap<>();
        List<MetricSample> samples = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            try {
                if (trimmed.startsWith("#")) {
                    comment(trimmed, types, help);
                } else {
                    samples.add(sample(trimmed));
                }
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new PrometheusFormatException("line " + (i + 1) + ": " + e.getMessage() + ": "
                        + abbreviate(line));
            }
        }
        return new Exposition(types, help, samples);
    }

    private static void comment(String line, Map<String, String> types, Map<String, String> help) {
        String body = line.substring(1).stripLeading();
        if (body.startsWith("HELP ") || body.startsWith("TYPE ")) {
            String rest = body.substring(5).stripLeading();
            int space = rest.indexOf(' ');
            String name = space < 0 ? rest : rest.substring(0, space);
            String value = space < 0 ? "" : rest.substring(space + 1);
            if (body.startsWith("HELP ")) {
                help.put(name, unescapeHelp(value));
            } else {
                types.put(name, value.strip().toLowerCase(Locale.ROOT));
            }
        }
        // any other comment is ignored
    }

    private static MetricSample sample(String line) {
        int pos = 0;
        int n = line.length();
        while (pos < n && isNameChar(line.charAt(pos), pos == 0)) {
            pos++;
        }
        if (pos == 0) {
            throw new IllegalArgumentException("expected a metric name");
        }
        String name = line.substring(0, pos);
        Map<String, String> labels = new LinkedHashMap<>();
        pos = skipSpaces(line, pos);
        if (pos < n && line.charAt(pos) == '{') {
            pos = labels(line, pos + 1, labels);
        }
        pos = skipSpaces(line, pos);
        int end = pos;
        while (end < n && line.charAt(end) != ' ' && line.charAt(end) != '\t') {
            end++;
        }
        if (end == pos) {
            throw new IllegalArgumentException("sample " + name + " has no value");
        }
        double value = value(line.substring(pos, end));
        pos = skipSpaces(line, end);
        Long timestamp = null;
        if (pos < n) {
            try {
                timestamp = Long.parseLong(line.substring(pos).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad timestamp '" + line.substring(pos).strip() + "'");
            }
        }
        return new MetricSample(name, labels, value, timestamp);
    }

    /** Reads {@code name="value", ...}} from just after the brace; returns the position after the closing brace. */
    private static int labels(String line, int pos, Map<String, String> labels) {
        int n = line.length();
        while (true) {
            pos = skipSpaces(line, pos);
            if (pos >= n) {
                throw new IllegalArgumentException("unterminated label set");
            }
            if (line.charAt(pos) == '}') {
                return pos + 1;
            }
            int start = pos;
            while (pos < n && isNameChar(line.charAt(pos), pos == start)) {
                pos++;
            }
            if (pos == start) {
                throw new IllegalArgumentException("expected a label name at column " + (pos + 1));
            }
            String labelName = line.substring(start, pos);
            pos = skipSpaces(line, pos);
            if (pos >= n || line.charAt(pos) != '=') {
                throw new IllegalArgumentException("expected '=' after label " + labelName);
            }
            pos = skipSpaces(line, pos + 1);
            if (pos >= n || line.charAt(pos) != '"') {
                throw new IllegalArgumentException("expected a quoted value for label " + labelName);
            }
            StringBuilder value = new StringBuilder();
            pos++;
            boolean closed = false;
            while (pos < n) {
                char c = line.charAt(pos++);
                if (c == '\\' && pos < n) {
                    char e = line.charAt(pos++);
                    value.append(switch (e) {
                        case 'n' -> '\n';
                        case '\\' -> '\\';
                        case '"' -> '"';
                        default -> throw new IllegalArgumentException("bad escape \\" + e + " in label " + labelName);
                    });
                } else if (c == '"') {
                    closed = true;
                    break;
                } else {
                    value.append(c);
                }
            }
            if (!closed) {
                throw new IllegalArgumentException("unterminated value of label " + labelName);
            }
            labels.put(labelName, value.toString());
            pos = skipSpaces(line, pos);
            if (pos < n && line.charAt(pos) == ',') {
                pos++;
            } else if (pos >= n || line.charAt(pos) != '}') {
                throw new IllegalArgumentException("expected ',' or '}' after label " + labelName);
            }
        }
    }

    static double value(String text) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad value '" + text + "'");
                }
        }
    }

    private static boolean isNameChar(char c, boolean first) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
                || (!first && c >= '0' && c <= '9');
    }

    private static int skipSpaces(String line, int pos) {
        while (pos < line.length() && (line.charAt(pos) == ' ' || line.charAt(pos) == '\t')) {
            pos++;
        }
        return pos;
    }

    private static String unescapeHelp(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char e = text.charAt(++i);
                out.append(e == 'n' ? '\n' : e);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String abbreviate(String line) {
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }
}
