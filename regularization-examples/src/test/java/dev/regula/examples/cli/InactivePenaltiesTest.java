package dev.regula.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.core.train.EpochMetrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InactivePenaltiesTest {
    private static final String IDLE = "soft-constraint(lambda=0.01, max=2)";
    private static final String ACTIVE = "soft-constraint(lambda=0.01, max=0.1)";

    private static EpochMetrics epoch(int e, Map<String, Double> penalties) {
        return new EpochMetrics(e, 10L * (e + 1), 0.1, 1.0, 0.5, penalties, 1.0, 0.5, List.of(), 0, 1.0, 100.0);
    }

    @Test
    void aSoftConstraintWithPenaltyZeroAtEveryEpochIsReportedOnceAndAnActiveOneIsNot() {
        List<EpochMetrics> history = List.of(
                epoch(0, Map.of(IDLE, 0.0, ACTIVE, 0.3, "l2(lambda=1e-4)", 0.0)),
                epoch(1, Map.of(IDLE, 0.0, ACTIVE, 0.0, "l2(lambda=1e-4)", 0.0)));
        StringWriter text = new StringWriter();
        List<String> inactive = InactivePenalties.warn(history, List.of(), new PrintWriter(text));
        assertEquals(List.of(IDLE), inactive, "only soft constraints, and only those that never had a penalty");
        String[] lines = text.toString().split("\\R");
        assertEquals(1, lines.length, text.toString());
        assertTrue(lines[0].startsWith("regula: warning: " + IDLE + " never acted: it added no gradient and moved no weight"), lines[0]);
    }

    @Test
    void aConstraintThatActedOnceOrARunWithoutEpochsIsNotReported() {
        assertEquals(List.of(), InactivePenalties.inactive(List.of(epoch(0, Map.of(IDLE, 0.0)), epoch(1, Map.of(IDLE, 1e-12))), List.of()));
        assertEquals(List.of(), InactivePenalties.inactive(List.of(), List.of()));
    }

    /**
     * A constraint whose penalty reads 0 at every epoch end acted all the same where its λ was 0
     * then and its annealed projection moved the weights: it is not reported.
     */
    @Test
    void aConstraintWhoseProjectionMovedTheWeightsIsNotReported() {
        String spec = "soft-constraint(lambda=0, max=0.3, anneal_steps=1)";
        var r = dev.regula.api.regularizer.Regularizers.installed().parse(spec);
        var p = new dev.regula.api.param.Parameter("dense1", "weight", dev.regula.api.param.ParameterRole.WEIGHT,
                dev.regula.api.tensor.Tensor.of(new float[] {3, 4}, 1, 2));
        List<EpochMetrics> history = List.of(epoch(0, Map.of(r.spec(), 0.0)));
        assertEquals(List.of(r.spec()), InactivePenalties.inactive(history, List.of(r)), "before any step");
        ((dev.regula.api.regularizer.ParameterRegularizer) r).apply(p, new dev.regula.api.StepContext(dev.regula.api.Mode.TRAIN, 1, 0,
                0.1, 0, new dev.regula.core.kernels.ScalarKernels()));
        assertEquals(0.3, Math.hypot(p.value().data()[0], p.value().data()[1]), 1e-6, "the projection acted");
        assertEquals(List.of(), InactivePenalties.inactive(history, List.of(r)));
    }
}
