package dev.regula.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.testing.GradientCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LayerNorm and GroupNorm against their reference formulas; gradients are in {@link LayerGradientTest}. */
class NormLayersTest {
    private static final StepContext TRAIN = GradientCheck.train();

    /** γ and β away from 1 and 0, so that the gradient checks see the per-entry affine indexing. */
    static SegmentNorm randomAffine(SegmentNorm layer) {
        float[] g = layer.weight().value().data();
        float[] b = layer.bias().value().data();
        for (int i = 0; i < g.length; i++) {
            g[i] = 0.5f + 0.25f * i;
            b[i] = 0.1f * i - 0.2f;
        }
        return layer;
    }

    /** g away from ‖v‖, so that the gradient checks see w ≠ v. */
    static WeightNormDense scaledLengths(WeightNormDense layer) {
        float[] g = layer.length().value().data();
        for (int r = 0; r < g.length; r++) g[r] = 0.5f + 0.3f * r;
        return layer;
    }

    @Test
    void weightNormStartsEqualToDenseAndKeepsRowNormsAtG() {
        Tensor x = GradientCheck.random(2, 1f, 3, 5);
        Dense plain = new Dense("d", 5, 4, 9);
        WeightNormDense wn = new WeightNormDense("d", 5, 4, 9);
        assertArrayEquals(plain.forward(x, TRAIN).data(), wn.forward(x, TRAIN).data(), 1e-6f);
        assertEquals(List.of("d.weight_v", "d.weight_g", "d.bias"), wn.parameters().stream().map(p -> p.name()).toList());
        assertEquals(ParameterRole.NORM_SCALE, wn.length().role());
        // with g = 2 for every unit and v scaled by 10, w has rows of norm 2 in v's directions
        wn.length().value().fill(2f);
        float[] v = wn.direction().value().data();
        for (int i = 0; i < v.length; i++) v[i] *= 10;
        Tensor unit = Tensor.zeros(5, 5);
        for (int i = 0; i < 5; i++) unit.set(i, i, 1f);
        Tensor w = wn.forward(unit, StepContext.eval(TRAIN.kernels())); // row i of x·wᵀ + b is column i of w plus b
        for (int r = 0; r < 4; r++) {
            double n2 = 0;
            for (int i = 0; i < 5; i++) {
                double wi = w.get(i * 4 + r) - wn.bias().value().get(r);
                n2 += wi * wi;
            }
            assertEquals(2.0, Math.sqrt(n2), 1e-5, "row " + r);
        }
    }

    @Test
    void layerNormMatchesTheFormulaOnAHandComputedRow() {
        LayerNorm ln = new LayerNorm("ln", 4);
        ln.weight().value().copyFrom(Tensor.of(new float[] {1, 2, 1, 1}, 4));
        ln.bias().value().copyFrom(Tensor.of(new float[] {0, 0, 0, 5}, 4));
        // x = 1, 2, 3, 4: mean 2.5, biased variance 1.25
        Tensor y = ln.forward(Tensor.of(new float[] {1, 2, 3, 4}, 1, 4), TRAIN);
        double s = Math.sqrt(1.25 + LayerNorm.DEFAULT_EPS);
        assertArrayEquals(new float[] {(float) (-1.5 / s), (float) (2 * -0.5 / s), (float) (0.5 / s), (float) (1.5 / s + 5)},
                y.data(), 1e-6f);
        assertEquals(ParameterRole.NORM_SCALE, ln.weight().role());
        assertEquals(ParameterRole.BIAS, ln.bias().role());
    }

    @Test
    void groupNormNormalisesEachGroupOfChannelsAndPositions() {
        GroupNorm gn = new GroupNorm("gn", 2, 4);
        Tensor x = GradientCheck.random(3, 2f, 2, 4, 3);
        Tensor y = gn.forward(x, TRAIN);
        for (int n = 0; n < 2; n++) {
            for (int group = 0; group < 2; group++) {
                int off = n * 12 + group * 6; // 2 channels × 3 positions per group
                double mean = 0;
                for (int i = off; i < off + 6; i++) mean += x.get(i);
                mean /= 6;
                double var = 0;
                for (int i = off; i < off + 6; i++) var += (x.get(i) - mean) * (x.get(i) - mean);
                var /= 6;
                for (int i = off; i < off + 6; i++) {
                    assertEquals((x.get(i) - mean) / Math.sqrt(var + 1e-5), y.get(i), 1e-5, "example " + n + " group " + group);
                }
            }
        }
    }

    @Test
    void oneGroupWithUniformAffineEqualsLayerNorm() {
        Tensor x = GradientCheck.random(5, 1f, 3, 4, 2);
        Tensor viaGroup = new GroupNorm("gn", 1, 4).forward(x, TRAIN).copy();
        Tensor viaLayer = new LayerNorm("ln", 8).forward(x, TRAIN);
        assertArrayEquals(viaLayer.data(), viaGroup.data(), 1e-6f);
    }

    @Test
    void evalComputesWhatTrainComputesEvenForABatchOfOne() {
        Tensor x = GradientCheck.random(9, 1f, 1, 6);
        LayerNorm ln = (LayerNorm) randomAffine(new LayerNorm("ln", 6));
        float[] train = ln.forward(x, TRAIN).data().clone();
        assertArrayEquals(train, ln.forward(x, StepContext.eval(TRAIN.kernels())).data());
    }

    @Test
    void refusesShapesAndGroupsThatDoNotFit() {
        assertThrows(ShapeMismatchException.class, () -> new LayerNorm("ln", 5).forward(Tensor.zeros(2, 4), TRAIN));
        assertThrows(ShapeMismatchException.class, () -> new GroupNorm("gn", 2, 4).forward(Tensor.zeros(2, 6), TRAIN));
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm("gn", 3, 4));
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm("ln", 4, 0));
    }
}
