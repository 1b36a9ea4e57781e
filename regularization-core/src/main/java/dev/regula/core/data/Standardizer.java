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
        double sum = 0;
        for (float v : x) sum += v;
        double mean = sum / x.length;
        double sq = 0;
        for (float v : x) sq += (v - mean) * (v - mean);
        double std = Math.sqrt(sq / x.length);
        return new Standardizer(mean, std > 0 ? std : 1);
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
