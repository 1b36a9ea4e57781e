package dev.regula.examples.recipes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.core.data.Dataset;
import org.junit.jupiter.api.Test;

class SmallLearningRateTest {
    @Test
    void theSmallerLearningRateOverfitsLess() {
        Dataset train = Recipes.blobs(100, 40, 3, 1.5f, 1);
        Dataset test = Recipes.blobs(300, 40, 3, 1.5f, 2);
        SmallLearningRate.Result fast = SmallLearningRate.run(train, test, 0.1, 20);
        SmallLearningRate.Result slow = SmallLearningRate.run(train, test, 0.01, 20);
        assertTrue(slow.gap() < fast.gap(), "gap at lr 0.01 " + slow.gap() + " vs lr 0.1 " + fast.gap());
        assertTrue(slow.trainAccuracy() < fast.trainAccuracy(), "lr 0.01 fits the training set less: " + slow + " vs " + fast);
    }
}
