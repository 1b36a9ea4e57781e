package dev.regula.examples.recipes;

import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.loss.MeanSquaredError;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Recipe: ridge (L2) linear regression by gradient descent on synthetic data, y = x·w* + noise.
 * The weight norm shrinks as λ grows; λ = 0 is plain least squares.
 *
 * <p>Run: {@code java -p regularization-examples/target/lib -m
 * dev.regula.examples/dev.regula.examples.recipes.L2LinearRegression}
 */
public final class L2LinearRegression {
    /** The true weights of the synthetic data. */
    static final float[] TRUE_WEIGHTS = {3f, -2f, 1f, 0.5f, 0f};

    private L2LinearRegression() {
    }

    /**
     * What one fit returned.
     *
     * @param lambda the L2 strength
     * @param weights the learned weights
     * @param weightNorm their Euclidean norm
     * @param trainLoss the final training mean squared error (penalty excluded)
     */
    public record Fit(double lambda, float[] weights, double weightNorm, double trainLoss) {
    }

    /** @return {@code n} examples of y = x·w* + N(0, 0.5²) with x ~ N(0, I) */
    static Dataset data(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = TRUE_WEIGHTS.length;
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double t = 0;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) r.nextGaussian();
                t += x[i * d + j] * TRUE_WEIGHTS[j];
            }
            y[i] = (float) (t + 0.5 * r.nextGaussian());
        }
        return new Dataset(Tensor.wrap(x, n, d), Tensor.wrap(y, n, 1), 0);
    }

    /**
     * Fits y = Wx + b by mini-batch gradient descent with an L2 penalty of strength λ on W.
     *
     * @param train the data
     * @param lambda the L2 strength ({@code 0} for none)
     * @param epochs passes over the data
     * @return the fit
     */
    public static Fit fit(Dataset train, double lambda, int epochs) {
        Model model = Models.installed().parse("linear()").build(new int[] {train.exampleShape()[0]}, 1, 42);
        TrainingConfig.Builder b = TrainingConfig.builder()
                .optimizer("sgd(lr=0.05)")
                .loss(new MeanSquaredError())
                .epochs(epochs).batchSize(32).seed(42);
        if (lambda > 0) b.regularizer("l2(lambda=" + lambda + ")");
        Trainer trainer = new Trainer(model, b.build());
        var history = trainer.fit(train, train);
        float[] w = model.parameters().stream().filter(p -> p.layer().equals("out") && p.role().name().equals("WEIGHT"))
                .findFirst().orElseThrow().value().data().clone();
        return new Fit(lambda, w, Recipes.weightNorm(model), history.getLast().validationLoss());
    }

    /**
     * Fits the synthetic data for λ = 0, 0.1, 1, 10 and prints the weights.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Dataset train = data(500, 1);
        System.out.println("true weights   " + format(TRUE_WEIGHTS));
        for (double lambda : new double[] {0, 0.1, 1, 10}) {
            Fit f = fit(train, lambda, 30);
            System.out.printf(Locale.ROOT, "lambda %-5s  weights %s  |w| %.3f  train mse %.3f%n",
                    lambda, format(f.weights()), f.weightNorm(), f.trainLoss());
        }
    }

    private static String format(float[] w) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < w.length; i++) sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%6.3f", w[i]));
        return sb.append(']').toString();
    }
}
