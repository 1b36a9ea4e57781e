package dev.regula.gan.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.RegulaException;
import dev.regula.api.StepContext;
import dev.regula.api.optim.Optimizers;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.spec.SpecException;
import dev.regula.gan.testing.TestKernels;
import dev.regula.core.layer.Dense;
import dev.regula.core.layer.Sequential;
import dev.regula.core.loss.MeanSquaredError;
import dev.regula.core.train.RegularizationPipeline;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The provider is found through ServiceLoader from the gan module, and core refuses the output penalty. */
class PriorGuidedPenaltyProviderTest {
    private static final StepContext CTX = new StepContext(Mode.TRAIN, 0, 0, 0.1, 1, TestKernels.selected());

    @Test
    void foundBySpecWithDefaults() {
        Regularizer r = Regularizers.create("prior-guided(lambda=0.5)");
        PriorGuidedPenalty p = assertInstanceOf(PriorGuidedPenalty.class, r);
        assertEquals(0.5, p.lambda(CTX));
        assertEquals(32, p.features().imageSize());
        PriorGuidedPenalty d = (PriorGuidedPenalty) Regularizers.create("prior-guided");
        assertEquals(1.0, d.lambda(CTX));
        PriorGuidedPenalty s = (PriorGuidedPenalty) Regularizers.create("prior-guided(lambda=linear(from=0, to=1, steps=100), size=64)");
        assertEquals(64, s.features().imageSize());
        assertEquals(0.0, s.lambda(CTX));
        assertTrue(Regularizers.installed().providers().stream().anyMatch(x -> x instanceof PriorGuidedPenaltyProvider));
    }

    @Test
    void rejectsOutOfRangeKeys() {
        SpecException size = assertThrows(SpecException.class, () -> Regularizers.create("prior-guided(size=8)"));
        assertTrue(size.getMessage().contains("size") && size.getMessage().contains("[16, 256]"), size.getMessage());
        SpecException lambda = assertThrows(SpecException.class, () -> Regularizers.create("prior-guided(lambda=-0.1)"));
        assertTrue(lambda.getMessage().contains("lambda"), lambda.getMessage());
        assertThrows(SpecException.class, () -> Regularizers.create("prior-guided(lamda=1)"));
    }

    @Test
    void coresParameterPipelineRefusesItClearly() {
        Dense dense = new Dense("dense", 2, 1, 1);
        List<Parameter> params = dense.parameters();
        Regularizer penalty = Regularizers.create("prior-guided(lambda=0.5)");
        RegulaException e = assertThrows(RegulaException.class,
                () -> new RegularizationPipeline(params, List.of(penalty), Optimizers.create("sgd(lr=0.1)"), true));
        assertTrue(e.getMessage().contains("prior-guided"), e.getMessage());
        assertTrue(e.getMessage().contains("no known kind"), e.getMessage());
        TrainingConfig config = TrainingConfig.builder().optimizer("sgd(lr=0.1)").loss(new MeanSquaredError())
                .regularizer("prior-guided(lambda=1)").kernels(TestKernels.selected()).build();
        RegulaException t = assertThrows(RegulaException.class,
                () -> new Trainer(new Sequential("m", new int[] {2}, new Dense("d", 2, 1, 1)), config));
        assertTrue(t.getMessage().contains("prior-guided"), t.getMessage());
    }
}
