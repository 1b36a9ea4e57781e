package dev.regula.api.regularizer;

import dev.regula.api.StepContext;
import dev.regula.api.tensor.Tensor;

/**
 * Acts on each training batch as it is assembled, before the forward pass: data augmentation
 * (flips, shifts, random erasing) and data mixing (mixup, CutMix). It changes the batch's
 * features in place; the trainer hands it a fresh copy of the examples every step, so the data
 * set itself is never changed. It never runs in evaluation.
 *
 * <p>A mixing regularizer ({@link #mixesLabels()}) also returns a {@link LabelMix}: the trainer
 * then trains on λ·L(output, labels) + (1 − λ)·L(output, other labels). The pipeline runs the
 * non-mixing ones first, in the order given, then the one mixing regularizer of the run (at most
 * one). Randomness must be a function of (seed, regularizer, step), like the dropout masks.
 */
public non-sealed interface BatchRegularizer extends Regularizer {
    /** @return whether {@link #apply} mixes examples and so returns a {@link LabelMix} */
    default boolean mixesLabels() {
        return false;
    }

    /**
     * @param features the batch, [batch, ...], changed in place
     * @param labels the batch's labels, [batch] or [batch, ...], not changed
     * @param ctx the step (TRAIN)
     * @return how the labels are mixed, or null if they are not (always null unless {@link #mixesLabels()})
     * @throws dev.regula.api.ShapeMismatchException if the examples have a shape it cannot work on
     */
    LabelMix apply(Tensor features, Tensor labels, StepContext ctx);
}
