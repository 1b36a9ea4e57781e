package dev.regula.core.regularizer.averaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.regularizer.WeightAverager;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightAveragingTest {
    private static WeightAverager create(String spec) {
        return (WeightAverager) Regularizers.installed().parse(spec);
    }

    private static StepContext at(long step, int epoch) {
        return new StepContext(Mode.TRAIN, step, epoch, 0.1, 1, new ScalarKernels());
    }

    private static Parameter weight(float... v) {
        return new Parameter("dense", "weight", ParameterRole.WEIGHT, Tensor.of(v.clone(), v.length));
    }

    @Test
    void emaWithoutWarmupFollowsTheRecurrence() {
        WeightAverager ema = create("ema(decay=0.5, warmup=false)");
        assertEquals("ema", ema.kind());
        Parameter p = weight(4f);
        ema.update(List.of(p), at(0, 0)); // first update copies: 4
        p.value().data()[0] = 8f;
        ema.update(List.of(p), at(1, 0)); // 0.5·4 + 0.5·8 = 6
        p.value().data()[0] = 0f;
        ema.update(List.of(p), at(2, 0)); // 0.5·6 + 0.5·0 = 3
        assertEquals(3f, ema.average(p).orElseThrow().get(0), 0f);
        assertEquals(3, ema.count());
        assertEquals(0f, p.value().get(0), "the live weights are untouched");
    }

    @Test
    void emaWarmupUsesTheTensorFlowNumUpdatesDecay() {
        WeightAverager ema = create("ema(decay=0.999)");
        Parameter p = weight(10f);
        ema.update(List.of(p), at(0, 0)); // copy: 10
        p.value().data()[0] = 0f;
        ema.update(List.of(p), at(1, 0)); // d = min(0.999, 2/11): 10·2/11
        double expected = 10.0 * 2 / 11;
        assertEquals(expected, ema.average(p).orElseThrow().get(0), 1e-5);
        ema.update(List.of(p), at(2, 0)); // d = 3/12
        assertEquals(expected * 3 / 12, ema.average(p).orElseThrow().get(0), 1e-5);
    }

    @Test
    void swaIsTheArithmeticMeanFromTheStartEpochEveryNthStep() {
        WeightAverager swa = create("swa(start_epoch=1, every=2)");
        Parameter p = weight(0f, 0f);
        float[] v = p.value().data();
        double sum = 0;
        int n = 0;
        for (int step = 0; step < 12; step++) {
            int epoch = step / 4;
            v[0] = step * step;
            v[1] = -step;
            swa.update(List.of(p), at(step, epoch));
            if (epoch >= 1 && (step + 1) % 2 == 0) {
                sum += step * step;
                n++;
            }
        }
        assertEquals(4, n); // steps 5, 7, 9, 11
        assertEquals(n, swa.count());
        assertEquals(sum / n, swa.average(p).orElseThrow().get(0), 1e-4);
        assertEquals(-(5 + 7 + 9 + 11) / 4.0, swa.average(p).orElseThrow().get(1), 1e-5);
    }

    @Test
    void noAverageBeforeTheFirstUpdate() {
        WeightAverager swa = create("swa(start_epoch=3)");
        Parameter p = weight(1f);
        swa.update(List.of(p), at(0, 0));
        assertTrue(swa.average(p).isEmpty());
        assertEquals(0, swa.count());
        assertTrue(swa.state().isEmpty());
    }

    @Test
    void stateRoundTripsAndContinuesIdentically() {
        WeightAverager a = create("ema(decay=0.9)");
        Parameter p = weight(1f, 2f);
        for (int s = 0; s < 5; s++) {
            p.value().data()[0] = s;
            a.update(List.of(p), at(s, 0));
        }
        WeightAverager b = create("ema(decay=0.9)");
        Map<String, Tensor> saved = a.state();
        b.restoreState(saved, a.count());
        for (int s = 5; s < 9; s++) {
            p.value().data()[0] = s * 3;
            a.update(List.of(p), at(s, 0));
            b.update(List.of(p), at(s, 0));
        }
        assertArrayEquals(a.average(p).orElseThrow().data(), b.average(p).orElseThrow().data());
        assertThrows(IllegalArgumentException.class, () -> create("swa()").restoreState(Map.of(), 3));
        assertThrows(IllegalArgumentException.class, () -> create("swa()").restoreState(saved, -1));
    }

    @Test
    void decayOneIsRefused() {
        assertThrows(dev.regula.api.spec.SpecException.class, () -> create("ema(decay=1)"));
        assertThrows(dev.regula.api.spec.SpecException.class, () -> create("swa(every=0)"));
    }
}
