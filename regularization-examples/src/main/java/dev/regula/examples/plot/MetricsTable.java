package dev.regula.examples.plot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The numeric columns of a {@code metrics.csv} written by {@code regula train} (a header row, then
 * one row per epoch; {@code null} or an empty cell reads as NaN). Reading the file rather than
 * in-memory metrics lets a resumed run plot every epoch, the earlier ones included.
 */
public final class MetricsTable {
    private final Map<String, double[]> columns;

    private MetricsTable(Map<String, double[]> columns) {
        this.columns = columns;
    }

    /**
     * @param csv the metrics file
     * @return its columns
     * @throws IOException if it cannot be read or a cell is not a number
     */
    public static MetricsTable read(Path csv) throws IOException {
        return parse(Files.readAllLines(csv, StandardCharsets.UTF_8), csv.toString());
    }

    /**
     * @param text the lines of a metrics file, its header first
     * @param csv the file's name, for messages
     * @return its columns
     * @throws IOException if there is no header or a cell is not a number
     */
    public static MetricsTable parse(List<String> text, String csv) throws IOException {
        List<String> lines = text.stream().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) throw new IOException(csv + " is empty; expected a header row");
        String[] header = lines.get(0).split(",", -1);
        Map<String, double[]> columns = new LinkedHashMap<>();
        for (String h : header) columns.put(h.trim(), new double[lines.size() - 1]);
        for (int r = 1; r < lines.size(); r++) {
            String[] cells = lines.get(r).split(",", -1);
            if (cells.length != header.length) {
                throw new IOException(csv + " line " + (r + 1) + " has " + cells.length + " cells, the header " + header.length);
            }
            for (int c = 0; c < cells.length; c++) {
                String cell = cells[c].trim();
                try {
                    columns.get(header[c].trim())[r - 1] = cell.isEmpty() || cell.equals("null") ? Double.NaN : Double.parseDouble(cell);
                } catch (NumberFormatException e) {
                    throw new IOException(csv + " line " + (r + 1) + " column " + header[c] + ": '" + cell + "' is not a number", e);
                }
            }
        }
        return new MetricsTable(columns);
    }

    /** @return the number of rows (epochs) */
    public int rows() {
        return columns.isEmpty() ? 0 : columns.values().iterator().next().length;
    }

    /**
     * @param name a column of the header
     * @return its values
     * @throws IllegalArgumentException if there is no such column
     */
    public double[] column(String name) {
        double[] c = columns.get(name);
        if (c == null) throw new IllegalArgumentException("no column '" + name + "'; columns: " + columns.keySet());
        return Arrays.copyOf(c, c.length);
    }

    /**
     * @param legend the legend text
     * @param name a column
     * @return that column against the {@code epoch} column
     */
    public Series series(String legend, String name) {
        return new Series(legend, column("epoch"), column(name));
    }

    /**
     * Writes {@code curves.png}-style charts of one run: loss (train and test) and accuracy
     * (train and test) per epoch, side by side, for a cross-entropy run on a test set.
     *
     * @param png the file
     * @throws IOException if it cannot be written
     */
    public void writeCurves(Path png) throws IOException {
        writeCurves(png, "cross-entropy", "test");
    }

    /**
     * Writes {@code curves.png}-style charts of one run: loss (train and monitored) per epoch,
     * and beside it accuracy (train and monitored) where the run has one; a regression run (no
     * accuracy in any epoch) gets the loss chart alone.
     *
     * @param png the file
     * @param lossName the data loss, the loss chart's axis (e.g. cross-entropy, mse)
     * @param monitored what the {@code val_} columns were measured on (test or validation)
     * @throws IOException if it cannot be written
     */
    public void writeCurves(Path png, String lossName, String monitored) throws IOException {
        LineChart loss = LineChart.builder("loss").xLabel("epoch").yLabel(lossName).integerX()
                .series(series("train", "train_loss")).series(series(monitored, "val_loss")).build();
        if (Arrays.stream(column("val_accuracy")).allMatch(Double::isNaN)
                && Arrays.stream(column("train_accuracy")).allMatch(Double::isNaN)) {
            loss.writePng(png, 640, 420);
            return;
        }
        LineChart acc = LineChart.builder("accuracy").xLabel("epoch").yLabel("accuracy").integerX()
                .series(series("train (with regularization noise)", "train_accuracy")).series(series(monitored, "val_accuracy")).build();
        LineChart.writePngRow(png, List.of(loss, acc), 640, 420);
    }
}
