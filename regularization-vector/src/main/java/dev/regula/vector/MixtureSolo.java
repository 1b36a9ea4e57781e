package dev.regula.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The values of a {@link MixturePriorKernel} call that lie in a bucket of one component, computed
 * where they are stored, without the counting sort.
 *
 * <p>Late in soft weight sharing the components are narrow and far apart compared with their
 * width, and nearly every weight sits close to one of them: most of the plan's buckets then list a
 * single component j, every other term being below 2^−{@value MixturePriorKernel#NEGLIGIBLE} of
 * j's for every value in the bucket (the plan's bound). Such a value's responsibility for j is 1
 * at float resolution, and its gradient is τ_j·(x − μ_j) with no exponential at all; its share of
 * j's sums is d, d² and 1. Computing those in stored order costs a few vector operations per
 * value, the bucket's component and j's constants taken from small tables by in-register lane
 * selection; sorting a value by bucket, computing it and sending its gradient back cost several
 * times more (the sort's scattered increments and stores dominated the direct kernel on such
 * mixtures). The values of the other buckets (several components, the open buckets, NaN) are
 * listed, in stored order, for the sorted path.
 *
 * <p>Which path a value takes depends on its bucket alone, and so on the call's values alone (the
 * plan is made from them): the result depends neither on the thread count nor on earlier calls.
 * Instances are immutable and shared by the threads of a call.
 */
final class MixtureSolo {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    private final MixturePriorKernel.Buckets buckets;
    /** Per inner bucket b (1 ≤ b ≤ count − 2) at b − 1: its single component, or −1; padded with −1 to whole vectors. */
    private final int[] component;
    /** μ and τ per component, padded with 0 to whole vectors. */
    private final float[] mu, tau;

    private MixtureSolo(MixturePriorKernel.Buckets buckets, int[] component, float[] mu, float[] tau) {
        this.buckets = buckets;
        this.component = component;
        this.mu = mu;
        this.tau = tau;
    }

    /**
     * The single-component buckets of a call, when most of its values lie in them.
     *
     * @param buckets the call's plan
     * @param n values
     * @param x the values from xOff
     * @param mu μ per component (k of them)
     * @param tau τ per component
     * @return null when the plan has one bucket, none lists a single component, or fewer than
     *     half of the plan's sample of the values (every (n/{@value MixturePriorKernel#SAMPLE})th)
     *     lie in such buckets
     */
    static MixtureSolo of(MixturePriorKernel.Buckets buckets, int n, float[] x, int xOff, float[] mu, float[] tau) {
        int nb = buckets.count();
        if (nb < 3) return null;
        int lanes = F.length();
        int[] component = new int[Math.ceilDiv(nb - 2, lanes) * lanes];
        java.util.Arrays.fill(component, -1);
        boolean any = false;
        for (int b = 1; b < nb - 1; b++) {
            if (buckets.reach(b) != 1) continue;
            component[b - 1] = buckets.components()[buckets.start()[b]];
            any = true;
        }
        if (!any) return null;
        int stride = Math.max(1, n / MixturePriorKernel.SAMPLE);
        long values = 0;
        long single = 0;
        for (int t = 0; t < n; t += stride, values++) {
            int b = buckets.bucketOf(x[xOff + t]);
            if (b > 0 && b < nb - 1 && component[b - 1] >= 0) single++;
        }
        if (2 * single < values) return null;
        int k = mu.length;
        float[] muPadded = java.util.Arrays.copyOf(mu, Math.ceilDiv(k, lanes) * lanes);
        float[] tauPadded = java.util.Arrays.copyOf(tau, muPadded.length);
        return new MixtureSolo(buckets, component, muPadded, tauPadded);
    }

    /** @return per bucket its single component, or −1 (the open buckets always): for tests */
    int componentOf(int bucket) {
        return bucket > 0 && bucket < buckets.count() - 1 ? component[bucket - 1] : -1;
    }

    /**
     * One pass over a chunk's m values at x[xc..] in stored order: a value in a bucket of one
     * component j gets g[gc + t] += (x − μ_j)·τ_j·scale, and its d = x − μ_j, d² and 1 go into j's
     * float lanes of laneAcc (3j·lanes: Σd, Σd², Σ1, as {@link MixturePriorKernel}'s component sums
     * with responsibility 1), which are added into laneSums once {@value MixturePriorKernel#BLOCK}
     * values went into them and at the end; every other value is copied to rest, its index within
     * the chunk to restAt, both in stored order.
     *
     * @param idx scratch of one vector's lanes
     * @param fill scratch of k counters, zero on entry and on return
     * @return the number of values listed in rest
     */
    int pass(int m, float[] x, int xc, float[] g, int gc, float scale, int[] idx, float[] laneAcc, double[] laneSums,
             boolean[] touched, int[] fill, float[] rest, int[] restAt) {
        int lanes = F.length();
        int shift = Integer.numberOfTrailingZeros(lanes);
        FloatVector lo = FloatVector.broadcast(F, buckets.lo());
        FloatVector perUnit = FloatVector.broadcast(F, buckets.perUnit());
        FloatVector top = FloatVector.broadcast(F, buckets.count() - 1);
        FloatVector unit = FloatVector.broadcast(F, 1f);
        long laneBits = -1L >>> (64 - lanes);
        int left = 0;
        int t = 0;
        for (int bound = F.loopBound(m); t < bound; t += lanes) {
            FloatVector v = FloatVector.fromArray(F, x, xc + t);
            // the bucket as Buckets.bucketOf and the sort compute it, less one: the inner buckets from 0
            IntVector inner = ((IntVector) v.sub(lo).mul(perUnit).add(1f).min(top).max(0f)
                    .convert(VectorOperators.F2I, 0).reinterpretAsInts()).sub(1);
            IntVector j = IntVector.broadcast(I, -1);
            VectorShuffle<Integer> at = inner.and(lanes - 1).toShuffle();
            IntVector part = inner.lanewise(VectorOperators.ASHR, shift); // −1 for the open bucket below
            for (int q = 0; q < component.length; q += lanes) {
                j = j.blend(IntVector.fromArray(I, component, q).rearrange(at), part.compare(VectorOperators.EQ, q >> shift));
            }
            VectorMask<Integer> one = j.compare(VectorOperators.GE, 0);
            long oneBits = one.toLong();
            for (long others = ~oneBits & laneBits; others != 0; others &= others - 1) {
                int l = Long.numberOfTrailingZeros(others);
                rest[left] = x[xc + t + l];
                restAt[left++] = t + l;
            }
            if (oneBits == 0) continue;
            j = j.max(0); // a valid component in every lane (no vector merges at a branch: C2 would box it)
            VectorShuffle<Float> of = j.and(lanes - 1).toShuffle().cast(F);
            IntVector jPart = j.lanewise(VectorOperators.ASHR, shift);
            FloatVector muJ = FloatVector.fromArray(F, mu, 0).rearrange(of);
            FloatVector tauJ = FloatVector.fromArray(F, tau, 0).rearrange(of);
            for (int q = lanes; q < mu.length; q += lanes) {
                VectorMask<Float> here = jPart.compare(VectorOperators.EQ, q >> shift).cast(F);
                muJ = muJ.blend(FloatVector.fromArray(F, mu, q).rearrange(of), here);
                tauJ = tauJ.blend(FloatVector.fromArray(F, tau, q).rearrange(of), here);
            }
            VectorMask<Float> oneF = one.cast(F);
            FloatVector d = v.sub(muJ);
            FloatVector.fromArray(F, g, gc + t).add(d.mul(tauJ).mul(scale), oneF).intoArray(g, gc + t);
            FloatVector dd = d.mul(d);
            j.intoArray(idx, 0);
            // component by component, as many as the vector's lanes hold
            for (long open = oneBits; open != 0; ) {
                int c = idx[Long.numberOfTrailingZeros(open)];
                long mine = j.compare(VectorOperators.EQ, c).toLong() & open;
                open &= ~mine;
                VectorMask<Float> mineF = VectorMask.fromLong(F, mine);
                int base = 3 * c * lanes;
                FloatVector.fromArray(F, laneAcc, base).add(d, mineF).intoArray(laneAcc, base);
                FloatVector.fromArray(F, laneAcc, base + lanes).add(dd, mineF).intoArray(laneAcc, base + lanes);
                FloatVector.fromArray(F, laneAcc, base + 2 * lanes).add(unit, mineF).intoArray(laneAcc, base + 2 * lanes);
                touched[c] = true;
                if ((fill[c] += Long.bitCount(mine)) >= MixturePriorKernel.BLOCK) {
                    MixturePriorKernel.flush(c, laneAcc, laneSums);
                    fill[c] = 0;
                }
            }
        }
        for (; t < m; t++) {
            float xv = x[xc + t];
            int c = componentOf(buckets.bucketOf(xv));
            if (c < 0) {
                rest[left] = xv;
                restAt[left++] = t;
                continue;
            }
            float d = xv - mu[c];
            g[gc + t] += d * tau[c] * scale;
            int base = 3 * c * lanes;
            laneAcc[base] += d;
            laneAcc[base + lanes] += d * d;
            laneAcc[base + 2 * lanes] += 1f;
            touched[c] = true;
        }
        for (int c = 0; c < touched.length; c++) {
            if (!touched[c]) continue;
            MixturePriorKernel.flush(c, laneAcc, laneSums);
            touched[c] = false;
            fill[c] = 0;
        }
        return left;
    }
}
