package dev.regula.examples.recipes;

import dev.regula.api.model.Model;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import java.util.SplittableRandom;

/** Small helpers shared by the recipes: synthetic data and weight statistics. */
final class Recipes {
    private Recipes() {
    }

    /**
     * Noisy classes in {@code d} features: class c shifts feature c by {@code shift}; the rest is
     * Gaussian noise, so a network with enough capacity can memorise a small training set.
     */
    static Dataset blobs(int n, int d, int classes, float shift, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(classes);
            y[i] = c;
            for (int j = 0; j < d; j++) x[i * d + j] = (float) r.nextGaussian() + (j == c ? shift : 0f);
        }
        return new Dataset(Tensor.wrap(x, n, d), Tensor.wrap(y, n), classes);
    }

    /** @return the Euclidean norm of all weight matrices of {@code model} (biases excluded) */
    static double weightNorm(Model model) {
        double s = 0;
        for (Parameter p : model.parameters()) {
            if (p.role() != ParameterRole.WEIGHT) continue;
            for (float v : p.value().data()) s += (double) v * v;
        }
        return Math.sqrt(s);
    }

    /** @return the fraction of exactly zero weights in layer {@code layer} */
    static double zeroFraction(Model model, String layer) {
        long zeros = 0;
        long all = 0;
        for (Parameter p : model.parameters()) {
            if (p.role() != ParameterRole.WEIGHT || !p.layer().equals(layer)) continue;
            for (float v : p.value().data()) {
                if (dev.regula.core.train.ParameterStats.isZero(v)) zeros++;
                all++;
            }
        }
        if (all == 0) throw new IllegalArgumentException("model has no weights in layer '" + layer + "'");
        return (double) zeros / all;
    }

    /**
     * @param args a program's arguments: none, or the number of training examples
     * @param defaultCount the count without an argument
     * @return the count
     * @throws IllegalArgumentException naming the argument and the allowed range if it is not a
     *     whole number in [1, 60000]
     */
    static int exampleCount(String[] args, int defaultCount) {
        if (args.length == 0) return defaultCount;
        try {
            int n = Integer.parseInt(args[0].strip());
            if (n >= 1 && n <= 60_000) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("the argument is the number of training examples, a whole number in [1, 60000]; got '"
                + args[0] + "'");
    }
}
