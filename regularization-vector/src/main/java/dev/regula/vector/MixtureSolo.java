package dev.regula.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The values of a {@link MixturePriorKernel} call that lie in the run of buckets of its main
 * single component, computed where they are stored, without the counting sort.
 *
 * <p>Late in soft weight sharing the components are narrow and far apart compared with their
 * width, and most weights sit close to one of them, nine in ten at the zero component: the plan's
 * buckets around that component's mean then list it alone, every other term being below
 * 2^−{@value MixturePriorKernel#NEGLIGIBLE} of its own for every value in them (the plan's bound).
 * Such a value's responsibility is 1 less the others' at most (k − 1)·2^−25, terms the kernel may
 * drop anyway (it keeps every term of responsibility 2^−23 or more), and its gradient is τ·(x − μ)
 * with no exponential at all; its share of the component's sums is d, d² and 1. Those values are computed
 * in stored order with a few vector operations each, the sums in registers; sorting a value by
 * bucket, computing it and sending its gradient back cost several times more (the sort's
 * scattered increments and stores dominated the direct kernel on such mixtures). Every other
 * value (other components, several components, the open buckets, NaN) is listed, in stored order,
 * for the sorted path.
 *
 * <p>Which path a value takes depends on its bucket alone, and so on the call's values alone (the
 * plan is made from them): the result depends neither on the thread count nor on earlier calls.
 * Instances are immutable and shared by the threads of a call.
 */
final class MixtureSolo implements MixtureInPlace {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);

    private final MixturePriorKernel.Buckets buckets;
    /** The run of buckets [first, last] that list only {@link #component}. */
    private final int first, last;
    private final int component;
    private final float mu, tau;

    private MixtureSolo(MixturePriorKernel.Buckets buckets, int first, int last, int component, float mu, float tau) {
        this.buckets = buckets;
        this.first = first;
        this.last = last;
        this.component = component;
        this.mu = mu;
        this.tau = tau;
    }

    /**
     * The most-held run of single-component buckets of a call (the first of equals), when it holds
     * at least half of the plan's sample of the values.
     *
     * @param buckets the call's plan
     * @param n values
     * @param x the values from xOff
     * @param mu μ per component
     * @param tau τ per component
     * @return null when the plan has one bucket or no such run holds half of the sample
     */
    static MixtureSolo of(MixturePriorKernel.Buckets buckets, int n, float[] x, int xOff, float[] mu, float[] tau) {
        return buckets.count() < 3 ? null : of(buckets, MixtureInPlace.held(buckets, n, x, xOff), mu, tau);
    }

    /** {@link #of(MixturePriorKernel.Buckets, int, float[], int, float[], float[])} from the sample's {@link MixtureInPlace#held counts}. */
    static MixtureSolo of(MixturePriorKernel.Buckets buckets, int[] held, float[] mu, float[] tau) {
        int[] run = MixtureInPlace.mostHeldRun(buckets, held, 1);
        if (run == null) return null;
        int c = buckets.components()[buckets.start()[run[0]]];
        return new MixtureSolo(buckets, run[0], run[1], c, mu[c], tau[c]);
    }

    @Override
    public boolean covers(int b) {
        return b >= first && b <= last;
    }

    /** @return the component whose values are computed in place: for tests */
    int component() {
        return component;
    }

    /**
     * One pass over a chunk's m values at x[xc..] in stored order: a value whose bucket is in the
     * run gets g[gc + t] += (x − μ)·τ·scale, and its d = x − μ, d² and 1 go into the component's
     * lane sums (3j·lanes of laneAcc: Σd, Σd², Σ1, as {@link MixturePriorKernel}'s component sums
     * with responsibility 1), added into laneSums after every {@value MixturePriorKernel#BLOCK}
     * values; every other value is copied to rest, its index within the chunk to restAt, both in
     * stored order.
     *
     * @return the number of values listed in rest
     */
    @Override
    public int pass(int m, float[] x, int xc, float[] g, int gc, float scale, float[] laneAcc, double[] laneSums, float[] rest,
                    int[] restAt) {
        int lanes = F.length();
        FloatVector lo = FloatVector.broadcast(F, buckets.lo());
        FloatVector perUnit = FloatVector.broadcast(F, buckets.perUnit());
        FloatVector top = FloatVector.broadcast(F, buckets.count() - 1);
        FloatVector unit = FloatVector.broadcast(F, 1f);
        IntVector index = IntVector.zero(I).addIndex(1); // lane numbers
        long laneBits = -1L >>> (64 - lanes);
        int base = 3 * component * lanes;
        int left = 0;
        int bound = F.loopBound(m);
        for (int from = 0; from < bound; from += MixturePriorKernel.BLOCK) {
            int to = Math.min(bound, from + MixturePriorKernel.BLOCK);
            FloatVector sumD = FloatVector.zero(F);
            FloatVector sumDD = sumD;
            FloatVector count = sumD;
            for (int t = from; t < to; t += lanes) {
                FloatVector v = FloatVector.fromArray(F, x, xc + t);
                // the bucket as Buckets.bucketOf and the sort compute it
                IntVector b = (IntVector) v.sub(lo).mul(perUnit).add(1f).min(top).max(0f).convert(VectorOperators.F2I, 0)
                        .reinterpretAsInts();
                VectorMask<Integer> here = b.compare(VectorOperators.GE, first).and(b.compare(VectorOperators.LE, last));
                if (MixtureInPlace.COMPRESS) { // the others, in lane order, to rest: compressed to the front and stored whole
                    VectorMask<Integer> out = here.not();
                    v.compress(out.cast(F)).intoArray(rest, left);
                    index.add(t).compress(out).intoArray(restAt, left);
                    left += out.trueCount();
                } else {
                    left = MixtureInPlace.list(~here.toLong() & laneBits, x, xc, t, rest, restAt, left);
                }
                VectorMask<Float> in = here.cast(F);
                FloatVector d = v.sub(mu);
                FloatVector.fromArray(F, g, gc + t).add(d.mul(tau).mul(scale), in).intoArray(g, gc + t);
                sumD = sumD.add(d, in);
                sumDD = sumDD.add(d.mul(d), in);
                count = count.add(unit, in);
            }
            // into the lane sums here, not through a method taking vectors (see MixturePriorKernel)
            FloatVector.fromArray(F, laneAcc, base).add(sumD).intoArray(laneAcc, base);
            FloatVector.fromArray(F, laneAcc, base + lanes).add(sumDD).intoArray(laneAcc, base + lanes);
            FloatVector.fromArray(F, laneAcc, base + 2 * lanes).add(count).intoArray(laneAcc, base + 2 * lanes);
            MixturePriorKernel.flush(component, laneAcc, laneSums);
        }
        for (int t = bound; t < m; t++) {
            float xv = x[xc + t];
            if (!covers(buckets.bucketOf(xv))) {
                rest[left] = xv;
                restAt[left++] = t;
                continue;
            }
            float d = xv - mu;
            g[gc + t] += d * tau * scale;
            laneAcc[base] += d;
            laneAcc[base + lanes] += d * d;
            laneAcc[base + 2 * lanes] += 1f;
        }
        MixturePriorKernel.flush(component, laneAcc, laneSums);
        return left;
    }
}
