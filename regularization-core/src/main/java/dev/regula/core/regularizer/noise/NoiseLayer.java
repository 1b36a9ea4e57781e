package dev.regula.core.regularizer.noise;

import dev.regula.api.StepContext;
import dev.regula.api.kernels.CounterRng;
import dev.regula.api.model.Layer;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * The layer a {@link NoiseRegularizer} inserts. EVAL: returns its input unchanged and touches no
 * state. TRAIN (and SAMPLE, Monte-Carlo inference): y = x ⊙ m + c with fresh noise for (seed,
 * name, step), keeping m (the factors) for backward, which returns ∂L/∂y ⊙ m. TRAIN results are buffers reused at the next TRAIN
 * step (see {@link Layer}). Not thread-safe in TRAIN (one model per thread).
 */
final class NoiseLayer implements Layer {
    private final String name;
    private final long stream;
    private final NoiseRegularizer noise;
    private float[] factors;
    private Tensor trainOutput;
    private Tensor inputGradient;

    NoiseLayer(String name, NoiseRegularizer noise) {
        this.name = Objects.requireNonNull(name, "name");
        this.stream = CounterRng.stream(name);
        this.noise = Objects.requireNonNull(noise, "noise");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Tensor forward(Tensor input, StepContext ctx) {
        if (!ctx.noisy()) return input;
        float[] f = factors != null && factors.length == input.size() ? factors : new float[input.size()];
        Tensor out = trainOutput = Tensor.reuse(trainOutput, input.shape());
        noise.draw(name, input, out.data(), f, CounterRng.key(ctx.seed(), stream, ctx.step()), ctx);
        factors = f;
        return out;
    }

    @Override
    public Tensor backward(Tensor gradOutput, StepContext ctx) {
        if (factors == null) {
            throw new IllegalStateException(noise.name() + " layer '" + name + "': backward called before a TRAIN forward");
        }
        if (gradOutput.size() != factors.length) {
            throw new dev.regula.api.ShapeMismatchException(noise.name() + " layer '" + name + "': gradient shape "
                    + Arrays.toString(gradOutput.shape()) + " does not match the last forward's " + factors.length + " values");
        }
        Tensor gin = inputGradient = Tensor.reuse(inputGradient, gradOutput.shape());
        ctx.kernels().multiply(factors.length, gradOutput.data(), factors, gin.data());
        return gin;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }

    @Override
    public String toString() {
        return name + " (" + noise.spec() + ")";
    }
}
