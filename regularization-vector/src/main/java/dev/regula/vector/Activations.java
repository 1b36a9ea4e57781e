package dev.regula.vector;

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
 * multiply-adds. tanh and σ use the Vector API's float {@code TANH} and {@code EXP} (short vector
 * math library calls on x86), within 2 ulps of the reference, which rounds a double result; their
 * last partial vector is computed with a mask rather than by a scalar loop, so every element gets
 * the same approximation wherever it sits in the array.
 */
final class Activations {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

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

    static void tanh(int from, int to, float[] x, float[] y) {
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, i).lanewise(VectorOperators.TANH).intoArray(y, i);
        }
        if (i < to) {
            VectorMask<Float> in = F.indexInRange(i, to);
            FloatVector.fromArray(F, x, i, in).lanewise(VectorOperators.TANH).intoArray(y, i, in);
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

    static void sigmoid(int from, int to, float[] x, float[] y) {
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
            sigmoid(FloatVector.fromArray(F, x, i)).intoArray(y, i);
        }
        if (i < to) {
            VectorMask<Float> in = F.indexInRange(i, to);
            sigmoid(FloatVector.fromArray(F, x, i, in)).intoArray(y, i, in);
        }
    }

    /** σ(x) with e = e^−|x|: 1/(1 + e) for x ≥ 0, e/(1 + e) below, so e never overflows. */
    private static FloatVector sigmoid(FloatVector x) {
        FloatVector e = x.abs().neg().lanewise(VectorOperators.EXP);
        FloatVector denominator = e.add(1f);
        return FloatVector.broadcast(F, 1f).div(denominator).blend(e.div(denominator), x.compare(VectorOperators.LT, 0f));
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
