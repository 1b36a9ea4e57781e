package dev.regula.api.param;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regula.api.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The lazy gradient zeroing: readers see zeros, an overwriting writer skips the clearing pass. */
class ParameterTest {
    private static Parameter withGradient(float... g) {
        Parameter p = new Parameter("dense1", "weight", ParameterRole.WEIGHT, Tensor.zeros(g.length));
        System.arraycopy(g, 0, p.grad().data(), 0, g.length);
        return p;
    }

    @Test
    void zeroGradIsSeenByEveryReaderAndAdder() {
        Parameter p = withGradient(1f, Float.NaN, 3f);
        p.zeroGrad();
        assertArrayEquals(new float[3], p.grad().data(), "grad() after zeroGrad() reads zeros, stale NaN included");
        p.grad().data()[1] += 2f;
        assertArrayEquals(new float[] {0f, 2f, 0f}, p.grad().data(), "later reads keep what was added");
        assertEquals(1f, p.gradientBeta(), "a materialized gradient is added to (β = 1)");
    }

    @Test
    void gradientBetaIsZeroOnceAfterZeroGradAndTheStorageIsLeftToTheWriter() {
        Parameter p = withGradient(5f, 6f);
        p.zeroGrad();
        assertEquals(0f, p.gradientBeta(), "first writer after zeroGrad overwrites (β = 0)");
        assertArrayEquals(new float[] {5f, 6f}, p.grad().data(), "no clearing pass: the writer owns every entry");
        Arrays.fill(p.grad().data(), 7f); // the writer's β = 0 result
        assertEquals(1f, p.gradientBeta(), "a second writer accumulates (β = 1)");
        assertArrayEquals(new float[] {7f, 7f}, p.grad().data());
    }

    @Test
    void aNewParameterStartsWithAZeroGradientThatIsAddedTo() {
        Parameter p = new Parameter("dense1", "bias", ParameterRole.BIAS, Tensor.zeros(4));
        assertEquals(1f, p.gradientBeta());
        assertArrayEquals(new float[4], p.grad().data());
    }
}
