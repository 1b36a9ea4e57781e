package dev.regula.gan.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.optim.Optimizers;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.layer.Dense;
import dev.regula.core.layer.Sequential;
import dev.regula.core.loss.MeanSquaredError;
import dev.regula.core.train.RegularizationPipeline;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import dev.regula.gan.testing.TestKernels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The provider is found through ServiceLoader from the gan module, and core's pipeline runs it as an output regularizer. */
class PriorGuidedPenaltyProviderTest {
    @Test
    void foundBySpecWithDefaults() {
        Regularizer r = Regularizers.create("prior-guided(lambda=0.5, size=16)");
        PriorGuidedPenalty p = assertInstanceOf(PriorGuidedPenalty.class, r);
        assertEquals(16, p.probe().imageSize());
        assertEquals(List.of("smiling", "glasses", "dark_hair", "pale_skin"), p.probe().names());
        PriorGuidedPenalty s = (PriorGuidedPenalty) Regularizers.create("prior-guided(learnable=true, attributes=Glasses+smiling, size=16)");
        assertTrue(s.learnable());
        assertEquals(List.of("glasses", "smiling"), s.probe().names());
        assertTrue(Regularizers.installed().providers().stream().anyMatch(x -> x instanceof PriorGuidedPenaltyProvider));
    }

    @Test
    void rejectsUnknownAttributesAndOutOfRangeKeys() {
        SpecException attr = assertThrows(SpecException.class, () -> Regularizers.create("prior-guided(attributes=smiling+beard)"));
        assertTrue(attr.getMessage().contains("beard") && attr.getMessage().contains("dark_hair"), attr.getMessage());
        SpecException size = assertThrows(SpecException.class, () -> Regularizers.create("prior-guided(size=8)"));
        assertTrue(size.getMessage().contains("size"), size.getMessage());
        SpecException lambda = assertThrows(SpecException.class, () -> Regularizers.create("prior-guided(lambda=-0.1)"));
        assertTrue(lambda.getMessage().contains("lambda"), lambda.getMessage());
        assertThrows(SpecException.class, () -> Regularizers.create("prior-guided(lamda=1)"));
    }

    @Test
    void coresPipelineRunsItAsAnOutputRegularizerAndTheTrainerNamesAShapeMismatch() {
        Regularizer penalty = Regularizers.create("prior-guided(lambda=0.5, size=16)");
        RegularizationPipeline pipeline = new RegularizationPipeline(new Dense("dense", 2, 1, 1).parameters(), List.of(penalty),
                Optimizers.create("sgd(lr=0.1)"), true);
        assertEquals(List.of(penalty), pipeline.outputRegularizers());
        TrainingConfig config = TrainingConfig.builder().optimizer("sgd(lr=0.1)").loss(new MeanSquaredError())
                .regularizer("prior-guided(lambda=1, size=16)").kernels(TestKernels.selected()).epochs(1).batchSize(2).build();
        Trainer t = new Trainer(new Sequential("m", new int[] {2}, new Dense("d", 2, 1, 1)), config);
        Dataset data = new Dataset(Tensor.zeros(4, 2), Tensor.zeros(4, 1), 0);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> t.fit(data, null));
        assertTrue(e.getMessage().contains("prior-guided") && e.getMessage().contains("image generators"), e.getMessage());
    }
}
