package dev.regula.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.core.data.Dataset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trainer runs output and activity regularizers in training and reports their penalties. */
class OutputAndActivityTrainingTest {
    private static final Dataset TRAIN = TrainerTest.blobs(150, 1);

    private static Trainer fit(String... specs) {
        TrainingConfig.Builder b = TrainerTest.config().epochs(2);
        for (String s : specs) b.regularizer(s);
        Trainer t = new Trainer(TrainerTest.mlp(3), b.build());
        List<EpochMetrics> m = t.fit(TRAIN, null);
        for (String s : specs) {
            String spec = t.config().regularizers().stream().filter(r -> r.spec().startsWith(s.substring(0, s.indexOf('('))))
                    .findFirst().orElseThrow().spec();
            assertTrue(m.getLast().penalties().containsKey(spec), spec + " is reported: " + m.getLast().penalties());
        }
        return t;
    }

    @Test
    void zeroStrengthGivesTheUnregularizedRunBitForBit() {
        float[][] plain = TrainerTest.values(fit().model()).toArray(float[][]::new);
        assertArrayEquals(plain, TrainerTest.values(fit("confidence-penalty(beta=0)").model()).toArray(float[][]::new));
        assertArrayEquals(plain, TrainerTest.values(fit("activity(l1=0, l2=0)").model()).toArray(float[][]::new));
    }

    @Test
    void nonZeroStrengthChangesTrainingAndReportsThePenalty() {
        float[][] plain = TrainerTest.values(fit().model()).toArray(float[][]::new);
        Trainer confident = fit("confidence-penalty(beta=0.5)");
        assertFalse(Arrays.deepEquals(plain, TrainerTest.values(confident.model()).toArray(float[][]::new)));
        Trainer activity = fit("activity(l1=1e-3, l2=1e-3)");
        assertFalse(Arrays.deepEquals(plain, TrainerTest.values(activity.model()).toArray(float[][]::new)));
    }
}
