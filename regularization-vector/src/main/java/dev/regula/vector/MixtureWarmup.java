package dev.regula.vector;

import dev.regula.api.kernels.Kernels;
import java.util.Random;

/**
 * Calls {@link Kernels#mixturePriorGradient} on made-up mixtures that take each path of its direct
 * kernel, so that C2 compiles them with every branch in their profiles. The kernel's paths depend
 * on the mixture, which a training narrows over minutes: the table first (whose check sends a few
 * values to the direct kernel, with no plan or no pass), then the direct kernel with its in-place
 * passes ({@link MixtureSolo}, {@link MixturePair}), its runs ({@link MixtureGroups}) and the
 * sort. Compiled from the first paths alone, C2 turns the branches no call has taken yet into
 * traps; when training reaches them the compiled code is discarded, and until it is compiled again
 * the kernel's vector loops run as interpreted or C1 code with every vector boxed (50-step windows
 * of a training at 4-6 ms a step in the kernel instead of 1). Started on the first call of the
 * kernel ({@link JitWarmup#startMixtureOnce}), in a daemon thread of minimum priority, on
 * one-thread kernels of its own (no helper thread beside the caller's), with few small calls: it
 * shares the cores with the training's first epoch. The kernel is a pure function of its
 * arguments, so this changes no result.
 */
final class MixtureWarmup {
    /** Rounds over every made-up mixture. */
    static final int ROUNDS = 12;

    private MixtureWarmup() {
    }

    /** One made-up call: values and a mixture (μ, τ/2, log π + log √(τ/2π)). */
    record Call(float[] x, double[] mu, double[] halfTau, double[] logWeight) {
        void run(Kernels k, float[] g) {
            int n = x.length;
            int c = mu.length;
            k.mixturePriorGradient(n, x, 0, g, 0, 1e-5, c, mu, halfTau, logWeight, new double[3 * c]);
        }
    }

    /** Runs {@code rounds} rounds of every made-up call ({@link #calls}) on each of the kernels. */
    static void run(int rounds, Kernels... kernels) {
        java.util.List<Call> calls = calls();
        float[] g = new float[calls.stream().mapToInt(c -> c.x().length).max().orElse(0)];
        for (int r = 0; r < rounds; r++) {
            for (Kernels k : kernels) {
                for (Call c : calls) c.run(k, g);
            }
        }
    }

    /** The made-up calls, one or more for each path of the kernel. */
    static java.util.List<Call> calls() {
        Random rnd = new Random(17);
        int direct = 2 * MixturePriorKernel.CHUNK + 37; // two chunks and a tail, below the table's least values
        double[] late = new double[16];
        for (int j = 1; j < 16; j++) late[j] = (j % 2 == 0 ? -1 : 1) * 0.07 * ((j + 1) / 2);
        double[] clusters = {-0.048, 0.041};
        return java.util.List.of(
            // nine weights in ten at the zero component (its run in place, the others sorted); NaN, +∞, −0 among them
            call(values(rnd, direct, 0.9, 0.001, late, 0.04), late, 0.002, 0.07 / 15, 0.93),
            // the same with a wide component on the zero component's mean (the two-component pass)
            withWide(call(values(rnd, direct, 0.9, 0.001, late, 0.04), late, 0.002, 0.07 / 15, 0.93)),
            // wide components of small weight between two clusters (runs of several components after the pass)
            wider(call(values(rnd, direct, 0.6, 0.0004, clusters, 0.3), clustered(), 0.0016, 1e-4, 0.99)),
            // the same without most weights at zero (runs, no in-place pass)
            wider(call(values(rnd, direct, 0.1, 0.0004, clusters, 0.6), clustered(), 0.0016, 1e-4, 0.99)),
            // narrow components far apart, each with its weights (sorted by bucket)
            call(values(rnd, direct, 0, 0.0015, spread(32, 0.2), 0), spread(32, 0.2), 0.002, 1.0 / 32, 0),
            // wide components over the weights' spread (every component, in stored order)
            call(values(rnd, direct, 0, 0.08, null, 0), spread(16, 0.2), 0.027, 1.0 / 16, 0),
            // too few values to plan buckets
            call(values(rnd, 77, 0, 0.05, null, 0), spread(16, 0.2), 0.01, 1.0 / 16, 0));
    }

    /** n values: a share {@code atZero} near 0 (σ), then σ around the given means, a share {@code between} uniform over ±0.07. */
    private static float[] values(Random rnd, int n, double atZero, double sigma, double[] means, double between) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble();
            double v;
            if (means == null) v = sigma * rnd.nextGaussian();
            else if (u < between) v = -0.07 + 0.14 * rnd.nextDouble();
            else if (u > 1 - atZero) v = sigma * rnd.nextGaussian();
            else v = means[rnd.nextInt(means.length)] + sigma * rnd.nextGaussian();
            x[i] = (float) v;
        }
        if (n > 100) { // the open buckets' specials
            x[n / 3] = Float.NaN;
            x[n / 2] = Float.POSITIVE_INFINITY;
            x[2 * n / 3] = -0f;
        }
        return x;
    }

    private static double[] spread(int k, double r) {
        double[] mu = new double[k];
        for (int j = 0; j < k; j++) mu[j] = -r + 2 * r * j / (k - 1);
        return mu;
    }

    private static double[] clustered() {
        return new double[] {-0.0708, -0.0596, -0.0482, -0.0481, -0.048, -0.0415, -0.039, -0.0351, 0, 0.0276, 0.0277, 0.0382,
            0.0411, 0.0412, 0.0494, 0.0617};
    }

    /** A mixture with every σ equal and every π {@code pi} but component 0's, {@code pi0} if positive. */
    private static Call call(float[] x, double[] mu, double sigma, double pi, double pi0) {
        int k = mu.length;
        double[] halfTau = new double[k];
        double[] logWeight = new double[k];
        for (int j = 0; j < k; j++) {
            halfTau[j] = 1 / (2 * sigma * sigma);
            logWeight[j] = Math.log(j == 0 && pi0 > 0 ? pi0 : pi) + 0.5 * Math.log(2 * halfTau[j] / (2 * Math.PI));
        }
        return new Call(x, mu.clone(), halfTau, logWeight);
    }

    /** The call with components 1, 6 and 11 four times as wide. */
    private static Call wider(Call c) {
        double[] halfTau = c.halfTau().clone();
        double[] logWeight = c.logWeight().clone();
        for (int j = 1; j < halfTau.length; j += 5) {
            halfTau[j] /= 16;
            logWeight[j] -= 0.5 * Math.log(16);
        }
        return new Call(c.x(), c.mu(), halfTau, logWeight);
    }

    /** The call with a 17th component, σ 0.01, on the zero component's mean. */
    private static Call withWide(Call c) {
        int k = c.mu().length;
        double[] mu = java.util.Arrays.copyOf(c.mu(), k + 1);
        double[] halfTau = java.util.Arrays.copyOf(c.halfTau(), k + 1);
        double[] logWeight = java.util.Arrays.copyOf(c.logWeight(), k + 1);
        mu[k] = 0.002;
        halfTau[k] = 1 / (2 * 0.01 * 0.01);
        logWeight[k] = Math.log(0.07 / 15) + 0.5 * Math.log(2 * halfTau[k] / (2 * Math.PI));
        return new Call(c.x(), mu, halfTau, logWeight);
    }
}
