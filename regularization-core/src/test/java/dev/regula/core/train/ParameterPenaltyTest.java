package dev.regula.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.callbacks.CsvLogger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each parameter penalty split by parameter: the parts are R(θ) per parameter and add up to the total. */
class ParameterPenaltyTest {
    private static final double L2 = 1e-2;
    private static final double L1 = 1e-3;

    private static Dataset blobs(int n) {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int d = 0; d < 4; d++) x[i * 4 + d] = (float) ((d == i % 3 ? 2.0 : 0.0) + r.nextGaussian() * 0.5);
        }
        return new Dataset(Tensor.wrap(x, n, 4), Tensor.wrap(y, n), 3);
    }

    private static double sumSquares(Parameter p) {
        double s = 0;
        for (float v : p.value().data()) s += (double) v * v;
        return s;
    }

    private static double sumAbs(Parameter p) {
        double s = 0;
        for (float v : p.value().data()) s += Math.abs(v);
        return s;
    }

    @Test
    void thePartsArePerParameterPenaltiesThatSumToEachRegularizersTotal(@TempDir Path dir) throws IOException {
        Model model = Models.installed().parse("mlp(hidden=8x8)").build(new int[] {4}, 3, 3);
        Path csv = dir.resolve("log.csv");
        TrainingConfig config = TrainingConfig.builder().optimizer("sgd(lr=0.05)").loss(new SoftmaxCrossEntropy(0)).epochs(2).batchSize(16)
                .seed(5).kernels(new ScalarKernels()).regularizer("l2(lambda=" + L2 + ")").regularizer("l1(lambda=" + L1 + ", on=biases)")
                .regularizer("orthogonal(lambda=1e-3)").regularizer("activity(l2=1e-3)")
                .callback(new CsvLogger(csv, false)).build();
        List<EpochMetrics> history = new Trainer(model, config).fit(blobs(48), null);
        EpochMetrics last = history.getLast();
        List<ParameterPenalty> parts = last.parameterPenalties();

        List<Parameter> weights = model.parameters().stream().filter(p -> p.role() == ParameterRole.WEIGHT).toList();
        List<Parameter> biases = model.parameters().stream().filter(p -> p.role() == ParameterRole.BIAS).toList();
        assertEquals(3, weights.size());
        assertEquals(3, biases.size());
        int specsWithParts = 0;
        for (Map.Entry<String, Double> e : last.penalties().entrySet()) {
            List<ParameterPenalty> mine = parts.stream().filter(p -> p.regularizer().equals(e.getKey())).toList();
            if (e.getKey().startsWith("activity(")) {
                assertTrue(mine.isEmpty(), "an activity penalty depends on the batch and has no parameter parts: " + mine);
                continue;
            }
            specsWithParts++;
            double sum = 0;
            for (ParameterPenalty p : mine) sum += p.value();
            assertEquals(e.getValue(), sum, 0.0, "the parts of " + e.getKey() + " sum to its total, in the same order");
            assertTrue(e.getValue() > 0, e.getKey() + " acts: " + e.getValue());
            List<Parameter> targets = e.getKey().startsWith("l1(") ? biases : weights;
            assertEquals(targets.stream().map(Parameter::name).toList(), mine.stream().map(ParameterPenalty::parameter).toList(),
                    "one part per parameter the selector of " + e.getKey() + " picks, in order");
            for (int i = 0; i < targets.size(); i++) {
                Parameter p = targets.get(i);
                double expected = e.getKey().startsWith("l2(") ? L2 / 2 * sumSquares(p)
                        : e.getKey().startsWith("l1(") ? L1 * sumAbs(p) : Double.NaN;
                if (!Double.isNaN(expected)) {
                    assertEquals(expected, mine.get(i).value(), 1e-6 * expected, e.getKey() + " on " + p.name() + " by hand");
                }
            }
        }
        assertEquals(3, specsWithParts, "l2, l1 and orthogonal are split by parameter: " + last.penalties().keySet());
        assertEquals(parts.size(), 3 + 3 + 3, parts.toString());

        // the loggers' standard record carries the parts as penalty/<spec>/<parameter>
        List<String> lines = Files.readAllLines(csv);
        assertEquals(3, lines.size(), "header and two epochs");
        String l2Spec = last.penalties().keySet().stream().filter(k -> k.startsWith("l2(")).findFirst().orElseThrow();
        String column = "penalty/" + l2Spec + "/" + weights.getFirst().name();
        assertTrue(lines.get(0).contains(column), column + " in " + lines.get(0));
    }
}
