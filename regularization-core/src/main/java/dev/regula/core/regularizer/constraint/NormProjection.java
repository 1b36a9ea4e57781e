package dev.regula.core.regularizer.constraint;

import dev.regula.api.param.Parameter;
import dev.regula.api.StepContext;
import dev.regula.core.regularizer.support.Axis;
import dev.regula.core.regularizer.support.GroupView;
import java.util.function.DoubleUnaryOperator;

/** Rescales every row (or column) of a parameter by a factor that depends only on its norm. */
final class NormProjection {
    private NormProjection() {
    }

    /**
     * @param p the parameter, changed in place
     * @param ctx the step (its kernels are used)
     * @param axis rows or columns of the {@code [dim0, rest]} view
     * @param factorOfNorm maps a group's Euclidean norm to the factor it is multiplied by
     */
    static void apply(Parameter p, StepContext ctx, Axis axis, DoubleUnaryOperator factorOfNorm) {
        GroupView v = GroupView.of(p.value(), axis);
        if (v.count() == 0) return;
        float[] x = p.value().data();
        double[] f = new double[v.count()];
        v.squaredNorms(ctx.kernels(), x, f);
        for (int i = 0; i < f.length; i++) f[i] = factorOfNorm.applyAsDouble(Math.sqrt(f[i]));
        v.scale(ctx.kernels(), x, f);
    }
}
