package dev.regula.core.layer;

import dev.regula.api.kernels.CounterRng;
import dev.regula.api.param.Parameter;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Re-initialisation of parameter values, e.g. the DCGAN initialisation N(0, 0.02²) for
 * convolution weights. Only values change; gradients are left alone.
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

    /**
     * Fills {@code a} in index order with draws from {@code random.nextDouble(-bound, bound)},
     * the PyTorch-style default initialisation shared by {@link Dense}, {@link Conv2d} and
     * {@link ConvTranspose2d}.
     *
     * @param a the values to overwrite
     * @param bound the half-width of the interval, > 0
     * @param random the source, advanced by {@code a.length} draws
     */
    static void uniform(float[] a, double bound, SplittableRandom random) {
        for (int i = 0; i < a.length; i++) a[i] = (float) random.nextDouble(-bound, bound);
    }
}
