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
 * Recipe: a small learning rate as soft regularization. With the same number of epochs and no
 * penalty, plain SGD at lr 0.01 moves the weights less far from their initialisation than at lr
 * 0.1, so it fits the training set less closely and its train-test gap is smaller (at some cost in
 * test accuracy when training is this short).
 *
 * <p>Run: {@code java -p regularization-examples/target/lib -m
 * dev.regula.examples/dev.regula.examples.recipes.SmallLearningRate [train-examples]} (default
 * 1000 Fashion-MNIST examples).
 */
public final class SmallLearningRate {
    private SmallLearningRate() {
    }

    /**
     * What one run returned.
     *
     * @param lr the learning rate
     * @param weightNorm the Euclidean norm of all weights after training
     * @param trainAccuracy the last epoch's training accuracy
     * @param testAccuracy the last epoch's test accuracy
     */
    public record Result(double lr, double weightNorm, double trainAccuracy, double testAccuracy) {
        /** @return train accuracy minus test accuracy */
        public double gap() {
            return trainAccuracy - testAccuracy;
        }
    }

    /**
     * Trains {@code mlp(hidden=128)} with {@code sgd(lr=lr)} and no regularizer.
     *
     * @param train the training set
     * @param test the test set
     * @param lr the learning rate
     * @param epochs passes over the training set
     * @return the weight norm and accuracies
     */
    public static Result run(Dataset train, Dataset test, double lr, int epochs) {
        Model mlp = Models.installed().parse("mlp(hidden=128)").build(train.exampleShape(), train.numClasses(), 42);
        TrainingConfig config = TrainingConfig.builder()
                .optimizer("sgd(lr=" + lr + ")")
                .loss(new SoftmaxCrossEntropy(0.0))
                .epochs(epochs).batchSize(32).seed(42)
                .build();
        List<EpochMetrics> history = new Trainer(mlp, config).fit(train, test);
        EpochMetrics last = history.getLast();
        return new Result(lr, Recipes.weightNorm(mlp), last.trainAccuracy(), last.validationAccuracy());
    }

    /**
     * Trains on a small Fashion-MNIST subset at lr 0.1 and lr 0.01.
     *
     * @param args optional: the number of training examples (default 1000)
     * @throws IOException if the data cannot be read
     */
    public static void main(String[] args) throws IOException {
        int limit = Recipes.exampleCount(args, 1000);
        FashionMnist data = FashionMnist.load(FashionMnist.DEFAULT_DIRECTORY, limit);
        Dataset test = data.test().subset(0, 1000);
        System.out.printf(Locale.ROOT, "784-128-10 MLP, plain SGD, no regularizer, %d train / %d test examples, 20 epochs%n",
                data.train().size(), test.size());
        for (double lr : new double[] {0.1, 0.01}) {
            Result r = run(data.train(), test, lr, 20);
            System.out.printf(Locale.ROOT, "sgd(lr=%-4s)  |W| %6.2f  train %.4f  test %.4f  gap %+.4f%n",
                    lr, r.weightNorm(), r.trainAccuracy(), r.testAccuracy(), r.gap());
        }
    }
}
