package dev.regula.examples.plot;

import dev.regula.core.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A line chart of named series (drawn with JFreeChart), written as PNG: learning curves, loss
 * curves, GAN losses. Renders without a display ({@code -Djava.awt.headless=true} or no
 * {@code DISPLAY}). Immutable; build one with {@link #builder(String)}.
 *
 * <pre>{@code
 * LineChart.builder("test accuracy").xLabel("epoch").yLabel("accuracy")
 *         .series(Series.ofEpochs("l2", acc)).build().writePng(dir.resolve("acc.png"), 800, 500);
 * }</pre>
 */
public final class LineChart {
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    static {
        // JFreeChart draws rotated text (the y-axis label) through a TextLayout by default, a
        // work-around for rotation bugs of old JDKs; on JDK 25 a TextLayout shapes its text with
        // HarfBuzz through the foreign-function API, whose first use generates classes for
        // ~0.2 s at the end of every run. Rotated drawString renders the same label without it.
        org.jfree.chart.text.TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean integerX;
    private final List<Series> series;

    private LineChart(Builder b) {
        this.title = b.title;
        this.xLabel = b.xLabel;
        this.yLabel = b.yLabel;
        this.integerX = b.integerX;
        this.series = List.copyOf(b.series);
    }

    /**
     * @param title the chart title
     * @return a builder
     */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** @return the series, in legend order */
    public List<Series> series() {
        return series;
    }

    /**
     * Draws the chart.
     *
     * @param width pixels, at least 100
     * @param height pixels, at least 100
     * @return the image (RGB)
     */
    public BufferedImage render(int width, int height) {
        if (width < 100 || height < 100) throw new IllegalArgumentException("a chart needs at least 100x100 pixels, got " + width + "x" + height);
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : series) {
            XYSeries xy = new XYSeries(uniqueKey(data, s.name()), false, true);
            double[] x = s.x();
            double[] y = s.y();
            for (int i = 0; i < x.length; i++) xy.add(x[i], Double.isFinite(y[i]) ? y[i] : Double.NaN);
            data.addSeries(xy);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        if (integerX) plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        return chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null);
    }

    private static String uniqueKey(XYSeriesCollection data, String name) {
        String key = name;
        for (int n = 2; data.getSeriesIndex(key) >= 0; n++) key = name + " (" + n + ")";
        return key;
    }

    /**
     * Writes the chart as a PNG file, atomically (temporary file, then rename).
     *
     * @param file the PNG file
     * @param width pixels
     * @param height pixels
     * @throws IOException if the file cannot be written
     */
    public void writePng(Path file, int width, int height) throws IOException {
        write(file, render(width, height));
    }

    /**
     * Writes several charts side by side in one PNG, each {@code width}×{@code height}.
     *
     * @param file the PNG file
     * @param charts the charts, left to right
     * @param width pixels of each chart
     * @param height pixels
     * @throws IOException if the file cannot be written
     */
    public static void writePngRow(Path file, List<LineChart> charts, int width, int height) throws IOException {
        if (charts.isEmpty()) throw new IllegalArgumentException("no charts to write to " + file);
        BufferedImage row = new BufferedImage(width * charts.size(), height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = row.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            for (int i = 0; i < charts.size(); i++) g.drawImage(charts.get(i).render(width, height), i * width, 0, null);
        } finally {
            g.dispose();
        }
        write(file, row);
    }

    private static void write(Path file, BufferedImage image) throws IOException {
        try {
            AtomicFiles.write(file, out -> {
                if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer in this JVM (javax.imageio)");
            });
        } catch (javax.imageio.IIOException e) {
            // ImageIO says only "I/O error writing PNG file!"; the file and the cause (a full disk) are what a user needs
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException("cannot write " + file + ": " + cause.getMessage(), e);
        }
    }

    /** Builds a {@link LineChart}. */
    public static final class Builder {
        private final String title;
        private String xLabel = "x";
        private String yLabel = "y";
        private boolean integerX;
        private final List<Series> series = new ArrayList<>();

        private Builder(String title) {
            this.title = title;
        }

        /**
         * @param label the x-axis label
         * @return this
         */
        public Builder xLabel(String label) {
            this.xLabel = label;
            return this;
        }

        /**
         * @param label the y-axis label
         * @return this
         */
        public Builder yLabel(String label) {
            this.yLabel = label;
            return this;
        }

        /**
         * Ticks at whole numbers only (epochs, iterations).
         *
         * @return this
         */
        public Builder integerX() {
            this.integerX = true;
            return this;
        }

        /**
         * @param s a series (names need not be unique: repeats get a suffix)
         * @return this
         */
        public Builder series(Series s) {
            series.add(s);
            return this;
        }

        /** @return the chart */
        public LineChart build() {
            return new LineChart(this);
        }
    }
}
