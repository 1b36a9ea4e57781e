package dev.regula.examples.plot;

/**
 * One named line of a chart: points (x[i], y[i]). Non-finite y values leave a gap.
 *
 * @param name the legend text
 * @param x the x values
 * @param y the y values, as many as x
 */
public record Series(String name, double[] x, double[] y) {
    /** Checks the lengths and copies the arrays. */
    public Series {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a series needs a non-blank name");
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values but " + y.length + " y values; they must match");
        }
        x = x.clone();
        y = y.clone();
    }

    /**
     * @param name the legend text
     * @param y the y values at x = 1, 2, …, n (epochs)
     * @return the series
     */
    public static Series ofEpochs(String name, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) x[i] = i + 1;
        return new Series(name, x, y);
    }

    @Override
    public double[] x() {
        return x.clone();
    }

    @Override
    public double[] y() {
        return y.clone();
    }
}
