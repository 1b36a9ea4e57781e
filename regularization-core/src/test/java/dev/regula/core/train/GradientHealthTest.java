package dev.regula.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.api.optim.Optimizers;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradientHealthTest {
    @Test
    void pipelineReportsGradientNormsAndTheUpdateToWeightRatio() {
        Parameter w = new Parameter("d", "weight", ParameterRole.WEIGHT, Tensor.of(new float[] {3f, 4f}, 2));
        Parameter b = new Parameter("d", "bias", ParameterRole.BIAS, Tensor.of(new float[] {1f}, 1));
        RegularizationPipeline pipeline = new RegularizationPipeline(List.of(w, b), List.of(), Optimizers.create("sgd(lr=0.1)"), true);
        w.grad().copyFrom(Tensor.of(new float[] {0.6f, -0.8f}, 2));
        b.grad().copyFrom(Tensor.of(new float[] {2f}, 1));
        pipeline.measureNextUpdate();
        pipeline.update(new StepContext(Mode.TRAIN, 0, 0, 0.1, 1L, new ScalarKernels()));
        double[] norms = pipeline.lastGradientNorms();
        assertEquals(1.0, norms[0], 1e-7);
        assertEquals(2.0, norms[1], 1e-7);
        assertEquals(Math.sqrt(5), pipeline.lastGradientNorm(), 1e-7);
        // Δθ = −0.1·g: ‖Δθ‖/‖θ‖ = 0.1·1/5 for the weight, 0.1·2/1 for the bias
        double[] ratios = pipeline.lastUpdateRatios();
        assertEquals(0.02, ratios[0], 1e-7);
        assertEquals(0.2, ratios[1], 1e-7);
        // the next update is not measured unless asked again: the ratios stay those of the measured one
        pipeline.update(new StepContext(Mode.TRAIN, 1, 0, 0.1, 1L, new ScalarKernels()));
        assertEquals(0.02, pipeline.lastUpdateRatios()[0], 1e-7);
    }

    private static EpochMetrics firstEpoch(String modelSpec) {
        Model m = Models.installed().parse(modelSpec).build(new int[] {4}, 3, 3);
        Trainer t = new Trainer(m, TrainerTest.config().epochs(1).build());
        return t.fit(TrainerTest.blobs(96, 1), null).get(0);
    }

    @Test
    void aDeepSigmoidMlpIsReportedAsVanishingAndTheEpochCarriesTheFigures() {
        EpochMetrics deep = firstEpoch("mlp(hidden=16x16x16x16x16x16, activation=sigmoid)");
        Map<String, ParameterStats> byName = new java.util.HashMap<>();
        for (ParameterStats p : deep.parameters()) byName.put(p.name(), p);
        ParameterStats first = byName.get("dense1.weight");
        ParameterStats out = byName.get("out.weight");
        assertTrue(first.gradientNorm() > 0 && Double.isFinite(first.updateRatio()), first.toString());
        assertEquals(ParameterRole.WEIGHT, first.role());
        assertTrue(first.gradientRms() < 1e-3 * out.gradientRms(), first + " vs " + out);
        List<String> warnings = GradientHealth.warnings(deep);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("dense1.weight") && w.contains("vanishing")), warnings.toString());
        assertTrue(warnings.stream().noneMatch(w -> w.contains("out.weight")), warnings.toString());
        // a shallow relu network is healthy
        EpochMetrics shallow = firstEpoch("mlp(hidden=16, activation=relu)");
        assertEquals(List.of(), GradientHealth.warnings(shallow));
    }

    @Test
    void explodingUpdatesAreReported() {
        ParameterStats big = new ParameterStats("d.weight", 4, 1, 1, 0, 10, 3.0, ParameterRole.WEIGHT);
        EpochMetrics m = new EpochMetrics(2, 10, 0.1, 1, 0.5, Map.of(), Double.NaN, Double.NaN, List.of(big), 0, 1, 1);
        List<String> w = GradientHealth.warnings(m);
        assertEquals(1, w.size());
        assertTrue(w.get(0).startsWith("epoch 2: d.weight: exploding updates"), w.get(0));
    }
}
