package dev.regula.core.data;

import dev.regula.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Polynomial feature expansion as scikit-learn's {@code PolynomialFeatures(degree,
 * include_bias=False)}: every monomial of the d input features of total degree 1 to
 * {@code degree}, in scikit-learn's order (degree 1: x₁ … x_d; degree 2: x₁², x₁x₂, …, x_d²; …).
 * A linear model on these features is polynomial regression. Examples must be vectors ([n, d]).
 */
public final class PolynomialFeatures {
    /** Largest degree accepted. */
    public static final int MAX_DEGREE = 4;
    /** Largest number of output features accepted. */
    public static final int MAX_FEATURES = 1 << 16;

    private PolynomialFeatures() {
    }

    /**
     * @param features d, ≥ 1
     * @param degree the degree, in [1, {@value #MAX_DEGREE}]
     * @return the number of monomials of degree 1..degree in d variables, C(d + degree, degree) − 1
     */
    public static long count(int features, int degree) {
        // C(d + k, k) grows by (d + k)/k per step; past 2^62 it is saturated (only compared with a bound)
        long c = 1;
        for (int k = 1; k <= degree; k++) {
            if (c > Long.MAX_VALUE / 4 / (features + k)) return Long.MAX_VALUE / 4;
            c = c * (features + k) / k;
        }
        return c - 1;
    }

    /**
     * @param data a data set of vectors [n, d]
     * @param degree the degree, in [1, {@value #MAX_DEGREE}]; 1 returns the data unchanged
     * @return the expanded data set, same labels
     * @throws IllegalArgumentException for a degree out of range, non-vector examples, more than
     *     {@value #MAX_FEATURES} output features, or more values than a tensor holds or the heap has room for
     */
    public static Dataset expand(Dataset data, int degree) {
        Objects.requireNonNull(data, "data");
        if (degree < 1 || degree > MAX_DEGREE) {
            throw new IllegalArgumentException("polynomial degree must be in [1, " + MAX_DEGREE + "], got " + degree);
        }
        if (data.features().rank() != 2) {
            throw new IllegalArgumentException("polynomial features need vector examples [n, d], got rank "
                    + data.features().rank() + " features");
        }
        if (degree == 1) return data;
        int n = data.size();
        int d = data.features().dim(1);
        long out = count(d, degree);
        if (out > MAX_FEATURES) {
            throw new IllegalArgumentException("degree " + degree + " on " + d + " features gives " + out
                    + " polynomial features; allowed: at most " + MAX_FEATURES);
        }
        long values = (long) n * out;
        if (values > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("degree " + degree + " on " + d + " features gives " + out + " polynomial features"
                    + " for " + n + " examples, " + values + " values: more than one tensor holds (2^31 - 1); give fewer"
                    + " examples, features or a lower degree");
        }
        if (!dev.regula.core.io.MemoryBudget.fits(values * Float.BYTES)) { // checked before anything is allocated
            throw new IllegalArgumentException("degree " + degree + " on " + d + " features for " + n + " examples (" + values
                    + " values) needs " + dev.regula.core.io.MemoryBudget.shortfall(values * Float.BYTES));
        }
        List<int[]> terms = new ArrayList<>();
        for (int k = 1; k <= degree; k++) monomials(d, k, 0, new int[k], 0, terms);
        int m = terms.size();
        float[] x = data.features().data();
        float[] y = new float[n * m];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < m; j++) {
                double v = 1;
                for (int f : terms.get(j)) v *= x[r * d + f];
                y[r * m + j] = (float) v;
            }
        }
        return new Dataset(Tensor.wrap(y, n, m), data.labels(), data.numClasses());
    }

    /** Non-decreasing index tuples of length k, in lexicographic order (scikit-learn's combinations_with_replacement). */
    private static void monomials(int d, int k, int from, int[] current, int pos, List<int[]> out) {
        if (pos == k) {
            out.add(current.clone());
            return;
        }
        for (int f = from; f < d; f++) {
            current[pos] = f;
            monomials(d, k, f, current, pos + 1, out);
        }
    }
}
