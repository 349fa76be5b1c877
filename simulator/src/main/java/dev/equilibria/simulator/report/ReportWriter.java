package dev.equilibria.simulator.report;

import dev.equilibria.protocol.event.EventCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Writes an experiment's results: CSV and JSON of every run, a Markdown summary, PNG charts. */
public final class ReportWriter {

    private final Path directory;

    /** The folder is created with the first file, so a run rejected for a bad option leaves nothing behind. */
    public ReportWriter(Path directory) {
        this.directory = directory;
    }

    private void ensureDirectory() {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }

    public Path directory() {
        return directory;
    }

    public void table(String name, Table table) {
        write(name + ".csv", table.toCsv());
        write(name + ".json", EventCodec.encode(table.rows()));
    }

    /** The command line that produced these reports, so that a committed result can be reproduced. */
    public void command(String commandLine) {
        write("command.txt", commandLine + "\n");
    }

    public void markdown(String name, String text) {
        write(name + ".md", text);
    }

    /** A line chart of {@code series} (name to x/y points). */
    public void chart(String name, String title, String xLabel, String yLabel, Map<String, double[][]> series,
                      boolean logY) {
        XYChart chart = new XYChartBuilder().width(900).height(540).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendVisible(series.size() > 1);
        series.forEach((label, points) -> {
            if (points[0].length > 0) {
                chart.addSeries(label, points[0], points[1]).setMarker(SeriesMarkers.CIRCLE);
            }
        });
        save(chart, name);
    }

    /** A bar chart of one value per label. */
    public void bars(String name, String title, String yLabel, Map<String, Double> values) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(540).title(title).yAxisTitle(yLabel)
                .build();
        chart.getStyler().setLegendVisible(false);
        chart.addSeries(yLabel, List.copyOf(values.keySet()), List.copyOf(values.values()));
        save(chart, name);
    }

    private void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, String name) {
        ensureDirectory();
        try {
            BitmapEncoder.saveBitmap(chart, directory.resolve(name + ".png").toString(),
                    BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + name, e);
        }
    }

    private void write(String file, String content) {
        ensureDirectory();
        try {
            Files.writeString(directory.resolve(file), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The x and y columns of a series, NaN points dropped (log axes cannot show them). */
    public static double[][] points(List<Double> xs, List<Double> ys) {
        int n = 0;
        double[][] out = new double[2][xs.size()];
        for (int i = 0; i < xs.size(); i++) {
            if (Double.isFinite(ys.get(i)) && ys.get(i) > 0) {
                out[0][n] = xs.get(i);
                out[1][n] = ys.get(i);
                n++;
            }
        }
        return new double[][] {java.util.Arrays.copyOf(out[0], n), java.util.Arrays.copyOf(out[1], n)};
    }
}
