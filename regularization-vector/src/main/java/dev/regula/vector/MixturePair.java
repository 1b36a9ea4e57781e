package dev.regula.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The values of a {@link MixturePriorKernel} call that lie in its most-held run of buckets listing
 * the same two components, computed where they are stored, without the counting sort.
 *
 * <p>Through most of {@code regula compress}'s retraining a wide component of tiny weight sits on
 * the zero component's mean, and nine weights in ten, near 0, meet both: its responsibility there
 * is small (about 1e-5) but above what the kernel may drop, so {@link MixtureSolo} does not take
 * them. For two components one exponential suffices: with t = −|b_a − b_b| (the exponents in
 * base 2) the larger term's responsibility is 1/(1 + 2^t) and the smaller's 2^t/(1 + 2^t), the
 * power of two {@link MixturePriorKernel}'s own (t kept ≥ {@value MixturePriorKernel#MIN_ARGUMENT},
 * as there). The gradient is Σ r·τ·(x − μ) and the sums r·d, r·d², r per component, kept in
 * registers. Every other value, and the last m mod lanes, is listed for the sorted path.
 *
 * <p>Which path a value takes depends on its bucket alone, so on the call's values alone.
 * Instances are immutable and shared by the threads of a call.
 */
final class MixturePair implements MixtureInPlace {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);

    private final MixturePriorKernel.Buckets buckets;
    /** The run of buckets [first, last] that each list exactly components a and b. */
    private final int first, last;
    private final int a, b;
    private final MixturePriorKernel.Constants c;

    private MixturePair(MixturePriorKernel.Buckets buckets, int first, int last, int a, int b, MixturePriorKernel.Constants c) {
        this.buckets = buckets;
        this.first = first;
        this.last = last;
        this.a = a;
        this.b = b;
        this.c = c;
    }

    /**
     * The most-held run of buckets that each list the same two components (the first of equals),
     * when it holds at least half of the plan's sample of the values.
     *
     * @param held the sample's {@link MixtureInPlace#held counts} per bucket
     * @return null when no such run holds half of the sample
     */
    static MixturePair of(MixturePriorKernel.Buckets buckets, int[] held, MixturePriorKernel.Constants c) {
        int[] run = MixtureInPlace.mostHeldRun(buckets, held, 2);
        if (run == null) return null;
        int s = buckets.start()[run[0]];
        return new MixturePair(buckets, run[0], run[1], buckets.components()[s], buckets.components()[s + 1], c);
    }

    @Override
    public boolean covers(int bucket) {
        return bucket >= first && bucket <= last;
    }

    /** @return the two components of the run: for tests */
    int[] components() {
        return new int[] {a, b};
    }

    @Override
    public int pass(int m, float[] x, int xc, float[] g, int gc, float scale, float[] laneAcc, double[] laneSums, float[] rest,
                    int[] restAt) {
        int bound = F.loopBound(m);
        int left = 0;
        for (int from = 0; from < bound; from += MixturePriorKernel.BLOCK) {
            left = block(from, Math.min(bound, from + MixturePriorKernel.BLOCK), x, xc, g, gc, scale, laneAcc, rest, restAt, left);
            MixturePriorKernel.flush(a, laneAcc, laneSums);
            MixturePriorKernel.flush(b, laneAcc, laneSums);
        }
        for (int t = bound; t < m; t++) { // the tail, fewer values than a vector holds, goes the sorted way
            rest[left] = x[xc + t];
            restAt[left++] = t;
        }
        return left;
    }

    /**
     * The vectors [from, to) of a chunk, their sums added into laneAcc: a method of its own, so that
     * C2 compiles it whole and no vector crosses a call. @return the number listed in rest so far
     */
    private int block(int from, int to, float[] x, int xc, float[] g, int gc, float scale, float[] laneAcc, float[] rest,
                      int[] restAt, int left) {
        int lanes = F.length();
        IntVector index = IntVector.zero(I).addIndex(1); // lane numbers
        long laneBits = -1L >>> (64 - lanes);
        FloatVector lo = FloatVector.broadcast(F, buckets.lo());
        FloatVector perUnit = FloatVector.broadcast(F, buckets.perUnit());
        FloatVector top = FloatVector.broadcast(F, (float) (buckets.count() - 1));
        FloatVector one = FloatVector.broadcast(F, 1f);
        float muA = c.mu()[a], tauA = c.tau()[a];
        float muB = c.mu()[b], tauB = c.tau()[b];
        FloatVector c2A = FloatVector.broadcast(F, c.c2()[a]), v2A = FloatVector.broadcast(F, c.v2()[a]);
        FloatVector c2B = FloatVector.broadcast(F, c.c2()[b]), v2B = FloatVector.broadcast(F, c.v2()[b]);
        FloatVector sumDA = FloatVector.zero(F);
        FloatVector sumDDA = sumDA;
        FloatVector sumRA = sumDA;
        FloatVector sumDB = sumDA;
        FloatVector sumDDB = sumDA;
        FloatVector sumRB = sumDA;
        for (int t = from; t < to; t += lanes) {
            FloatVector v = FloatVector.fromArray(F, x, xc + t);
            // the bucket as Buckets.bucketOf and the sort compute it
            IntVector bucket = (IntVector) v.sub(lo).mul(perUnit).add(1f).min(top).max(0f).convert(VectorOperators.F2I, 0)
                    .reinterpretAsInts();
            VectorMask<Integer> here = bucket.compare(VectorOperators.GE, first).and(bucket.compare(VectorOperators.LE, last));
            if (MixtureInPlace.COMPRESS) { // the others, in lane order, to rest: compressed to the front and stored whole
                VectorMask<Integer> out = here.not();
                v.compress(out.cast(F)).intoArray(rest, left);
                index.add(t).compress(out).intoArray(restAt, left);
                left += out.trueCount();
            } else {
                left = MixtureInPlace.list(~here.toLong() & laneBits, x, xc, t, rest, restAt, left);
            }
            VectorMask<Float> in = here.cast(F);
            FloatVector dA = v.sub(muA);
            FloatVector dB = v.sub(muB);
            FloatVector bA = dA.mul(dA).fma(c2A, v2A);
            FloatVector bB = dB.mul(dB).fma(c2B, v2B);
            VectorMask<Float> aLarger = bA.compare(VectorOperators.GE, bB);
            FloatVector small = MixturePriorKernel.exp2(bA.sub(bB).abs().neg().max(MixturePriorKernel.MIN_ARGUMENT));
            FloatVector rLarge = one.div(one.add(small));
            FloatVector rSmall = small.mul(rLarge);
            FloatVector rA = rSmall.blend(rLarge, aLarger);
            FloatVector rB = rLarge.blend(rSmall, aLarger);
            FloatVector rdA = rA.mul(dA);
            FloatVector rdB = rB.mul(dB);
            FloatVector step = rdA.mul(tauA).add(rdB.mul(tauB)).mul(scale);
            FloatVector.fromArray(F, g, gc + t).add(step, in).intoArray(g, gc + t);
            sumDA = sumDA.add(rdA, in);
            sumDDA = sumDDA.add(rdA.mul(dA), in);
            sumRA = sumRA.add(rA, in);
            sumDB = sumDB.add(rdB, in);
            sumDDB = sumDDB.add(rdB.mul(dB), in);
            sumRB = sumRB.add(rB, in);
        }
        // into the lane sums here, not through a method taking vectors (see MixturePriorKernel)
        int atA = 3 * a * lanes;
        FloatVector.fromArray(F, laneAcc, atA).add(sumDA).intoArray(laneAcc, atA);
        FloatVector.fromArray(F, laneAcc, atA + lanes).add(sumDDA).intoArray(laneAcc, atA + lanes);
        FloatVector.fromArray(F, laneAcc, atA + 2 * lanes).add(sumRA).intoArray(laneAcc, atA + 2 * lanes);
        int atB = 3 * b * lanes;
        FloatVector.fromArray(F, laneAcc, atB).add(sumDB).intoArray(laneAcc, atB);
        FloatVector.fromArray(F, laneAcc, atB + lanes).add(sumDDB).intoArray(laneAcc, atB + lanes);
        FloatVector.fromArray(F, laneAcc, atB + 2 * lanes).add(sumRB).intoArray(laneAcc, atB + 2 * lanes);
        return left;
    }
}
