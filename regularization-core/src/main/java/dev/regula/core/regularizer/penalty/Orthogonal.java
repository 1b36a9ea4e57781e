package dev.regula.core.regularizer.penalty;

import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.schedule.Schedule;
import dev.regula.core.regularizer.support.Axis;
import dev.regula.core.regularizer.support.GroupView;
import java.util.Objects;

/**
 * Soft orthogonality (Bansal, Chen and Wang, NeurIPS 2018): R(W) = λ_t·‖G − I‖²_F where G is the
 * <em>smaller</em> Gram matrix of W seen as {@code [m, n] = [dim0, rest]} (see {@link GroupView}):
 * <ul>
 *   <li>m ≤ n: G = W·Wᵀ (m×m), the rows are pushed to be orthonormal. In the PyTorch layout
 *       {@code [out, in]} rows are the output units' filters, so this is Bansal et al.'s
 *       ‖WᵀW − I‖ for their {@code [in, out]} layout;</li>
 *   <li>m &gt; n: G = Wᵀ·W (n×n), the columns are pushed to be orthonormal (m &gt; n rows cannot be).</li>
 * </ul>
 * Either way R is zero exactly for a semi-orthogonal W. Gradient: 4λ·(W·Wᵀ − I)·W, respectively
 * 4λ·W·(Wᵀ·W − I). A rank-1 parameter is one row, so R = λ·(‖w‖² − 1)². Costs O(min(m,n)²·max(m,n))
 * per call through {@link Kernels#gemm}, with a min(m,n)² scratch matrix.
 *
 * @param lambda the strength λ_t
 * @param selector the parameters acted on
 * @param spec the canonical spec
 */
record Orthogonal(Schedule lambda, ParameterSelector selector, String spec) implements ParameterRegularizer {
    Orthogonal {
        Objects.requireNonNull(lambda, "lambda");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String name() {
        return OrthogonalProvider.NAME;
    }

    @Override
    public Stage stage() {
        return Stage.GRADIENT;
    }

    @Override
    public double penalty(Parameter p, StepContext ctx) {
        double l = lambda.valueAt(ctx.step(), ctx.epoch());
        GroupView v = GroupView.of(p.value(), Axis.ROWS);
        if (l == 0 || v.rows() == 0 || v.cols() == 0) return 0;
        float[] g = gramMinusIdentity(ctx.kernels(), p.value().data(), v.rows(), v.cols());
        return l * ctx.kernels().sumSquares(g.length, g, 0);
    }

    @Override
    public void apply(Parameter p, StepContext ctx) {
        double l = lambda.valueAt(ctx.step(), ctx.epoch());
        GroupView v = GroupView.of(p.value(), Axis.ROWS);
        int m = v.rows();
        int n = v.cols();
        if (l == 0 || m == 0 || n == 0) return;
        Kernels k = ctx.kernels();
        float[] w = p.value().data();
        float[] g = gramMinusIdentity(k, w, m, n);
        float alpha = (float) (4 * l);
        float[] grad = p.grad().data();
        if (m <= n) {
            // grad += 4λ (W Wᵀ − I) W : [m,m]·[m,n]
            k.gemm(false, false, m, n, m, alpha, g, 0, m, w, 0, n, 1f, grad, 0, n);
        } else {
            // grad += 4λ W (Wᵀ W − I) : [m,n]·[n,n]
            k.gemm(false, false, m, n, n, alpha, w, 0, n, g, 0, n, 1f, grad, 0, n);
        }
    }

    /** G − I for the smaller Gram of the row-major [m, n] matrix w. */
    private static float[] gramMinusIdentity(Kernels k, float[] w, int m, int n) {
        int s = Math.min(m, n);
        float[] g = new float[s * s];
        if (m <= n) {
            k.gemm(false, true, m, m, n, 1f, w, 0, n, w, 0, n, 0f, g, 0, m);
        } else {
            k.gemm(true, false, n, n, m, 1f, w, 0, n, w, 0, n, 0f, g, 0, n);
        }
        for (int i = 0; i < s; i++) g[i * s + i] -= 1f;
        return g;
    }
}
