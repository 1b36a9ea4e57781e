package dev.regula.core.data;

import dev.regula.api.tensor.Tensor;
import java.util.Arrays;

/**
 * Per-feature standardisation x'_j = (x_j − mean_j) / std_j, as scikit-learn's
 * {@code StandardScaler} (population standard deviation; a constant column keeps std 1), fitted on
 * the training set only. For tabular data whose columns have different units; images use the
 * single mean and std of {@link Standardizer}. Examples must be vectors ([n, d]).
 *
 * @param mean per-feature means
 * @param std per-feature standard deviations, each &gt; 0
 */
public record ColumnStandardizer(double[] mean, double[] std) {
    /** Copies and checks the arrays. */
    public ColumnStandardizer {
        mean = mean.clone();
        std = std.clone();
        if (mean.length != std.length) throw new IllegalArgumentException("mean and std must have one length");
        for (double s : std) {
            if (!(s > 0) || !Double.isFinite(s)) throw new IllegalArgumentException("every std must be finite and > 0, got " + s);
        }
    }

    /**
     * @param train the training set, [n, d]
     * @return each column's mean and population standard deviation (1 for a constant column)
     */
    public static ColumnStandardizer fit(Dataset train) {
        requireVectors(train);
        int n = train.size();
        int d = train.features().dim(1);
        float[] x = train.features().data();
        double[] mean = new double[d];
        double[] std = new double[d];
        for (int r = 0; r < n; r++) for (int j = 0; j < d; j++) mean[j] += x[r * d + j];
        for (int j = 0; j < d; j++) mean[j] = n == 0 ? 0 : mean[j] / n;
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                double c = x[r * d + j] - mean[j];
                std[j] += c * c;
            }
        }
        for (int j = 0; j < d; j++) {
            double s = n == 0 ? 0 : Math.sqrt(std[j] / n);
            std[j] = s > 0 ? s : 1;
        }
        return new ColumnStandardizer(mean, std);
    }

    /**
     * @param data a data set [n, d] with this scaler's d
     * @return a new data set with standardised features and the same labels
     */
    public Dataset apply(Dataset data) {
        requireVectors(data);
        int d = data.features().dim(1);
        if (d != mean.length) {
            throw new IllegalArgumentException("the data has " + d + " features but the scaler was fitted on " + mean.length);
        }
        float[] x = data.features().data().clone();
        for (int i = 0; i < x.length; i++) x[i] = (float) ((x[i] - mean[i % d]) / std[i % d]);
        return new Dataset(Tensor.wrap(x, data.size(), d), data.labels(), data.numClasses());
    }

    private static void requireVectors(Dataset data) {
        if (data.features().rank() != 2) {
            throw new IllegalArgumentException("per-column standardisation needs vector examples [n, d], got shape "
                    + Arrays.toString(data.features().shape()));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnStandardizer c && Arrays.equals(mean, c.mean) && Arrays.equals(std, c.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "ColumnStandardizer[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
