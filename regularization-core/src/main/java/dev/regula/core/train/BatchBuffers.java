package dev.regula.core.train;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Batches gathered anew into the same tensors, one pair of buffers per row count (an epoch has at
 * most two sizes): gathering into the same buffers keeps them in cache and spares allocating and
 * zeroing them every step. Not thread-safe: one owner at a time.
 */
final class BatchBuffers {
    private final Map<Integer, Dataset> buffers = new HashMap<>();

    /** Forgets every buffer (a new data set may have other example shapes). */
    void clear() {
        buffers.clear();
    }

    /**
     * Gathers the examples {@code order[from..to)} into the buffers of that row count, made on first use.
     *
     * @return the batch, valid until the next call with the same row count
     */
    Dataset gather(Dataset data, int[] order, int from, int to, Kernels kernels) {
        Dataset batch = buffers.get(to - from);
        if (batch == null || !sameExampleShapes(batch.features(), data.features()) || !sameExampleShapes(batch.labels(), data.labels())) {
            batch = data.batch(order, from, to, kernels);
            buffers.put(batch.size(), batch);
        } else {
            data.batchInto(order, from, to, batch.features(), batch.labels(), kernels);
        }
        return batch;
    }

    /** @return whether the two tensors' examples (every dimension after the first) have one shape */
    private static boolean sameExampleShapes(Tensor a, Tensor b) {
        return Arrays.equals(a.shape(), 1, a.rank(), b.shape(), 1, b.rank());
    }
}
