package dev.regula.gan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.gan.testing.TestKernels;
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
    void rejectsMismatchedGeneratorsAndDecay() {
        Sequential live = Dcgan.generator(16, 4, 3, 8, 1);
        assertThrows(IllegalArgumentException.class, () -> new GeneratorAverage(live, Dcgan.generator(32, 4, 3, 8, 1), 0.9));
        assertThrows(IllegalArgumentException.class, () -> new GeneratorAverage(live, Dcgan.generator(16, 4, 3, 8, 1), 1.0));
    }
}
