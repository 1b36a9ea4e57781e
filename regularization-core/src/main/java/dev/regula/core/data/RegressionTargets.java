package dev.regula.core.data;

import dev.regula.api.tensor.Tensor;

/**
 * Real-valued regression targets, standardised y' = (y − mean)/std with the training set's mean
 * and population standard deviation, so that one learning rate suits targets of any unit; errors
 * are converted back with {@link #std()}.
 *
 * @param mean the targets' mean on the training set
 * @param std their standard deviation, &gt; 0 (1 when the targets are constant)
 */
public record RegressionTargets(double mean, double std) {
    /** Checks the components. */
    public RegressionTargets {
        if (!Double.isFinite(mean)) throw new IllegalArgumentException("mean must be finite, got " + mean);
        if (!(std > 0) || !Double.isFinite(std)) throw new IllegalArgumentException("std must be finite and > 0, got " + std);
    }

    /** The identity: targets kept in their units. */
    public static final RegressionTargets IDENTITY = new RegressionTargets(0, 1);

    /**
     * The data with its labels as real-valued targets: a label vector [n] becomes [n, 1] (one
     * output), and the number of classes 0, whatever the values (integer targets such as the
     * diabetes progression score are not classes).
     *
     * @param data a data set with [n] or [n, k] labels
     * @return the same examples with [n, k] real targets
     */
    public static Dataset asTargets(Dataset data) {
        Tensor y = data.labels();
        Tensor targets = y.rank() == 1 ? Tensor.wrap(y.data().clone(), y.dim(0), 1) : y;
        return new Dataset(data.features(), targets, 0);
    }

    /**
     * @param train a training set with real targets
     * @return their mean and standard deviation
     */
    public static RegressionTargets fit(Dataset train) {
        float[] y = train.labels().data();
        if (y.length == 0) return IDENTITY;
        double sum = 0;
        for (float v : y) sum += v;
        double mean = sum / y.length;
        double sq = 0;
        for (float v : y) sq += (v - mean) * (v - mean);
        double std = Math.sqrt(sq / y.length);
        return new RegressionTargets(mean, std > 0 ? std : 1);
    }

    /**
     * @param data a data set with real targets
     * @return the same features with standardised targets
     */
    public Dataset apply(Dataset data) {
        float[] y = data.labels().data().clone();
        for (int i = 0; i < y.length; i++) y[i] = (float) ((y[i] - mean) / std);
        return new Dataset(data.features(), Tensor.wrap(y, data.labels().shape()), data.numClasses());
    }
}
