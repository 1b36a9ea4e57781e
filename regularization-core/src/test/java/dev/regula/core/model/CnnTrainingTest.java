package dev.regula.core.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.model.Layer;
import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pieces fit together: a small cnn, regularized, learns to tell bars from crosses in noise. */
class CnnTrainingTest {
    private static final int SIDE = 8;

    /**
     * Flat 8×8 images, three classes: a horizontal bar, a vertical bar or a diagonal, each at a
     * random offset, over uniform noise.
     */
    static Dataset shapes(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * SIDE * SIDE];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int label = i % 3;
            y[i] = label;
            int base = i * SIDE * SIDE;
            for (int p = 0; p < SIDE * SIDE; p++) x[base + p] = (float) (r.nextDouble() * 0.6);
            int at = r.nextInt(1, SIDE - 1);
            for (int t = 1; t < SIDE - 1; t++) {
                int row = label == 0 ? at : t;
                int col = label == 1 ? at : label == 0 ? t : (t + at) % SIDE;
                x[base + row * SIDE + col] += 1f;
            }
        }
        return new Dataset(Tensor.wrap(x, n, SIDE * SIDE), Tensor.wrap(y, n), 3);
    }

    @Test
    void learnsAboveChanceWithL2AndDropout() {
        Model cnn = Models.installed().parse("cnn(channels=4x8, dense=16)").build(new int[] {SIDE * SIDE}, 3, 5);
        TrainingConfig config = TrainingConfig.builder().optimizer("adam(lr=0.01)").loss(new SoftmaxCrossEntropy(0))
                .regularizer("l2(lambda=1e-4)").regularizer("dropout(p=0.1)")
                .epochs(4).batchSize(16).seed(3).kernels(new ScalarKernels()).build();
        Trainer t = new Trainer(cnn, config);
        List<String> names = t.model().layers().stream().map(Layer::name).toList();
        assertTrue(names.indexOf("dropout1") == names.indexOf("relu1") + 1
                && names.indexOf("dropout3") == names.indexOf("relu_dense") + 1, "dropout after each hidden ReLU: " + names);
        List<EpochMetrics> history = t.fit(shapes(300, 1), shapes(150, 2));
        EpochMetrics last = history.get(history.size() - 1);
        assertTrue(last.validationAccuracy() > 0.8, "validation accuracy " + last.validationAccuracy() + " (chance 0.33)");
        assertTrue(last.trainLoss() < history.get(0).trainLoss(), "loss must fall: " + history);
        assertTrue(last.penalties().values().stream().anyMatch(v -> v > 0), "l2 must contribute: " + last.penalties());
    }
}
