package dev.regula.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.RegulaException;
import dev.regula.api.UnsupportedShapeException;
import dev.regula.core.data.Dataset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Batch regularizers run at batch assembly in training, never touch the data set, and are reproducible. */
class BatchAssemblyTrainingTest {
    @Test
    void mixupTrainsReproduciblyAndLeavesTheDataSetAlone() {
        Dataset train = TrainerTest.blobs(150, 1);
        float[] before = train.features().data().clone();
        Trainer a = new Trainer(TrainerTest.mlp(3), TrainerTest.config().epochs(3).regularizer("mixup(alpha=0.4)").build());
        a.fit(train, null);
        assertArrayEquals(before, train.features().data(), "the training set is unchanged");
        Trainer b = new Trainer(TrainerTest.mlp(3), TrainerTest.config().epochs(3).regularizer("mixup(alpha=0.4)").build());
        b.fit(train, null);
        assertArrayEquals(TrainerTest.values(a.model()).toArray(), TrainerTest.values(b.model()).toArray(), "same seed, same run");
        Trainer plain = new Trainer(TrainerTest.mlp(3), TrainerTest.config().epochs(3).build());
        plain.fit(train, null);
        assertFalse(Arrays.deepEquals(TrainerTest.values(plain.model()).toArray(), TrainerTest.values(a.model()).toArray()));
        assertTrue(a.evaluate(TrainerTest.blobs(90, 2)).accuracy() > 0.8, "mixup still learns separable blobs");
    }

    @Test
    void imageAugmentationOnFlatFeaturesIsRefusedClearly() {
        Trainer t = new Trainer(TrainerTest.mlp(3), TrainerTest.config().regularizer("flip-shift(image=3x3)").build());
        UnsupportedShapeException e = assertThrows(UnsupportedShapeException.class, () -> t.fit(TrainerTest.blobs(30, 1), null));
        assertTrue(e.getMessage().contains("flip-shift") && e.getMessage().contains("image=1x3x3"), e.getMessage());
    }

    @Test
    void twoMixingRegularizersAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(TrainerTest.mlp(3),
                TrainerTest.config().regularizer("mixup()").regularizer("cutmix()").build()));
        assertTrue(e.getMessage().contains("at most one"), e.getMessage());
    }
}
