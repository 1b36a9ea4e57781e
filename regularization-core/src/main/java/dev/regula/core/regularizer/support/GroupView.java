package dev.regula.core.regularizer.support;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.tensor.Tensor;
import java.util.Objects;

/**
 * A parameter seen as a row-major matrix {@code [rows, cols]}, split into groups along an
 * {@link Axis}.
 *
 * <p>The matrix is the parameter flattened to {@code [dim0, rest]}: a rank-2 weight is itself, a
 * convolution kernel {@code [out, in, kh, kw]} becomes {@code [out, in·kh·kw]}. A rank-1 parameter
 * is one row {@code [1, n]} (so "rows" means the whole vector), a scalar is {@code [1, 1]}.
 *
 * @param rows the first dimension of the view
 * @param cols the product of the remaining dimensions
 * @param axis which slices form the groups
 */
public record GroupView(int rows, int cols, Axis axis) {
    /** Checks the components. */
    public GroupView {
        Objects.requireNonNull(axis, "axis");
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("rows and cols must be >= 0, got " + rows + "x" + cols);
    }

    /**
     * @param t a tensor of any rank
     * @param axis which slices form the groups
     * @return its view {@code [dim0, rest]} (rank 1: {@code [1, n]}, rank 0: {@code [1, 1]})
     */
    public static GroupView of(Tensor t, Axis axis) {
        if (t.rank() <= 1) return new GroupView(1, t.size(), axis);
        int[] s = t.shape();
        int rest = 1;
        for (int i = 1; i < s.length; i++) rest *= s[i];
        return new GroupView(s[0], rest, axis);
    }

    /** @return the number of groups */
    public int count() {
        return axis == Axis.ROWS ? rows : cols;
    }

    /** @return the number of entries in each group */
    public int groupSize() {
        return axis == Axis.ROWS ? cols : rows;
    }

    /**
     * Squared Euclidean norm of every group.
     *
     * @param k the kernels
     * @param x the data, {@code rows·cols} values
     * @param out receives {@link #count()} squared norms
     */
    public void squaredNorms(Kernels k, float[] x, double[] out) {
        if (axis == Axis.ROWS) {
            for (int r = 0; r < rows; r++) out[r] = k.sumSquares(cols, x, r * cols);
            return;
        }
        java.util.Arrays.fill(out, 0, cols, 0.0);
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                double v = x[base + c];
                out[c] += v * v;
            }
        }
    }

    /**
     * Multiplies every group by its factor; groups whose factor is exactly 1 are left untouched,
     * groups whose factor is 0 become exact (positive) zeros.
     *
     * @param k the kernels
     * @param x the data, {@code rows·cols} values
     * @param factors {@link #count()} factors
     */
    public void scale(Kernels k, float[] x, double[] factors) {
        if (axis == Axis.ROWS) {
            for (int r = 0; r < rows; r++) {
                if (factors[r] == 0.0) java.util.Arrays.fill(x, r * cols, (r + 1) * cols, 0f);
                else if (factors[r] != 1.0) k.scale(cols, (float) factors[r], x, r * cols);
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                if (factors[c] == 0.0) x[base + c] = 0f;
                else if (factors[c] != 1.0) x[base + c] = (float) (x[base + c] * factors[c]);
            }
        }
    }
}
