package dev.regula.examples.compress;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A PNG of weight histograms side by side, one panel per stage, each with the mixture it was
 * seen under: counts on a log scale (grey bars), the mixture density scaled to the same counts
 * (blue curve) and the component means (red lines; the zero component thicker).
 */
public final class WeightHistogram {
    private static final int BINS = 200;

    /**
     * One panel.
     *
     * @param title its title
     * @param weights the weights
     * @param mixture the mixture to draw over them, or null
     */
    public record Panel(String title, float[] weights, MixtureQuantizer mixture) {
    }

    private WeightHistogram() {
    }

    /**
     * Writes the panels side by side over a common range, atomically (temp file, then rename).
     *
     * @param file the PNG
     * @param panels the panels, at least one
     * @throws IOException if writing fails
     */
    public static void write(Path file, List<Panel> panels) throws IOException {
        if (panels.isEmpty()) throw new IllegalArgumentException("at least one panel");
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Panel p : panels) {
            for (float w : p.weights()) {
                lo = Math.min(lo, w);
                hi = Math.max(hi, w);
            }
        }
        double span = Math.max(hi - lo, 1e-6);
        lo -= 0.02 * span;
        hi += 0.02 * span;
        int pw = 620;
        int ph = 420;
        BufferedImage img = new BufferedImage(pw * panels.size(), ph, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < panels.size(); i++) draw(g, panels.get(i), i * pw, pw, ph, lo, hi);
        g.dispose();
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".histogram", ".png.tmp");
        try {
            ImageIO.write(img, "png", tmp.toFile());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void draw(Graphics2D g, Panel p, int x0, int w, int h, double lo, double hi) {
        int left = x0 + 60;
        int right = x0 + w - 15;
        int top = 35;
        int bottom = h - 45;
        long[] counts = new long[BINS];
        double binWidth = (hi - lo) / BINS;
        for (float v : p.weights()) counts[Math.min(BINS - 1, Math.max(0, (int) ((v - lo) / binWidth)))]++;
        long max = 1;
        for (long c : counts) max = Math.max(max, c);
        double logMax = Math.log10(max) + 0.2;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(p.title(), left, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawRect(left, top, right - left, bottom - top);
        for (int d = 0; d <= (int) logMax; d++) { // decades of the log count axis
            int y = bottom - (int) Math.round((bottom - top) * d / logMax);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(left + 1, y, right - 1, y);
            g.setColor(Color.BLACK);
            g.drawString("1e" + d, x0 + 22, y + 4);
        }
        for (int t = 0; t <= 4; t++) {
            double v = lo + (hi - lo) * t / 4;
            int x = left + (int) Math.round((right - left) * t / 4.0);
            g.drawString(String.format(Locale.ROOT, "%.3f", v), x - 16, bottom + 16);
        }
        g.drawString("weight value; count on a log scale (" + p.weights().length + " weights)", left, bottom + 34);
        g.setColor(new Color(120, 120, 120));
        for (int b = 0; b < BINS; b++) {
            if (counts[b] == 0) continue;
            int xa = left + (int) ((long) (right - left) * b / BINS);
            int xb = left + (int) ((long) (right - left) * (b + 1) / BINS);
            int y = bottom - (int) Math.round((bottom - top) * Math.log10(counts[b] + 1.0) / logMax);
            g.fillRect(xa, y, Math.max(1, xb - xa), bottom - y);
        }
        MixtureQuantizer m = p.mixture();
        if (m == null) return;
        // the mixture density, scaled to expected counts per bin
        g.setColor(new Color(30, 90, 200));
        g.setStroke(new BasicStroke(1.6f));
        int prevX = -1;
        int prevY = -1;
        for (int px = left; px <= right; px++) {
            double v = lo + (hi - lo) * (px - left) / (right - left);
            double dens = 0;
            for (int j = 0; j < m.means().length; j++) {
                double tau = m.precisions()[j];
                double d = v - m.means()[j];
                dens += Math.exp(m.logPi()[j] + 0.5 * Math.log(tau / (2 * Math.PI)) - 0.5 * tau * d * d);
            }
            double expected = dens * binWidth * p.weights().length;
            int y = bottom - (int) Math.round((bottom - top) * Math.log10(expected + 1.0) / logMax);
            y = Math.max(top, Math.min(bottom, y));
            if (prevX >= 0) g.drawLine(prevX, prevY, px, y);
            prevX = px;
            prevY = y;
        }
        g.setColor(new Color(210, 40, 40));
        for (int j = 0; j < m.means().length; j++) {
            double v = m.means()[j];
            if (v < lo || v > hi) continue;
            int x = left + (int) Math.round((right - left) * (v - lo) / (hi - lo));
            g.setStroke(new BasicStroke(j == 0 ? 2.5f : 1f));
            g.drawLine(x, top + 1, x, top + 18);
        }
        g.setStroke(new BasicStroke(1f));
    }
}
