package dev.regula.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import java.util.Arrays;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link dev.regula.api.kernels.Kernels#mixturePriorGradient} on float lanes: the gradient of a
 * Gaussian-mixture log-prior, at most one exponential per value and component.
 *
 * <p>The values go in chunks of {@value #CHUNK} (the unit of the thread split, fixed, so the sums
 * do not depend on the thread count), each in blocks of {@value #BLOCK}. Everything is in base 2:
 * the exponents are b_j = log₂e·(w_j − h_j·d_j²) = c_j·d_j² + v_j with c_j = −log₂e·h_j and
 * v_j = log₂e·w_j prepared once per call. Per block, values outer and components inner: the
 * exponents and their maximum; then e_j = 2^(b_j − max), their sum and Σ_j e_j·τ_j·d_j, from
 * which the value's gradient follows with one division; then, components outer, the
 * responsibilities e_j/Σ into the per-component sums (float lanes per block, then added lane by
 * lane into per-lane doubles, summed in lane order once per chunk), and chunk sums added in chunk
 * order.
 *
 * <p>The power of two is our own, from operations IEEE 754 fixes bit for bit (as
 * {@link DoubleExp} for tanh and σ, and for the same reason: the Vector API's {@code EXP} gives
 * other bits before and after C2 compiles the loop): 2^t = 2^n·2^f, n = round(t) by the 1.5·2^23
 * shifter, f = t − n exactly (|f| ≤ 1/2), 2^f by a degree-5 polynomial fitted for relative error
 * (under 2e-7 in float arithmetic), and 2^n added to the result's exponent bits; arguments are
 * clamped to ≥ {@value #MIN_ARGUMENT} so the result stays a normal float. A component whose
 * exponent is more than {@value #NEGLIGIBLE} below the maximum in every lane of a vector (its
 * responsibility is below 2^−40 ≈ 9e-13 of the largest term's) is skipped, and where that is so for
 * every value of a block, so are the component's sums: once training has narrowed the components,
 * most values are within reach of one or two of them, and most of the work goes. The sum of the
 * skipped responsibilities is below 15·2^−40 relative, far under float rounding.
 *
 * <p>Accuracy against the double reference: the exponents are float, so a value far from every
 * component (|b| large) carries an absolute error of about 6e-8·|b| in its exponents; the test
 * states the tolerance on mixtures as training produces them.
 */
final class MixturePriorKernel {
    /** Values per unit of the thread split and of the double partial sums. */
    static final int CHUNK = 4096;
    /** Values per block; the exponent scratch holds k blocks. */
    static final int BLOCK = 512;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** log₂ e, by which {@link VectorKernels} turns the natural-log constants into base 2. */
    static final double LOG2_E = 1.4426950408889634;
    private static final float SHIFTER = 0x1.8p23f;
    private static final int SHIFTER_BITS = Float.floatToRawIntBits(SHIFTER);
    private static final float MIN_ARGUMENT = -125f;
    /** Exponents (base 2) more than this below the maximum are negligible. */
    private static final float NEGLIGIBLE = 40f;
    /** 2^f ≈ 1 + f·(P1 + f·(P2 + f·(P3 + f·(P4 + f·P5)))) on [−1/2, 1/2], fitted for relative error. */
    private static final float P1 = 0.6931468844413757f, P2 = 0.24022237956523895f, P3 = 0.05550893023610115f,
            P4 = 0.009671707637608051f, P5 = 0.0013218676904216409f;

    private MixturePriorKernel() {
    }

    /** @return the number of chunks of n values */
    static int chunks(int n) {
        return Math.ceilDiv(n, CHUNK);
    }

    /**
     * Computes the chunks [fromChunk, toChunk): adds to g and writes chunk c's sums to
     * partial[3k·c, 3k·c + 3k).
     *
     * @param c2 −log₂e·τ_j/2 per component
     * @param v2 log₂e·(log π_j + s_j/2 − log(2π)/2) per component
     * @param tau τ_j per component
     * @param tauMu τ_j·μ_j per component
     */
    static void run(int fromChunk, int toChunk, int len, float[] x, int xOff, float[] g, int gOff, float scale, int k,
                    float[] mu, float[] c2, float[] v2, float[] tau, float[] tauMu, double[] partial) {
        int lanes = F.length();
        float[] e = new float[k * BLOCK];
        float[] xs = new float[BLOCK];
        float[] zinv = new float[BLOCK];
        float[] gb = new float[BLOCK];
        float[] lane = new float[3 * lanes];
        double[] laneSums = new double[3 * k * lanes];
        boolean[] live = new boolean[k];
        for (int c = fromChunk; c < toChunk; c++) {
            int chunkEnd = Math.min(len, (c + 1) * CHUNK);
            Arrays.fill(laneSums, 0);
            for (int start = c * CHUNK; start < chunkEnd; start += BLOCK) {
                int n = Math.min(BLOCK, chunkEnd - start);
                int nv = Math.ceilDiv(n, lanes) * lanes;
                System.arraycopy(x, xOff + start, xs, 0, n);
                for (int i = n; i < nv; i++) xs[i] = 0f;
                Arrays.fill(live, false);
                exponentials(nv, k, xs, e, zinv, gb, live, mu, c2, v2, tau, tauMu);
                for (int i = 0; i < n; i++) g[gOff + start + i] += scale * gb[i];
                for (int i = n; i < nv; i++) zinv[i] = 0f; // padding: responsibility 0
                for (int j = 0; j < k; j++) {
                    if (live[j]) componentSums(nv, j, e, zinv, xs, mu[j], laneSums, lane);
                }
            }
            int p = 3 * k * c;
            for (int j = 0; j < k; j++) {
                int base = 3 * j * lanes;
                double sMu = 0, sS = 0, sR = 0;
                for (int l = 0; l < lanes; l++) {
                    sMu += laneSums[base + l];
                    sS += laneSums[base + lanes + l];
                    sR += laneSums[base + 2 * lanes + l];
                }
                partial[p + j] = tau[j] * sMu;
                partial[p + k + j] = 0.5 * tau[j] * sS;
                partial[p + 2 * k + j] = sR;
            }
        }
    }

    /**
     * Values outer, components inner, for the nv values of a block: e receives 2^(b_j − max)
     * (0 where negligible in every lane), zinv 1/Σ_j, gb Σ_j e_j·τ_j·d_j/Σ_j; live[j] is set where
     * component j is not negligible somewhere. A method of its own, called once per block, so that
     * C2 compiles it early and whole (its vectors never cross a call).
     */
    private static void exponentials(int nv, int k, float[] xs, float[] e, float[] zinv, float[] gb, boolean[] live,
                                     float[] mu, float[] c2, float[] v2, float[] tau, float[] tauMu) {
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i < nv; i += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, xs, i);
            FloatVector max = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < k; j++) {
                FloatVector d = xv.sub(mu[j]);
                FloatVector b = d.mul(d).fma(FloatVector.broadcast(F, c2[j]), FloatVector.broadcast(F, v2[j]));
                b.intoArray(e, j * BLOCK + i);
                max = max.max(b);
            }
            FloatVector floor = max.sub(NEGLIGIBLE);
            FloatVector z = zero;
            FloatVector gn = zero;
            for (int j = 0; j < k; j++) {
                FloatVector b = FloatVector.fromArray(F, e, j * BLOCK + i);
                if (!b.compare(VectorOperators.GT, floor).anyTrue()) { // negligible in every lane
                    zero.intoArray(e, j * BLOCK + i);
                    continue;
                }
                live[j] = true;
                FloatVector t = b.sub(max).max(MIN_ARGUMENT);
                FloatVector shifted = t.add(SHIFTER);
                FloatVector f = t.sub(shifted.sub(SHIFTER));
                FloatVector poly = f.fma(FloatVector.broadcast(F, P5), FloatVector.broadcast(F, P4))
                        .fma(f, FloatVector.broadcast(F, P3)).fma(f, FloatVector.broadcast(F, P2))
                        .fma(f, FloatVector.broadcast(F, P1)).fma(f, FloatVector.broadcast(F, 1f));
                IntVector n = ((IntVector) shifted.reinterpretAsInts()).sub(SHIFTER_BITS).lanewise(VectorOperators.LSHL, 23);
                FloatVector ex = ((IntVector) poly.reinterpretAsInts()).add(n).reinterpretAsFloats();
                ex.intoArray(e, j * BLOCK + i);
                z = z.add(ex);
                gn = ex.fma(xv.fma(FloatVector.broadcast(F, tau[j]), FloatVector.broadcast(F, -tauMu[j])), gn);
            }
            FloatVector zi = FloatVector.broadcast(F, 1f).div(z);
            zi.intoArray(zinv, i);
            gn.mul(zi).intoArray(gb, i);
        }
    }

    /**
     * Component j's responsibilities over the nv values of a block: Σ r·d, Σ r·d² and Σ r per lane,
     * added into laneSums[3j·lanes, 3(j + 1)·lanes) (τ_j and τ_j/2 are applied once per chunk).
     */
    private static void componentSums(int nv, int j, float[] e, float[] zinv, float[] xs, float m, double[] laneSums,
                                      float[] lane) {
        FloatVector accMu = FloatVector.zero(F);
        FloatVector accS = FloatVector.zero(F);
        FloatVector accR = FloatVector.zero(F);
        for (int i = 0; i < nv; i += F.length()) {
            FloatVector r = FloatVector.fromArray(F, e, j * BLOCK + i).mul(FloatVector.fromArray(F, zinv, i));
            FloatVector d = FloatVector.fromArray(F, xs, i).sub(m);
            FloatVector rd = r.mul(d);
            accR = accR.add(r);
            accMu = accMu.add(rd);
            accS = rd.fma(d, accS);
        }
        int lanes = F.length();
        accMu.intoArray(lane, 0);
        accS.intoArray(lane, lanes);
        accR.intoArray(lane, 2 * lanes);
        int base = 3 * j * lanes;
        for (int l = 0; l < 3 * lanes; l++) laneSums[base + l] += lane[l];
    }
}
