package dev.regula.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.NumericalFaultException;
import dev.regula.api.PluginException;
import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.BatchRegularizer;
import dev.regula.api.regularizer.InputGradientRegularizer;
import dev.regula.api.regularizer.LabelMix;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.regularizer.WeightAverager;
import dev.regula.api.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** A batch regularizer that throws, or writes a NaN into the batch. */
    record FaultyBatch(boolean nan) implements BatchRegularizer {
        @Override
        public String name() {
            return "faulty-batch";
        }

        @Override
        public String spec() {
            return "faulty-batch(nan=" + nan + ")";
        }

        @Override
        public LabelMix apply(Tensor features, Tensor labels, StepContext ctx) {
            if (!nan) throw new IllegalStateException("no batch today");
            features.data()[0] = Float.NaN;
            return null;
        }
    }

    /** A weight averager that throws in update. */
    record FaultyAverager() implements WeightAverager {
        @Override
        public String name() {
            return "faulty-average";
        }

        @Override
        public String spec() {
            return "faulty-average()";
        }

        @Override
        public String kind() {
            return "ema";
        }

        @Override
        public void update(List<Parameter> parameters, StepContext ctx) {
            throw new UnsupportedOperationException("cannot average");
        }

        @Override
        public Optional<Tensor> average(Parameter p) {
            return Optional.empty();
        }

        @Override
        public long count() {
            return 0;
        }

        @Override
        public Map<String, Tensor> state() {
            return Map.of();
        }

        @Override
        public void restoreState(Map<String, Tensor> averages, long count) {
        }
    }

    /** An input-gradient penalty whose strength is out of range. */
    record NegativeInputGradient() implements InputGradientRegularizer {
        @Override
        public String name() {
            return "negative-input-gradient";
        }

        @Override
        public String spec() {
            return "negative-input-gradient()";
        }

        @Override
        public double strength(StepContext ctx) {
            return -1;
        }

        @Override
        public double step() {
            return 0.01;
        }
    }

    @Test
    void theCatalogueKindsAreGuardedLikeTheParameterRegularizers() {
        Trainer batch = new Trainer(TrainerTest.mlp(1), TrainerTest.config().epochs(1).regularizer(new FaultyBatch(false)).build());
        PluginException b = assertThrows(PluginException.class, () -> batch.fit(TrainerTest.blobs(64, 1), null));
        assertTrue(b.getMessage().contains("faulty-batch(nan=false)") && b.getMessage().contains(FaultyBatch.class.getName())
                && b.getMessage().contains("apply") && b.getMessage().contains("no batch today"), b.getMessage());

        Trainer nan = new Trainer(TrainerTest.mlp(1), TrainerTest.config().epochs(1).regularizer(new FaultyBatch(true)).build());
        NumericalFaultException n = assertThrows(NumericalFaultException.class, () -> nan.fit(TrainerTest.blobs(64, 1), null));
        assertTrue(n.getMessage().contains("faulty-batch(nan=true)") && n.getMessage().contains("training batch"), n.getMessage());

        Trainer average = new Trainer(TrainerTest.mlp(1), TrainerTest.config().epochs(1).regularizer(new FaultyAverager()).build());
        PluginException a = assertThrows(PluginException.class, () -> average.fit(TrainerTest.blobs(64, 1), null));
        assertTrue(a.getMessage().contains("faulty-average()") && a.getMessage().contains("update")
                && a.getMessage().contains("cannot average"), a.getMessage());

        Trainer input = new Trainer(TrainerTest.mlp(1), TrainerTest.config().epochs(1).regularizer(new NegativeInputGradient()).build());
        PluginException g = assertThrows(PluginException.class, () -> input.fit(TrainerTest.blobs(64, 1), null));
        assertTrue(g.getMessage().contains("negative-input-gradient()") && g.getMessage().contains("lambda = -1.0"), g.getMessage());
    }
}
