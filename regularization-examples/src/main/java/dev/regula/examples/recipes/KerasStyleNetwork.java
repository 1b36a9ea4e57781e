package dev.regula.examples.recipes;

import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.core.data.Dataset;
import dev.regula.core.data.FashionMnist;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Recipe: the Keras classic
 * {@code Dense(64, activation='relu', kernel_regularizer=l1_l2(l1=0.01, l2=0.01)), Dropout(0.5),
 * Dense(10)} as Regula spec text: {@code mlp(hidden=64)} with {@code keras-l1-l2(l1=0.01, l2=0.01)}
 * (Keras' own factors: l1·Σ|w| + l2·Σw², on the weights of every dense layer, as Keras users put it
 * on each layer) and {@code dropout(p=0.5)} after the hidden activation.
 *
 * <p>Run: {@code java -p regularization-examples/target/lib -m
 * dev.regula.examples/dev.regula.examples.recipes.KerasStyleNetwork [train-examples]} (default
 * 3000 Fashion-MNIST examples).
 */
public final class KerasStyleNetwork {
    private KerasStyleNetwork() {
    }

    /**
     * What one run returned.
     *
     * @param strength the Keras l1 = l2 strength, {@code 0} for no penalty and no dropout
     * @param weightNorm the Euclidean norm of all weights after training
     * @param trainAccuracy the last epoch's training accuracy
     * @param testAccuracy the last epoch's test accuracy
     */
    public record Result(double strength, double weightNorm, double trainAccuracy, double testAccuracy) {
        /** @return train accuracy minus test accuracy */
        public double gap() {
            return trainAccuracy - testAccuracy;
        }
    }

    /**
     * Trains {@code mlp(hidden=64)} with Adam, with {@code keras-l1-l2(l1=s, l2=s)} and
     * {@code dropout(p=0.5)}, or with neither when {@code s = 0}.
     *
     * @param train the training set
     * @param test the test set
     * @param strength s, the Keras l1 = l2 strength (the recipe's is 0.01); 0 for none
     * @param epochs passes over the training set
     * @return the weight norm and accuracies
     */
    public static Result run(Dataset train, Dataset test, double strength, int epochs) {
        Model mlp = Models.installed().parse("mlp(hidden=64)").build(train.exampleShape(), train.numClasses(), 42);
        TrainingConfig.Builder b = TrainingConfig.builder()
                .optimizer("adam(lr=0.001)")
                .loss(new SoftmaxCrossEntropy(0.0))
                .epochs(epochs).batchSize(32).seed(42);
        if (strength > 0) b.regularizer(spec(strength)).regularizer("dropout(p=0.5)");
        List<EpochMetrics> history = new Trainer(mlp, b.build()).fit(train, test);
        EpochMetrics last = history.getLast();
        return new Result(strength, Recipes.weightNorm(mlp), last.trainAccuracy(), last.validationAccuracy());
    }

    private static String spec(double strength) {
        return "keras-l1-l2(l1=" + strength + ", l2=" + strength + ")";
    }

    /**
     * Trains on a Fashion-MNIST subset with and without the Keras regularization.
     *
     * @param args optional: the number of training examples (default 3000)
     * @throws IOException if the data cannot be read
     */
    public static void main(String[] args) throws IOException {
        int limit = Recipes.exampleCount(args, 3000);
        FashionMnist data = FashionMnist.load(FashionMnist.DEFAULT_DIRECTORY, limit);
        Dataset test = data.test().subset(0, 2000);
        System.out.printf(Locale.ROOT, "784-64-10 MLP, adam(lr=0.001), %d train / %d test examples, 10 epochs%n",
                data.train().size(), test.size());
        for (double strength : new double[] {0, 0.01, 1e-4}) {
            Result r = run(data.train(), test, strength, 10);
            System.out.printf(Locale.ROOT, "%-49s |W| %6.2f  train %.4f  test %.4f  gap %+.4f%n",
                    strength > 0 ? spec(strength) + "; dropout(p=0.5)" : "none",
                    r.weightNorm(), r.trainAccuracy(), r.testAccuracy(), r.gap());
        }
    }
}
