package dev.regula.core.data;

import java.util.SplittableRandom;

/**
 * The mini-batch schedule of an epoch: which examples, in which order, in which batches.
 *
 * <p>The order of epoch {@code e} depends only on {@code (seed, e)}: it is a Fisher–Yates shuffle
 * driven by {@code SplittableRandom(seed ^ mix(e))}, so a run can be resumed at any epoch and
 * reproduced on any machine. Without shuffling the order is {@code 0, 1, ..., n-1}. The last
 * batch keeps the remainder and may be smaller than {@link #batchSize()}.
 */
public final class Batches {
    private final int size;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;

    /**
     * @param size the number of examples, >= 0
     * @param batchSize the examples per batch, >= 1
     * @param seed the shuffling seed
     * @param shuffle whether to shuffle each epoch
     */
    public Batches(int size, int batchSize, long seed, boolean shuffle) {
        if (size < 0) throw new IllegalArgumentException("size must be >= 0, got " + size);
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        this.size = size;
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
    }

    /** @return the number of examples */
    public int size() {
        return size;
    }

    /** @return the nominal batch size (the last batch may be smaller) */
    public int batchSize() {
        return batchSize;
    }

    /** @return the number of batches per epoch, {@code ceil(size / batchSize)} */
    public int count() {
        return (int) (((long) size + batchSize - 1) / batchSize);
    }

    /**
     * @param batch a batch index in {@code [0, count())}
     * @return the first position of that batch in {@link #order(int)}, inclusive
     */
    public int from(int batch) {
        checkBatch(batch);
        return batch * batchSize;
    }

    /**
     * @param batch a batch index in {@code [0, count())}
     * @return the last position of that batch in {@link #order(int)}, exclusive
     */
    public int to(int batch) {
        checkBatch(batch);
        return (int) Math.min((long) batch * batchSize + batchSize, size);
    }

    /**
     * The example order of an epoch; batch {@code b} is {@code order[from(b)..to(b))}.
     *
     * @param epoch the epoch, >= 0
     * @return a new permutation of {@code 0..size-1}
     */
    public int[] order(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        int[] order = new int[size];
        for (int i = 0; i < size; i++) order[i] = i;
        if (shuffle) {
            SplittableRandom rng = new SplittableRandom(seed ^ mix(epoch));
            for (int i = size - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    private void checkBatch(int batch) {
        if (batch < 0 || batch >= count()) {
            throw new IndexOutOfBoundsException("batch " + batch + " out of range [0, " + count() + ")");
        }
    }

    /** SplitMix64's finaliser over the epoch, so neighbouring epochs give unrelated seeds. */
    static long mix(long epoch) {
        long z = epoch * 0x9E3779B97F4A7C15L + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
