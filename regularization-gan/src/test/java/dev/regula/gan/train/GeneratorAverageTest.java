package dev.regula.gan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.gan.testing.TestKernels;
import dev.regula.core.layer.BatchNorm;
import dev.regula.core.layer.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorAverageTest {
    @Test
    void averageFollowsTheDecayScheduleAndLeavesTheLiveGeneratorAlone() {
        Sequential live = Dcgan.generator(16, 4, 3, 8, 1);
        Sequential shadow = Dcgan.generator(16, 4, 3, 8, 99);
        GeneratorAverage avg = new GeneratorAverage(live, shadow, 0.999);
        List<Parameter> lp = live.parameters();
        List<Parameter> sp = shadow.parameters();
        for (int i = 0; i < lp.size(); i++) assertArrayEquals(lp.get(i).value().data(), sp.get(i).value().data());
        float before = sp.get(0).value().data()[0];
        float target = before + 1f;
        lp.get(0).value().data()[0] = target;
        avg.update(); // t = 1: beta = min(0.999, 2/11)
        float beta = (float) (2.0 / 11.0);
        assertEquals(beta * before + (1 - beta) * target, sp.get(0).value().data()[0], 1e-6f);
        assertEquals(target, lp.get(0).value().data()[0]);
    }

    @Test
    void generatesWithTheLiveBatchStatistics() {
        Sequential live = Dcgan.generator(16, 4, 3, 8, 1);
        GeneratorAverage avg = new GeneratorAverage(live, Dcgan.generator(16, 4, 3, 8, 1), 0.9);
        Tensor in = GanTrainer.latents(1, "t", 0, 3, 7);
        live.forward(in, StepContext.eval(TestKernels.selected()));
        Dcgan.batchNorms(live).get(0).runningMean().data()[0] = 0.5f;
        Tensor a = live.forward(in, StepContext.eval(TestKernels.selected()));
        Tensor b = avg.generate(in, TestKernels.selected());
        assertArrayEquals(a.data(), b.data());
    }

    @Test
    void recalibrationGivesTheAverageTheMeanOfItsOwnBatchStatistics() {
        Sequential live = Dcgan.generator(16, 4, 3, 8, 1);
        GeneratorAverage avg = new GeneratorAverage(live, Dcgan.generator(16, 4, 3, 8, 2), 0.9);
        Tensor x = GanTrainer.latents(1, "t", 0, 6, 7);
        Tensor y = GanTrainer.latents(1, "u", 0, 6, 7);
        // the batch statistics of x and of y, read off the live copy (same weights as the average now)
        List<BatchNorm> norms = Dcgan.batchNorms(live);
        float[][] statsX = batchStatistics(live, norms, x);
        float[][] statsY = batchStatistics(live, norms, y);
        float[] both = new float[x.size() + y.size()];
        System.arraycopy(x.data(), 0, both, 0, x.size());
        System.arraycopy(y.data(), 0, both, x.size(), y.size());
        avg.recalibrate(Tensor.wrap(both, 12, 7), 6, TestKernels.selected());
        List<BatchNorm> shadowNorms = Dcgan.batchNorms(avg.shadow());
        for (int i = 0; i < norms.size(); i++) {
            float[] mean = shadowNorms.get(i).runningMean().data();
            float[] var = shadowNorms.get(i).runningVar().data();
            int c = mean.length;
            for (int k = 0; k < c; k++) {
                assertEquals((statsX[i][k] + statsY[i][k]) / 2, mean[k], 1e-5f, "mean of BatchNorm " + i);
                assertEquals((statsX[i][c + k] + statsY[i][c + k]) / 2, var[k], 1e-5f * Math.max(1, var[k]), "variance of BatchNorm " + i);
            }
        }
        Tensor in = GanTrainer.latents(1, "v", 0, 3, 7);
        assertArrayEquals(avg.shadow().forward(in, StepContext.eval(TestKernels.selected())).data(),
                avg.generate(in, TestKernels.selected()).data(), "generate uses the recalibrated statistics");
        avg.update();
        Tensor a = live.forward(in, StepContext.eval(TestKernels.selected()));
        assertArrayEquals(a.data(), avg.generate(in, TestKernels.selected()).data(), 1e-6f,
                "after an update the live statistics are used again (weights equal up to the average's rounding)");
        assertThrows(IllegalArgumentException.class, () -> avg.recalibrate(in, 4, TestKernels.selected()));
        assertThrows(IllegalArgumentException.class, () -> avg.recalibrate(in, 1, TestKernels.selected()));
    }

    /** Per BatchNorm: the TRAIN batch mean (first C values) and unbiased variance (next C) of one batch. */
    private static float[][] batchStatistics(Sequential model, List<BatchNorm> norms, Tensor batch) {
        for (BatchNorm bn : norms) {
            java.util.Arrays.fill(bn.runningMean().data(), 0f);
            java.util.Arrays.fill(bn.runningVar().data(), 0f);
        }
        model.forward(batch, new StepContext(Mode.TRAIN, 0, 0, 0, 0, TestKernels.selected()));
        float[][] out = new float[norms.size()][];
        for (int i = 0; i < norms.size(); i++) {
            BatchNorm bn = norms.get(i);
            int c = bn.channels();
            out[i] = new float[2 * c];
            for (int k = 0; k < c; k++) {
                out[i][k] = (float) (bn.runningMean().data()[k] / bn.momentum());
                out[i][c + k] = (float) (bn.runningVar().data()[k] / bn.momentum());
            }
        }
        return out;
    }

    @Test
    void rejectsMismatchedGeneratorsAndDecay() {
        Sequential live = Dcgan.generator(16, 4, 3, 8, 1);
        assertThrows(IllegalArgumentException.class, () -> new GeneratorAverage(live, Dcgan.generator(32, 4, 3, 8, 1), 0.9));
        assertThrows(IllegalArgumentException.class, () -> new GeneratorAverage(live, Dcgan.generator(16, 4, 3, 8, 1), 1.0));
    }

    /**
     * A run killed between saving its next average and renaming it leaves two files: the one whose
     * step pairs with the state is restored, whichever name it has; none pairing is refused.
     */
    @Test
    void theAverageThatPairsWithTheStateIsRestoredWhicheverNameItHas(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        Sequential live = Dcgan.generator(16, 4, 3, 8, 1);
        GeneratorAverage avg = new GeneratorAverage(live, Dcgan.generator(16, 4, 3, 8, 99), 0.9);
        java.nio.file.Path older = dir.resolve(FaceCaseStudy.RESUME_AVERAGE);
        java.nio.file.Path next = dir.resolve(FaceCaseStudy.NEXT_AVERAGE);
        avg.save(older, 20);
        live.parameters().get(0).value().data()[0] += 1f;
        avg.update();
        float at40 = avg.shadow().parameters().get(0).value().data()[0];
        avg.save(next, 40);
        GeneratorAverage back = new GeneratorAverage(live, Dcgan.generator(16, 4, 3, 8, 5), 0.9);
        back.restore(List.of(older, next), 40);
        assertEquals(at40, back.shadow().parameters().get(0).value().data()[0]);
        back.restore(List.of(older, next), 20);
        assertThrows(dev.regula.api.CorruptDataException.class, () -> back.restore(List.of(older, next), 60));
    }
}
