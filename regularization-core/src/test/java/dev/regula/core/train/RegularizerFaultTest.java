package dev.regula.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.NumericalFaultException;
import dev.regula.api.PluginException;
import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A regularizer that misbehaves during training (as a third-party plugin may) is named with its
 * origin, its NaN penalty is caught by the NaN policy, and a selector that picks nothing is reported.
 */
class RegularizerFaultTest {
    /** A GRADIENT-stage regularizer with a given penalty, optionally throwing in apply. */
    record Faulty(double penalty, boolean throwInApply, String on) implements ParameterRegularizer {
        @Override
        public String name() {
            return "faulty";
        }

        @Override
        public String spec() {
            return "faulty(on=" + on + ")";
        }

        @Override
        public Stage stage() {
            return Stage.GRADIENT;
        }

        @Override
        public ParameterSelector selector() {
            return ParameterSelector.parse(on);
        }

        @Override
        public double penalty(Parameter p, StepContext ctx) {
            return penalty;
        }

        @Override
        public void apply(Parameter p, StepContext ctx) {
            if (throwInApply) throw new ArrayIndexOutOfBoundsException("index 7 out of bounds for length 3");
        }
    }

    @Test
    void anExceptionInApplyNamesTheRegularizerItsClassAndTheStep() {
        Trainer t = new Trainer(TrainerTest.mlp(1), TrainerTest.config().epochs(1).regularizer(new Faulty(0, true, "weights")).build());
        PluginException e = assertThrows(PluginException.class, () -> t.fit(TrainerTest.blobs(64, 1), null));
        assertTrue(e.getMessage().contains("faulty(on=weights)") && e.getMessage().contains(Faulty.class.getName())
                && e.getMessage().contains("apply") && e.getMessage().contains("step 0 (epoch 1)"), e.getMessage());
    }

    @Test
    void aNanPenaltyStopsTheRunUnderEitherNanPolicy() {
        for (NanPolicy policy : NanPolicy.values()) {
            int[] epochEnds = {0};
            Trainer t = new Trainer(TrainerTest.mlp(1), TrainerTest.config().epochs(2).nanPolicy(policy)
                    .regularizer(new Faulty(Double.NaN, false, "weights")).callback(new TrainingCallback() {
                        @Override
                        public void onEpochEnd(Trainer trainer, EpochMetrics m) {
                            epochEnds[0]++;
                        }
                    }).build());
            NumericalFaultException e = assertThrows(NumericalFaultException.class, () -> t.fit(TrainerTest.blobs(64, 1), null));
            assertTrue(e.getMessage().contains("faulty(on=weights)") && e.getMessage().contains("end of epoch 1")
                    && e.getMessage().contains(Faulty.class.getName()), e.getMessage());
            assertEquals(0, epochEnds[0], "the epoch's callbacks (metrics, checkpoint) never see a NaN penalty");
        }
    }

    @Test
    void aSelectorThatMatchesNoParameterIsReported() {
        Trainer t = new Trainer(TrainerTest.mlp(1), TrainerTest.config().regularizer(new Faulty(0, false, "name:nothing"))
                .regularizer("l2(lambda=1e-4)").build());
        assertEquals(List.of("faulty(on=name:nothing)"), t.pipeline().unmatchedRegularizers());
    }

    @Test
    void nanMessagesCountEpochsFromOneAsTheEpochLinesDo() {
        Trainer t = new Trainer(TrainerTest.mlp(1), TrainerTest.config().optimizer("sgd(lr=1e38)").epochs(3).build());
        NumericalFaultException e = assertThrows(NumericalFaultException.class, () -> t.fit(TrainerTest.blobs(64, 1), null));
        assertTrue(e.getMessage().contains("(epoch 1)"), e.getMessage());
    }
}
