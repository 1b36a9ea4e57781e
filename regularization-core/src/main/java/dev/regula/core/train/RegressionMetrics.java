package dev.regula.core.train;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;

/**
 * The usual regression figures of predictions against targets, over all elements:
 * RMSE = √(mean (ŷ − y)²), MAE = mean |ŷ − y| and R² = 1 − Σ(ŷ − y)² / Σ(y − ȳ)² (scikit-learn's
 * {@code r2_score}: 1 is perfect, 0 is the constant mean predictor, negative is worse; NaN when
 * every target is equal). Each error may be scaled back to the targets' original units.
 *
 * @param rmse root-mean-square error
 * @param mae mean absolute error
 * @param r2 coefficient of determination
 */
public record RegressionMetrics(double rmse, double mae, double r2) {
    /**
     * @param predictions model outputs, any shape
     * @param targets targets of the same shape
     * @param scale the factor that converts both to original units (the target's standard
     *     deviation when targets were standardised; 1 otherwise). R² does not depend on it.
     * @return the metrics
     * @throws ShapeMismatchException if the shapes differ or are empty
     */
    public static RegressionMetrics of(Tensor predictions, Tensor targets, double scale) {
        if (!predictions.sameShape(targets) || predictions.size() == 0) {
            throw new ShapeMismatchException("regression metrics need predictions and targets of one non-empty shape, got "
                    + Arrays.toString(predictions.shape()) + " and " + Arrays.toString(targets.shape()));
        }
        float[] p = predictions.data();
        float[] y = targets.data();
        int n = p.length;
        double mean = 0;
        for (float v : y) mean += v;
        mean /= n;
        double sse = 0;
        double sae = 0;
        double sst = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) p[i] - y[i];
            sse += d * d;
            sae += Math.abs(d);
            double c = y[i] - mean;
            sst += c * c;
        }
        return new RegressionMetrics(Math.sqrt(sse / n) * scale, sae / n * scale, sst == 0 ? Double.NaN : 1 - sse / sst);
    }
}
