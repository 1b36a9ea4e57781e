package dev.regula.examples.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodebookProjectionTest {
    private static Parameter weight(float... v) {
        return new Parameter("dense1", "weight", ParameterRole.WEIGHT, Tensor.of(v, v.length));
    }

    @Test
    void setsEveryWeightToTheMeanOfItsCodeAndThePrunedOnesToZero() {
        Parameter w = weight(0.1f, 1f, 3f, -2f, 0.5f, -4f);
        CodebookProjection p = new CodebookProjection(Map.of(w.name(), new int[] {0, 1, 1, 2, 0, 2}), 3);
        assertEquals(Stage.CONSTRAINT, p.stage());
        p.apply(w, null);
        assertArrayEquals(new float[] {0, 2, 2, -3, 0, -3}, w.value().data());
    }

    @Test
    void isIdempotent() {
        java.util.Random rnd = new java.util.Random(3);
        float[] v = new float[500];
        int[] c = new int[500];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
            c[i] = rnd.nextInt(5);
        }
        Parameter w = weight(v);
        CodebookProjection p = new CodebookProjection(Map.of(w.name(), c), 5);
        p.apply(w, null);
        float[] once = w.value().data().clone();
        p.apply(w, null);
        assertArrayEquals(once, w.value().data());
    }

    @Test
    void otherParametersAreLeftAloneAndBadCodesRefused() {
        Parameter b = new Parameter("dense1", "bias", ParameterRole.BIAS, Tensor.of(new float[] {1, 2}, 2));
        new CodebookProjection(Map.of("dense1.weight", new int[] {1}), 2).apply(b, null);
        assertArrayEquals(new float[] {1, 2}, b.value().data());
        var e = assertThrows(IllegalArgumentException.class, () -> new CodebookProjection(Map.of("w", new int[] {0, 2}), 2));
        assertTrue(e.getMessage().contains("code 2 of w outside [0, 2)"), e.getMessage());
        var s = assertThrows(IllegalStateException.class,
                () -> new CodebookProjection(Map.of("dense1.weight", new int[] {0}), 2).apply(weight(1, 2), null));
        assertTrue(s.getMessage().contains("2 elements but 1 codes"), s.getMessage());
    }
}
