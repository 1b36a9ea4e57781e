package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regula.api.kernels.Kernels;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The float reductions must give the same bits on every call: the first calls run interpreted,
 * later ones JIT-compiled, and {@code reduceLanes(ADD)} sums lanes in a different order in each
 * (a GAN run with spectral-norm, which power-iterates with {@code dot}, then differed from run to run).
 */
class ReductionDeterminismTest {
    @Test
    void dotSumSquaresAndSumAbsGiveTheSameBitsBeforeAndAfterCompilation() {
        Kernels k = KernelsTestSupport.vector(1);
        Random rnd = new Random(11);
        float[] x = KernelsTestSupport.data(rnd, 1000);
        float[] y = KernelsTestSupport.data(rnd, 1000);
        long dot = Double.doubleToLongBits(k.dot(x.length, x, 0, y, 0));
        long squares = Double.doubleToLongBits(k.sumSquares(x.length, x, 0));
        long abs = Double.doubleToLongBits(k.sumAbs(x.length, x, 0));
        for (int i = 0; i < 40_000; i++) {
            assertEquals(dot, Double.doubleToLongBits(k.dot(x.length, x, 0, y, 0)), "dot, call " + i);
            assertEquals(squares, Double.doubleToLongBits(k.sumSquares(x.length, x, 0)), "sumSquares, call " + i);
            assertEquals(abs, Double.doubleToLongBits(k.sumAbs(x.length, x, 0)), "sumAbs, call " + i);
        }
    }
}
