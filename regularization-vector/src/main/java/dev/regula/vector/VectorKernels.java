package dev.regula.vector;

import dev.regula.api.kernels.ConvGeometry;
import dev.regula.api.kernels.CounterRng;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.PoolGeometry;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels} on {@code jdk.incubator.vector}: flat loops over {@link FloatVector} up to
 * {@code species.loopBound(n)} and a scalar tail, no allocation in hot loops (llama3.java style).
 *
 * <p>Agreement with core's {@code ScalarKernels}: element-wise kernels evaluate the same float
 * operations in the same order (no fused multiply-add), so their results are bit-identical,
 * {@link #softmaxRows} included (its exponentials are scalar). Reductions
 * accumulate in float lanes with fused multiply-add over blocks of {@value #BLOCK} elements and
 * add the block sums in double: relative error well below 1e-5 of Σ|terms|. GEMM reassociates
 * (blocked, fused multiply-add); dropout masks are bit-identical.
 *
 * <p>Package-private: only {@link VectorKernelsProvider} creates it, after checking that the
 * incubator module is present. Thread-safe: GEMM keeps its packing buffers per thread.
 *
 * <p>Threads: GEMM, the optimizer updates, the regularizers' element-wise kernels and the
 * finite-value scan use the instance's {@link WorkerTeam} of {@code threads} threads (the caller
 * and spinning helpers) on large inputs; an element-wise kernel is split into contiguous parts
 * computed by the same code, so its results do not depend on the thread count.
 */
final class VectorKernels implements Kernels {
    /** Elements per float-accumulated block in reductions before the partial sum goes to double. */
    static final int BLOCK = 1024;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    private static final int EXPONENT_MASK = 0x7F800000;
    /**
     * Float species with as many lanes as {@link #L}, for the dropout mask; null when longs get a
     * single lane (64-bit vectors), where dropout runs its scalar loop.
     */
    private static final VectorSpecies<Float> FL = L.length() >= 2
            ? VectorSpecies.of(float.class, VectorShape.forBitSize(L.vectorBitSize() / 2))
            : null;

    /**
     * Element-wise kernels and scans over at least this many elements are split over the team:
     * below it a part is too short to pay for the hand-over.
     */
    static final int PARALLEL_ELEMENTS = 1 << 14;
    /** Parts of a split element-wise kernel start at multiples of this (64 floats: whole cache lines, whole vectors). */
    private static final int PART_ALIGN = 64;

    private final int threads;
    private final WorkerTeam team;
    private final Gemm gemm;
    private final Convolution convolution;
    private final Pooling pooling;
    /** (0, 1, …, lanes−1)·GOLDEN, the per-lane counter increments of the dropout RNG. */
    private final LongVector laneCounters;

    VectorKernels(int threads) {
        this.threads = threads;
        this.team = new WorkerTeam(threads);
        this.gemm = new Gemm(team);
        this.convolution = new Convolution(team, gemm);
        this.pooling = new Pooling(team);
        this.laneCounters = LongVector.zero(L).addIndex(1).mul(CounterRng.GOLDEN);
    }

    @Override
    public String name() {
        return "vector(" + F.vectorBitSize() + "-bit, " + threads + (threads == 1 ? " thread)" : " threads)");
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if ((long) m * n * k >= Gemm.PARALLEL_THRESHOLD) JitWarmup.awaitBeforeLargeWork();
        gemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void conv2d(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        awaitWarmup(g);
        convolution.forward(g, x, w, bias, y);
    }

    @Override
    public void conv2dBackwardInput(ConvGeometry g, float[] gy, float[] w, float[] bias, float[] gx) {
        awaitWarmup(g);
        convolution.backwardInput(g, gy, w, bias, gx);
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, float[] x, float[] gy, float beta, float[] gw) {
        awaitWarmup(g);
        convolution.backwardWeight(g, x, gy, beta, gw);
    }

    @Override
    public void maxPool2d(PoolGeometry g, float[] x, float[] y, int[] argmax) {
        pooling.max(g, x, y, argmax);
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, float[] gy, int[] argmax, float[] gx) {
        pooling.maxBackward(g, gy, argmax, gx);
    }

    @Override
    public void avgPool2d(PoolGeometry g, float[] x, float[] y) {
        pooling.avg(g, x, y);
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, float[] gy, float[] gx) {
        pooling.avgBackward(g, gy, gx);
    }

    /** A convolution as large as a split product waits for the JIT warm-up, as {@link #gemm} does. */
    private static void awaitWarmup(ConvGeometry g) {
        if ((long) g.outputSize() * g.patch() >= Gemm.PARALLEL_THRESHOLD) JitWarmup.awaitBeforeLargeWork();
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        parallel(n, (from, to) -> axpyPart(to - from, alpha, x, xOff + from, y, yOff + from));
    }

    /** y[yOff + i] += alpha·x[xOff + i] for i &lt; n, on the calling thread (alpha = 1 adds x exactly). */
    static void axpyPart(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
            FloatVector yv = FloatVector.fromArray(F, y, yOff + i);
            yv.add(xv.mul(alpha)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    @Override
    public void scale(int n, float alpha, float[] x, int off) {
        parallel(n, (from, to) -> scalePart(to - from, alpha, x, off + from));
    }

    private static void scalePart(int n, float alpha, float[] x, int off) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, off + i).mul(alpha).intoArray(x, off + i);
        }
        for (; i < n; i++) x[off + i] *= alpha;
    }

    /**
     * Runs {@code body} over [0, n): on the calling thread below {@link #PARALLEL_ELEMENTS}, else
     * in {@link WorkerTeam#PARTS_PER_THREAD} contiguous parts per team thread, which the threads
     * claim as they become free.
     * Every element is computed by the same code whatever the split, so results depend neither
     * on the thread count nor on which thread took which part.
     */
    private void parallel(int n, WorkerTeam.Range body) {
        if (n < PARALLEL_ELEMENTS || team.threads() == 1) {
            body.run(0, n);
            return;
        }
        team.runRanges(n, team.threads() * WorkerTeam.PARTS_PER_THREAD, PART_ALIGN, body);
    }

    /** Runs {@code body} over the rows [0, rows) of a rows×cols matrix, split as {@link #parallel} would split its elements. */
    private void parallelRows(int rows, int cols, WorkerTeam.Range body) {
        if ((long) rows * cols < PARALLEL_ELEMENTS || team.threads() == 1) {
            body.run(0, rows);
            return;
        }
        team.runRanges(rows, team.threads() * WorkerTeam.PARTS_PER_THREAD, 1, body);
    }

    /**
     * Σ of the lanes in lane order, in double. Not {@code reduceLanes(ADD)}: its order is
     * unspecified and differs between the interpreted and the JIT-compiled code, so a result would
     * depend on when C2 compiled the caller and two runs with the same seed could differ in the
     * last bit (and then diverge, e.g. a GAN with spectral-norm, which power-iterates with dot).
     */
    private static double sumLanes(FloatVector v) {
        double s = 0;
        for (int i = 0; i < v.length(); i++) s += v.lane(i);
        return s;
    }

    @Override
    public double dot(int n, float[] x, int xOff, float[] y, int yOff) {
        double s = 0;
        for (int start = 0; start < n; start += BLOCK) {
            int len = Math.min(BLOCK, n - start);
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            int i = 0;
            int step = 2 * F.length();
            for (int bound = len - len % step; i < bound; i += step) {
                int xi = xOff + start + i;
                int yi = yOff + start + i;
                acc0 = FloatVector.fromArray(F, x, xi).fma(FloatVector.fromArray(F, y, yi), acc0);
                acc1 = FloatVector.fromArray(F, x, xi + F.length())
                        .fma(FloatVector.fromArray(F, y, yi + F.length()), acc1);
            }
            for (int bound = F.loopBound(len); i < bound; i += F.length()) {
                acc0 = FloatVector.fromArray(F, x, xOff + start + i)
                        .fma(FloatVector.fromArray(F, y, yOff + start + i), acc0);
            }
            double block = sumLanes(acc0.add(acc1));
            for (; i < len; i++) block += (double) x[xOff + start + i] * y[yOff + start + i];
            s += Double.isFinite(block) ? block : dotInDouble(len, x, xOff + start, y, yOff + start);
        }
        return s;
    }

    /**
     * A block of {@link #dot} again, in double: its float lanes overflowed (products or partial
     * sums beyond Float.MAX_VALUE, which inputs of magnitude above about 1.8e19 reach) or met a
     * NaN or an infinity. Finite floats cannot overflow a double here (a block's sum is at most
     * {@value #BLOCK}·Float.MAX_VALUE² ≈ 1.2e80), so the result is +Inf or NaN only where an input
     * is, as with the scalar kernels; the rare path costs nothing to blocks of ordinary values.
     */
    private static double dotInDouble(int len, float[] x, int xOff, float[] y, int yOff) {
        double s = 0;
        for (int i = 0; i < len; i++) s += (double) x[xOff + i] * y[yOff + i];
        return s;
    }

    @Override
    public double sumSquares(int n, float[] x, int off) {
        // the same fused multiply-adds, lanes and blocks as a dedicated loop would run: bit-identical
        return dot(n, x, off, x, off);
    }

    @Override
    public double sumAbs(int n, float[] x, int off) {
        double s = 0;
        for (int start = 0; start < n; start += BLOCK) {
            int len = Math.min(BLOCK, n - start);
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            for (int bound = F.loopBound(len); i < bound; i += F.length()) {
                acc = acc.add(FloatVector.fromArray(F, x, off + start + i).abs());
            }
            double block = sumLanes(acc);
            for (; i < len; i++) block += Math.abs(x[off + start + i]);
            s += Double.isFinite(block) ? block : sumAbsInDouble(len, x, off + start);
        }
        return s;
    }

    /** A block of {@link #sumAbs} again, in double, its float lanes having overflowed (see {@link #dotInDouble}). */
    private static double sumAbsInDouble(int len, float[] x, int off) {
        double s = 0;
        for (int i = 0; i < len; i++) s += Math.abs(x[off + i]);
        return s;
    }

    @Override
    public float maxAbs(int n, float[] x, int off) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = acc.max(FloatVector.fromArray(F, x, off + i).abs());
        }
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) m = Math.max(m, Math.abs(x[off + i]));
        return m;
    }

    /**
     * Exponent bits all ones ⇔ NaN or ±Inf: one integer AND and MAX per vector (no floating-point
     * compare, no early exit), so the scan runs at memory speed.
     */
    @Override
    public boolean allFinite(int n, float[] x, int off) {
        AtomicBoolean finite = new AtomicBoolean(true);
        parallel(n, (from, to) -> {
            if (!allFinitePart(to - from, x, off + from)) finite.set(false);
        });
        return finite.get();
    }

    private static boolean allFinitePart(int n, float[] x, int off) {
        IntVector exponent = IntVector.broadcast(I, EXPONENT_MASK);
        IntVector acc = IntVector.zero(I);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = acc.max(FloatVector.fromArray(F, x, off + i).reinterpretAsInts().and(exponent));
        }
        if (acc.reduceLanes(VectorOperators.MAX) == EXPONENT_MASK) return false;
        for (; i < n; i++) {
            if (!Float.isFinite(x[off + i])) return false;
        }
        return true;
    }

    @Override
    public void addScaledSign(int n, float alpha, float[] x, int xOff, float[] g, int gOff) {
        parallel(n, (from, to) -> addScaledSignPart(to - from, alpha, x, xOff + from, g, gOff + from));
    }

    private static void addScaledSignPart(int n, float alpha, float[] x, int xOff, float[] g, int gOff) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector minusOne = FloatVector.broadcast(F, -1f);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
            // signum: ±1, and x itself for ±0 and NaN (exactly Math.signum)
            FloatVector sign = xv.blend(one, xv.compare(VectorOperators.GT, 0f))
                    .blend(minusOne, xv.compare(VectorOperators.LT, 0f));
            FloatVector.fromArray(F, g, gOff + i).add(sign.mul(alpha)).intoArray(g, gOff + i);
        }
        for (; i < n; i++) g[gOff + i] += alpha * Math.signum(x[xOff + i]);
    }

    @Override
    public void softThreshold(int n, float t, float[] x, int off) {
        parallel(n, (from, to) -> softThresholdPart(to - from, t, x, off + from));
    }

    private static void softThresholdPart(int n, float t, float[] x, int off) {
        IntVector signBit = IntVector.broadcast(F.withLanes(int.class), 0x80000000);
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, off + i);
            FloatVector a = v.abs().sub(t);
            VectorMask<Float> keep = a.compare(VectorOperators.GT, 0f);
            // a > 0 has a clear sign bit: OR in the sign of v (copySign)
            IntVector bits = a.reinterpretAsInts().or(v.reinterpretAsInts().and(signBit));
            zero.blend(bits.reinterpretAsFloats(), keep).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            float v = x[off + i];
            float a = Math.abs(v) - t;
            x[off + i] = a > 0f ? Math.copySign(a, v) : 0f;
        }
    }

    @Override
    public void clamp(int n, float lo, float hi, float[] x, int off) {
        parallel(n, (from, to) -> clampPart(to - from, lo, hi, x, off + from));
    }

    private static void clampPart(int n, float lo, float hi, float[] x, int off) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, off + i).max(lo).min(hi).intoArray(x, off + i);
        }
        for (; i < n; i++) x[off + i] = Math.min(Math.max(x[off + i], lo), hi);
    }

    @Override
    public void gatherRows(int rows, int rowSize, float[] src, int[] index, int indexOff, float[] dst) {
        parallelRows(rows, rowSize, (from, to) -> {
            for (int r = from; r < to; r++) System.arraycopy(src, index[indexOff + r] * rowSize, dst, r * rowSize, rowSize);
        });
    }

    @Override
    public void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        parallel(n, (from, to) -> reluPart(to - from, x, xOff + from, y, yOff + from));
    }

    private static void reluPart(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).max(0f).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.max(x[xOff + i], 0f);
    }

    @Override
    public void reluBackward(int n, float[] x, float[] gOut, float[] gIn) {
        parallel(n, (from, to) -> reluBackwardPart(from, to, x, gOut, gIn));
    }

    private static void reluBackwardPart(int from, int to, float[] x, float[] gOut, float[] gIn) {
        FloatVector zero = FloatVector.zero(F);
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
            VectorMask<Float> pos = FloatVector.fromArray(F, x, i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(F, gOut, i), pos).intoArray(gIn, i);
        }
        for (; i < to; i++) gIn[i] = x[i] > 0f ? gOut[i] : 0f;
    }

    @Override
    public void leakyRelu(int n, float slope, float[] x, float[] y) {
        parallel(n, (from, to) -> Activations.leakyRelu(from, to, slope, x, y));
    }

    @Override
    public void leakyReluBackward(int n, float slope, float[] x, float[] gOut, float[] gIn) {
        parallel(n, (from, to) -> Activations.leakyReluBackward(from, to, slope, x, gOut, gIn));
    }

    /** The scalar reference where doubles get fewer than 4 lanes ({@link DoubleExp#F_OF_D}). */
    @Override
    public void tanh(int n, float[] x, float[] y) {
        if (DoubleExp.F_OF_D == null) Kernels.super.tanh(n, x, y);
        else parallel(n, (from, to) -> Activations.tanh(from, to, x, y));
    }

    @Override
    public void tanhBackward(int n, float[] y, float[] gOut, float[] gIn) {
        parallel(n, (from, to) -> Activations.tanhBackward(from, to, y, gOut, gIn));
    }

    /**
     * Through a table of the gradient on a fine grid where the values are many and its cells cost
     * less than the exponentials it saves ({@link MixturePriorTable}: no exponential per value;
     * the components a value meets are counted on the direct kernel's plan); otherwise, and for
     * the values the table does not serve, float lanes with an exponential of our own ({@link MixturePriorKernel}),
     * split over the team by chunks of {@value MixturePriorKernel#CHUNK} values whose sums are
     * added in chunk order. Either way the result does not depend on the thread count, and is
     * within the tolerance of {@link Kernels#mixturePriorGradient} of the double reference.
     */
    @Override
    public void mixturePriorGradient(int n, float[] x, int xOff, float[] g, int gOff, double scale, int k,
                                     double[] mu, double[] halfTau, double[] logWeight, double[] sums) {
        if (n < 0 || k < 1 || mu.length < k || halfTau.length < k || logWeight.length < k || sums.length < 3 * k) {
            Kernels.super.mixturePriorGradient(n, x, xOff, g, gOff, scale, k, mu, halfTau, logWeight, sums); // throws
            return;
        }
        java.util.Objects.checkFromIndexSize(xOff, n, x.length);
        java.util.Objects.checkFromIndexSize(gOff, n, g.length);
        if (n == 0) return;
        if (!inFloatDomain(scale, k, mu, halfTau, logWeight)) { // as the contract allows: the reference, in double
            Kernels.super.mixturePriorGradient(n, x, xOff, g, gOff, scale, k, mu, halfTau, logWeight, sums);
            return;
        }
        JitWarmup.startMixtureOnce();
        MixturePriorKernel.Constants c = MixturePriorKernel.Constants.of(k, mu, halfTau, logWeight);
        MixturePriorKernel.LazyPlan plan = new MixturePriorKernel.LazyPlan(n, x, xOff, c);
        if (!MixturePriorTable.apply(n, x, xOff, g, gOff, (float) scale, k, mu, halfTau, logWeight, sums, team,
                plan::meanReach, this::mixturePriorDirect)) {
            mixturePriorDirect(n, x, xOff, g, gOff, scale, k, c, plan.buckets(), sums);
        }
    }

    /**
     * @return whether a mixture-prior call's constants lie where float lanes compute them as the
     *     contract states ({@link Kernels#mixturePriorGradient}): λ below 2^100, every h_j in
     *     [2^−100, 2^100] (τ_j and its products stay inside float's range, and above its
     *     resolution), every μ_j and log-weight finite or a log-weight of −∞ (a component of
     *     weight 0)
     */
    private static boolean inFloatDomain(double scale, int k, double[] mu, double[] halfTau, double[] logWeight) {
        if (!(Math.abs(scale) < 0x1p100)) return false;
        for (int j = 0; j < k; j++) {
            if (!(halfTau[j] >= 0x1p-100 && halfTau[j] <= 0x1p100) || !Double.isFinite(mu[j])
                    || !(logWeight[j] < Double.POSITIVE_INFINITY)) {
                return false;
            }
        }
        return true;
    }

    /** {@link #mixturePriorGradient} with an exponential per value and component within reach, arguments checked. */
    private void mixturePriorDirect(int n, float[] x, int xOff, float[] g, int gOff, double scale, int k, double[] mu,
                                    double[] halfTau, double[] logWeight, double[] sums) {
        if (n == 0) return;
        MixturePriorKernel.Constants c = MixturePriorKernel.Constants.of(k, mu, halfTau, logWeight);
        mixturePriorDirect(n, x, xOff, g, gOff, scale, k, c, MixturePriorKernel.plan(n, x, xOff, k, c.mu(), c.c2(), c.v2()), sums);
    }

    /** The same with the call's constants and plan made. */
    private void mixturePriorDirect(int n, float[] x, int xOff, float[] g, int gOff, double scale, int k,
                                    MixturePriorKernel.Constants c, MixturePriorKernel.Buckets buckets, double[] sums) {
        int chunks = MixturePriorKernel.chunks(n);
        double[] partial = new double[3 * k * chunks];
        float s = (float) scale;
        int[] held = buckets.count() < 3 ? null : MixtureInPlace.held(buckets, n, x, xOff);
        MixtureInPlace inPlace = held == null ? null : MixtureInPlace.of(buckets, held, c);
        MixtureGroups groups = held == null ? null : MixtureGroups.of(buckets, held, inPlace, c);
        if (chunks == 1 || team.threads() == 1) {
            MixturePriorKernel.run(0, chunks, n, x, xOff, g, gOff, s, k, c.mu(), c.c2(), c.v2(), c.tau(), buckets,
                    inPlace, groups, partial);
        } else {
            team.runRanges(chunks, team.threads() * MixturePriorKernel.PARTS_PER_THREAD, 1, (from, to) ->
                    MixturePriorKernel.run(from, to, n, x, xOff, g, gOff, s, k, c.mu(), c.c2(), c.v2(), c.tau(),
                            buckets, inPlace, groups, partial));
        }
        MixturePriorKernel.addPartials(partial, chunks, k, sums);
    }

    /** The scalar reference where doubles get fewer than 4 lanes ({@link DoubleExp#F_OF_D}). */
    @Override
    public void sigmoid(int n, float[] x, float[] y) {
        if (DoubleExp.F_OF_D == null) Kernels.super.sigmoid(n, x, y);
        else parallel(n, (from, to) -> Activations.sigmoid(from, to, x, y));
    }

    @Override
    public void sigmoidBackward(int n, float[] y, float[] gOut, float[] gIn) {
        parallel(n, (from, to) -> Activations.sigmoidBackward(from, to, y, gOut, gIn));
    }

    @Override
    public void addRowVector(int rows, int cols, float[] bias, float[] out) {
        parallelRows(rows, cols, (from, to) -> addRowVectorPart(from, to, cols, bias, out));
    }

    private static void addRowVectorPart(int fromRow, int toRow, int cols, float[] bias, float[] out) {
        int bound = F.loopBound(cols);
        for (int r = fromRow; r < toRow; r++) {
            int o = r * cols;
            int c = 0;
            for (; c < bound; c += F.length()) {
                FloatVector.fromArray(F, out, o + c).add(FloatVector.fromArray(F, bias, c)).intoArray(out, o + c);
            }
            for (; c < cols; c++) out[o + c] += bias[c];
        }
    }

    @Override
    public void addColumnSums(int rows, int cols, float[] x, float[] acc) {
        // On one thread: a split by columns reads strided rows, and a split by rows would change
        // the order of the sums.
        int bound = F.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int c = 0;
            for (; c < bound; c += F.length()) {
                FloatVector.fromArray(F, acc, c).add(FloatVector.fromArray(F, x, o + c)).intoArray(acc, c);
            }
            for (; c < cols; c++) acc[c] += x[o + c];
        }
    }

    @Override
    public void sgdMomentum(int n, float lr, float momentum, boolean nesterov, float[] p, float[] g, float[] v) {
        parallel(n, (from, to) -> sgdMomentumPart(from, to, lr, momentum, nesterov, p, g, v));
    }

    /** The update of elements [from, to). */
    private static void sgdMomentumPart(int from, int to, float lr, float momentum, boolean nesterov,
                                        float[] p, float[] g, float[] v) {
        int bound = from + F.loopBound(to - from);
        int i = from;
        if (momentum == 0f) {
            for (; i < bound; i += F.length()) {
                FloatVector pv = FloatVector.fromArray(F, p, i);
                pv.sub(FloatVector.fromArray(F, g, i).mul(lr)).intoArray(p, i);
            }
            for (; i < to; i++) p[i] -= lr * g[i];
            return;
        }
        if (nesterov) {
            for (; i < bound; i += F.length()) {
                FloatVector gv = FloatVector.fromArray(F, g, i);
                FloatVector vi = FloatVector.fromArray(F, v, i).mul(momentum).add(gv);
                vi.intoArray(v, i);
                FloatVector.fromArray(F, p, i).sub(gv.add(vi.mul(momentum)).mul(lr)).intoArray(p, i);
            }
        } else {
            for (; i < bound; i += F.length()) {
                FloatVector vi = FloatVector.fromArray(F, v, i).mul(momentum).add(FloatVector.fromArray(F, g, i));
                vi.intoArray(v, i);
                FloatVector.fromArray(F, p, i).sub(vi.mul(lr)).intoArray(p, i);
            }
        }
        for (; i < to; i++) {
            float vi = momentum * v[i] + g[i];
            v[i] = vi;
            p[i] -= lr * (nesterov ? g[i] + momentum * vi : vi);
        }
    }

    /**
     * One pass over θ, g and v per part: the decayed gradient, the velocity and the parameter are
     * each loaded once and stored once, and the finiteness of the new θ is taken from the
     * registers (exponent bits, as {@link #allFinite}). Bit-identical to axpy, sgdMomentum and
     * allFinite in turn. Without decay: sgdMomentum's pass, then allFinite on the part while it
     * is still in cache.
     */
    @Override
    public boolean sgdMomentumWithDecay(int n, float lr, float momentum, boolean nesterov, float decay,
                                        float[] p, float[] g, float[] v) {
        AtomicBoolean finite = new AtomicBoolean(true);
        parallel(n, (from, to) -> {
            boolean ok;
            if (decay == 0f) {
                sgdMomentumPart(from, to, lr, momentum, nesterov, p, g, v);
                ok = allFinitePart(to - from, p, from);
            } else {
                ok = decayedSgdPart(from, to, lr, momentum, nesterov, decay, p, g, v);
            }
            if (!ok) finite.set(false);
        });
        return finite.get();
    }

    /** g ← g + decay·θ, then the SGD update, of elements [from, to); returns whether the new θ are finite. */
    private static boolean decayedSgdPart(int from, int to, float lr, float momentum, boolean nesterov, float decay,
                                          float[] p, float[] g, float[] v) {
        IntVector exponent = IntVector.broadcast(I, EXPONENT_MASK);
        IntVector acc = IntVector.zero(I);
        int bound = from + F.loopBound(to - from);
        int i = from;
        // three loops rather than branches inside one, so no vector value merges at a branch
        if (momentum == 0f) {
            for (; i < bound; i += F.length()) {
                FloatVector pv = FloatVector.fromArray(F, p, i);
                FloatVector gv = FloatVector.fromArray(F, g, i).add(pv.mul(decay));
                gv.intoArray(g, i);
                FloatVector np = pv.sub(gv.mul(lr));
                np.intoArray(p, i);
                acc = acc.max(np.reinterpretAsInts().and(exponent));
            }
        } else if (nesterov) {
            for (; i < bound; i += F.length()) {
                FloatVector pv = FloatVector.fromArray(F, p, i);
                FloatVector gv = FloatVector.fromArray(F, g, i).add(pv.mul(decay));
                gv.intoArray(g, i);
                FloatVector vi = FloatVector.fromArray(F, v, i).mul(momentum).add(gv);
                vi.intoArray(v, i);
                FloatVector np = pv.sub(gv.add(vi.mul(momentum)).mul(lr));
                np.intoArray(p, i);
                acc = acc.max(np.reinterpretAsInts().and(exponent));
            }
        } else {
            for (; i < bound; i += F.length()) {
                FloatVector pv = FloatVector.fromArray(F, p, i);
                FloatVector gv = FloatVector.fromArray(F, g, i).add(pv.mul(decay));
                gv.intoArray(g, i);
                FloatVector vi = FloatVector.fromArray(F, v, i).mul(momentum).add(gv);
                vi.intoArray(v, i);
                FloatVector np = pv.sub(vi.mul(lr));
                np.intoArray(p, i);
                acc = acc.max(np.reinterpretAsInts().and(exponent));
            }
        }
        boolean finite = acc.reduceLanes(VectorOperators.MAX) != EXPONENT_MASK;
        for (; i < to; i++) {
            float gi = g[i] + decay * p[i];
            g[i] = gi;
            float step = gi;
            if (momentum != 0f) {
                float vi = momentum * v[i] + gi;
                v[i] = vi;
                step = nesterov ? gi + momentum * vi : vi;
            }
            p[i] -= lr * step;
            finite &= Float.isFinite(p[i]);
        }
        return finite;
    }

    @Override
    public void adam(int n, float lr, float beta1, float beta2, float eps, float bc1, float bc2,
                     float[] p, float[] g, float[] m, float[] v) {
        parallel(n, (from, to) -> adamPart(from, to, lr, beta1, beta2, eps, bc1, bc2, p, g, m, v));
    }

    /** The update of elements [from, to). */
    private static void adamPart(int from, int to, float lr, float beta1, float beta2, float eps, float bc1, float bc2,
                                 float[] p, float[] g, float[] m, float[] v) {
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        float step = lr / bc1;
        float invBc2 = 1f / bc2;
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
            FloatVector gi = FloatVector.fromArray(F, g, i);
            FloatVector mi = FloatVector.fromArray(F, m, i).mul(beta1).add(gi.mul(c1));
            FloatVector vi = FloatVector.fromArray(F, v, i).mul(beta2).add(gi.mul(c2).mul(gi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector denom = vi.mul(invBc2).sqrt().add(eps);
            FloatVector.fromArray(F, p, i).sub(mi.mul(step).div(denom)).intoArray(p, i);
        }
        for (; i < to; i++) {
            float gi = g[i];
            float mi = beta1 * m[i] + c1 * gi;
            float vi = beta2 * v[i] + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] -= step * mi / ((float) Math.sqrt(vi * invBc2) + eps);
        }
    }

    @Override
    public void dropout(int n, float p, long key, float[] x, float[] y, float[] mask) {
        float keep = 1f / (1f - p);
        parallel(n, (from, to) -> {
            int i = FL == null ? from : dropoutVector(from, to, p, keep, key, x, y, mask);
            for (; i < to; i++) {
                float f = CounterRng.uniform(key, i) < p ? 0f : keep;
                mask[i] = f;
                y[i] = x[i] * f;
            }
        });
    }

    /** The SIMD part of {@link #dropout} on [from, to); @return the first index left for the scalar tail */
    private int dropoutVector(int from, int to, float p, float keep, long key, float[] x, float[] y, float[] mask) {
        FloatVector keepV = FloatVector.broadcast(FL, keep);
        FloatVector zero = FloatVector.zero(FL);
        LongVector stride = LongVector.broadcast(L, (long) L.length() * CounterRng.GOLDEN);
        // counter of lane j at element i: key + (i + j)·GOLDEN, wrapping exactly like the scalar long
        LongVector counter = laneCounters.add(key + from * CounterRng.GOLDEN);
        int i = from;
        for (int bound = from + FL.loopBound(to - from); i < bound; i += FL.length()) {
            LongVector z = counter;
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xBF58476D1CE4E5B9L);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94D049BB133111EBL);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
            // 24 random bits convert to float exactly, as (bits >>> 40) * 2^-24f does in CounterRng
            FloatVector u = ((FloatVector) z.lanewise(VectorOperators.LSHR, 40)
                    .convertShape(VectorOperators.L2F, FL, 0)).mul(0x1.0p-24f);
            FloatVector f = keepV.blend(zero, u.compare(VectorOperators.LT, p));
            f.intoArray(mask, i);
            FloatVector.fromArray(FL, x, i).mul(f).intoArray(y, i);
            counter = counter.add(stride);
        }
        return i;
    }

    @Override
    public void multiply(int n, float[] x, float[] y, float[] z) {
        parallel(n, (from, to) -> {
            int i = from;
            for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
                FloatVector.fromArray(F, x, i).mul(FloatVector.fromArray(F, y, i)).intoArray(z, i);
            }
            for (; i < to; i++) z[i] = x[i] * y[i];
        });
    }

    /**
     * Row-wise softmax, bit-identical to the scalar kernel. The max and the final scaling are
     * vectorised; the exponentials are not: {@code lanewise(EXP)} gives results that differ by an
     * ulp between its intrinsic (JIT-compiled code) and its fallback (interpreter), so the same
     * input gave different probabilities depending on when C2 compiled the caller.
     */
    @Override
    public void softmaxRows(int rows, int cols, float[] x, float[] out) {
        int bound = F.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            FloatVector maxV = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            int c = 0;
            for (; c < bound; c += F.length()) maxV = maxV.max(FloatVector.fromArray(F, x, o + c));
            float max = maxV.reduceLanes(VectorOperators.MAX);
            for (; c < cols; c++) max = Math.max(max, x[o + c]);
            double sum = 0;
            for (c = 0; c < cols; c++) {
                float e = (float) Math.exp(x[o + c] - max);
                out[o + c] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            c = 0;
            for (; c < bound; c += F.length()) FloatVector.fromArray(F, out, o + c).mul(inv).intoArray(out, o + c);
            for (; c < cols; c++) out[o + c] *= inv;
        }
    }
}
