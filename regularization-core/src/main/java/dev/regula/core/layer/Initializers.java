package dev.regula.core.layer;

import dev.regula.api.kernels.CounterRng;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Re-initialisation of parameter values, e.g. the DCGAN initialisation N(0, 0.02²) for
 * convolution weights (only values change; gradients are left alone), and the default parameters
 * of the layers that have a weight and a bias.
 */
public final class Initializers {
    private Initializers() {
    }

    /**
     * Fills the value with independent N(0, std²) samples. Sample i is
     * {@link CounterRng#gaussian(long, long)} with key {@code CounterRng.key(seed, CounterRng.stream(p.name()), 0)}
     * and index i, so the result depends only on the seed, the parameter name and the position:
     * two parameters initialised with the same seed get different values, and the same call
     * always gives the same values.
     *
     * @param p the parameter
     * @param std the standard deviation, finite and ≥ 0
     * @param seed the seed
     */
    public static void normal(Parameter p, double std, long seed) {
        Objects.requireNonNull(p, "parameter");
        if (!(std >= 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("std must be finite and >= 0, got " + std + " for " + p.name());
        }
        long key = CounterRng.key(seed, CounterRng.stream(p.name()), 0);
        float[] v = p.value().data();
        for (int i = 0; i < v.length; i++) v[i] = (float) (std * CounterRng.gaussian(key, i));
    }

    /**
     * Fills the value with a constant.
     *
     * @param p the parameter
     * @param v the value, finite
     */
    public static void constant(Parameter p, float v) {
        Objects.requireNonNull(p, "parameter");
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException("value must be finite, got " + v + " for " + p.name());
        }
        Arrays.fill(p.value().data(), v);
    }

    /** The weight and bias of a layer, as {@link #pytorchDefault} makes them. */
    record WeightAndBias(Parameter weight, Parameter bias) {
    }

    /**
     * The PyTorch-style default parameters shared by {@link Dense}, {@link Conv2d} and
     * {@link ConvTranspose2d} ({@code nn.Linear}/{@code nn.Conv2d}): weight and bias drawn from
     * U(−1/√fanIn, 1/√fanIn), the weight first and both in index order, from one
     * {@code SplittableRandom(seed)}.
     *
     * @param layer the layer name
     * @param weightShape the weight's shape
     * @param fanIn the number of inputs each output sums over
     * @param outputs the bias length
     * @param seed the seed
     * @return {@code <layer>.weight} (role WEIGHT) and {@code <layer>.bias} (role BIAS)
     */
    static WeightAndBias pytorchDefault(String layer, int[] weightShape, int fanIn, int outputs, long seed) {
        Tensor w = Tensor.zeros(weightShape);
        Tensor b = Tensor.zeros(outputs);
        SplittableRandom random = new SplittableRandom(seed);
        double bound = 1.0 / Math.sqrt(fanIn);
        for (Tensor t : List.of(w, b)) {
            float[] a = t.data();
            for (int i = 0; i < a.length; i++) a[i] = (float) random.nextDouble(-bound, bound);
        }
        return new WeightAndBias(new Parameter(layer, "weight", ParameterRole.WEIGHT, w),
                new Parameter(layer, "bias", ParameterRole.BIAS, b));
    }
}
