package dev.regula.core.regularizer.proximal;

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
 * Group lasso by its proximal operator (block soft-thresholding). The groups are the rows (or
 * columns) of the parameter flattened to {@code [dim0, rest]} (see {@link GroupView}); with the
 * PyTorch layout {@code [out, in]} a row is one output unit, so whole units are pruned.
 *
 * <p>R(θ) = λ_t·Σ_g √|g|·‖w_g‖₂ (|g| the group size, the usual scaling so that groups of
 * different sizes are comparable). After the update each group becomes
 * w_g ← w_g·max(0, 1 − η_t·λ_t·√|g| / ‖w_g‖₂), the minimiser of ½‖x − w‖² + η_t·R(x): groups
 * whose norm is at most η_t·λ_t·√|g| become exact zeros, a zero group stays zero.
 * {@link #penalty} reports R but adds no gradient.
 *
 * @param lambda the strength λ_t
 * @param axis whether the groups are rows or columns
 * @param selector the parameters acted on
 * @param spec the canonical spec
 */
record GroupLasso(Schedule lambda, Axis axis, ParameterSelector selector, String spec) implements ParameterRegularizer {
    GroupLasso {
        Objects.requireNonNull(lambda, "lambda");
        Objects.requireNonNull(axis, "axis");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String name() {
        return GroupLassoProvider.NAME;
    }

    @Override
    public Stage stage() {
        return Stage.PROXIMAL;
    }

    @Override
    public double penalty(Parameter p, StepContext ctx) {
        double l = lambda.valueAt(ctx.step(), ctx.epoch());
        GroupView v = GroupView.of(p.value(), axis);
        if (l == 0 || v.count() == 0) return 0;
        double[] sq = new double[v.count()];
        v.squaredNorms(ctx.kernels(), p.value().data(), sq);
        double sum = 0;
        for (double s : sq) sum += Math.sqrt(s);
        return l * Math.sqrt(v.groupSize()) * sum;
    }

    @Override
    public void apply(Parameter p, StepContext ctx) {
        double t = ctx.learningRate() * lambda.valueAt(ctx.step(), ctx.epoch());
        GroupView v = GroupView.of(p.value(), axis);
        if (t == 0 || v.count() == 0) return;
        Kernels k = ctx.kernels();
        float[] x = p.value().data();
        double[] f = new double[v.count()];
        v.squaredNorms(k, x, f);
        double threshold = t * Math.sqrt(v.groupSize());
        for (int i = 0; i < f.length; i++) {
            double norm = Math.sqrt(f[i]);
            f[i] = norm == 0 ? 1.0 : Math.max(0.0, 1.0 - threshold / norm);
        }
        v.scale(k, x, f);
    }
}
