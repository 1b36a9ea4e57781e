package dev.regula.gan.eval;

import java.util.Arrays;

/**
 * Standardises features before the Fréchet and kernel distances: fitted on the real features,
 * it drops the dimensions whose standard deviation there is (near) zero — constant features carry
 * no information and would divide by zero — and maps each kept feature to (x − mean)/std of the
 * real set. The same transform is then applied to the real and the generated features. Immutable.
 */
public final class FeatureStandardizer {
    /** Dimensions whose std is at most this times max(1, |mean|) are dropped. */
    public static final double ZERO_VARIANCE = 1e-6;

    private final int width;
    private final int[] kept;
    private final double[] mean;
    private final double[] invStd;

    private FeatureStandardizer(int width, int[] kept, double[] mean, double[] invStd) {
        this.width = width;
        this.kept = kept;
        this.mean = mean;
        this.invStd = invStd;
    }

    /**
     * @param real the reference features, rows = samples; at least 2 rows
     * @return a standardiser keeping the dimensions that vary in {@code real}
     * @throws IllegalArgumentException if there are fewer than 2 rows or the rows differ in width
     */
    public static FeatureStandardizer fit(float[][] real) {
        int d = Samples.check(real, real);
        double[] m = Samples.mean(real, d);
        double[] var = new double[d];
        for (float[] row : real) {
            for (int j = 0; j < d; j++) {
                double c = row[j] - m[j];
                var[j] += c * c;
            }
        }
        int[] kept = new int[d];
        double[] keptMean = new double[d];
        double[] keptInv = new double[d];
        int k = 0;
        for (int j = 0; j < d; j++) {
            double std = Math.sqrt(var[j] / (real.length - 1));
            if (std > ZERO_VARIANCE * Math.max(1, Math.abs(m[j]))) {
                kept[k] = j;
                keptMean[k] = m[j];
                keptInv[k] = 1 / std;
                k++;
            }
        }
        return new FeatureStandardizer(d, Arrays.copyOf(kept, k), Arrays.copyOf(keptMean, k), Arrays.copyOf(keptInv, k));
    }

    /** @return the number of input features */
    public int inputDimension() {
        return width;
    }

    /** @return the number of features kept (output width); 0 if every real feature is constant */
    public int keptDimension() {
        return kept.length;
    }

    /** @return the indices of the kept input features, increasing */
    public int[] keptIndices() {
        return kept.clone();
    }

    /**
     * @param features rows of {@link #inputDimension()} features
     * @return new rows of the kept features, standardised with the real mean and std
     * @throws IllegalArgumentException if a row has another width
     */
    public float[][] apply(float[][] features) {
        float[][] out = new float[features.length][kept.length];
        for (int i = 0; i < features.length; i++) {
            float[] row = features[i];
            if (row.length != width) {
                throw new IllegalArgumentException("row " + i + " has " + row.length + " features, the standardiser was fitted on " + width);
            }
            for (int k = 0; k < kept.length; k++) out[i][k] = (float) ((row[kept[k]] - mean[k]) * invStd[k]);
        }
        return out;
    }
}
