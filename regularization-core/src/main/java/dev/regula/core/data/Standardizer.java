package dev.regula.core.data;

import dev.regula.api.tensor.Tensor;

/**
 * Input standardisation x' = (x − mean) / std with one mean and one standard deviation over all
 * features, fitted on the training set only and then applied unchanged to every other set (as
 * torchvision's {@code Normalize((0.2860,), (0.3530,))} does for Fashion-MNIST).
 *
 * @param mean the mean subtracted
 * @param std the standard deviation divided by, &gt; 0
 */
public record Standardizer(double mean, double std) {
    /** Checks the components. */
    public Standardizer {
        if (!Double.isFinite(mean)) throw new IllegalArgumentException("mean must be finite, got " + mean);
        if (!(std > 0) || !Double.isFinite(std)) throw new IllegalArgumentException("std must be finite and > 0, got " + std);
    }

    /**
     * @param train the training set
     * @return the mean and standard deviation of all its feature values (std 1 if they are constant)
     */
    public static Standardizer fit(Dataset train) {
        float[] x = train.features().data();
        if (x.length == 0) return new Standardizer(0, 1);
        double mean = sum(x) / x.length;
        double std = Math.sqrt(squaredDeviations(x, mean) / x.length);
        return new Standardizer(mean, std > 0 ? std : 1);
    }

    /**
     * Sums in eight independent double chains: a single chain waits for each addition to finish
     * (four cycles or more), eight keep the adders busy. Every value is added in double, as in one
     * chain; the order of the additions differs, so the last bits of the sum may too.
     */
    static double sum(float[] x) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 8 <= x.length; i += 8) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
            s4 += x[i + 4];
            s5 += x[i + 5];
            s6 += x[i + 6];
            s7 += x[i + 7];
        }
        for (; i < x.length; i++) s0 += x[i];
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Σ (x − mean)², in double, in eight chains as {@link #sum}. */
    static double squaredDeviations(float[] x, double mean) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 8 <= x.length; i += 8) {
            double d0 = x[i] - mean, d1 = x[i + 1] - mean, d2 = x[i + 2] - mean, d3 = x[i + 3] - mean;
            double d4 = x[i + 4] - mean, d5 = x[i + 5] - mean, d6 = x[i + 6] - mean, d7 = x[i + 7] - mean;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
            s4 += d4 * d4;
            s5 += d5 * d5;
            s6 += d6 * d6;
            s7 += d7 * d7;
        }
        for (; i < x.length; i++) {
            double d = x[i] - mean;
            s0 += d * d;
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * @param data a data set
     * @return a new data set with standardised features and the same labels
     */
    public Dataset apply(Dataset data) {
        Tensor f = data.features().copy();
        standardize(f.data());
        return new Dataset(f, data.labels(), data.numClasses());
    }

    /**
     * {@link #apply} without the copy, for a data set nothing else holds (a freshly loaded one):
     * on a fresh heap a copy of 60,000 images is memory the process touches for the first time.
     *
     * @param data a data set whose features are standardised where they are
     * @return {@code data}, its features standardised (the same values as {@link #apply}'s)
     */
    public Dataset applyInPlace(Dataset data) {
        standardize(data.features().data());
        return data;
    }

    private void standardize(float[] x) {
        float m = (float) mean;
        float inv = (float) (1 / std);
        for (int i = 0; i < x.length; i++) x[i] = (x[i] - m) * inv;
    }
}
