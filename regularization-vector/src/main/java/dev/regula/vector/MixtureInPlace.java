package dev.regula.vector;

import jdk.incubator.vector.FloatVector;

/**
 * A pass of {@link MixturePriorKernel} that computes the values of one run of buckets where they
 * are stored, before the sort ({@link MixtureSolo}: a run of one component; {@link MixturePair}: of
 * two), and lists the others for the sorted path.
 */
interface MixtureInPlace {
    /**
     * Whether the passes list values by {@code Vector.compress}: only where C2 turns it into one
     * instruction (x86 with 512-bit vectors, {@code vcompressps}); elsewhere it may run as Java code,
     * and they list the values lane by lane ({@link #list}), the same lists in the same order.
     */
    boolean COMPRESS = System.getProperty("os.arch", "").matches("amd64|x86_64")
            && FloatVector.SPECIES_PREFERRED.vectorBitSize() == 512;

    /**
     * The in-place pass of a call: {@link MixtureSolo}'s if its run holds half of the plan's sample,
     * else {@link MixturePair}'s if its run does, else null (every value sorted).
     */
    static MixtureInPlace of(MixturePriorKernel.Buckets buckets, int n, float[] x, int xOff, MixturePriorKernel.Constants c) {
        return buckets.count() < 3 ? null : of(buckets, held(buckets, n, x, xOff), c);
    }

    /** {@link #of(MixturePriorKernel.Buckets, int, float[], int, MixturePriorKernel.Constants)} from the sample's {@link #held counts}. */
    static MixtureInPlace of(MixturePriorKernel.Buckets buckets, int[] held, MixturePriorKernel.Constants c) {
        if (buckets.count() < 3) return null;
        MixtureInPlace solo = MixtureSolo.of(buckets, held, c.mu(), c.tau());
        return solo != null ? solo : MixturePair.of(buckets, held, c);
    }

    /** @return per bucket, how many of the plan's sample of the values (every (n/{@value MixturePriorKernel#SAMPLE})th) it holds */
    static int[] held(MixturePriorKernel.Buckets buckets, int n, float[] x, int xOff) {
        int[] held = new int[buckets.count()];
        int stride = Math.max(1, n / MixturePriorKernel.SAMPLE);
        for (int t = 0; t < n; t += stride) held[buckets.bucketOf(x[xOff + t])]++;
        return held;
    }

    /**
     * The most-held run of inner buckets that each list the same {@code listed} components (the
     * first of equals; the open buckets 0 and count − 1 list every component and never count).
     *
     * @return the run's first and last bucket, or null when there is none or it holds less than
     *     half of the sample
     */
    static int[] mostHeldRun(MixturePriorKernel.Buckets buckets, int[] held, int listed) {
        int values = java.util.Arrays.stream(held).sum();
        int[] best = null;
        for (int[] run : runs(buckets, held, b -> false)) {
            if (buckets.reach(run[0]) == listed && (best == null || run[2] > best[2])) best = run;
        }
        return best != null && 2 * best[2] >= values ? new int[] {best[0], best[1]} : null;
    }

    /**
     * The maximal runs of inner buckets that list the same components (the open buckets 0 and
     * count − 1 list every component and never count), leaving out the buckets {@code skip} names,
     * in bucket order.
     *
     * @return per run its first and last bucket and how many of the sample it holds
     */
    static java.util.List<int[]> runs(MixturePriorKernel.Buckets buckets, int[] held, java.util.function.IntPredicate skip) {
        int nb = buckets.count();
        java.util.List<int[]> runs = new java.util.ArrayList<>();
        for (int q = 1; q < nb - 1; ) {
            if (skip.test(q)) {
                q++;
                continue;
            }
            int end = q;
            int sum = held[q];
            while (end + 1 < nb - 1 && !skip.test(end + 1) && sameList(buckets, q, end + 1)) sum += held[++end];
            runs.add(new int[] {q, end, sum});
            q = end + 1;
        }
        return runs;
    }

    /**
     * Lists the values of the lanes set in {@code lanes} of the vector at t, lane by lane (where
     * {@link #COMPRESS} is false; a scalar loop, so the passes' vector code stays in their own loops).
     * The passes' compressing branch stays written out in each of them: moved in here (the mask
     * passed as a long, the vectors made anew) it made the late states 1.5-1.8 times slower.
     *
     * @return the number of values listed in rest so far
     */
    static int list(long lanes, float[] x, int xc, int t, float[] rest, int[] restAt, int left) {
        for (; lanes != 0; lanes &= lanes - 1) {
            int l = Long.numberOfTrailingZeros(lanes);
            rest[left] = x[xc + t + l];
            restAt[left++] = t + l;
        }
        return left;
    }

    /** @return whether buckets a and b list the same components */
    static boolean sameList(MixturePriorKernel.Buckets buckets, int a, int b) {
        int[] comps = buckets.components();
        int[] start = buckets.start();
        return java.util.Arrays.equals(comps, start[a], start[a + 1], comps, start[b], start[b + 1]);
    }

    /** @return whether this pass computes the values of bucket b */
    boolean covers(int b);

    /**
     * One pass over a chunk's m values at x[xc..] in stored order: each value in the run gets its
     * gradient added to g[gc + t] (times scale) and its share of its components' sums into their
     * lane sums (3j·lanes of laneAcc, as {@link MixturePriorKernel}'s component sums), which are
     * added into laneSums after every {@value MixturePriorKernel#BLOCK} values and left zero; every
     * other value (and, as the pass chooses, some of the last m mod lanes) is copied to rest, its
     * index within the chunk to restAt, both in stored order (whole vectors are stored: both need room
     * for a vector's lanes beyond the m values).
     *
     * @return the number of values listed in rest
     */
    int pass(int m, float[] x, int xc, float[] g, int gc, float scale, float[] laneAcc, double[] laneSums, float[] rest,
             int[] restAt);
}
