package dev.regula.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import java.util.Arrays;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link dev.regula.api.kernels.Kernels#mixturePriorGradient} on float lanes: the gradient of a
 * Gaussian-mixture log-prior, one exponential per value and component.
 *
 * <p>The values go in chunks of {@value #CHUNK} (the unit of the thread split, fixed, so the sums
 * do not depend on the thread count), each in blocks of {@value #BLOCK}. Per block, values outer
 * and components inner: the exponents a_j = w_j − h_j·d_j² and their maximum, kept in vector
 * registers; then e_j = exp(a_j − max), their sum and Σ_j e_j·τ_j·d_j, from which the value's
 * gradient follows with one division; then, components outer, the responsibilities e_j/Σ into the
 * per-component sums, added lane by lane in lane order into double once per block (16 float
 * additions per lane at most before that), and chunk sums added in chunk order.
 *
 * <p>The exponential is our own, from operations IEEE 754 fixes bit for bit (as {@link DoubleExp}
 * for tanh and σ, and for the same reason: the Vector API's {@code EXP} gives other bits before
 * and after C2 compiles the loop): e^t = 2^n·e^r, n = round(t/ln 2) by the 1.5·2^23 shifter,
 * r = t − n·ln 2 (ln 2 in two parts, |r| ≤ ln 2 / 2), e^r by its Taylor polynomial to degree 7
 * (truncation under 1e-8), arguments clamped to ≥ −87 so that 2^n stays a normal float. A
 * component whose exponent is more than 87 below the maximum thus gets a responsibility of about
 * 1e-38 or 0 instead of the exact e^(a_j − max)/Σ: nothing a float sum of terms ≥ 1 can hold.
 * Where that is so for every lane of a vector, the exponential is skipped (and where it is so for
 * every value of a block, the component's sums are): once training has narrowed the components,
 * most values are within reach of one or two of them, and most of the work goes.
 *
 * <p>Accuracy against the double reference: the exponents are float, so a value far from every
 * component (|a| large) carries an absolute error of about 6e-8·|a| in its exponents; the test
 * states the tolerance on mixtures as training produces them.
 */
final class MixturePriorKernel {
    /** Values per unit of the thread split and of the double partial sums. */
    static final int CHUNK = 4096;
    /** Values per block; the exponent scratch holds k blocks. */
    static final int BLOCK = 256;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final float LOG2_E = 1.44269504088896341f;
    /** ln 2 = LN2_HI + LN2_LO; LN2_HI has 9 significant bits, so n·LN2_HI is exact. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float SHIFTER = 0x1.8p23f;
    private static final int SHIFTER_BITS_MINUS_BIAS = Float.floatToRawIntBits(SHIFTER) - 127;
    private static final float MIN_ARGUMENT = -87f;
    private static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    private MixturePriorKernel() {
    }

    /** @return the number of chunks of n values */
    static int chunks(int n) {
        return Math.ceilDiv(n, CHUNK);
    }

    /**
     * Computes the chunks [fromChunk, toChunk): adds to g and writes chunk c's sums to
     * partial[3k·c, 3k·c + 3k).
     */
    static void run(int fromChunk, int toChunk, int len, float[] x, int xOff, float[] g, int gOff, float scale, int k,
                    float[] mu, float[] halfTau, float[] tau, float[] logWeight, double[] partial) {
        int lanes = F.length();
        float[] e = new float[k * BLOCK];
        float[] xs = new float[BLOCK];
        float[] zinv = new float[BLOCK];
        float[] gb = new float[BLOCK];
        float[] lane = new float[lanes];
        boolean[] live = new boolean[k];
        for (int c = fromChunk; c < toChunk; c++) {
            int chunkEnd = Math.min(len, (c + 1) * CHUNK);
            int p = 3 * k * c;
            for (int start = c * CHUNK; start < chunkEnd; start += BLOCK) {
                int n = Math.min(BLOCK, chunkEnd - start);
                int nv = Math.ceilDiv(n, lanes) * lanes;
                System.arraycopy(x, xOff + start, xs, 0, n);
                for (int i = n; i < nv; i++) xs[i] = 0f;
                Arrays.fill(live, false);
                exponentials(nv, k, xs, e, zinv, gb, live, mu, halfTau, tau, logWeight);
                for (int i = 0; i < n; i++) g[gOff + start + i] += scale * gb[i];
                for (int i = n; i < nv; i++) zinv[i] = 0f; // padding: responsibility 0
                for (int j = 0; j < k; j++) {
                    if (live[j]) componentSums(nv, j, e, zinv, xs, mu[j], tau[j], halfTau[j], partial, p, k, lane);
                }
            }
        }
    }

    /**
     * Values outer, components inner, for the nv values of a block: e receives exp(a_j − max)
     * (0 where negligible in every lane), zinv 1/Σ_j, gb Σ_j e_j·τ_j·d_j/Σ_j; live[j] is set where
     * component j is not negligible somewhere. A method of its own, called once per block, so that
     * C2 compiles it early and whole (its vectors never cross a call).
     */
    private static void exponentials(int nv, int k, float[] xs, float[] e, float[] zinv, float[] gb, boolean[] live,
                                     float[] mu, float[] halfTau, float[] tau, float[] logWeight) {
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i < nv; i += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, xs, i);
            FloatVector max = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < k; j++) {
                FloatVector d = xv.sub(mu[j]);
                FloatVector a = d.mul(d).fma(FloatVector.broadcast(F, -halfTau[j]), FloatVector.broadcast(F, logWeight[j]));
                a.intoArray(e, j * BLOCK + i);
                max = max.max(a);
            }
            FloatVector z = zero;
            FloatVector gn = zero;
            for (int j = 0; j < k; j++) {
                FloatVector t = FloatVector.fromArray(F, e, j * BLOCK + i).sub(max);
                if (!t.compare(VectorOperators.GT, MIN_ARGUMENT).anyTrue()) { // negligible in every lane
                    zero.intoArray(e, j * BLOCK + i);
                    continue;
                }
                live[j] = true;
                t = t.max(MIN_ARGUMENT);
                FloatVector shifted = t.fma(FloatVector.broadcast(F, LOG2_E), FloatVector.broadcast(F, SHIFTER));
                FloatVector nn = shifted.sub(SHIFTER);
                FloatVector r = nn.fma(FloatVector.broadcast(F, -LN2_LO), nn.fma(FloatVector.broadcast(F, -LN2_HI), t));
                FloatVector two = ((IntVector) shifted.reinterpretAsInts()).sub(SHIFTER_BITS_MINUS_BIAS)
                        .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
                FloatVector ex = r.fma(FloatVector.broadcast(F, C7), FloatVector.broadcast(F, C6))
                        .fma(r, FloatVector.broadcast(F, C5)).fma(r, FloatVector.broadcast(F, C4))
                        .fma(r, FloatVector.broadcast(F, C3)).fma(r, FloatVector.broadcast(F, C2))
                        .fma(r, FloatVector.broadcast(F, 1f)).fma(r, FloatVector.broadcast(F, 1f)).mul(two);
                ex.intoArray(e, j * BLOCK + i);
                z = z.add(ex);
                gn = ex.mul(xv.sub(mu[j])).fma(FloatVector.broadcast(F, tau[j]), gn);
            }
            FloatVector zi = FloatVector.broadcast(F, 1f).div(z);
            zi.intoArray(zinv, i);
            gn.mul(zi).intoArray(gb, i);
        }
    }

    /** Component j's responsibilities over the nv values of a block into its three sums in partial (offset p). */
    private static void componentSums(int nv, int j, float[] e, float[] zinv, float[] xs, float m, float tau, float halfTau,
                                      double[] partial, int p, int k, float[] lane) {
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
        partial[p + j] += tau * sumLanes(accMu, lane);
        partial[p + k + j] += halfTau * sumLanes(accS, lane);
        partial[p + 2 * k + j] += sumLanes(accR, lane);
    }

    /** Σ of the lanes in lane order, in double (not {@code reduceLanes}, whose order is unspecified). */
    private static double sumLanes(FloatVector v, float[] lane) {
        v.intoArray(lane, 0);
        double s = 0;
        for (float f : lane) s += f;
        return s;
    }
}
