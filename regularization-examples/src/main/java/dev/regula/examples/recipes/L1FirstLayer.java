package dev.regula.examples.recipes;

import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.core.data.FashionMnist;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Recipe: an L1 penalty on the first layer only of a 784-128-10 MLP on Fashion-MNIST. The
 * proximal form ({@code l1-proximal}, soft-thresholding after each step) gives exact zeros, so the
 * first layer becomes sparse (input pixels it ignores) while the output layer is left alone.
 *
 * <p>Run: {@code java -p regularization-examples/target/lib -m
 * dev.regula.examples/dev.regula.examples.recipes.L1FirstLayer [train-examples]} (default 3000;
 * the data is read from {@link FashionMnist#DEFAULT_DIRECTORY}).
 */
public final class L1FirstLayer {
    private L1FirstLayer() {
    }

    /**
     * What one run returned.
     *
     * @param lambda the L1 strength on {@code dense1}
     * @param firstLayerZeros the fraction of exactly zero weights in {@code dense1}
     * @param outputLayerZeros the fraction of exactly zero weights in {@code out}
     * @param testAccuracy the accuracy on the test examples used
     */
    public record Result(double lambda, double firstLayerZeros, double outputLayerZeros, double testAccuracy) {
    }

    /**
     * Trains {@code mlp(hidden=128)} with {@code l1-proximal(lambda=λ, on=layer:dense1)}.
     *
     * @param data the training and test sets
     * @param lambda the L1 strength ({@code 0} for none)
     * @param epochs passes over the training set
     * @return the sparsity and accuracy
     */
    public static Result run(FashionMnist data, double lambda, int epochs) {
        Model mlp = Models.installed().parse("mlp(hidden=128)").build(new int[] {784}, 10, 42);
        TrainingConfig.Builder b = TrainingConfig.builder()
                .optimizer("sgd(lr=0.05, momentum=0.9)")
                .loss(new SoftmaxCrossEntropy(0.0))
                .epochs(epochs).batchSize(64).seed(42);
        if (lambda > 0) b.regularizer("l1-proximal(lambda=" + lambda + ", on=layer:dense1)");
        List<EpochMetrics> history = new Trainer(mlp, b.build()).fit(data.train(), data.test());
        return new Result(lambda, Recipes.zeroFraction(mlp, "dense1"), Recipes.zeroFraction(mlp, "out"),
                history.getLast().validationAccuracy());
    }

    /**
     * Trains on a subset of Fashion-MNIST without and with the first-layer L1 penalty.
     *
     * @param args optional: the number of training examples (default 3000)
     * @throws IOException if the data cannot be read
     */
    public static void main(String[] args) throws IOException {
        int limit = Recipes.exampleCount(args, 3000);
        FashionMnist full = FashionMnist.load(FashionMnist.DEFAULT_DIRECTORY, limit);
        FashionMnist data = new FashionMnist(full.train(), full.test().subset(0, 2000));
        System.out.printf(Locale.ROOT, "784-128-10 MLP, %d train / %d test examples, 5 epochs%n",
                data.train().size(), data.test().size());
        for (double lambda : new double[] {0, 1e-3, 1e-2}) {
            Result r = run(data, lambda, 5);
            System.out.printf(Locale.ROOT, "l1-proximal(lambda=%s, on=layer:dense1): dense1 zeros %5.1f%%, out zeros %4.1f%%, test accuracy %.4f%n",
                    lambda, 100 * r.firstLayerZeros(), 100 * r.outputLayerZeros(), r.testAccuracy());
        }
    }
}
