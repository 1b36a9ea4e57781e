package dev.regula.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.core.data.Splits;
import org.junit.jupiter.api.Test;

/** The batch-of-one check over every training-set size of a run, and the batch size it suggests. */
class LastBatchOfOneTest {
    private static final Model BN = Models.installed().parse("mlp(hidden=6, batchnorm=true)").build(new int[] {4}, 3, 1);
    private static final Model PLAIN = Models.installed().parse("mlp(hidden=6)").build(new int[] {4}, 3, 1);

    @Test
    void everySizeIsCheckedAndTheSuggestionWorksForAllOfThem() {
        // 1101 examples in 10 folds: the folds train on 990 and 991, the final fit on 1101
        int[] sizes = java.util.Arrays.copyOf(Splits.kFoldTrainingSizes(1101, 10), 11);
        sizes[10] = 1101;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LastBatchOfOne.check(BN, 100, "the folds", sizes));
        assertTrue(e.getMessage().contains("the folds train on 990, 991 and 1101 examples; 1101 is one more than a multiple of the"
                + " batch size 100"), e.getMessage());
        // 99 would leave one of the folds' 991: the suggestion is the nearest size that leaves none anywhere
        assertTrue(e.getMessage().contains("at least 2 in every one, such as 101"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LastBatchOfOne.check(BN, 99, "the folds", sizes));
        assertDoesNotThrow(() -> LastBatchOfOne.check(BN, 101, "the folds", sizes));
        assertDoesNotThrow(() -> LastBatchOfOne.check(PLAIN, 100, "the folds", sizes), "no BatchNorm, nothing to refuse");
    }

    @Test
    void oneExampleOrABatchSizeOfOneIsNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LastBatchOfOne.check(BN, 8, "the training set", 1))
                .getMessage().contains("the training set has 1 example, but BatchNorm layer 'bn1' needs at least 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LastBatchOfOne.check(BN, 1, "the training set", 10))
                .getMessage().contains("10 examples, and a batch size of 1, so a batch of 1 example"));
        assertDoesNotThrow(() -> LastBatchOfOne.check(BN, 8, "the training set", 10));
    }

    @Test
    void theFoldSizesAreThoseKFoldTrainsOn() {
        dev.regula.core.data.Dataset data = TrainerTest.blobs(23, 1);
        var folds = Splits.kFold(data, 5, 3);
        int[] sizes = new int[5];
        for (int i = 0; i < 5; i++) sizes[i] = folds.get(i).training().size();
        assertArrayEquals(sizes, Splits.kFoldTrainingSizes(23, 5));
    }
}
