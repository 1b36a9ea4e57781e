package dev.regula.core.regularizer.activity;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * The identity layer an {@link ActivityRegularization} inserts. TRAIN forward returns its input,
 * keeps a reference to it and records R(a) = (l1·Σ|a| + l2·Σa²)/B; backward returns
 * ∂L/∂y + (l1·sign(a) + 2·l2·a)/B in a buffer it reuses. EVAL forward returns the input and
 * touches no state. Not thread-safe in TRAIN (one model per thread).
 */
final class ActivityLayer implements Layer {
    private final String name;
    private final ActivityRegularization owner;
    private Tensor input;
    private float l1;
    private float l2;
    private double lastPenalty;
    private Tensor inputGradient;

    ActivityLayer(String name, ActivityRegularization owner) {
        this.name = Objects.requireNonNull(name, "name");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Tensor forward(Tensor x, StepContext ctx) {
        if (!ctx.training()) return x;
        int batch = x.rank() == 0 ? 1 : x.dim(0);
        float invBatch = 1f / batch;
        l1 = (float) owner.l1(ctx) * invBatch;
        l2 = (float) owner.l2(ctx) * invBatch;
        float[] a = x.data();
        double abs = 0;
        for (float v : a) abs += Math.abs(v);
        double squares = l2 == 0f ? 0 : ctx.kernels().sumSquares(a.length, a, 0);
        lastPenalty = l1 * abs + l2 * squares;
        input = x;
        return x;
    }

    @Override
    public Tensor backward(Tensor gradOutput, StepContext ctx) {
        if (input == null) {
            throw new IllegalStateException(owner.name() + " layer '" + name + "': backward called before a TRAIN forward");
        }
        if (gradOutput.size() != input.size()) {
            throw new ShapeMismatchException(owner.name() + " layer '" + name + "': gradient shape "
                    + Arrays.toString(gradOutput.shape()) + " does not match the last forward's " + Arrays.toString(input.shape()));
        }
        Tensor gin = inputGradient = Tensor.reuse(inputGradient, gradOutput.shape());
        float[] a = input.data();
        float[] g = gradOutput.data();
        float[] out = gin.data();
        float twoL2 = 2 * l2;
        for (int i = 0; i < a.length; i++) out[i] = g[i] + l1 * Math.signum(a[i]) + twoL2 * a[i];
        return gin;
    }

    /** @return R at the last TRAIN forward, 0 before one */
    double lastPenalty() {
        return lastPenalty;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }

    @Override
    public String toString() {
        return name + " (" + owner.spec() + ")";
    }
}
