package dev.regula.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD bodies of the activation kernels of {@link VectorKernels}, each over the elements
 * [from, to) of its arrays, so that the kernels can split them over threads.
 *
 * <p>Leaky ReLU and the three derivatives give the bits of {@link dev.regula.api.kernels.Kernels}'
 * scalar reference: the same operations in the same order, lane by lane, without fused
 * multiply-adds. tanh and σ are computed in double from {@link DoubleExp} and rounded to float,
 * within one ulp of the reference (which rounds {@link Math#tanh} or a double σ), and, like every
 * kernel here, with the same bits before and after C2 compiles them, at every vector width of
 * 256 bits or more and wherever an element sits in the array (the last partial vector is computed
 * under a mask); narrower, they are the scalar reference.
 */
final class Activations {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Taylor coefficients of tanh x = x·(1 + TANH_3·x² + TANH_5·x⁴ + …). */
    private static final DoubleVector TANH_3 = DoubleVector.broadcast(DoubleExp.D, -1.0 / 3);
    private static final DoubleVector TANH_5 = DoubleVector.broadcast(DoubleExp.D, 2.0 / 15);
    private static final DoubleVector MINUS_TWO = DoubleVector.broadcast(DoubleExp.D, -2);
    /** Below this |x| tanh takes its series, whose next term, 17x⁶/315, is then under 1e-12 relative. */
    private static final double SMALL = 0x1p-6;

    private Activations() {
    }

    static void leakyRelu(int from, int to, float slope, float[] x, float[] y) {
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, i);
            v.mul(slope).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
        }
        for (; i < to; i++) {
            float v = x[i];
            y[i] = v > 0f ? v : slope * v;
        }
    }

    static void leakyReluBackward(int from, int to, float slope, float[] x, float[] gOut, float[] gIn) {
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
            FloatVector g = FloatVector.fromArray(F, gOut, i);
            g.mul(slope).blend(g, FloatVector.fromArray(F, x, i).compare(VectorOperators.GT, 0f)).intoArray(gIn, i);
        }
        for (; i < to; i++) gIn[i] = x[i] > 0f ? gOut[i] : slope * gOut[i];
    }

    /** Needs {@link DoubleExp#F_OF_D}; without it VectorKernels runs the scalar reference. */
    static void tanh(int from, int to, float[] x, float[] y) {
        VectorSpecies<Float> fs = DoubleExp.F_OF_D;
        for (int i = from; i < to; i += fs.length()) {
            // One loop body, no call of our own: C2 must inline all of it, or it boxes the vectors.
            VectorMask<Float> in = fs.indexInRange(i, to);
            DoubleVector v = (DoubleVector) FloatVector.fromArray(fs, x, i, in).convertShape(VectorOperators.F2D, DoubleExp.D, 0);
            DoubleVector ax = v.abs();
            // e = e^−2|x|, see DoubleExp
            DoubleVector a = ax.mul(MINUS_TWO).max(DoubleExp.MIN_ARGUMENT);
            DoubleVector shifted = a.fma(DoubleExp.LOG2_E, DoubleExp.SHIFTER);
            DoubleVector n = shifted.sub(DoubleExp.SHIFTER);
            DoubleVector r = n.fma(DoubleExp.MINUS_LN2_LO, n.fma(DoubleExp.MINUS_LN2_HI, a));
            DoubleVector e = r.fma(DoubleExp.C9, DoubleExp.C8).fma(r, DoubleExp.C7).fma(r, DoubleExp.C6).fma(r, DoubleExp.C5)
                    .fma(r, DoubleExp.C4).fma(r, DoubleExp.C3).fma(r, DoubleExp.C2).fma(r, DoubleExp.ONE).fma(r, DoubleExp.ONE)
                    .mul(DoubleExp.twoTo(shifted));
            // tanh|x| = (1 − e)/(1 + e), or x·(1 − x²/3 + 2x⁴/15) below |x| = 2^−6 (truncation under 1e-12)
            DoubleVector large = DoubleExp.ONE.sub(e).div(DoubleExp.ONE.add(e));
            DoubleVector z = v.mul(v);
            DoubleVector small = v.mul(z.fma(TANH_5, TANH_3).fma(z, DoubleExp.ONE));
            DoubleVector t = large.blend(large.neg(), v.compare(VectorOperators.LT, 0))
                    .blend(small, ax.compare(VectorOperators.LT, SMALL)).blend(v, v.compare(VectorOperators.NE, v));
            ((FloatVector) t.convertShape(VectorOperators.D2F, fs, 0)).intoArray(y, i, in);
        }
    }

    /** gIn = gOut·(1 − y²). */
    static void tanhBackward(int from, int to, float[] y, float[] gOut, float[] gIn) {
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, y, i);
            FloatVector.fromArray(F, gOut, i).mul(v.mul(v).neg().add(1f)).intoArray(gIn, i);
        }
        for (; i < to; i++) gIn[i] = gOut[i] * (1f - y[i] * y[i]);
    }

    /** Needs {@link DoubleExp#F_OF_D}; without it VectorKernels runs the scalar reference. */
    static void sigmoid(int from, int to, float[] x, float[] y) {
        VectorSpecies<Float> fs = DoubleExp.F_OF_D;
        for (int i = from; i < to; i += fs.length()) {
            // One loop body, no call of our own: C2 must inline all of it, or it boxes the vectors.
            VectorMask<Float> in = fs.indexInRange(i, to);
            DoubleVector v = (DoubleVector) FloatVector.fromArray(fs, x, i, in).convertShape(VectorOperators.F2D, DoubleExp.D, 0);
            // e = e^−|x|, see DoubleExp
            DoubleVector a = v.abs().neg().max(DoubleExp.MIN_ARGUMENT);
            DoubleVector shifted = a.fma(DoubleExp.LOG2_E, DoubleExp.SHIFTER);
            DoubleVector n = shifted.sub(DoubleExp.SHIFTER);
            DoubleVector r = n.fma(DoubleExp.MINUS_LN2_LO, n.fma(DoubleExp.MINUS_LN2_HI, a));
            DoubleVector e = r.fma(DoubleExp.C9, DoubleExp.C8).fma(r, DoubleExp.C7).fma(r, DoubleExp.C6).fma(r, DoubleExp.C5)
                    .fma(r, DoubleExp.C4).fma(r, DoubleExp.C3).fma(r, DoubleExp.C2).fma(r, DoubleExp.ONE).fma(r, DoubleExp.ONE)
                    .mul(DoubleExp.twoTo(shifted));
            // σ = 1/(1 + e) for x ≥ 0, e/(1 + e) below, as the reference; NaN stays NaN
            DoubleVector denominator = e.add(DoubleExp.ONE);
            DoubleVector s = DoubleExp.ONE.div(denominator).blend(e.div(denominator), v.compare(VectorOperators.LT, 0))
                    .blend(v, v.compare(VectorOperators.NE, v));
            ((FloatVector) s.convertShape(VectorOperators.D2F, fs, 0)).intoArray(y, i, in);
        }
    }

    /** gIn = gOut·y·(1 − y). */
    static void sigmoidBackward(int from, int to, float[] y, float[] gOut, float[] gIn) {
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, y, i);
            FloatVector.fromArray(F, gOut, i).mul(v).mul(v.neg().add(1f)).intoArray(gIn, i);
        }
        for (; i < to; i++) gIn[i] = gOut[i] * y[i] * (1f - y[i]);
    }
}
