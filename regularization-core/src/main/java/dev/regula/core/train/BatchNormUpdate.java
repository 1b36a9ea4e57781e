package dev.regula.core.train;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.model.Layer;
import dev.regula.api.model.Model;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.layer.BatchNorm;
import dev.regula.core.layer.Residual;
import dev.regula.core.layer.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Recomputes BatchNorm running statistics for the weights a model holds now, as PyTorch's
 * {@code torch.optim.swa_utils.update_bn}: every {@link BatchNorm} is reset (mean 0, variance 1),
 * the data passes once through the model in TRAIN mode in order, in batches of {@code batchSize},
 * and each running statistic becomes the equal-weight mean of the batch statistics (mean and
 * unbiased variance; PyTorch's {@code momentum=None}). Needed after stochastic weight averaging:
 * the running statistics collected while training belong to the live weights, not to their
 * average. Parameters and their gradients are not changed (no backward runs); like PyTorch, other
 * TRAIN-mode layers (dropout) act during the pass. A last batch of a single example is left out
 * (BatchNorm cannot estimate a variance from one value).
 */
public final class BatchNormUpdate {
    private BatchNormUpdate() {
    }

    /**
     * @param model the model, holding the weights the statistics are for
     * @param data the data (usually the training set), at least 2 examples
     * @param batchSize examples per pass, ≥ 2
     * @param kernels the kernels
     * @param seed the seed of TRAIN-mode randomness (dropout masks) during the pass
     * @return the number of BatchNorm layers updated (0: nothing to do, nothing ran)
     * @throws IllegalArgumentException if the batch size is below 2 or the data has fewer than 2 examples
     */
    public static int update(Model model, Dataset data, int batchSize, Kernels kernels, long seed) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(kernels, "kernels");
        List<BatchNorm> norms = batchNorms(model);
        if (norms.isEmpty()) return 0;
        if (batchSize < 2) throw new IllegalArgumentException("BatchNorm update: batch size must be >= 2, got " + batchSize);
        if (data.size() < 2) {
            throw new IllegalArgumentException("BatchNorm update: needs at least 2 examples to estimate a variance, got " + data.size());
        }
        for (BatchNorm b : norms) b.startCumulativeStatistics();
        try {
            long step = 0;
            for (int from = 0; from < data.size(); from += batchSize) {
                int to = Math.min(data.size(), from + batchSize);
                if (to - from < 2) break;
                StepContext ctx = new StepContext(Mode.TRAIN, step++, 0, 0, seed, kernels);
                model.forward(data.subset(from, to).features(), ctx);
            }
        } finally {
            for (BatchNorm b : norms) b.stopCumulativeStatistics();
        }
        return norms.size();
    }

    /**
     * @param model a model
     * @return its BatchNorm layers in forward order, inside {@link Sequential} models and
     *     {@link Residual} branches too
     */
    public static List<BatchNorm> batchNorms(Model model) {
        List<BatchNorm> out = new ArrayList<>();
        collect(model.layers(), out);
        return out;
    }

    /**
     * @param model a model
     * @return the first of its BatchNorm layers (as {@link #batchNorms} finds them) that sees one
     *     value per channel and example (after a dense layer: no spatial positions), so that it
     *     cannot train on a batch of one example; null if there is none
     */
    public static BatchNorm firstWithOneValuePerChannel(Model model) {
        return firstPerExample(model.layers(), model.inputShape());
    }

    private static BatchNorm firstPerExample(List<? extends Layer> layers, int[] shape) {
        for (Layer l : layers) {
            BatchNorm found = switch (l) {
                case BatchNorm b -> Tensor.sizeOf(shape) == b.channels() ? b : null;
                case Residual r -> firstPerExample(r.branch(), shape);
                case Sequential s -> firstPerExample(s.layers(), shape);
                default -> null;
            };
            if (found != null) return found;
            shape = l.outputShape(shape);
        }
        return null;
    }

    private static void collect(List<? extends Layer> layers, List<BatchNorm> out) {
        for (Layer l : layers) {
            switch (l) {
                case BatchNorm b -> out.add(b);
                case Residual r -> collect(r.branch(), out);
                case Sequential s -> collect(s.layers(), out);
                default -> { }
            }
        }
    }
}
