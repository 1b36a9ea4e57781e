package dev.regula.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Splits of a data set for model selection: a held-out validation fraction and k folds for
 * cross-validation. Both shuffle the examples with a permutation that is a function of the seed
 * only (so a run is reproducible and every setting of a comparison sees the same folds).
 */
public final class Splits {
    private Splits() {
    }

    /**
     * A training set and a validation set whose examples do not overlap.
     *
     * @param training the training set
     * @param validation the held-out part
     */
    public record Fold(Dataset training, Dataset validation) {
        /** Checks the parts. */
        public Fold {
            Objects.requireNonNull(training, "training");
            Objects.requireNonNull(validation, "validation");
        }
    }

    /**
     * @param data the data
     * @param fraction the validation fraction, strictly between 0 and 1
     * @param seed the shuffling seed
     * @return {training part, validation part}; the validation part has round(fraction·n)
     *     examples, at least 1, and leaves at least 1 for training
     * @throws IllegalArgumentException for a fraction outside (0, 1) or fewer than 2 examples
     */
    public static Dataset[] holdOut(Dataset data, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be strictly between 0 and 1, got " + fraction);
        }
        int n = data.size();
        if (n < 2) throw new IllegalArgumentException("a validation split needs at least 2 examples, got " + n);
        int held = (int) Math.min(n - 1, Math.max(1, Math.round(fraction * n)));
        int[] order = permutation(n, seed);
        int[] train = new int[n - held];
        int[] val = new int[held];
        System.arraycopy(order, 0, train, 0, n - held);
        System.arraycopy(order, n - held, val, 0, held);
        return new Dataset[] {data.batch(train, 0, train.length), data.batch(val, 0, val.length)};
    }

    /**
     * k-fold cross-validation: the shuffled examples are cut into k folds whose sizes differ by at
     * most one (as scikit-learn's {@code KFold(shuffle=True)}); fold i validates on its part and
     * trains on the others.
     *
     * @param data the data
     * @param k the number of folds, in [2, n]
     * @param seed the shuffling seed
     * @return the k folds, each assembled when it is got (the same examples every time), so that
     *     only the folds in use take memory
     * @throws IllegalArgumentException for k outside [2, n]
     */
    public static List<Fold> kFold(Dataset data, int k, long seed) {
        int n = data.size();
        requireFolds(n, k);
        int[] order = permutation(n, seed);
        // each fold is assembled when it is asked for: K folds never hold K − 1 copies of the data at once
        return new java.util.AbstractList<>() {
            @Override
            public Fold get(int i) {
                java.util.Objects.checkIndex(i, k);
                int from = i * (n / k) + Math.min(i, n % k);
                int size = validationSize(n, k, i);
                int[] val = new int[size];
                int[] train = new int[n - size];
                System.arraycopy(order, from, val, 0, size);
                System.arraycopy(order, 0, train, 0, from);
                System.arraycopy(order, from + size, train, from, n - from - size);
                return new Fold(data.batch(train, 0, train.length), data.batch(val, 0, val.length));
            }

            @Override
            public int size() {
                return k;
            }
        };
    }

    /**
     * @param n the examples split
     * @param k the folds, 2 ≤ k ≤ n
     * @return how many examples each fold of {@link #kFold} trains on, in fold order
     */
    public static int[] kFoldTrainingSizes(int n, int k) {
        requireFolds(n, k);
        int[] sizes = new int[k];
        for (int i = 0; i < k; i++) sizes[i] = n - validationSize(n, k, i);
        return sizes;
    }

    private static void requireFolds(int n, int k) {
        if (k < 2 || k > n) {
            throw new IllegalArgumentException("k-fold cross-validation needs 2 <= k <= " + n + " (the number of examples), got k = " + k);
        }
    }

    /** The size of fold i's validation part: the first n mod k folds hold one more. */
    private static int validationSize(int n, int k, int i) {
        return n / k + (i < n % k ? 1 : 0);
    }

    /** Fisher–Yates with a SplittableRandom of the seed. */
    private static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
