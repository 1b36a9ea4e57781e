package dev.regula.examples.recipes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.core.data.Dataset;
import org.junit.jupiter.api.Test;

class KerasStyleNetworkTest {
    @Test
    void kerasPenaltyAndDropoutShrinkTheWeightsAndTheGap() {
        // Few examples in many noisy features: the plain network memorises them.
        Dataset train = Recipes.blobs(100, 40, 3, 1.5f, 1);
        Dataset test = Recipes.blobs(300, 40, 3, 1.5f, 2);
        KerasStyleNetwork.Result plain = KerasStyleNetwork.run(train, test, 0, 30);
        KerasStyleNetwork.Result keras = KerasStyleNetwork.run(train, test, 0.01, 30);
        assertTrue(keras.weightNorm() < 0.5 * plain.weightNorm(), "|W| " + keras.weightNorm() + " vs " + plain.weightNorm());
        assertTrue(keras.gap() < plain.gap(), "gap " + keras.gap() + " vs " + plain.gap());
        assertTrue(plain.gap() > 0.1, "the unregularized network should overfit: " + plain);
    }
}
