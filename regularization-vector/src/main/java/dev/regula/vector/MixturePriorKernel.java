package dev.regula.vector;

import jdk.incubator.vector.DoubleVector;
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
 * responsibilities e_j/Σ into the per-component sums (float lanes per block, added into float
 * lanes per component, and those into per-lane doubles after every {@value #BLOCK} values and at
 * the chunk's end, summed in lane order once per chunk), and chunk sums added in chunk order.
 *
 * <p><b>Values sorted by bucket.</b> Skipping (below) works per vector, and a vector of values
 * in stored order holds unrelated values that together meet most components. So a call first
 * plans {@value #BUCKETS} buckets of equal width over its values' range (from a sample; two open
 * buckets for the values outside it), each with the components that can be within reach
 * somewhere in it ({@link #plan}); each chunk is then counting-sorted by bucket (into a scratch
 * copy, each bucket padded to whole vectors, with each value's rank to send its gradient back)
 * and goes bucket by bucket, each bucket's blocks seeing only its components. In a bucket of
 * equal width the largest exponent of any value lies between two bounds the plan computes; where
 * they are at most {@value #SPAN} apart (nearly always) the bucket takes its powers of two from
 * one shift, its upper bound, instead of each value's maximum: one pass over the components, no
 * maximum and no per-vector skip test ({@link #shifted}). The sort is done only where the work it
 * saves is larger than its own cost ({@value #SORT_COST} component-vectors per vector): when the
 * components are wide compared with the weights' spread (the mixture training starts from) every
 * bucket meets nearly every component, and the values go in stored order as before. The order is
 * a function of the call's values alone (a stable counting sort, buckets from a sample of them),
 * so a call's result depends on its arguments only: the same on every call with the same values,
 * whatever came before, and independent of the thread count.
 *
 * <p><b>The main run of buckets in place.</b> Where most of a call's values lie in a run of
 * buckets that list the same one or two components (nine weights in ten at the zero component, as
 * in soft weight sharing's retraining, alone or with a wide component on its mean), a chunk first
 * goes through {@link MixtureInPlace}: those values get their gradient and sums where they are
 * stored ({@link MixtureSolo}: responsibility 1, no exponential; {@link MixturePair}: one
 * exponential), and only the rest are sorted and computed as above.
 *
 * <p>The power of two is our own, from operations IEEE 754 fixes bit for bit (as
 * {@link DoubleExp} for tanh and σ, and for the same reason: the Vector API's {@code EXP} gives
 * other bits before and after C2 compiles the loop): 2^t = 2^n·2^f, n = round(t) by the 1.5·2^23
 * shifter, f = t − n exactly (|f| ≤ 1/2), 2^f by a degree-5 polynomial fitted for relative error
 * (under 2e-7 in float arithmetic), and 2^n added to the result's exponent bits; arguments are
 * clamped to ≥ {@value #MIN_ARGUMENT} so the result stays a normal float.
 *
 * <p><b>Terms dropped at float resolution.</b> A component whose exponent is more than
 * {@value #NEGLIGIBLE} below the maximum in every lane of a vector (its term is below 2^−24 of the
 * value's largest, so its responsibility is below 2^−24) is skipped, and where that is so for
 * every value of a block, so are the component's sums. 2^−24 is half a float ulp of 1: added to a
 * normaliser that already holds the largest term (≥ 1 after the shift), such a term does not change
 * its float value. What this promises, and the tests check against the double reference: every
 * term of responsibility at least 2^−23 is kept (and agrees within float rounding, below); a term
 * below that may be missing entirely, from the gradient and from the sums. Per value the gradient
 * thus differs from the exact one by at most λ·Σ_{dropped j} r_ij·τ_j·|d_ij| ≤
 * λ·k·2^−24·max_j τ_j·|d_ij| (plus the renormalisation, k·2^−24 relative), within the 1e-5 of
 * {@link dev.regula.api.kernels.Kernels#mixturePriorGradient}. Where a component's terms are below
 * 2^−24 for every weight (a component far from all of them), its sums are 0 instead of a sum of
 * such terms (at most n·2^−24 of responsibility), so such a component's own gradients vanish a
 * little earlier than with a smaller threshold. (Until 2026-12 the threshold was 2^−40, far below
 * float resolution; at the narrow, overlapping mixtures of {@code regula compress} it kept 13 of
 * 16 components per weight, 2^−24 keeps about 5, which lets the sort below pay.)
 *
 * <p><b>No vector crosses a method call</b> but {@link #exp2}'s, which every loop calls on each
 * vector and C2 always inlines: where C2 compiles a callee on its own (a helper shared by several
 * loops, called once per block), its vector arguments are boxed and it runs the Vector API's Java
 * code. A shared helper adding a block's three sums into the lane sums made the late states of
 * training up to 1.7 times slower depending on which calls C2 had seen first; each loop now adds
 * its sums itself.
 *
 * <p>Accuracy against the double reference: the exponents are float, so a value far from every
 * component (|b| large) carries an absolute error of about 6e-8·|b| in its exponents; the test
 * states the tolerance on mixtures as training produces them.
 */
final class MixturePriorKernel {
    /** Values per unit of the thread split and of the double partial sums. */
    static final int CHUNK = 4096;
    /**
     * Parts per thread of the split: chunks cost unevenly (a weight between several components
     * costs more than one near a single one), so this job is cut finer than the team's other
     * jobs ({@link WorkerTeam#PARTS_PER_THREAD}) and the dynamic schedule balances it.
     */
    static final int PARTS_PER_THREAD = 4;
    /** Values per block; the exponent scratch holds k blocks. */
    static final int BLOCK = 512;
    /**
     * Value buckets of a call, equal widths over [min, max] of its values: narrow enough that a
     * bucket lists few more components than its values meet (with 16 buckets over weights of
     * ±0.2 and components of σ ≈ 0.005 a bucket spanned several σ); the sort costs the same for
     * any count, and each bucket is padded to whole vectors.
     */
    static final int BUCKETS = 64;
    /**
     * Cost of sorting a chunk, in component-vectors (one component's exponential and sums on one
     * vector of values) per vector of values: a chunk is sorted only if its buckets' work, plus
     * this, is below the work of every component on every vector (measured: the sort and the
     * gather of the gradients cost about as much as four to five component-vectors).
     */
    static final int SORT_COST = 6;
    /** Values {@link #plan} looks at to judge whether sorting would pay. */
    static final int SAMPLE = 1024;
    /** Counters per bucket in the counting sort, by index mod COPIES. */
    private static final int COPIES = 8;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Doubles of F's shape: half as many lanes. */
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, F.vectorShape());
    /** log₂ e, by which {@link Constants} turns the natural-log constants into base 2. */
    static final double LOG2_E = 1.4426950408889634;
    private static final float SHIFTER = 0x1.8p23f;
    static final float MIN_ARGUMENT = -125f;
    /** Exponents (base 2) more than this below the value's maximum are dropped (see the class comment). */
    static final float NEGLIGIBLE = 24f;
    /**
     * A bucket whose values' largest exponents lie within this many binary orders of each other
     * takes its powers of two from one shift ({@link #shifted}).
     */
    static final int SPAN = 64;
    /** 2^f ≈ 1 + f·(P1 + f·(P2 + f·(P3 + f·(P4 + f·P5)))) on [−1/2, 1/2], fitted for relative error. */
    private static final float P1 = 0.6931468844413757f, P2 = 0.24022237956523895f, P3 = 0.05550893023610115f,
            P4 = 0.009671707637608051f, P5 = 0.0013218676904216409f;

    private MixturePriorKernel() {
    }

    /**
     * The per-call constants of k components, in float: the means, the exponent's coefficients in
     * base 2 (c2 = −log₂e·τ/2, v2 = log₂e·log π) and the precisions τ. (A value's term is
     * τ·(x − μ), never τ·x − τ·μ: near a mean far from 0 with a large τ the two products are large
     * and nearly equal, and the rounding of τ·μ alone was 1e-4 of their difference.)
     */
    record Constants(float[] mu, float[] c2, float[] v2, float[] tau) {
        static Constants of(int k, double[] mu, double[] halfTau, double[] logWeight) {
            float[] muF = new float[k];
            float[] c2 = new float[k];
            float[] v2 = new float[k];
            float[] tau = new float[k];
            for (int j = 0; j < k; j++) {
                muF[j] = (float) mu[j];
                c2[j] = (float) (-LOG2_E * halfTau[j]);
                v2[j] = (float) (LOG2_E * logWeight[j]);
                tau[j] = (float) (2 * halfTau[j]);
            }
            return new Constants(muF, c2, v2, tau);
        }
    }

    /**
     * One thread's working arrays for {@link #run}, kept between calls (a two-thread step of the
     * reference MLP would otherwise allocate some 2 MB of them): sized for k components and nb
     * buckets, grown when a call needs more. Their contents never carry over: every array is
     * written before it is read within a chunk, except the lane accumulators, which {@link #run}
     * clears on entry (and {@link #flush} leaves cleared).
     */
    private static final class Scratch {
        // sized for live.length components and filled.length buckets (none before the first fit;
        // a call has k >= 1 and at least one bucket)
        float[] e, xs, zinv, gs, laneAcc, rest;
        double[] laneSums;
        boolean[] live = new boolean[0], touched;
        int[] bucketOf, rank, first, filled = new int[0], next, restAt;
        /** The values of each of {@link MixtureGroups}' runs and their places in the chunk, and how many. */
        float[][] lists;
        int[][] listAt;
        int[] counts;

        Scratch fit(int k, int nb) {
            if (k <= live.length && nb <= filled.length) return this;
            k = Math.max(k, live.length);
            nb = Math.max(nb, filled.length);
            int lanes = F.length();
            e = new float[k * BLOCK];
            int room = CHUNK + (nb + 1) * lanes; // the chunk's values, each bucket padded to whole vectors
            xs = new float[room];
            zinv = new float[room];
            gs = new float[room];
            laneAcc = new float[3 * k * lanes];
            laneSums = new double[3 * k * lanes];
            live = new boolean[k];
            touched = new boolean[k];
            bucketOf = new int[CHUNK];
            rank = new int[CHUNK];
            rest = new float[CHUNK + lanes]; // the in-place passes store whole vectors into them
            restAt = new int[CHUNK + lanes];
            lists = new float[MixtureGroups.MOST][CHUNK + lanes];
            listAt = new int[MixtureGroups.MOST][CHUNK + lanes];
            counts = new int[MixtureGroups.MOST];
            first = new int[nb + 1];
            filled = new int[nb];
            next = new int[COPIES * nb];
            return this;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Adds the chunks' partial sums (3·k per chunk, written by {@link #run}) to {@code sums} in chunk order. */
    static void addPartials(double[] partial, int chunks, int k, double[] sums) {
        for (int c = 0; c < chunks; c++) {
            for (int t = 0; t < 3 * k; t++) sums[t] += partial[3 * k * c + t];
        }
    }

    /**
     * The value buckets of one call and the components within reach of each: {@code count − 2}
     * of equal width over [lo, lo + (count − 2)/perUnit], and two open ones, 0 below it (and
     * NaN) and count − 1 above it, which list every component.
     *
     * @param count buckets; 1: no sorting, every component
     * @param lo where the first bucket of equal width starts
     * @param perUnit buckets per unit of value: x goes to bucket
     *     (int) max(0, min(count − 1, (x − lo)·perUnit + 1)), in float
     * @param start bucket b's components are components[start[b], start[b + 1])
     * @param components component indices, ascending within a bucket
     * @param shift per bucket, a bound above every exponent of its values, from which the
     *     bucket's powers of two are taken ({@link #shifted}); NaN: from each value's largest
     *     exponent ({@link #exponentials})
     */
    record Buckets(int count, float lo, float perUnit, int[] start, int[] components, float[] shift) {
        static Buckets all(int k) {
            int[] comps = new int[k];
            for (int j = 0; j < k; j++) comps[j] = j;
            return new Buckets(1, 0f, 0f, new int[] {0, k}, comps, new float[] {Float.NaN});
        }

        int bucketOf(float x) {
            return (int) Math.max(0f, Math.min(count - 1, (x - lo) * perUnit + 1f)); // NaN: 0
        }

        int reach(int b) {
            return start[b + 1] - start[b];
        }

        /**
         * @return the mean number of components a value meets, over the plan's sample of the
         *     values (every (n/{@value #SAMPLE})th): the direct kernel's exponentials per value
         */
        double meanReach(int n, float[] x, int xOff) {
            if (count == 1) return reach(0);
            int stride = Math.max(1, n / SAMPLE);
            long work = 0;
            long values = 0;
            for (int t = 0; t < n; t += stride, values++) work += reach(bucketOf(x[xOff + t]));
            return (double) work / values;
        }
    }

    /**
     * A call's plan, made on first use: the table asks for the mean reach only where its cells
     * might cost more than it saves ({@link MixturePriorTable#pays}), and the direct kernel reuses it.
     */
    static final class LazyPlan {
        private final int n;
        private final float[] x;
        private final int xOff;
        private final Constants c;
        private Buckets buckets;
        private double meanReach = Double.NaN;

        LazyPlan(int n, float[] x, int xOff, Constants c) {
            this.n = n;
            this.x = x;
            this.xOff = xOff;
            this.c = c;
        }

        Buckets buckets() {
            if (buckets == null) {
                double[] reach = new double[1];
                buckets = plan(n, x, xOff, c.mu().length, c.mu(), c.c2(), c.v2(), reach);
                meanReach = reach[0];
            }
            return buckets;
        }

        /** @return the plan's {@link Buckets#meanReach}, counted once, as the plan is made */
        double meanReach() {
            buckets();
            return meanReach;
        }
    }

    /** @return the number of chunks of n values */
    static int chunks(int n) {
        return Math.ceilDiv(n, CHUNK);
    }

    /**
     * Plans the buckets of a call from a sample of its values, every (n/{@value #SAMPLE})th (so
     * the plan is a function of the values, and costs little): {@value #BUCKETS} buckets of equal
     * width over the sample's range, each with the components that can be within
     * {@value #NEGLIGIBLE} binary orders of the largest exponent somewhere in it, and the two open
     * buckets around them for the values outside, with every component. For an interval [a, b],
     * component j's exponent is at most v_j + c_j·dmin_j² and the largest exponent at least
     * max_l (v_l + c_l·dmax_l²), dmin and dmax the distances from μ to the nearest and farthest
     * point; j is left out where the first lies more than {@value #NEGLIGIBLE} + 1 below the
     * second (the interval widened by 1 %, the bound in double: rounding of the float exponents
     * and of the bucket index cannot turn a component within reach into one left out). One
     * bucket (no sorting) when the values are fewer than {@code 4·CHUNK/BUCKETS}, the sample is
     * not finite or all equal, or the buckets would leave out too little on the sample to pay for
     * the sort ({@link #SORT_COST}).
     */
    static Buckets plan(int n, float[] x, int xOff, int k, float[] mu, float[] c2, float[] v2) {
        return plan(n, x, xOff, k, mu, c2, v2, new double[1]);
    }

    /** {@link #plan}, with the returned plan's {@link Buckets#meanReach} into {@code reach[0]} (its sample counted once). */
    private static Buckets plan(int n, float[] x, int xOff, int k, float[] mu, float[] c2, float[] v2, double[] reach) {
        reach[0] = k; // every component, unless the buckets are kept
        if (n < 4 * CHUNK / BUCKETS) return Buckets.all(k);
        int stride = Math.max(1, n / SAMPLE);
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < n; t += stride) {
            lo = Math.min(lo, x[xOff + t]);
            hi = Math.max(hi, x[xOff + t]);
        }
        if (!(Float.isFinite(lo) && Float.isFinite(hi) && hi > lo)) return Buckets.all(k);
        double width = ((double) hi - lo) / BUCKETS;
        float perUnit = (float) (BUCKETS / ((double) hi - lo));
        if (!Float.isFinite(perUnit)) return Buckets.all(k);
        int count = BUCKETS + 2;
        int[] start = new int[count + 1];
        int[] comps = new int[count * k];
        float[] shift = new float[count];
        double[] up = new double[k];
        int total = 0;
        for (int b = 0; b < count; b++) {
            start[b] = total;
            if (b == 0 || b == count - 1) { // open: every component
                for (int j = 0; j < k; j++) comps[total++] = j;
                shift[b] = Float.NaN;
                continue;
            }
            double floor = bounds(lo + (b - 1.01) * width, lo + (b + 0.01) * width, k, mu, c2, v2, up);
            double top = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                if (!(up[j] < floor - (NEGLIGIBLE + 1))) comps[total++] = j;
                top = Math.max(top, up[j]);
            }
            shift[b] = shift(floor, top);
        }
        start[count] = total;
        Buckets buckets = new Buckets(count, lo, perUnit, start, Arrays.copyOf(comps, total), shift);
        // the work on the sample, which each chunk's sort judges again exactly
        double r = buckets.meanReach(n, x, xOff);
        if (r + SORT_COST >= k) return Buckets.all(k);
        reach[0] = r;
        return buckets;
    }

    /**
     * The bounds of the exponents over an interval [a, e]: component j's exponent is at most
     * v_j + c_j·dmin_j² there (into up[j]), and the largest exponent of any point at least
     * max_j (v_j + c_j·dmax_j²) (returned), dmin and dmax the distances from μ_j to the nearest and
     * farthest point.
     */
    private static double bounds(double a, double e, int k, float[] mu, float[] c2, float[] v2, double[] up) {
        double floor = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double m = mu[j];
            double dmin = m < a ? a - m : m > e ? m - e : 0;
            double dmax = Math.max(Math.abs(a - m), Math.abs(e - m));
            up[j] = v2[j] + (double) c2[j] * dmin * dmin;
            floor = Math.max(floor, v2[j] + (double) c2[j] * dmax * dmax);
        }
        return floor;
    }

    /**
     * The shift of values whose largest exponents lie in [floor, top]: with top − floor ≤
     * {@value #SPAN} the largest term is at least 2^−SPAN after the shift, and its 2^−24 far above
     * 2^−125; NaN (each value from its own largest exponent) otherwise.
     */
    private static float shift(double floor, double top) {
        return top - floor <= SPAN ? (float) (top + 1) : Float.NaN;
    }

    /**
     * The shift of the inner buckets [first, last] of a plan taken as one bucket ({@link #plan}'s
     * bounds over their whole interval, widened as there), NaN where their values' largest
     * exponents may lie more than {@value #SPAN} apart.
     */
    static float shift(Buckets buckets, int first, int last, Constants c) {
        int k = c.mu().length;
        double width = 1.0 / buckets.perUnit();
        double[] up = new double[k];
        double floor = bounds(buckets.lo() + (first - 1.01) * width, buckets.lo() + (last + 0.01) * width, k, c.mu(), c.c2(),
                c.v2(), up);
        double top = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) top = Math.max(top, up[j]);
        return shift(floor, top);
    }

    /**
     * Computes the chunks [fromChunk, toChunk): adds to g and writes chunk c's sums to
     * partial[3k·c, 3k·c + 3k).
     *
     * <p>With more than one bucket, a chunk's values are sorted by bucket ({@link #sort}) and go
     * bucket by bucket, each in blocks of at most {@value #BLOCK}, seeing only the bucket's
     * components, their gradients sent back to their places at the end; if that would save too
     * little for this chunk's values (see {@link #SORT_COST}), the chunk goes in stored order with
     * every component. The order is a function of the chunk's values alone, so the sums are the
     * same on every call with the same values, whatever came before and however many threads.
     *
     * @param c2 −log₂e·τ_j/2 per component
     * @param v2 log₂e·(log π_j + s_j/2 − log(2π)/2) per component
     * @param tau τ_j per component
     * @param buckets from {@link #plan}
     * @param inPlace from {@link MixtureInPlace#of} for these buckets: the values of its run of buckets
     *     are computed in stored order first, and only the others sorted; null: none
     * @param groups from {@link MixtureGroups#of} for these buckets: the values of its runs (of
     *     those the in-place pass leaves) are listed by run and computed run by run, and only the
     *     others sorted; null: none
     */
    static void run(int fromChunk, int toChunk, int len, float[] x, int xOff, float[] g, int gOff, float scale, int k,
                    float[] mu, float[] c2, float[] v2, float[] tau, Buckets buckets, MixtureInPlace inPlace,
                    MixtureGroups groups, double[] partial) {
        int lanes = F.length();
        int nb = buckets.count();
        Buckets all = nb == 1 ? buckets : Buckets.all(k);
        Scratch scratch = SCRATCH.get().fit(k, nb);
        float[] e = scratch.e;
        float[] xs = scratch.xs;
        float[] zinv = scratch.zinv;
        float[] gs = scratch.gs;
        float[] laneAcc = scratch.laneAcc;
        double[] laneSums = scratch.laneSums;
        boolean[] live = scratch.live;
        boolean[] touched = scratch.touched;
        int[] bucketOf = scratch.bucketOf;
        int[] rank = scratch.rank;
        int[] first = scratch.first;
        int[] filled = scratch.filled;
        int[] next = scratch.next;
        Arrays.fill(laneAcc, 0f); // (already so, unless an earlier call on this thread ended by an exception)
        Arrays.fill(touched, false);
        // μ, c, v, τ of the listed components, in the order of the list, for direct indexing
        float[][] perAll = {mu, c2, v2, tau};
        float[][] perBucket = nb == 1 ? perAll : new float[4][];
        for (int t = 0; nb > 1 && t < 4; t++) {
            perBucket[t] = new float[buckets.components().length];
            for (int q = 0; q < perBucket[t].length; q++) perBucket[t][q] = perAll[t][buckets.components()[q]];
        }
        for (int c = fromChunk; c < toChunk; c++) {
            int chunkStart = c * CHUNK;
            int m = Math.min(len, chunkStart + CHUNK) - chunkStart;
            int xc = xOff + chunkStart;
            int gc = gOff + chunkStart;
            Arrays.fill(laneSums, 0);
            // the values this path computes: the chunk's, or those the in-place pass left (at[t] their places)
            float[] src = x;
            int srcOff = xc;
            int[] at = null;
            if (inPlace != null) {
                m = inPlace.pass(m, x, xc, g, gc, scale, laneAcc, laneSums, scratch.rest, scratch.restAt);
                src = scratch.rest;
                srcOff = 0;
                at = scratch.restAt;
            }
            if (groups != null) { // the runs' values, each run's as one bucket; the others stay listed for the sort
                m = groups.split(m, src, srcOff, at, scratch.lists, scratch.listAt, scratch.counts, scratch.rest, scratch.restAt);
                src = scratch.rest;
                srcOff = 0;
                at = scratch.restAt;
                int pending = 0;
                for (int i = 0; i < groups.count(); i++) {
                    int count = scratch.counts[i];
                    if (count == 0) continue;
                    float[] list = scratch.lists[i];
                    int end = Math.ceilDiv(count, lanes) * lanes;
                    for (int t = count; t < end; t++) list[t] = list[0]; // padding inside the run's range
                    pending = blocks(0, count, end, groups.from(i), groups.reach(i), groups.shift(i), list, perBucket,
                            buckets.components(), k, pending, scratch);
                    int[] listAt = scratch.listAt[i];
                    for (int t = 0; t < count; t++) g[gc + listAt[t]] += scale * gs[t];
                }
                flush(k, laneAcc, laneSums, touched);
            }
            boolean sorted = nb > 1 && sort(src, srcOff, m, k, buckets, bucketOf, xs, rank, first, filled, next);
            if (!sorted) { // stored order, one bucket of every component
                System.arraycopy(src, srcOff, xs, 0, m);
                first[0] = 0;
                filled[0] = m;
                first[1] = Math.ceilDiv(m, lanes) * lanes;
                for (int t = m; t < first[1]; t++) xs[t] = xs[0]; // padding inside the values' range
            }
            Buckets plan = sorted ? buckets : all;
            int[] comps = plan.components();
            float[][] per = sorted ? perBucket : perAll;
            int pending = 0; // values in laneAcc since it was last added into laneSums
            for (int b = 0; b < plan.count(); b++) {
                pending = blocks(first[b], first[b] + filled[b], first[b + 1], plan.start()[b], plan.reach(b), plan.shift()[b], xs,
                        per, comps, k, pending, scratch);
            }
            flush(k, laneAcc, laneSums, touched);
            if (at != null) {
                for (int t = 0; t < m; t++) g[gc + at[t]] += scale * gs[sorted ? rank[t] : t];
            } else if (sorted) {
                unsort(m, gs, rank, g, gc, scale);
            } else {
                for (int t = 0; t < m; t++) g[gc + t] += scale * gs[t];
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
     * The values xs[begin, end) of one bucket (or run of buckets) listing the components
     * [from, from + reach) of the plan's list, realEnd − begin of them real and the rest padding
     * (responsibility 0), in blocks of {@value #BLOCK}: their gradients into the scratch's gs at
     * the same places, their components' sums into its lane sums, which are added into its doubles
     * once {@value #BLOCK} values have gone in since they last were.
     *
     * @param shift the bucket's shift ({@link Buckets#shift}), NaN: from each value's largest exponent
     * @param per μ, c, v, τ in the order of the list {@code comps}
     * @param pending values in the lane sums since they were last added into the doubles
     * @return the same after these values
     */
    private static int blocks(int begin, int realEnd, int end, int from, int reach, float shift, float[] xs, float[][] per,
                              int[] comps, int k, int pending, Scratch scratch) {
        float[] e = scratch.e;
        float[] zinv = scratch.zinv;
        boolean[] live = scratch.live;
        for (int s = begin; s < end; s += BLOCK) {
            int nv = Math.min(BLOCK, end - s);
            if (shift == shift) { // not NaN
                Arrays.fill(live, 0, reach, true);
                shifted(nv, s, from, reach, shift, xs, e, zinv, scratch.gs, per[0], per[1], per[2], per[3]);
            } else {
                Arrays.fill(live, 0, reach, false);
                exponentials(nv, s, from, reach, xs, e, zinv, scratch.gs, live, per[0], per[1], per[2], per[3]);
            }
            for (int t = Math.max(s, realEnd); t < s + nv; t++) zinv[t] = 0f; // padding: responsibility 0
            for (int q = 0; q < reach; q++) {
                if (live[q]) {
                    int j = comps[from + q];
                    scratch.touched[j] = true;
                    componentSums(nv, s, q, j, e, zinv, xs, per[0][from + q], scratch.laneAcc);
                }
            }
            pending += nv;
            if (pending >= BLOCK) {
                flush(k, scratch.laneAcc, scratch.laneSums, scratch.touched);
                pending = 0;
            }
        }
        return pending;
    }

    /**
     * 2^t for t in [{@value #MIN_ARGUMENT}, 0]: t = n + f with n = round(t) by the 1.5·2^23
     * shifter, 2^f by the polynomial, and n added to the result's exponent bits.
     */
    static FloatVector exp2(FloatVector t) {
        FloatVector shifted = t.add(SHIFTER);
        FloatVector f = t.sub(shifted.sub(SHIFTER));
        FloatVector poly = f.fma(FloatVector.broadcast(F, P5), FloatVector.broadcast(F, P4))
                .fma(f, FloatVector.broadcast(F, P3)).fma(f, FloatVector.broadcast(F, P2))
                .fma(f, FloatVector.broadcast(F, P1)).fma(f, FloatVector.broadcast(F, 1f));
        // shifted's bits are those of 1.5·2^23 plus n; shifted left by 23, the constant's
        // bits (multiples of 2^22) leave the int, so this is n·2^23, the exponent of 2^n
        IntVector n = ((IntVector) shifted.reinterpretAsInts()).lanewise(VectorOperators.LSHL, 23);
        return ((IntVector) poly.reinterpretAsInts()).add(n).reinterpretAsFloats();
    }

    /** Adds the float lane sums of the touched components into their doubles, and clears both. */
    private static void flush(int k, float[] laneAcc, double[] laneSums, boolean[] touched) {
        for (int j = 0; j < k; j++) {
            if (!touched[j]) continue;
            touched[j] = false;
            flush(j, laneAcc, laneSums);
        }
    }

    /** Adds component j's float lane sums into their doubles (each float exactly widened), and clears them. */
    static void flush(int j, float[] laneAcc, double[] laneSums) {
        int lanes = F.length();
        int halves = lanes / D.length();
        FloatVector zero = FloatVector.zero(F);
        for (int l = 3 * j * lanes; l < 3 * (j + 1) * lanes; l += lanes) {
            FloatVector acc = FloatVector.fromArray(F, laneAcc, l);
            for (int h = 0; h < halves; h++) {
                int at = l + h * D.length();
                ((DoubleVector) acc.convertShape(VectorOperators.F2D, D, h)).add(DoubleVector.fromArray(D, laneSums, at))
                        .intoArray(laneSums, at);
            }
            zero.intoArray(laneAcc, l);
        }
    }

    /**
     * Counting sort of the m values at x[xc..] by bucket: xSorted receives them bucket by bucket,
     * bucket b's filled[b] values from first[b], padded to whole vectors (first[b + 1] − first[b] a
     * multiple of the lane count) with its first value, and rank[t] where value t went. Within a
     * bucket the order is fixed by the indices alone: those ≡ 0 (mod {@value #COPIES}) ascending,
     * then ≡ 1, and so on ({@value #COPIES} counters per bucket, so that consecutive values of one
     * bucket do not wait on each other's count). Returns false, leaving xSorted and rank unset,
     * when the buckets' work plus {@value #SORT_COST} per vector is not below the work of every
     * component on the values in stored order.
     */
    private static boolean sort(float[] x, int xc, int m, int k, Buckets buckets, int[] bucketOf, float[] xSorted,
                                int[] rank, int[] first, int[] filled, int[] next) {
        int nb = buckets.count();
        int lanes = F.length();
        FloatVector lo = FloatVector.broadcast(F, buckets.lo());
        FloatVector perUnit = FloatVector.broadcast(F, buckets.perUnit());
        FloatVector top = FloatVector.broadcast(F, nb - 1);
        int t = 0;
        for (int bound = F.loopBound(m); t < bound; t += lanes) {
            FloatVector v = FloatVector.fromArray(F, x, xc + t);
            v.sub(lo).mul(perUnit).add(1f).min(top).max(0f).convert(VectorOperators.F2I, 0).reinterpretAsInts()
                    .intoArray(bucketOf, t);
        }
        for (; t < m; t++) bucketOf[t] = buckets.bucketOf(x[xc + t]);
        Arrays.fill(next, 0, COPIES * nb, 0);
        for (t = 0; t < m; t++) next[(t & (COPIES - 1)) * nb + bucketOf[t]]++;
        long work = 0;
        for (int b = 0; b < nb; b++) {
            int count = 0;
            for (int r = 0; r < COPIES; r++) count += next[r * nb + b];
            filled[b] = count;
            work += (long) Math.ceilDiv(count, lanes) * buckets.reach(b);
        }
        if (work + (long) SORT_COST * Math.ceilDiv(m, lanes) >= (long) Math.ceilDiv(m, lanes) * k) return false;
        int pos = 0; // next[r·nb + b]: where the next value of bucket b with index ≡ r (mod COPIES) goes
        for (int b = 0; b < nb; b++) {
            first[b] = pos;
            for (int r = 0; r < COPIES; r++) {
                int count = next[r * nb + b];
                next[r * nb + b] = pos;
                pos += count;
            }
            pos = first[b] + Math.ceilDiv(filled[b], lanes) * lanes;
        }
        first[nb] = pos;
        for (t = 0; t < m; t++) {
            int p = next[(t & (COPIES - 1)) * nb + bucketOf[t]]++;
            xSorted[p] = x[xc + t];
            rank[t] = p;
        }
        for (int b = 0; b < nb; b++) { // padding inside the bucket
            for (int q = first[b] + filled[b]; q < first[b + 1]; q++) xSorted[q] = xSorted[first[b]];
        }
        return true;
    }

    /** g[gc + t] += scale·gSorted[rank[t]] for the m values of a chunk. */
    private static void unsort(int m, float[] gSorted, int[] rank, float[] g, int gc, float scale) {
        int t = 0;
        for (int bound = F.loopBound(m); t < bound; t += F.length()) {
            FloatVector.fromArray(F, gSorted, 0, rank, t).mul(scale).add(FloatVector.fromArray(F, g, gc + t)).intoArray(g, gc + t);
        }
        for (; t < m; t++) g[gc + t] += scale * gSorted[rank[t]];
    }

    /**
     * Values outer, components inner, for the nv values of a block and the listed components
     * [from, from + reach) (their constants at those places of mu, c2, v2, tau):
     * e[q·BLOCK + i] receives 2^(b − max) for the q-th of them (0 where negligible in every lane
     * of a vector), zinv 1/Σ, gb Σ e·τ·d/Σ; live[q] is set where the q-th is not negligible
     * somewhere. A method of its own, called once per block, so that C2 compiles it early and
     * whole (its vectors never cross a call).
     */
    private static void exponentials(int nv, int s, int from, int reach, float[] xs, float[] e, float[] zinv, float[] gb,
                                     boolean[] live, float[] mu, float[] c2, float[] v2, float[] tau) {
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i < nv; i += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, xs, s + i);
            FloatVector max = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int q = 0; q < reach; q++) {
                int j = from + q;
                FloatVector d = xv.sub(mu[j]);
                FloatVector b = d.mul(d).fma(FloatVector.broadcast(F, c2[j]), FloatVector.broadcast(F, v2[j]));
                b.intoArray(e, q * BLOCK + i);
                max = max.max(b);
            }
            FloatVector z = zero;
            FloatVector gn = zero;
            for (int q = 0; q < reach; q++) {
                FloatVector b = FloatVector.fromArray(F, e, q * BLOCK + i);
                // b − max, not max − 24: far out (|b| ~ 1e9) max − 24 rounds to max, and every
                // component, the largest too, would look negligible (a 0/0 gradient)
                if (!b.sub(max).compare(VectorOperators.GT, -NEGLIGIBLE).anyTrue()) { // negligible in every lane
                    zero.intoArray(e, q * BLOCK + i);
                    continue;
                }
                int j = from + q;
                live[q] = true;
                FloatVector ex = exp2(b.sub(max).max(MIN_ARGUMENT));
                ex.intoArray(e, q * BLOCK + i);
                z = z.add(ex);
                gn = ex.fma(xv.sub(mu[j]).mul(tau[j]), gn);
            }
            FloatVector zi = FloatVector.broadcast(F, 1f).div(z);
            zi.intoArray(zinv, s + i);
            gn.mul(zi).intoArray(gb, s + i);
        }
    }

    /**
     * {@link #exponentials} for a bucket whose values' largest exponents all lie within
     * {@link #SPAN} below {@code shift}: e[q·BLOCK + i] = 2^(b − shift) for every listed component
     * in one pass, with no maximum and nothing skipped (terms below 2^−24 of the largest are kept,
     * exactly as small as they are; a term under 2^−125 becomes 2^−125, which the normaliser,
     * at least 2^−64, does not see).
     */
    private static void shifted(int nv, int s, int from, int reach, float shift, float[] xs, float[] e, float[] zinv,
                                float[] gb, float[] mu, float[] c2, float[] v2, float[] tau) {
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i < nv; i += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, xs, s + i);
            FloatVector z = zero;
            FloatVector gn = zero;
            for (int q = 0; q < reach; q++) {
                int j = from + q;
                FloatVector d = xv.sub(mu[j]);
                FloatVector ex = exp2(d.mul(d).fma(FloatVector.broadcast(F, c2[j]), FloatVector.broadcast(F, v2[j] - shift))
                        .max(MIN_ARGUMENT));
                ex.intoArray(e, q * BLOCK + i);
                z = z.add(ex);
                gn = ex.fma(d.mul(tau[j]), gn);
            }
            FloatVector zi = FloatVector.broadcast(F, 1f).div(z);
            zi.intoArray(zinv, s + i);
            gn.mul(zi).intoArray(gb, s + i);
        }
    }

    /**
     * Component j's responsibilities (the q-th exponential row of e) over the nv values of a
     * block: Σ r·d, Σ r·d² and Σ r per lane, added into laneSums[3j·lanes, 3(j + 1)·lanes) (τ_j and
     * τ_j/2 are applied once per chunk).
     */
    private static void componentSums(int nv, int s, int q, int j, float[] e, float[] zinv, float[] xs, float m,
                                      float[] laneAcc) {
        FloatVector accMu = FloatVector.zero(F);
        FloatVector accS = FloatVector.zero(F);
        FloatVector accR = FloatVector.zero(F);
        for (int i = 0; i < nv; i += F.length()) {
            FloatVector r = FloatVector.fromArray(F, e, q * BLOCK + i).mul(FloatVector.fromArray(F, zinv, s + i));
            FloatVector d = FloatVector.fromArray(F, xs, s + i).sub(m);
            FloatVector rd = r.mul(d);
            accR = accR.add(r);
            accMu = accMu.add(rd);
            accS = rd.fma(d, accS);
        }
        int lanes = F.length();
        int at = 3 * j * lanes; // into the lane sums here, not through a method taking vectors (see the class comment)
        FloatVector.fromArray(F, laneAcc, at).add(accMu).intoArray(laneAcc, at);
        FloatVector.fromArray(F, laneAcc, at + lanes).add(accS).intoArray(laneAcc, at + lanes);
        FloatVector.fromArray(F, laneAcc, at + 2 * lanes).add(accR).intoArray(laneAcc, at + 2 * lanes);
    }

}
