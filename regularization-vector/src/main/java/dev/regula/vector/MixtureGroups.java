package dev.regula.vector;

import java.util.Comparator;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The few runs of buckets that hold most of a {@link MixturePriorKernel} call's sorted values,
 * each gathered into a list of its own by vector compression instead of the counting sort.
 *
 * <p>After the main run has been computed in place ({@link MixtureInPlace}), late in soft weight
 * sharing the values left are mostly those between the narrow clusters, in long runs of buckets
 * that list the same several components (the wide components of small weight reach over all of
 * them). Sorting them by bucket cost more than computing them: a scalar count and a scalar
 * scatter per value. A run of buckets that list the same components needs no order within it, so
 * each of up to {@value #MOST} such runs (the most-held, each with at least 1/{@value #SHARE} of
 * the plan's sample of the values left) takes its values from the list in stored order, compressed
 * a vector at a time; they are computed as one bucket of those components (the exponentials from
 * one shift where the run's bounds allow it, else from each value's largest), and the values no
 * run takes stay in the list, in stored order, for the counting sort.
 *
 * <p>Which list a value joins depends on its bucket and on whether it is among a chunk's last
 * m mod lanes (those stay listed for the sort), so on the call's values alone: the result depends
 * neither on the thread count nor on earlier calls. Where {@link MixtureInPlace#COMPRESS} is false
 * the lists are made value by value, the same lists. Immutable; shared by the threads
 * of a call.
 */
final class MixtureGroups {
    /** Runs taken at most: each costs a compare and two compressions per vector of the list. */
    static final int MOST = 4;
    /** A run is taken if it holds at least 1/SHARE of the sample's values that the in-place pass leaves. */
    static final int SHARE = 16;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    /** t at t: the places of a chunk's values when no in-place pass listed them. */
    private static final int[] IDENTITY = java.util.stream.IntStream.range(0, MixturePriorKernel.CHUNK + F.length()).toArray();

    private final MixturePriorKernel.Buckets buckets;
    /** Per run: its first and last bucket, where its components start in the plan's list, how many, its shift (NaN: none). */
    private final int[] first, last, from, reach;
    private final float[] shift;

    private MixtureGroups(MixturePriorKernel.Buckets buckets, int[] first, int[] last, int[] from, int[] reach, float[] shift) {
        this.buckets = buckets;
        this.first = first;
        this.last = last;
        this.from = from;
        this.reach = reach;
        this.shift = shift;
    }

    /**
     * The runs of a call: of the inner buckets outside the in-place pass's run, the runs listing the
     * same components, most-held first, while each holds 1/{@value #SHARE} of what the sample has
     * outside the in-place run.
     *
     * @param held the plan's sample per bucket ({@link MixtureInPlace#held})
     * @param inPlace the call's in-place pass, or null
     * @return null when no run qualifies (or the plan has no inner buckets)
     */
    static MixtureGroups of(MixturePriorKernel.Buckets buckets, int[] held, MixtureInPlace inPlace,
                            MixturePriorKernel.Constants c) {
        int nb = buckets.count();
        if (nb < 3) return null;
        java.util.function.IntPredicate inPlaceRun = b -> inPlace != null && inPlace.covers(b);
        int left = java.util.stream.IntStream.range(0, nb).filter(inPlaceRun.negate()).map(b -> held[b]).sum();
        List<int[]> runs = MixtureInPlace.runs(buckets, held, inPlaceRun); // {first, last, held}
        runs.removeIf(r -> r[2] == 0 || (long) r[2] * SHARE < left);
        if (runs.isEmpty()) return null;
        runs.sort(Comparator.comparingInt((int[] r) -> -r[2]).thenComparingInt(r -> r[0]));
        int g = Math.min(MOST, runs.size());
        int[] first = new int[g], last = new int[g], from = new int[g], reach = new int[g];
        float[] shift = new float[g];
        for (int i = 0; i < g; i++) {
            int[] r = runs.get(i);
            first[i] = r[0];
            last[i] = r[1];
            from[i] = buckets.start()[r[0]];
            reach[i] = buckets.reach(r[0]);
            shift[i] = MixturePriorKernel.shift(buckets, r[0], r[1], c);
            for (int b = r[0]; b <= r[1]; b++) if (Float.isNaN(buckets.shift()[b])) shift[i] = Float.NaN; // as its buckets would
        }
        return new MixtureGroups(buckets, first, last, from, reach, shift);
    }

    /** @return the number of runs */
    int count() {
        return first.length;
    }

    /** @return run i's first bucket */
    int first(int i) {
        return first[i];
    }

    /** @return run i's last bucket */
    int last(int i) {
        return last[i];
    }

    /** @return where run i's components start in the plan's list */
    int from(int i) {
        return from[i];
    }

    /** @return how many components run i lists */
    int reach(int i) {
        return reach[i];
    }

    /** @return run i's shift ({@link MixturePriorKernel.Buckets#shift}), NaN if none */
    float shift(int i) {
        return shift[i];
    }

    /**
     * Splits a list of m values (src[srcOff..], their indices in the chunk at[..], or t itself where
     * at is null) in stored order: run i's values and indices to lists[i] and listAt[i] (its count
     * to counts[i]), every other value and index to rest and restAt from 0, which may be src and at
     * themselves (a value is read before its place is written). Every array written needs a
     * vector's room beyond what it receives: whole vectors are stored.
     *
     * @return the number of values left in rest
     */
    int split(int m, float[] src, int srcOff, int[] at, float[][] lists, int[][] listAt, int[] counts, float[] rest, int[] restAt) {
        int lanes = F.length();
        int g = first.length;
        java.util.Arrays.fill(counts, 0, g, 0);
        int[] places = at == null ? IDENTITY : at; // chosen here: no vector is picked by a branch in the loop
        if (!MixtureInPlace.COMPRESS) return splitByValue(m, src, srcOff, places, lists, listAt, counts, rest, restAt);
        FloatVector lo = FloatVector.broadcast(F, buckets.lo());
        FloatVector perUnit = FloatVector.broadcast(F, buckets.perUnit());
        FloatVector top = FloatVector.broadcast(F, (float) (buckets.count() - 1));
        int left = 0;
        int t = 0;
        for (int bound = F.loopBound(m); t < bound; t += lanes) {
            FloatVector v = FloatVector.fromArray(F, src, srcOff + t);
            IntVector index = IntVector.fromArray(I, places, t);
            // the bucket as Buckets.bucketOf and the sort compute it
            IntVector b = (IntVector) v.sub(lo).mul(perUnit).add(1f).min(top).max(0f).convert(VectorOperators.F2I, 0)
                    .reinterpretAsInts();
            VectorMask<Integer> taken = b.compare(VectorOperators.LT, 0); // none
            for (int i = 0; i < g; i++) { // every run's stores, whether or not a lane is in it: no branch on a mask
                VectorMask<Integer> in = b.compare(VectorOperators.GE, first[i]).and(b.compare(VectorOperators.LE, last[i]));
                v.compress(in.cast(F)).intoArray(lists[i], counts[i]);
                index.compress(in).intoArray(listAt[i], counts[i]);
                counts[i] += in.trueCount();
                taken = taken.or(in);
            }
            VectorMask<Integer> out = taken.not();
            v.compress(out.cast(F)).intoArray(rest, left);
            index.compress(out).intoArray(restAt, left);
            left += out.trueCount();
        }
        for (; t < m; t++) { // the tail stays in the list
            rest[left] = src[srcOff + t];
            restAt[left++] = places[t];
        }
        return left;
    }

    /** {@link #split} value by value, where {@link MixtureInPlace#COMPRESS} is false: the same lists. */
    private int splitByValue(int m, float[] src, int srcOff, int[] places, float[][] lists, int[][] listAt, int[] counts,
                             float[] rest, int[] restAt) {
        int left = 0;
        int tail = F.loopBound(m); // the last m mod lanes stay in the list, as in the vector loop
        for (int t = 0; t < m; t++) {
            float v = src[srcOff + t];
            int b = buckets.bucketOf(v);
            int run = -1;
            for (int i = 0; i < first.length && t < tail; i++) {
                if (b >= first[i] && b <= last[i]) run = i;
            }
            if (run < 0) {
                rest[left] = v;
                restAt[left++] = places[t];
            } else {
                lists[run][counts[run]] = v;
                listAt[run][counts[run]++] = places[t];
            }
        }
        return left;
    }
}
