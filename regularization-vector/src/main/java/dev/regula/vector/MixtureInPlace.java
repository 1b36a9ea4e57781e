package dev.regula.vector;

/**
 * A pass of {@link MixturePriorKernel} that computes the values of one run of buckets where they
 * are stored, before the sort ({@link MixtureSolo}: a run of one component; {@link MixturePair}: of
 * two), and lists the others for the sorted path.
 */
interface MixtureInPlace {
    /**
     * The in-place pass of a call: {@link MixtureSolo}'s if its run holds half of the plan's sample,
     * else {@link MixturePair}'s if its run does, else null (every value sorted).
     */
    static MixtureInPlace of(MixturePriorKernel.Buckets buckets, int n, float[] x, int xOff, MixturePriorKernel.Constants c) {
        MixtureInPlace solo = MixtureSolo.of(buckets, n, x, xOff, c.mu(), c.tau());
        return solo != null ? solo : MixturePair.of(buckets, n, x, xOff, c);
    }

    /**
     * One pass over a chunk's m values at x[xc..] in stored order: each value in the run gets its
     * gradient added to g[gc + t] (times scale) and its share of its components' sums into their
     * lane sums (3j·lanes of laneAcc, as {@link MixturePriorKernel}'s component sums), which are
     * added into laneSums after every {@value MixturePriorKernel#BLOCK} values and left zero; every
     * other value is copied to rest, its index within the chunk to restAt, both in stored order.
     *
     * @return the number of values listed in rest
     */
    int pass(int m, float[] x, int xc, float[] g, int gc, float scale, float[] laneAcc, double[] laneSums, float[] rest,
             int[] restAt);
}
