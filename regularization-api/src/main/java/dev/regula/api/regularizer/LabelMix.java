package dev.regula.api.regularizer;

import dev.regula.api.tensor.Tensor;
import java.util.Objects;

/**
 * How a mixing {@link BatchRegularizer} mixed a batch: example i is now λ parts of its own and
 * 1 − λ parts of another example whose label is {@code otherLabels[i]}, so the objective is
 * λ·L(output, labels) + (1 − λ)·L(output, otherLabels) (Zhang et al. 2018; Yun et al. 2019).
 *
 * @param lambda λ in [0, 1], the share of each example's own label
 * @param otherLabels the labels of the examples mixed in, shaped like the batch's labels
 */
public record LabelMix(double lambda, Tensor otherLabels) {
    /** Checks the components. */
    public LabelMix {
        Objects.requireNonNull(otherLabels, "otherLabels");
        if (!(lambda >= 0 && lambda <= 1)) throw new IllegalArgumentException("lambda must be in [0, 1], got " + lambda);
    }
}
